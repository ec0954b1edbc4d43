#!/usr/bin/env python3
"""Print the performance figures of Heat Pump Care, each with its goal.

Figures only, not a test: nothing fails when a goal is missed. The Home Assistant figures
come from tests/benchmark/, run in a test Home Assistant (pytest subprocesses that write them
to a JSON file); the simulator's year is measured here. Python runs with its bytecode cache,
as in a Home Assistant installation (the first, unmeasured, set-up run writes it).

    .venv/test-2026.2/bin/python scripts/benchmark.py [--suite] [--skip-fleet]

--suite also times the whole test suite on every Home Assistant version installed under
.venv/ (about a minute each).
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
import subprocess
import sys
import tempfile
import time
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from simulator import Simulator  # noqa: E402 - after the path is set

FIGURES = "tests/benchmark/test_figures.py"
SETUP = "tests/benchmark/test_setup.py"
# Each set-up test needs a fresh process, in which nothing of the integration is imported.
SETUP_TESTS = ("running", "cold")
YEAR_STEPS = 525_600
SUITE_VENVS = ("test-2026.2", "test-2025.4")


def _verdict(met: bool) -> str:
    return "met" if met else "MISSED"


def _line(name: str, value: str, goal: str, met: bool) -> str:
    return f"{name}: {value} (goal {goal}: {_verdict(met)})"


def simulator_year() -> float:
    """Best of three: one simulated year at one-minute steps, in seconds."""
    best = float("inf")
    for _ in range(3):
        sim = Simulator(speed=0)
        advance = sim.advance
        start = time.perf_counter()
        for _ in range(YEAR_STEPS):
            advance(60)
        best = min(best, time.perf_counter() - start)
    return best


def _measure(arguments: list[str], report: Path) -> bool:
    """Run one pytest measurement writing to report; print its output if it failed."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key != "PYTHONDONTWRITEBYTECODE"
    }
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:sugar", "-q", *arguments],
        cwd=ROOT,
        env={**env, "HPC_BENCHMARK_REPORT": str(report)},
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0 or not report.exists():
        sys.stdout.write(done.stdout[-3000:] + done.stderr[-2000:])
        return False
    return True


def home_assistant_figures(*, fleet: bool) -> dict[str, Any] | None:
    """Run the measuring tests and return what they wrote, or None if one failed."""
    with tempfile.TemporaryDirectory() as folder:
        # Writes the bytecode cache, as Home Assistant's first start does; not reported.
        if not _measure([SETUP, "-k", SETUP_TESTS[0]], Path(folder) / "warm-up.json"):
            return None
        report = Path(folder) / "figures.json"
        runs = [[SETUP, "-k", name] for name in SETUP_TESTS]
        runs.append([FIGURES] if fleet else [FIGURES, "-k", "not fleet"])
        if not all(_measure(arguments, report) for arguments in runs):
            return None
        figures: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
        return figures


