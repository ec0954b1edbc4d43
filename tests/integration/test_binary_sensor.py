"""Binary sensors: problem, compressor, defrosting."""

from __future__ import annotations

from unittest.mock import MagicMock

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_OFF, STATE_ON, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    snapshot_platform,
)
from syrupy.assertion import SnapshotAssertion

from tests.helpers import state_of

from .conftest import show_faults


@pytest.fixture
def platforms() -> list[Platform]:
    """Only the binary sensor platform."""
    return [Platform.BINARY_SENSOR]


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_entities(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    init_integration: MockConfigEntry,
) -> None:
    """Every binary sensor, with its registry entry and state."""
    await snapshot_platform(hass, entity_registry, snapshot, init_integration.entry_id)


async def test_problem_follows_faults(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    mock_gateway: MagicMock,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Problem is on while any fault is active and off once it clears."""
    assert state_of(hass, "binary_sensor.aquarea_problem").state == STATE_OFF

    await show_faults(hass, freezer, mock_gateway, "H15")
    assert state_of(hass, "binary_sensor.aquarea_problem").state == STATE_ON

    await show_faults(hass, freezer, mock_gateway)
    assert state_of(hass, "binary_sensor.aquarea_problem").state == STATE_OFF
