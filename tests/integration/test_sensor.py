"""Sensors: the decoded fault and the operating figures."""

from __future__ import annotations

import dataclasses
from unittest.mock import MagicMock

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_UNAVAILABLE, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    snapshot_platform,
)
from syrupy.assertion import SnapshotAssertion

from custom_components.heat_pump_care.client import GatewayHostError
from custom_components.heat_pump_care.knowledge import load_default_catalog
from tests.helpers import poll, state_of

from .conftest import show_faults, snapshot_fixture, with_faults

FAULT = "sensor.aquarea_fault"


@pytest.fixture
def platforms() -> list[Platform]:
    """Only the sensor platform."""
    return [Platform.SENSOR]


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_entities(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    init_integration: MockConfigEntry,
) -> None:
    """Every sensor, with its registry entry and state."""
    await snapshot_platform(hass, entity_registry, snapshot, init_integration.entry_id)


async def test_fault_decoded(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    mock_gateway: MagicMock,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A code from the pump becomes its meaning, severity and repair steps."""
    state = hass.states.get(FAULT)
    assert state is not None
    assert state.state == "no_fault"
    assert state.attributes["active_faults"] == []

    await show_faults(hass, freezer, mock_gateway, "h-62")

    state = hass.states.get(FAULT)
    assert state is not None
    assert state.state == "H62"
    assert state.attributes["known"] is True
    assert state.attributes["severity"] in {"warning", "critical"}
    assert state.attributes["title"]
    assert state.attributes["meaning"]
    steps = state.attributes["steps"]
    assert steps[0]["section"] == "safety_first"
    assert all(step["text"] and step["section_title"] for step in steps)


async def test_most_severe_fault_first(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    mock_gateway: MagicMock,
    freezer: FrozenDateTimeFactory,
) -> None:
    """With several faults the state is the most severe one; all are listed."""
    codes = load_default_catalog().codes("panasonic", "aquarea")
    critical = next(info.code for info in codes if info.severity == "critical")
    milder = next(info.code for info in codes if info.severity != "critical")
    mock_gateway.async_snapshot.return_value = with_faults(
        snapshot_fixture(), milder, critical
    )
    await poll(hass, freezer)
    state = hass.states.get(FAULT)
    assert state is not None
    assert state.state == critical
    assert state.attributes["active_faults"] == [critical, milder]


async def test_unknown_code(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    mock_gateway: MagicMock,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A code missing from the glossary is still a fault, with safe generic steps."""
    await show_faults(hass, freezer, mock_gateway, "ZZ999")
    state = hass.states.get(FAULT)
    assert state is not None
    assert state.state == "ZZ999"
    assert state.attributes["known"] is False
    assert "ZZ999" in state.attributes["title"]
    assert state.attributes["steps"][0]["section"] == "safety_first"


async def test_unavailable_and_back(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    mock_gateway: MagicMock,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Losing the gateway makes entities unavailable, logged once; they come back alone."""
    mock_gateway.async_snapshot.side_effect = GatewayHostError("no answer")
    caplog.clear()
    for _ in range(3):
        await poll(hass, freezer)
    assert state_of(hass, FAULT).state == STATE_UNAVAILABLE
    assert (
        state_of(hass, "sensor.aquarea_outdoor_temperature").state == STATE_UNAVAILABLE
    )
    lost = [r for r in caplog.records if "Error fetching" in r.getMessage()]
    assert len(lost) == 1

    mock_gateway.async_snapshot.side_effect = None
    caplog.clear()
    for _ in range(2):
        await poll(hass, freezer)
    assert state_of(hass, FAULT).state == "no_fault"
    back = [r for r in caplog.records if "recovered" in r.getMessage()]
    assert len(back) == 1


async def test_optional_figures_absent(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    mock_gateway: MagicMock,
) -> None:
    """A pump that reports no hot-water temperature or run hours gets no such sensors."""
    snapshot = snapshot_fixture()
    state = dataclasses.replace(
        snapshot.state, dhw_temperature=None, compressor_run_hours=None
    )
    mock_gateway.async_snapshot.return_value = dataclasses.replace(
        snapshot, state=state
    )
    mock_config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert hass.states.get("sensor.aquarea_outdoor_temperature") is not None
    assert hass.states.get("sensor.aquarea_hot_water_temperature") is None
    assert hass.states.get("sensor.aquarea_compressor_run_hours") is None
