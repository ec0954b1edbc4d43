"""Print the latency from the simulator publishing a fault to the event entity firing.

Runs the MQTT end-to-end test (real mosquitto on 127.0.0.1, Home Assistant's MQTT
integration, the simulator publishing HeishaMon topics) with many faults and prints the
figures. Needs mosquitto installed and the test venv (`scripts/bootstrap test-2026.2`).

    .venv/test-2026.2/bin/python scripts/benchmark_mqtt_latency.py [--faults 200]
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
import statistics
import subprocess
import sys
import tempfile

ROOT = Path(__file__).resolve().parent.parent
TEST = "tests/contract/test_mqtt_contract.py::test_fault_over_real_broker"
GOAL_P95_MS = 100.0


def main() -> int:
    """Run the test with the requested number of faults and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--faults", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "latencies.json"
        env = {
            **os.environ,
            "HPC_LATENCY_FAULTS": str(args.faults),
            "HPC_LATENCY_REPORT": str(report),
        }
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-p", "no:sugar", "-q", TEST],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0 or not report.exists():
            sys.stdout.write(done.stdout[-3000:] + done.stderr[-2000:])
            return 1
        latencies = sorted(
            value * 1000 for value in json.loads(report.read_text(encoding="utf-8"))
        )
    p95 = latencies[max(0, round(0.95 * len(latencies)) - 1)]
    verdict = "met" if p95 <= GOAL_P95_MS else "MISSED"
    lines = [
        f"faults published and announced: {len(latencies)}",
        f"latency p50: {statistics.median(latencies):.1f} ms",
        f"latency p95: {p95:.1f} ms (goal <= {GOAL_P95_MS:.0f} ms: {verdict})",
        f"latency max: {latencies[-1]:.1f} ms",
    ]
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