def suite_times() -> list[str]:
    """Wall time of the whole test suite per installed Home Assistant version."""
    lines = []
    for venv in SUITE_VENVS:
        python = ROOT / ".venv" / venv / "bin" / "python"
        command = f".venv/{venv}/bin/python -m pytest -p no:sugar -q"
        if not python.exists():
            lines.append(
                f"test suite on {venv}: not installed (measure: time {command})"
            )
            continue
        start = time.perf_counter()
        done = subprocess.run(
            [str(python), "-m", "pytest", "-p", "no:sugar", "-q"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        seconds = time.perf_counter() - start
        outcome = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
        lines.append(f"test suite on {venv}: {seconds:.0f} s wall ({outcome})")
    return lines


def main() -> int:
    """Measure and print every figure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--suite", action="store_true", help="also time the whole test suite"
    )
    parser.add_argument(
        "--skip-fleet",
        action="store_true",
        help="leave out the 50 heat pumps (about a minute)",
    )
    args = parser.parse_args()

    lines: list[str] = []
    year = simulator_year()
    lines.append(
        _line(
            "simulator, one year at one-minute steps (best of 3)",
            f"{year:.2f} s",
            "<= 1 s",
            year <= 1.0,
        )
    )
    figures = home_assistant_figures(fleet=not args.skip_fleet)
    if figures is None:
        lines.append("Home Assistant figures: the measuring test failed (output above)")
    else:
        lines += _ha_lines(figures)
    if args.suite:
        lines += suite_times()
    else:
        lines += [
            f"test suite on {venv}: not measured (run with --suite, or: "
            f"time .venv/{venv}/bin/python -m pytest -p no:sugar -q)"
            for venv in SUITE_VENVS
        ]
    sys.stdout.write("\n".join(lines) + "\n")
    return 0 if figures is not None else 1


def _ha_lines(figures: dict[str, Any]) -> list[str]:
    lines = []
    changes = figures["unchanged_state_changes_per_poll"]
    lines.append(
        _line(
            f"state changes per poll with nothing new ({figures['unchanged_polls']} polls,"
            f" {figures['entities']} entities)",
            f"{changes:g}",
            "0",
            changes == 0,
        )
    )
    if figures["unchanged_changed_entities"]:
        lines.append(
            "  changed anyway: " + ", ".join(figures["unchanged_changed_entities"])
        )
    lines.append(
        f"  state writes offered to Home Assistant per such poll: "
        f"{figures['unchanged_writes_per_poll']:g} (it drops the unchanged ones)"
    )
    for key, what in (
        ("update_cost_figures", "an update changing operating figures"),
        ("update_cost_run_hours", "an update changing figures and run hours"),
        ("update_cost_fault", "an update raising or clearing a fault"),
    ):
        cost = figures[key]
        lines.append(
            _line(
                f"cost of {what} ÷ the state machine writing the states that change",
                f"{cost['ratio']:.1f}x ({cost['integration_ms']:.3f} ms vs "
                f"{cost['bare_ms']:.3f} ms, {cost['changed_states']} states change)",
                "<= 1.5x",
                cost["ratio"] <= 1.5,
            )
        )
        lines.append(
            f"  Home Assistant's entity layer alone writing those entities: "
            f"{cost['entity_layer_ms']:.3f} ms ({cost['entity_layer_ratio']:.1f}x the "
            f"state machine); the integration's update is "
            f"{cost['integration_ms'] / cost['entity_layer_ms']:.1f}x that"
        )
    for key, what in (
        (
            "setup_running_first_ms",
            (
                "config entry set-up, first heat pump in a running Home Assistant "
                "(imports the integration, loads the glossary, first poll over HTTP)"
            ),
        ),
        (
            "setup_cold_ms",
            (
                "config entry set-up in a bare Home Assistant (also sets up its http, "
                "sensor, calendar, to-do and event components)"
            ),
        ),
        ("setup_running_second_ms", "config entry set-up, a second heat pump"),
        (
            "setup_again_ms",
            (
                f"config entry set-up, again after unloading (median of "
                f"{figures['setup_again_runs']})"
            ),
        ),
    ):
        lines.append(
            _line(what, f"{figures[key]:.0f} ms", "<= 100 ms", figures[key] <= 100)
        )
    if "fleet_busy_percent" in figures:
        busy = figures["fleet_busy_percent"]
        growth = figures["fleet_rss_after_mb"] - figures["fleet_rss_before_mb"]
        minutes = figures["fleet_simulated_s"] / 60
        pumps = figures["fleet_pumps"]
        lines.append(
            _line(
                f"{pumps} simulated heat pumps polled every 5 s, event loop busy",
                f"{busy:.2f} % ({figures['fleet_loop_cpu_s']:.1f} s of loop CPU for "
                f"{minutes:.0f} simulated minutes, {figures['fleet_entities']} entities, "
                f"{figures['fleet_updating']}/{pumps} updating)",
                "<= 2 %",
                busy <= 2,
            )
        )
        lines.append(
            _line(
                f"memory growth over {minutes:.0f} simulated minutes",
                f"{growth:+.1f} MB RSS ({figures['fleet_rss_before_mb']:.0f} → "
                f"{figures['fleet_rss_after_mb']:.0f} MB)",
                "< 5 MB",
                growth < 5,
            )
        )
    return lines


if __name__ == "__main__":
    sys.exit(main())
