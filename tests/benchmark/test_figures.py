"""Measure the integration inside a test Home Assistant for scripts/benchmark.py.

Skipped unless HPC_BENCHMARK_REPORT names the JSON file to write the figures to: it is a
measurement, not a test, and it is not timed against goals here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
import dataclasses
from datetime import timedelta
import gc
import json
import os
from pathlib import Path
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Any
from unittest.mock import AsyncMock, MagicMock, patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import EVENT_STATE_CHANGED
from homeassistant.core import Event, EventStateChangedData, HomeAssistant
from homeassistant.helpers.entity import Entity
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.heat_pump_care.client import HeatPumpSnapshot
from custom_components.heat_pump_care.const import DOMAIN
from tests.integration.conftest import (
    ENTRY_DATA,
    SERIAL,
    START,
    snapshot_fixture,
    with_faults,
)

REPORT = os.environ.get("HPC_BENCHMARK_REPORT")
pytestmark = pytest.mark.skipif(
    not REPORT, reason="a measurement: run scripts/benchmark.py"
)

ROOT = Path(__file__).resolve().parents[2]
POLLS = 20
UPDATES = 300
SETUPS = 7
PUMPS = 50
FLEET_INTERVAL = timedelta(seconds=5)
FLEET_MINUTES = 10


def _clock() -> float:
    """The real clock: freezegun stops time.perf_counter and time.monotonic."""
    return time.clock_gettime(time.CLOCK_MONOTONIC)


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant load the integration from custom_components/."""


def _report(**figures: Any) -> None:
    assert REPORT
    path = Path(REPORT)
    data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    data.update(figures)
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")


@pytest.fixture
def gateway() -> Iterator[MagicMock]:
    """A gateway client answering at once with the same snapshot."""
    client = MagicMock()
    client.async_snapshot = AsyncMock(return_value=snapshot_fixture())
    with patch(
        "custom_components.heat_pump_care.coordinator.HeatPumpGatewayClient",
        return_value=client,
    ):
        yield client


async def _tick(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, step: timedelta
) -> None:
    freezer.tick(step)
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


def _count_writes() -> tuple[list[str], Any]:
    """Record every async_write_ha_state call by entity id."""
    calls: list[str] = []
    original = Entity.async_write_ha_state

    def counted(self: Entity) -> None:
        calls.append(self.entity_id)
        original(self)

    return calls, patch.object(Entity, "async_write_ha_state", counted)


async def _setup(hass: HomeAssistant, entry_id: str) -> float:
    start = _clock()
    assert await hass.config_entries.async_setup(entry_id)
    await hass.async_block_till_done()
    return _clock() - start


async def test_one_pump(
    hass: HomeAssistant, gateway: MagicMock, freezer: FrozenDateTimeFactory
) -> None:
    """Set-up time, state writes of an unchanged poll, and the cost of an update."""
    freezer.move_to(START)
    entry = MockConfigEntry(
        domain=DOMAIN, title="Aquarea", unique_id=SERIAL, data=dict(ENTRY_DATA)
    )
    entry.add_to_hass(hass)
    setups = [await _setup(hass, entry.entry_id)]
    for _ in range(SETUPS - 1):
        assert await hass.config_entries.async_unload(entry.entry_id)
        await hass.async_block_till_done()
        setups.append(await _setup(hass, entry.entry_id))
    ours = sorted(hass.states.async_entity_ids())

    # Polls that bring nothing new.
    for _ in range(2):
        await _tick(hass, freezer, timedelta(seconds=15))
    changed: list[str] = []
    unsubscribe = hass.bus.async_listen(
        EVENT_STATE_CHANGED,
        lambda event: changed.append(event.data["entity_id"]),
    )
    writes, counting = _count_writes()
    with counting:
        for _ in range(POLLS):
            await _tick(hass, freezer, timedelta(seconds=15))
    unsubscribe()

    # One device update = a new snapshot decoded and shown; compared with Home
    # Assistant writing the same states itself.
    coordinator = entry.runtime_data
    base = snapshot_fixture()
    warmer = dataclasses.replace(
        base,
        state=dataclasses.replace(
            base.state,
            outdoor_temperature=(base.state.outdoor_temperature or 0) + 1,
            flow_temperature=(base.state.flow_temperature or 0) + 1,
            compressor_frequency=(base.state.compressor_frequency or 0) + 3,
        ),
    )
    figure_cost = await _update_cost(hass, coordinator, ours, base, warmer)
    fault_cost = await _update_cost(
        hass, coordinator, ours, base, with_faults(base, "H62")
    )
    _report(
        entities=len(ours),
        setup_first_ms=setups[0] * 1000,
        setup_median_ms=statistics.median(setups[1:]) * 1000,
        setup_runs=len(setups) - 1,
        unchanged_polls=POLLS,
        unchanged_state_changes_per_poll=len(changed) / POLLS,
        unchanged_writes_per_poll=len(writes) / POLLS,
        unchanged_changed_entities=sorted(set(changed)),
        update_cost_figures=figure_cost,
        update_cost_fault=fault_cost,
    )


