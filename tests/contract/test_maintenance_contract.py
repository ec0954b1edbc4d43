"""Maintenance against the real simulator: months of run time make a task due."""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_OFF, STATE_ON
from homeassistant.core import HomeAssistant
import pytest

from tests.helpers import poll, state_of

from .conftest import RunningSimulator, setup_simulated_aquarea

pytestmark = pytest.mark.usefixtures("enable_custom_integrations")

DUE = "binary_sensor.aquarea_maintenance_due"


async def test_clock_jump_makes_task_due_and_todo_restarts_it(
    hass: HomeAssistant, simulator: RunningSimulator, freezer: FrozenDateTimeFactory
) -> None:
    """120 simulated days wear the filters out; ticking the to-do item restarts them."""
    await setup_simulated_aquarea(hass, simulator)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert state_of(hass, DUE).state == STATE_OFF
    start_hours = state_of(hass, "sensor.aquarea_compressor_run_hours").state

    await simulator.control("POST", "/api/v1/clock", {"days": 120})
    await poll(hass, freezer)

    assert (
        float(state_of(hass, "sensor.aquarea_compressor_run_hours").state)
        > float(start_hours) + 500
    )
    assert state_of(hass, DUE).state == STATE_ON
    due = state_of(hass, DUE).attributes["due_tasks"]
    assert "clean_filters" in due
    filters = state_of(hass, "sensor.aquarea_clean_air_filters")
    assert filters.attributes["reason"] == "run_hours"
    assert filters.attributes["run_hours_remaining"] < 0
    # The clogged strainer raised H62, which the knowledge base links to its task.
    strainer = state_of(hass, "sensor.aquarea_clean_water_strainer")
    assert strainer.attributes["status"] == "due"

    await hass.services.async_call(
        "todo",
        "update_item",
        {"item": "clean_filters", "status": "completed"},
        target={"entity_id": "todo.aquarea_maintenance"},
        blocking=True,
    )
    filters = state_of(hass, "sensor.aquarea_clean_air_filters")
    assert filters.attributes["status"] == "ok"
    assert filters.attributes["run_hours_remaining"] == 500
    assert "clean_filters" not in state_of(hass, DUE).attributes["due_tasks"]
