"""Measure the integration inside a test Home Assistant for scripts/benchmark.py.

Skipped unless HPC_BENCHMARK_REPORT names the JSON file to write the figures to: it is a
measurement, not a test, and it is not timed against goals here. The set-up times are in
test_setup.py, which needs a fresh process.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
import dataclasses
from datetime import timedelta
import gc
from pathlib import Path
import time
from typing import Any
from unittest.mock import AsyncMock, MagicMock, patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import EVENT_STATE_CHANGED
from homeassistant.core import Event, EventStateChangedData, HomeAssistant
from homeassistant.helpers.entity_platform import async_get_platforms
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.heat_pump_care.client import HeatPumpSnapshot
from custom_components.heat_pump_care.const import DOMAIN
from custom_components.heat_pump_care.coordinator import HeatPumpCareCoordinator
from tests.helpers import recorded_writes
from tests.integration.conftest import (
    ENTRY_DATA,
    SERIAL,
    START,
    snapshot_fixture,
    with_faults,
)

from .conftest import MEASUREMENT, PUMPS, add_pump_entry, clock, report

pytestmark = MEASUREMENT

POLLS = 20
UPDATES = 300
FLEET_INTERVAL = timedelta(seconds=5)
FLEET_MINUTES = 10


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


async def _add_pump(hass: HomeAssistant) -> MockConfigEntry:
    entry = MockConfigEntry(
        domain=DOMAIN, title="Aquarea", unique_id=SERIAL, data=dict(ENTRY_DATA)
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


async def test_unchanged_polls(
    hass: HomeAssistant, gateway: MagicMock, freezer: FrozenDateTimeFactory
) -> None:
    """State changes and writes of polls that bring nothing new."""
    freezer.move_to(START)
    await _add_pump(hass)
    ours = hass.states.async_entity_ids()
    for _ in range(2):
        await _tick(hass, freezer, timedelta(seconds=15))
    changed: list[str] = []
    unsubscribe = hass.bus.async_listen(
        EVENT_STATE_CHANGED,
        lambda event: changed.append(event.data["entity_id"]),
    )
    with recorded_writes() as writes:
        for _ in range(POLLS):
            await _tick(hass, freezer, timedelta(seconds=15))
    unsubscribe()
    report(
        entities=len(ours),
        unchanged_polls=POLLS,
        unchanged_state_changes_per_poll=len(changed) / POLLS,
        unchanged_writes_per_poll=len(writes) / POLLS,
        unchanged_changed_entities=sorted(set(changed)),
    )


def _changed(
    snapshot: HeatPumpSnapshot, *, figures: bool = True, run_hours: float = 0
) -> HeatPumpSnapshot:
    state = snapshot.state
    if figures:
        state = dataclasses.replace(
            state,
            outdoor_temperature=(state.outdoor_temperature or 0) + 1,
            flow_temperature=(state.flow_temperature or 0) + 1,
            compressor_frequency=(state.compressor_frequency or 0) + 3,
        )
    if run_hours:
        state = dataclasses.replace(
            state, compressor_run_hours=(state.compressor_run_hours or 0) + run_hours
        )
    return dataclasses.replace(snapshot, state=state)


async def test_update_cost(hass: HomeAssistant, gateway: MagicMock) -> None:
    """The cost of one device update, next to Home Assistant's own cost of its writes.

    On the real clock: the test clock (freezegun) makes every reading of the time cost
    microseconds, which would distort both sides differently.
    """
    entry = await _add_pump(hass)
    # As in a pump looked after for a while: run hours counted since the jobs a month ago,
    # not since set-up a moment ago, which would project due dates from seconds of use.
    maintenance = entry.runtime_data.maintenance
    month_ago = dt_util.utcnow() - timedelta(days=30)
    for task in maintenance.tracker.tasks():
        await maintenance.async_complete(task.id, done=month_ago)
    base = snapshot_fixture()
    report(
        update_cost_figures=await _update_cost(hass, entry, base, _changed(base)),
        update_cost_fault=await _update_cost(
            hass, entry, base, with_faults(base, "H62")
        ),
        update_cost_run_hours=await _update_cost(
            hass, entry, base, _changed(base, run_hours=0.1)
        ),
    )


async def _update_cost(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    first: HeatPumpSnapshot,
    second: HeatPumpSnapshot,
) -> dict[str, float]:
    """Milliseconds per update through the integration and for the bare state writes.

    Updates alternate between the two snapshots. Two references: the state machine
    writing the states that change, and Home Assistant's entity layer writing those
    entities (which any integration pays: it works out each state and its attributes).
    """
    coordinator: HeatPumpCareCoordinator = entry.runtime_data
    entities = {
        entity.entity_id: entity
        for platform in async_get_platforms(hass, DOMAIN)
        for entity in platform.entities.values()
    }
    captured: list[dict[str, tuple[str, dict[str, Any]]]] = []
    data = []
    for snapshot in (first, second):
        data.append(coordinator._process(snapshot))
        coordinator.async_set_updated_data(data[-1])
        await hass.async_block_till_done()
        captured.append(
            {
                entity_id: (state.state, dict(state.attributes))
                for entity_id in entities
                if (state := hass.states.get(entity_id)) is not None
            }
        )
    changed = [
        entity_id
        for entity_id, shown in captured[0].items()
        if captured[1][entity_id] != shown
    ]

    async def integration(index: int) -> None:
        snapshot = second if index % 2 else first
        coordinator.async_set_updated_data(coordinator._process(snapshot))
        await hass.async_block_till_done()

    async def state_machine(index: int) -> None:
        states = captured[index % 2 == 0]
        for entity_id in changed:
            hass.states.async_set(entity_id, *states[entity_id])
        await hass.async_block_till_done()

    async def entity_layer(index: int) -> None:
        coordinator.data = data[index % 2 == 0]
        for entity_id in changed:
            entities[entity_id].async_write_ha_state()
        await hass.async_block_till_done()

    ours = await _best_of(integration)
    bare = await _best_of(state_machine)
    written = await _best_of(entity_layer)
    return {
        "changed_states": len(changed),
        "integration_ms": ours * 1000,
        "bare_ms": bare * 1000,
        "entity_layer_ms": written * 1000,
        "ratio": ours / bare,
        "entity_layer_ratio": written / bare,
    }


async def _best_of(step: Callable[[int], Any], rounds: int = 5) -> float:
    """Best mean seconds per call over a few rounds of UPDATES calls."""
    best = float("inf")
    for _ in range(rounds):
        gc.collect()
        start = clock()
        for index in range(UPDATES):
            await step(index)
        best = min(best, (clock() - start) / UPDATES)
    return best


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text(encoding="utf-8").splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def test_fleet(
    hass: HomeAssistant, fleet_simulator: int, freezer: FrozenDateTimeFactory
) -> None:
    """PUMPS pumps polled every 5 s for FLEET_MINUTES simulated minutes."""
    freezer.move_to(START)
    with patch(
        "custom_components.heat_pump_care.coordinator.SCAN_INTERVAL", FLEET_INTERVAL
    ):
        entries = [
            add_pump_entry(hass, fleet_simulator, index) for index in range(PUMPS)
        ]
        start = clock()
        # Setting the integration up sets up every entry of it.
        assert await hass.config_entries.async_setup(entries[0].entry_id)
        await hass.async_block_till_done()
        assert all(entry.state is ConfigEntryState.LOADED for entry in entries)
        setup_seconds = clock() - start
    entities = len(hass.states.async_entity_ids())

    # A simulated minute to settle, then the measured minutes.
    for _ in range(12):
        await _tick(hass, freezer, FLEET_INTERVAL)
    gc.collect()
    rss_before = _rss_mb()
    changed: list[Event[EventStateChangedData]] = []
    hass.bus.async_listen(EVENT_STATE_CHANGED, changed.append)
    polls = FLEET_MINUTES * 60 // int(FLEET_INTERVAL.total_seconds())
    cpu_start, wall_start = time.thread_time(), clock()
    for _ in range(polls):
        await _tick(hass, freezer, FLEET_INTERVAL)
    cpu = time.thread_time() - cpu_start
    wall = clock() - wall_start
    gc.collect()
    rss_after = _rss_mb()
    available = sum(1 for entry in entries if entry.runtime_data.last_update_success)
    for entry in entries:
        assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    report(
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