async def _update_cost(
    hass: HomeAssistant,
    coordinator: Any,
    entity_ids: list[str],
    first: HeatPumpSnapshot,
    second: HeatPumpSnapshot,
) -> dict[str, float]:
    """Seconds per update through the integration and for the bare state writes."""
    captured: list[list[tuple[str, str, dict[str, Any]]]] = []
    for snapshot in (first, second):
        coordinator.async_set_updated_data(coordinator._process(snapshot))
        await hass.async_block_till_done()
        captured.append(
            [
                (entity_id, state.state, dict(state.attributes))
                for entity_id in entity_ids
                if (state := hass.states.get(entity_id)) is not None
            ]
        )
    changes = sum(a[1:] != b[1:] for a, b in zip(captured[0], captured[1], strict=True))

    async def integration(index: int) -> None:
        snapshot = second if index % 2 else first
        coordinator.async_set_updated_data(coordinator._process(snapshot))
        await hass.async_block_till_done()

    async def bare(index: int) -> None:
        for entity_id, state, attributes in captured[index % 2 == 0]:
            hass.states.async_set(entity_id, state, attributes)
        await hass.async_block_till_done()

    ours = await _best_of(integration)
    theirs = await _best_of(bare)
    return {
        "changed_states": changes,
        "integration_ms": ours * 1000,
        "bare_ms": theirs * 1000,
        "ratio": ours / theirs,
    }


async def _best_of(step: Callable[[int], Any], rounds: int = 3) -> float:
    """Best mean seconds per call over a few rounds of UPDATES calls."""
    best = float("inf")
    for _ in range(rounds):
        gc.collect()
        start = _clock()
        for index in range(UPDATES):
            await step(index)
        best = min(best, (_clock() - start) / UPDATES)
    return best


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text(encoding="utf-8").splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


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


async def test_fleet(
    hass: HomeAssistant, fleet_simulator: int, freezer: FrozenDateTimeFactory
) -> None:
    """PUMPS pumps polled every 5 s for FLEET_MINUTES simulated minutes."""
    freezer.move_to(START)
    entries = []
    with patch(
        "custom_components.heat_pump_care.coordinator.SCAN_INTERVAL", FLEET_INTERVAL
    ):
        for index in range(PUMPS):
            entry = MockConfigEntry(
                domain=DOMAIN,
                title=f"Pump {index}",
                unique_id=f"BENCH-{index:04d}",
                data={
                    **ENTRY_DATA,
                    "host": "127.0.0.1",
                    "port": fleet_simulator,
                    "token": None,
                    "device_id": f"pump{index:02d}",
                },
            )
            entry.add_to_hass(hass)
            entries.append(entry)
        start = _clock()
        # Setting the integration up sets up every entry of it.
        assert await hass.config_entries.async_setup(entries[0].entry_id)
        await hass.async_block_till_done()
        assert all(entry.state is ConfigEntryState.LOADED for entry in entries)
        setup_seconds = _clock() - start
    entities = len(hass.states.async_entity_ids())

    # A simulated minute to settle, then the measured minutes.
    for _ in range(12):
        await _tick(hass, freezer, FLEET_INTERVAL)
    gc.collect()
    rss_before = _rss_mb()
    changed: list[Event[EventStateChangedData]] = []
    hass.bus.async_listen(EVENT_STATE_CHANGED, changed.append)
    polls = FLEET_MINUTES * 60 // int(FLEET_INTERVAL.total_seconds())
    cpu_start, wall_start = time.thread_time(), _clock()
    for _ in range(polls):
        await _tick(hass, freezer, FLEET_INTERVAL)
    cpu = time.thread_time() - cpu_start
    wall = _clock() - wall_start
    gc.collect()
    rss_after = _rss_mb()
    available = sum(1 for entry in entries if entry.runtime_data.last_update_success)
    for entry in entries:
        assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    _report(
        fleet_pumps=PUMPS,
        fleet_entities=entities,
        fleet_setup_s=setup_seconds,
        fleet_polls=polls,
        fleet_simulated_s=polls * FLEET_INTERVAL.total_seconds(),
        fleet_loop_cpu_s=cpu,
        fleet_wall_s=wall,
        fleet_busy_percent=100 * cpu / (polls * FLEET_INTERVAL.total_seconds()),
        fleet_rss_before_mb=rss_before,
        fleet_rss_after_mb=rss_after,
        fleet_state_changes_per_poll=len(changed) / polls,
        fleet_updating=available,
    )
