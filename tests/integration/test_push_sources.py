"""Pushed sources: MQTT profiles (through Home Assistant's MQTT integration) and another entity."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
import json
from typing import Any
from unittest.mock import patch

from homeassistant.config_entries import (
    SOURCE_MQTT,
    SOURCE_RECONFIGURE,
    SOURCE_USER,
    ConfigEntryState,
    ConfigFlowResult,
)
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv, entity_registry as er
from homeassistant.helpers.service_info.mqtt import MqttServiceInfo
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_mqtt_message,
)
import voluptuous_serialize

from custom_components.heat_pump_care.const import DOMAIN
from tests.helpers import HEISHAMON_MQTT_DATA, state_of

# The MQTT integration leaves a timer behind in tests (its subscription debouncer).
pytestmark = pytest.mark.parametrize("expected_lingering_timers", [True])

JSON_SOURCE = {
    "source": "mqtt",
    "profile": "json",
    "protocol": "json",
    "topic": "boiler_room/heat_pump",
    "code_key": "status.error",
    "run_hours_key": "hours",
    "brand": "daikin",
    "family": "altherma",
}
ESPALTHERMA_TOPIC = "espaltherma/ATTR"
SOURCE_WAIT = "custom_components.heat_pump_care.config_flow.SOURCE_WAIT"
FIRST_MESSAGE_TIMEOUT = (
    "custom_components.heat_pump_care.coordinator.FIRST_MESSAGE_TIMEOUT"
)


async def _with_message[T](
    hass: HomeAssistant, job: Awaitable[T], *messages: tuple[str, str]
) -> T:
    """Run a set-up or flow step that listens, publishing until it is done.

    The step subscribes after work in the executor, so the messages are repeated (as a
    gateway does) rather than timed.
    """

    async def job_and_reloads() -> T:
        result = await job
        await hass.async_block_till_done()
        return result

    task = asyncio.ensure_future(job_and_reloads())
    async with asyncio.timeout(5):
        while not task.done():
            for topic, payload in messages:
                async_fire_mqtt_message(hass, topic, payload)
            await asyncio.sleep(0.01)
    return await task


async def _set_up(
    hass: HomeAssistant, data: dict[str, Any], *messages: tuple[str, str]
) -> MockConfigEntry:
    entry = MockConfigEntry(domain=DOMAIN, title="Heat pump", data=data)
    entry.add_to_hass(hass)
    await _with_message(
        hass, hass.config_entries.async_setup(entry.entry_id), *messages
    )
    return entry


async def _menu(hass: HomeAssistant, *choices: str) -> str:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    for choice in choices:
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {"next_step_id": choice}
        )
    return str(result["flow_id"])


@pytest.mark.usefixtures("mqtt_mock")
async def test_heishamon_fault_pushed_to_event(hass: HomeAssistant) -> None:
    """A fault published by HeishaMon fires the event entity without any poll."""
    entry = await _set_up(
        hass,
        HEISHAMON_MQTT_DATA,
        # Error first: the entities still wait for the rest of the retained burst.
        ("panasonic_heat_pump/main/Error", "No error"),
        ("panasonic_heat_pump/main/Outside_Temp", "4"),
    )
    assert entry.state is ConfigEntryState.LOADED
    assert state_of(hass, "sensor.heat_pump_fault").state == "no_fault"
    assert state_of(hass, "sensor.heat_pump_outdoor_temperature").state == "4.0"

    events = async_capture_events(hass, "state_changed")
    async_fire_mqtt_message(hass, "panasonic_heat_pump/main/Error", "H62")
    await hass.async_block_till_done()
    fault = state_of(hass, "sensor.heat_pump_fault")
    assert fault.state == "H62"
    assert fault.attributes["title"]
    event = state_of(hass, "event.heat_pump_fault")
    assert event.attributes["event_type"] == "fault_raised"
    assert event.attributes["code"] == "H62"
    assert any(e.data["entity_id"] == "event.heat_pump_fault" for e in events)


@pytest.mark.usefixtures("mqtt_mock")
async def test_bad_message_unavailable_then_recovers(
    hass: HomeAssistant, caplog: pytest.LogCaptureFixture
) -> None:
    """Garbage makes the entities unavailable with one log line; good data brings them back."""
    await _set_up(
        hass, JSON_SOURCE, (JSON_SOURCE["topic"], '{"status": {"error": "E7"}}')
    )
    assert state_of(hass, "sensor.heat_pump_fault").state == "E7"

    for _ in range(3):
        async_fire_mqtt_message(hass, JSON_SOURCE["topic"], "{not json")
        await hass.async_block_till_done()
    assert state_of(hass, "sensor.heat_pump_fault").state == STATE_UNAVAILABLE
    assert caplog.text.count("not valid JSON") == 1

    async_fire_mqtt_message(
        hass, JSON_SOURCE["topic"], json.dumps({"status": {"error": 0}, "hours": 12})
    )
    await hass.async_block_till_done()
    assert state_of(hass, "sensor.heat_pump_fault").state == "no_fault"


@pytest.mark.usefixtures("mqtt_mock")
async def test_no_message_retries_setup(hass: HomeAssistant) -> None:
    """A silent topic: set-up is retried with a clear reason, then succeeds."""
    with patch(FIRST_MESSAGE_TIMEOUT, 0.01):
        entry = await _set_up(hass, HEISHAMON_MQTT_DATA)
    assert entry.state is ConfigEntryState.SETUP_RETRY
    assert "panasonic_heat_pump" in str(entry.reason)

    await _with_message(
        hass,
        hass.config_entries.async_reload(entry.entry_id),
        ("panasonic_heat_pump/main/Error", "F12"),
    )
    reloaded = hass.config_entries.async_get_entry(entry.entry_id)
    assert reloaded is not None
    assert reloaded.state is ConfigEntryState.LOADED
    assert state_of(hass, "sensor.heat_pump_fault").state == "F12"


@pytest.mark.usefixtures("mqtt_mock")
async def test_garbage_first_message_retries_setup(hass: HomeAssistant) -> None:
    """Only garbage: set-up says what was wrong and retries."""
    with patch(FIRST_MESSAGE_TIMEOUT, 0.05):
        entry = await _set_up(hass, JSON_SOURCE, (JSON_SOURCE["topic"], "[]"))
    assert entry.state is ConfigEntryState.SETUP_RETRY
    assert "not a JSON object" in str(entry.reason)


@pytest.mark.usefixtures("mqtt_mock")
async def test_garbled_topic_before_error_topic(hass: HomeAssistant) -> None:
    """A garbled retained topic ahead of the good ones does not stop set-up."""
    entry = MockConfigEntry(domain=DOMAIN, title="Heat pump", data=HEISHAMON_MQTT_DATA)
    entry.add_to_hass(hass)
    setup = asyncio.ensure_future(hass.config_entries.async_setup(entry.entry_id))
    # Only the garbled topic while set-up subscribes, then the good one.
    for _ in range(50):
        async_fire_mqtt_message(hass, "panasonic_heat_pump/main/Outside_Temp", "warm")
        await asyncio.sleep(0.01)
    assert not setup.done()
    async with asyncio.timeout(5):
        while not setup.done():
            async_fire_mqtt_message(hass, "panasonic_heat_pump/main/Error", "H62")
            await asyncio.sleep(0.01)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    assert state_of(hass, "sensor.heat_pump_fault").state == "H62"


@pytest.mark.usefixtures("mqtt_mock")
async def test_reset_not_supported_for_push(hass: HomeAssistant) -> None:
    """Only a gateway can reset the pump; the action says so for MQTT."""
    await _set_up(hass, HEISHAMON_MQTT_DATA, ("panasonic_heat_pump/main/Error", "H62"))
    entity = er.async_get(hass).async_get("sensor.heat_pump_fault")
    assert entity is not None
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN,
            "reset_fault",
            {"device_id": entity.device_id},
            blocking=True,
        )
    assert err.value.translation_key == "reset_not_supported"


async def _add_heishamon(hass: HomeAssistant) -> ConfigFlowResult:
    flow_id = await _menu(hass, "mqtt_gateway", "mqtt_heishamon")
    return await _with_message(
        hass,
        hass.config_entries.flow.async_configure(
            flow_id, {"topic": "panasonic_heat_pump"}
        ),
        ("panasonic_heat_pump/main/Error", "No error"),
    )


@pytest.mark.usefixtures("mqtt_mock")
async def test_flow_heishamon(hass: HomeAssistant) -> None:
    """MQTT menu → HeishaMon: a retained message arrives and the entry is created."""
    result = await _add_heishamon(hass)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Panasonic Aquarea air-to-water"
    assert result["data"] == HEISHAMON_MQTT_DATA
    # The messages also started a discovery of the same HeishaMon: it gave way.
    assert not hass.config_entries.flow.async_progress()

    # The same topic twice is refused.
    result = await _add_heishamon(hass)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


@pytest.mark.usefixtures("mqtt_mock")
async def test_flow_json_errors_recover(hass: HomeAssistant) -> None:
    """Bad topic, unreadable message, silence (accepted when submitted twice)."""
    flow_id = await _menu(hass, "mqtt_gateway", "mqtt_json")
    form = {
        "topic": "boiler_room/#",
        "code_key": "status.error",
        "run_hours_key": "hours",
        "compressor_key": " ",
        "model": "daikin:altherma",
    }
    result = await hass.config_entries.flow.async_configure(flow_id, form)
    assert result["errors"] == {"topic": "invalid_topic"}

    form["topic"] = JSON_SOURCE["topic"]
    with patch(SOURCE_WAIT, 0.3):
        result = await _with_message(
            hass,
            hass.config_entries.flow.async_configure(flow_id, form),
            (JSON_SOURCE["topic"], '{"error": "E1"}'),
        )
    assert result["errors"] == {"base": "invalid_message"}
    placeholders = result["description_placeholders"]
    assert placeholders is not None
    assert "status.error" in placeholders["error"]

    with (
        patch(SOURCE_WAIT, 0.01),
        patch(FIRST_MESSAGE_TIMEOUT, 0.01),
    ):
        result = await hass.config_entries.flow.async_configure(flow_id, form)
        assert result["errors"] == {"base": "no_message"}
        result = await hass.config_entries.flow.async_configure(flow_id, form)
        await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"] == JSON_SOURCE


@pytest.mark.usefixtures("mqtt_mock")
async def test_flow_espaltherma_and_reconfigure(hass: HomeAssistant) -> None:
    """ESPAltherma is Daikin Altherma; reconfiguring changes the topic and reloads."""
    payload = '{"Error Code":" 0","INV frequency (rps)":0}'
    flow_id = await _menu(hass, "mqtt_gateway", "mqtt_espaltherma")
    result = await _with_message(
        hass,
        hass.config_entries.flow.async_configure(flow_id, {"topic": ESPALTHERMA_TOPIC}),
        (ESPALTHERMA_TOPIC, payload),
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Daikin Altherma air-to-water"
    entry = result["result"]
    await _with_message(
        hass, hass.async_block_till_done(), (ESPALTHERMA_TOPIC, payload)
    )
    assert entry.state is ConfigEntryState.LOADED

    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_RECONFIGURE, "entry_id": entry.entry_id}
    )
    assert result["step_id"] == "mqtt_espaltherma"
    result = await _with_message(
        hass,
        hass.config_entries.flow.async_configure(
            result["flow_id"], {"topic": "garage/espaltherma"}
        ),
        ("garage/espaltherma", payload),
        ("garage/espaltherma", payload),
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert entry.data["topic"] == "garage/espaltherma"


async def test_flow_mqtt_not_configured(hass: HomeAssistant) -> None:
    """Without Home Assistant's MQTT integration the flow says to set it up first."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "mqtt_gateway"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "mqtt_not_configured"


