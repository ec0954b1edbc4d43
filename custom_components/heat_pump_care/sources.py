"""Where a heat pump's snapshots come from: a polled gateway, MQTT, or another entity.

Parsing is the client package's job; this module only moves messages from Home Assistant
(its MQTT integration, its state machine) to the parsers and reports what they say.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import (
    CALLBACK_TYPE,
    Event,
    EventStateChangedData,
    HomeAssistant,
    callback,
)
from homeassistant.exceptions import ConfigEntryError
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.event import async_track_state_change_event
from homeassistant.helpers.importlib import async_import_module
import voluptuous as vol

from .client import (
    GatewayResponseError,
    HeatPumpSnapshot,
    HeishaMonTopics,
    JsonKeys,
    MqttProfile,
    Protocol,
    parse_code_text,
    parse_espaltherma,
    parse_json_state,
    push_device,
)
from .const import (
    CONF_CODE_KEY,
    CONF_COMPRESSOR_KEY,
    CONF_ENTITY,
    CONF_PROFILE,
    CONF_RUN_HOURS_KEY,
    CONF_SOURCE,
    CONF_TOPIC,
    DOMAIN,
    SOURCE_ENTITY,
    SOURCE_MQTT,
)

if TYPE_CHECKING:
    from homeassistant.components.mqtt import ReceiveMessage

type SnapshotCallback = Callable[[HeatPumpSnapshot], None]
type ErrorCallback = Callable[[str], None]


async def _async_import_mqtt(hass: HomeAssistant) -> None:
    """Import Home Assistant's MQTT package off the event loop, on first use only.

    It takes longer to import than the rest of set-up together, and most owners poll.
    """
    await async_import_module(hass, "homeassistant.components.mqtt")


async def async_mqtt_ready(hass: HomeAssistant) -> bool:
    """Whether Home Assistant's MQTT integration is set up and connected."""
    await _async_import_mqtt(hass)
    from homeassistant.components import mqtt  # noqa: PLC0415

    return await mqtt.async_wait_for_mqtt_client(hass)


async def async_valid_mqtt_topic(hass: HomeAssistant, topic: str) -> bool:
    """Whether a single topic (no wildcards) may be listened to."""
    await _async_import_mqtt(hass)
    from homeassistant.components import mqtt  # noqa: PLC0415

    try:
        mqtt.valid_publish_topic(topic)
    except vol.Invalid:
        return False
    return True


class PushSource(ABC):
    """Snapshots delivered as they happen; `async_start` subscribes, its result unsubscribes."""

    description: str
    """What is listened to (a topic, an entity ID): shown in errors."""

    @abstractmethod
    async def async_start(
        self, on_snapshot: SnapshotCallback, on_error: ErrorCallback
    ) -> CALLBACK_TYPE:
        """Start delivering snapshots; return the function that stops it."""


class MqttSource(PushSource):
    """One MQTT profile's topics, through Home Assistant's MQTT integration."""

    def __init__(self, hass: HomeAssistant, data: dict[str, Any], name: str) -> None:
        """Prepare the parser for the entry's profile."""
        self._hass = hass
        profile = MqttProfile(data[CONF_PROFILE])
        topic: str = data[CONF_TOPIC]
        self.description = topic
        self._parse: Callable[[str, str], HeatPumpSnapshot | None]
        if profile is MqttProfile.HEISHAMON:
            topics = HeishaMonTopics(topic, push_device(Protocol.HEISHAMON, name))
            self._subscription = topics.subscription
            self._parse = topics.update
        elif profile is MqttProfile.ESPALTHERMA:
            device = push_device(Protocol.ESPALTHERMA, name)
            self._subscription = topic
            self._parse = lambda _, payload: parse_espaltherma(payload, device)
        else:
            device = push_device(Protocol.JSON, name)
            keys = JsonKeys(
                code=data[CONF_CODE_KEY],
                run_hours=data.get(CONF_RUN_HOURS_KEY),
                compressor=data.get(CONF_COMPRESSOR_KEY),
            )
            self._subscription = topic
            self._parse = lambda _, payload: parse_json_state(payload, keys, device)

    async def async_start(
        self, on_snapshot: SnapshotCallback, on_error: ErrorCallback
    ) -> CALLBACK_TYPE:
        """Subscribe; retained messages arrive at once, the rest as they are published."""
        await _async_import_mqtt(self._hass)
        from homeassistant.components import mqtt  # noqa: PLC0415

        @callback
        def message_received(message: ReceiveMessage) -> None:
            payload = message.payload
            try:
                snapshot = self._parse(message.topic, payload)  # type: ignore[arg-type]
            except GatewayResponseError as err:
                on_error(f"{message.topic}: {err}")
                return
            if snapshot is not None:
                on_snapshot(snapshot)

        return await mqtt.async_subscribe(
            self._hass, self._subscription, message_received
        )


class EntitySource(PushSource):
    """A sensor of another integration that shows the raw code."""

    def __init__(self, hass: HomeAssistant, data: dict[str, Any], name: str) -> None:
        """Resolve the stored entity (kept by registry ID, so renames are followed)."""
        self._hass = hass
        try:
            self.entity_id = er.async_validate_entity_id(
                er.async_get(hass), data[CONF_ENTITY]
            )
        except vol.Invalid as err:
            raise ConfigEntryError(
                translation_domain=DOMAIN, translation_key="source_entity_missing"
            ) from err
        self.description = self.entity_id
        self._device = push_device(Protocol.ENTITY, name)

    async def async_start(
        self, on_snapshot: SnapshotCallback, on_error: ErrorCallback
    ) -> CALLBACK_TYPE:
        """Follow the entity's state, starting with the current one."""

        @callback
        def handle(state: str | None) -> None:
            if state is None or state in (STATE_UNAVAILABLE, STATE_UNKNOWN):
                on_error(f"{self.entity_id} is {state or 'gone'}")
                return
            on_snapshot(parse_code_text(state, self._device))

        @callback
        def state_changed(event: Event[EventStateChangedData]) -> None:
            new = event.data["new_state"]
            handle(None if new is None else new.state)

        unsubscribe = async_track_state_change_event(
            self._hass, self.entity_id, state_changed
        )
        current = self._hass.states.get(self.entity_id)
        handle(None if current is None else current.state)
        return unsubscribe


def create_push_source(
    hass: HomeAssistant, data: dict[str, Any], name: str
) -> PushSource | None:
    """Create the push source of an entry; None for a polled gateway."""
    if data.get(CONF_SOURCE) == SOURCE_MQTT:
        return MqttSource(hass, data, name)
    if data.get(CONF_SOURCE) == SOURCE_ENTITY:
        return EntitySource(hass, data, name)
    return None
