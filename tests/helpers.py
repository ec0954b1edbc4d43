"""Helpers shared by the test suites."""

from __future__ import annotations

from datetime import timedelta
import json
from pathlib import Path
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant, State
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.heat_pump_care.const import SCAN_INTERVAL

FIXTURES = Path(__file__).parent / "fixtures"

# A HeishaMon publishing under its default base topic, as the config flow stores it.
HEISHAMON_MQTT_DATA = {
    "source": "mqtt",
    "profile": "heishamon",
    "protocol": "heishamon",
    "topic": "panasonic_heat_pump",
    "brand": "panasonic",
    "family": "aquarea",
}


def load_payload(name: str) -> Any:
    """A gateway payload captured from the simulator (see scripts/capture_fixtures)."""
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def state_of(hass: HomeAssistant, entity_id: str) -> State:
    """The entity's state, which must exist."""
    state = hass.states.get(entity_id)
    assert state is not None, f"{entity_id} has no state"
    return state


async def poll(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, step: timedelta = SCAN_INTERVAL
) -> None:
    """Let a poll interval (or more) pass and wait for the poll, real I/O included."""
    freezer.tick(step)
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
