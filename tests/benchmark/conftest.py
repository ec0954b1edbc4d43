"""What the measurements share: the report, the clock, a real simulator.

Imports nothing of the integration: the set-up figures are taken in a fresh process, and
importing it here would leave its import time out of them.
"""

from __future__ import annotations

from collections.abc import Iterator
import json
import os
from pathlib import Path
import subprocess
import sys
import tempfile
import time
from typing import Any

from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

# Binds the package name to this repository's folder before the test Home Assistant puts
# its own configuration folder on the path; the integration itself is not imported.
import custom_components  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = "heat_pump_care"
REPORT = os.environ.get("HPC_BENCHMARK_REPORT")
MEASUREMENT = pytest.mark.skipif(
    not REPORT, reason="a measurement: run scripts/benchmark.py"
)
PUMPS = 50
"""Heat pumps the simulator serves, pump00 to pump49."""


def clock() -> float:
    """The real clock: freezegun stops time.perf_counter and time.monotonic."""
    return time.clock_gettime(time.CLOCK_MONOTONIC)


def report(**figures: Any) -> None:
    """Add figures to the JSON file scripts/benchmark.py reads."""
    assert REPORT
    path = Path(REPORT)
    data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    data.update(figures)
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant load the integration from custom_components/."""


def pump_entry_data(port: int, index: int) -> dict[str, Any]:
    """Config entry data for one of the simulator's heat pumps (no token: loopback)."""
    return {
        "source": "http",
        "host": "127.0.0.1",
        "port": port,
        "token": None,
        "device_id": f"pump{index:02d}",
        "protocol": "generic",
        "brand": "panasonic",
        "family": "aquarea",
    }


def add_pump_entry(hass: HomeAssistant, port: int, index: int) -> MockConfigEntry:
    """Add (not set up) the config entry of one of the simulator's heat pumps."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=f"Pump {index}",
        unique_id=f"BENCH-{index:04d}",
        data=pump_entry_data(port, index),
    )
    entry.add_to_hass(hass)
    return entry


@pytest.fixture
def fleet_simulator(socket_enabled: None) -> Iterator[int]:
    """A real simulator serving PUMPS heat pumps on 127.0.0.1, in its own process."""
    devices = {
        "devices": [
            {
                "id": f"pump{index:02d}",
                "serial": f"BENCH-{index:04d}",
                "brand": "panasonic",
                "family": "aquarea",
                "name": f"Pump {index}",
                "run_hours": 1000.0 + index,
                "climate_offset": (index % 7) - 3.0,
            }
            for index in range(PUMPS)
        ]
    }
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "devices.json"
        path.write_text(json.dumps(devices), encoding="utf-8")
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", "simulator", "--port", "0", "--quiet",
             "--devices", str(path), "--speed", "1"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )  # fmt: skip
        try:
            assert process.stdout is not None
            line = process.stdout.readline().strip()
            yield int(line.rsplit(":", 1)[1])
        finally:
            process.terminate()
            process.communicate(timeout=30)
