"""The fault event entity: fault_raised and fault_cleared."""

from __future__ import annotations

from unittest.mock import MagicMock

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN, Platform
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.event import async_track_state_change_event
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    snapshot_platform,
)
from syrupy.assertion import SnapshotAssertion

from custom_components.heat_pump_care.client import GatewayConnectionError
from tests.helpers import poll, state_of

from .conftest import show_faults, snapshot_fixture, with_faults

EVENT = "event.aquarea_fault"


@pytest.fixture
def platforms() -> list[Platform]:
    """Only the event platform."""
    return [Platform.EVENT]


@pytest.fixture
async def fired(hass: HomeAssistant) -> list[dict[str, object]]:
    """Every event the entity fires, as an automation would see it."""
    seen: list[dict[str, object]] = []

    @callback
    def _record(event: Event[EventStateChangedData]) -> None:
        new = event.data["new_state"]
        if new is not None and new.state not in (STATE_UNKNOWN, STATE_UNAVAILABLE):
            seen.append(dict(new.attributes))

    async_track_state_change_event(hass, EVENT, _record)
    return seen


async def test_entity(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    init_integration: MockConfigEntry,
) -> None:
    """The event entity, with its registry entry and state."""
    await snapshot_platform(hass, entity_registry, snapshot, init_integration.entry_id)


async def test_raised_and_cleared(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    mock_gateway: MagicMock,
    freezer: FrozenDateTimeFactory,
    fired: list[dict[str, object]],
) -> None:
    """A new fault fires fault_raised with its decoded title; its end fires fault_cleared."""
    await show_faults(hass, freezer, mock_gateway, "H15")
    assert len(fired) == 1
    raised = fired[0]
    assert raised["event_type"] == "fault_raised"
    assert raised["code"] == "H15"
    assert raised["title"]
    assert raised["severity"] in {"info", "warning", "critical"}
    assert isinstance(raised["technician_required"], bool)

    # Still active: nothing new.
    await poll(hass, freezer)
    assert len(fired) == 1

    await show_faults(hass, freezer, mock_gateway)
    assert [event["event_type"] for event in fired] == ["fault_raised", "fault_cleared"]
    assert fired[1]["code"] == "H15"


async def test_each_fault_fires(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    mock_gateway: MagicMock,
    freezer: FrozenDateTimeFactory,
    fired: list[dict[str, object]],
) -> None:
    """Two faults in one poll are two events, not one."""
    mock_gateway.async_snapshot.return_value = with_faults(
        snapshot_fixture(), "H15", "F12"
    )
    await poll(hass, freezer)
    # F12 also makes the strainer due: that maintenance_due event is not a fault's.
    raised = [event for event in fired if event["event_type"] == "fault_raised"]
    assert sorted(str(event["code"]) for event in raised) == ["F12", "H15"]


async def test_no_repeat_after_outage(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    mock_gateway: MagicMock,
    freezer: FrozenDateTimeFactory,
    fired: list[dict[str, object]],
) -> None:
    """A failed poll does not re-fire old events; changes during the outage are caught up."""
    await show_faults(hass, freezer, mock_gateway, "H15")
    mock_gateway.async_snapshot.side_effect = GatewayConnectionError("gone")
    await poll(hass, freezer)
    await poll(hass, freezer)
    assert state_of(hass, EVENT).state == STATE_UNAVAILABLE
    assert len(fired) == 1

    mock_gateway.async_snapshot.side_effect = None
    await show_faults(hass, freezer, mock_gateway)
    assert [event["event_type"] for event in fired] == ["fault_raised", "fault_cleared"]


async def test_faults_active_at_start_are_not_announced(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    mock_gateway: MagicMock,
    freezer: FrozenDateTimeFactory,
    fired: list[dict[str, object]],
) -> None:
    """A restart shows the active fault but does not fire fault_raised again."""
    mock_gateway.async_snapshot.return_value = with_faults(snapshot_fixture(), "H15")
    mock_config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    await poll(hass, freezer)
    assert fired == []
    assert state_of(hass, "sensor.aquarea_fault").state == "H15"


async def test_fault_event_data_and_maintenance_due(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    mock_gateway: MagicMock,
    freezer: FrozenDateTimeFactory,
    fired: list[dict[str, object]],
) -> None:
    """fault_raised carries the decoded fault; a task the fault points to comes due."""
    await show_faults(hass, freezer, mock_gateway, "H62")
    by_type = {str(event["event_type"]): event for event in fired}
    raised = by_type["fault_raised"]
    assert raised["component"] == "water_flow"
    assert raised["brand"] == "panasonic"
    assert raised["family"] == "aquarea"
    assert raised["technician_required"] is False
    assert raised["known"] is True
    assert isinstance(raised["steps"], list)
    assert raised["steps"]
    due = by_type["maintenance_due"]
    assert due["task"] == "clean_strainer"
    assert due["reason"] == "fault"
    assert due["fault_code"] == "H62"
