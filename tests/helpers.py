"""Helpers shared by the test suites."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
import json
from pathlib import Path
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant, State
from homeassistant.helpers.entity import Entity
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


@contextmanager
def recorded_writes() -> Iterator[list[str]]:
    """Record each entity whose state is written (changed or not), in order."""
    written: list[str] = []
    original = Entity._async_write_ha_state

    def recording(entity: Entity) -> None:
        written.append(entity.entity_id)
        original(entity)

    with patch.object(Entity, "_async_write_ha_state", recording):
        yield written


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
