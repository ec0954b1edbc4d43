"""Home Assistant, the integration and the real simulator, with nothing mocked."""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_USER, ConfigEntryState
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers.event import async_track_state_change_event
import pytest

from custom_components.heat_pump_care.const import DOMAIN
from tests.helpers import poll, state_of

from .conftest import TOKEN, RunningSimulator

pytestmark = pytest.mark.usefixtures("enable_custom_integrations")


async def _add_through_ui(hass: HomeAssistant, simulator: RunningSimulator) -> None:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "http"}
    )
    # A wrong token first: the form says so and recovers.
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"host": "127.0.0.1", "port": simulator.port, "token": "x"}
    )
    assert result["errors"] == {"token": "invalid_auth"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {"host": "127.0.0.1", "port": simulator.port, "token": TOKEN},
    )
    assert result["step_id"] == "device"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"device": "aquarea"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert result["result"].state is ConfigEntryState.LOADED


async def test_fault_from_simulator_reaches_home_assistant(
    hass: HomeAssistant, simulator: RunningSimulator, freezer: FrozenDateTimeFactory
) -> None:
    """A fault raised on the simulator is decoded in the sensor and fires the event."""
    await _add_through_ui(hass, simulator)
    fired: list[str] = []

    @callback
    def _record(event: Event[EventStateChangedData]) -> None:
        if (new := event.data["new_state"]) is not None and "code" in new.attributes:
            fired.append(f"{new.attributes['event_type']}:{new.attributes['code']}")

    async_track_state_change_event(hass, "event.aquarea_fault", _record)
    assert state_of(hass, "sensor.aquarea_fault").state == "no_fault"

    await simulator.control("POST", "/api/v1/devices/aquarea/faults", {"code": "H62"})
    await poll(hass, freezer)

    fault = hass.states.get("sensor.aquarea_fault")
    assert fault is not None
    assert fault.state == "H62"
    assert fault.attributes["known"] is True
    assert fault.attributes["steps"]
    assert state_of(hass, "binary_sensor.aquarea_problem").state == "on"
    assert fired == ["fault_raised:H62"]

    await simulator.control("POST", "/api/v1/devices/aquarea/reset")
    await poll(hass, freezer)
    assert state_of(hass, "sensor.aquarea_fault").state == "no_fault"
    assert fired == ["fault_raised:H62", "fault_cleared:H62"]
