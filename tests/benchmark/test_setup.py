"""Config entry set-up times for scripts/benchmark.py, each test in a fresh process.

Skipped unless HPC_BENCHMARK_REPORT names the JSON file to write the figures to. Nothing of
the integration is imported before the first set-up, so its import time is included, as it
is when Home Assistant starts. Run one test per process (`-k`): the second test in a
process would find the integration imported already.
"""

from __future__ import annotations

import statistics

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry

from .conftest import MEASUREMENT, add_pump_entry, clock, report

pytestmark = MEASUREMENT

# The entity platforms the integration uses, and http, which the calendar needs: any
# running Home Assistant with the default configuration has them all set up.
HOME_ASSISTANT_PLATFORMS = (
    "http",
    "sensor",
    "binary_sensor",
    "button",
    "calendar",
    "todo",
    "event",
)
AGAIN = 7


async def _timed_setup(hass: HomeAssistant, entry: MockConfigEntry) -> float:
    start = clock()
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    return clock() - start


async def test_setup_in_running_home_assistant(
    hass: HomeAssistant, fleet_simulator: int
) -> None:
    """The first heat pump added to a Home Assistant that has its platforms set up."""
    for domain in HOME_ASSISTANT_PLATFORMS:
        assert await async_setup_component(hass, domain, {})
    await hass.async_block_till_done()
    first = add_pump_entry(hass, fleet_simulator, 0)
    first_seconds = await _timed_setup(hass, first)
    second_seconds = await _timed_setup(hass, add_pump_entry(hass, fleet_simulator, 1))
    again = []
    for _ in range(AGAIN):
        assert await hass.config_entries.async_unload(first.entry_id)
        await hass.async_block_till_done()
        again.append(await _timed_setup(hass, first))
    report(
        setup_running_first_ms=first_seconds * 1000,
        setup_running_second_ms=second_seconds * 1000,
        setup_again_ms=statistics.median(again) * 1000,
        setup_again_runs=AGAIN,
    )


async def test_setup_cold(hass: HomeAssistant, fleet_simulator: int) -> None:
    """The first heat pump in a bare test Home Assistant, which sets up its platforms too."""
    seconds = await _timed_setup(hass, add_pump_entry(hass, fleet_simulator, 0))
    report(setup_cold_ms=seconds * 1000)