ENTITY_ID = "sensor.gateway_error_code"


def _source_entity(hass: HomeAssistant, state: str) -> er.RegistryEntry:
    registry_entry = er.async_get(hass).async_get_or_create(
        "sensor", "other", "error-code", suggested_object_id="gateway_error_code"
    )
    hass.states.async_set(ENTITY_ID, state)
    return registry_entry


async def test_entity_source_flow_and_updates(hass: HomeAssistant) -> None:
    """Another integration's code sensor is decoded; its states drive ours."""
    registry_entry = _source_entity(hass, "unavailable")
    flow_id = await _menu(hass, "entity")
    form = {"entity": ENTITY_ID, "model": "panasonic:aquarea"}
    with patch(SOURCE_WAIT, 0.01):
        result = await hass.config_entries.flow.async_configure(flow_id, form)
    assert result["errors"] == {"entity": "entity_unavailable"}

    hass.states.async_set(ENTITY_ID, "No error")
    result = await hass.config_entries.flow.async_configure(flow_id, form)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"]["entity"] == registry_entry.id
    await hass.async_block_till_done()
    fault = "sensor.panasonic_aquarea_air_to_water_fault"
    assert state_of(hass, fault).state == "no_fault"
    # A code is all such a source reports: no figures that would stay unknown.
    assert (
        hass.states.get("sensor.panasonic_aquarea_air_to_water_operating_mode") is None
    )
    assert hass.states.get("binary_sensor.panasonic_aquarea_air_to_water_problem")

    hass.states.async_set(ENTITY_ID, "H15")
    await hass.async_block_till_done()
    assert state_of(hass, fault).state == "H15"
    assert (
        state_of(hass, "event.panasonic_aquarea_air_to_water_fault").attributes["code"]
        == "H15"
    )

    hass.states.async_set(ENTITY_ID, "unknown")
    await hass.async_block_till_done()
    assert state_of(hass, fault).state == STATE_UNAVAILABLE
    hass.states.async_set(ENTITY_ID, "0")
    await hass.async_block_till_done()
    assert state_of(hass, fault).state == "no_fault"

    # A rename is followed: the entry keeps the registry ID.
    er.async_get(hass).async_update_entity(ENTITY_ID, new_entity_id="sensor.renamed")
    hass.states.async_set("sensor.renamed", "H20")
    entry = result["result"]
    await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert state_of(hass, fault).state == "H20"

    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_RECONFIGURE, "entry_id": entry.entry_id}
    )
    assert result["step_id"] == "entity"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"entity": "sensor.renamed", "model": "daikin:altherma"}
    )
    assert result["reason"] == "reconfigure_successful"
    assert entry.data["family"] == "altherma"


async def _set_up_entity_source(
    hass: HomeAssistant, registry_entry: er.RegistryEntry
) -> MockConfigEntry:
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Heat pump",
        data={
            "source": "entity",
            "protocol": "entity",
            "entity": registry_entry.id,
            "brand": "panasonic",
            "family": "aquarea",
        },
    )
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    return entry


async def test_entity_source_removed(hass: HomeAssistant) -> None:
    """The code sensor was deleted: set-up fails with a translated, permanent error."""
    registry_entry = _source_entity(hass, "H15")
    er.async_get(hass).async_remove(ENTITY_ID)
    entry = await _set_up_entity_source(hass, registry_entry)
    assert entry.state is ConfigEntryState.SETUP_ERROR


@pytest.mark.usefixtures("mqtt_mock")
@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (("http",), {"host", "port", "token"}),
        (("mqtt_gateway", "mqtt_heishamon"), {"topic"}),
        (("mqtt_gateway", "mqtt_espaltherma"), {"topic"}),
        (
            ("mqtt_gateway", "mqtt_json"),
            {"topic", "code_key", "run_hours_key", "compressor_key", "model"},
        ),
        (("entity",), {"entity", "model"}),
    ],
)
async def test_forms_serialize_for_the_frontend(
    hass: HomeAssistant, path: tuple[str, ...], expected: set[str]
) -> None:
    """Every form can be sent to the frontend, as the REST and websocket APIs do."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    for choice in path:
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {"next_step_id": choice}
        )
    assert result["type"] is FlowResultType.FORM
    fields = voluptuous_serialize.convert(
        result["data_schema"], custom_serializer=cv.custom_serializer
    )
    assert isinstance(fields, list)
    assert {field["name"] for field in fields} == expected


def _discovery(topic: str, payload: str) -> MqttServiceInfo:
    return MqttServiceInfo(
        topic=topic,
        payload=payload,
        qos=0,
        retain=True,
        subscribed_topic="+/main/Error",
        timestamp=0.0,
    )


@pytest.mark.usefixtures("mqtt_mock")
async def test_discovery_heishamon(hass: HomeAssistant) -> None:
    """A HeishaMon under any base topic is offered, confirmed, and not offered twice."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN,
        context={"source": SOURCE_MQTT},
        data=_discovery("attic/main/Error", "No error"),
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "mqtt_confirm"
    assert result["description_placeholders"] == {
        "name": "Panasonic Aquarea air-to-water",
        "topic": "attic",
    }
    with patch(FIRST_MESSAGE_TIMEOUT, 0.01):
        result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
        await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"] == {**HEISHAMON_MQTT_DATA, "topic": "attic"}
    assert result["result"].unique_id == "heishamon:attic"

    again = await hass.config_entries.flow.async_init(
        DOMAIN,
        context={"source": SOURCE_MQTT},
        data=_discovery("attic/main/Error", "H62"),
    )
    assert again["type"] is FlowResultType.ABORT
    assert again["reason"] == "already_configured"


@pytest.mark.usefixtures("mqtt_mock")
async def test_discovery_espaltherma_and_stranger(hass: HomeAssistant) -> None:
    """ESPAltherma's topic is offered; any other topic is not a gateway."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN,
        context={"source": SOURCE_MQTT},
        data=_discovery(ESPALTHERMA_TOPIC, '{"Error Code":" 0"}'),
    )
    assert result["step_id"] == "mqtt_confirm"
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_MQTT}, data=_discovery("x/y", "")
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "not_a_gateway"


async def test_entity_source_without_state_retries(hass: HomeAssistant) -> None:
    """The other integration is not up yet: set-up is retried, saying why, then works."""
    registry_entry = er.async_get(hass).async_get_or_create(
        "sensor", "other", "error-code", suggested_object_id="gateway_error_code"
    )
    with patch(FIRST_MESSAGE_TIMEOUT, 0.05):
        entry = await _set_up_entity_source(hass, registry_entry)
    assert entry.state is ConfigEntryState.SETUP_RETRY
    assert "gone" in str(entry.reason)

    hass.states.async_set(ENTITY_ID, "H62")
    await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert state_of(hass, "sensor.heat_pump_fault").state == "H62"
