"""Config flow: find a heat pump behind a gateway and decide how to decode its codes."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from homeassistant.config_entries import (
    SOURCE_RECONFIGURE,
    ConfigEntry,
    ConfigFlow,
    ConfigFlowResult,
    OptionsFlow,
)
from homeassistant.const import CONF_HOST, CONF_PORT, CONF_TOKEN
from homeassistant.core import callback
from homeassistant.helpers import config_validation as cv, entity_registry as er
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.selector import (
    EntitySelector,
    EntitySelectorConfig,
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)
from homeassistant.helpers.service_info.mqtt import MqttServiceInfo
import voluptuous as vol

from .client import (
    DEFAULT_TOPICS,
    GatewayAuthenticationError,
    GatewayConnectionError,
    GatewayDevice,
    GatewayError,
    GatewayHostError,
    HeatPumpGatewayClient,
    HeatPumpSnapshot,
    MqttProfile,
    Protocol,
)
from .const import (
    CONF_BRAND,
    CONF_CODE_KEY,
    CONF_COMPRESSOR_KEY,
    CONF_DEVICE_ID,
    CONF_ENTITY,
    CONF_FAMILY,
    CONF_MODEL,
    CONF_PROFILE,
    CONF_PROTOCOL,
    CONF_RUN_HOURS_KEY,
    CONF_SOURCE,
    CONF_TOPIC,
    DEFAULT_PORT,
    DOMAIN,
    LOGGER,
    SOURCE_ENTITY,
    SOURCE_HTTP,
    SOURCE_MQTT,
)
from .knowledge import Catalog, load_default_catalog
from .options_flow import MaintenanceOptionsFlow
from .sources import (
    EntitySource,
    MqttSource,
    PushSource,
    async_mqtt_ready,
    async_valid_mqtt_topic,
)

CONF_DEVICE = "device"

_TOKEN_SELECTOR = TextSelector(TextSelectorConfig(type=TextSelectorType.PASSWORD))

CONNECTION_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_HOST): TextSelector(TextSelectorConfig(autocomplete="off")),
        vol.Required(CONF_PORT, default=DEFAULT_PORT): cv.port,
        vol.Optional(CONF_TOKEN): _TOKEN_SELECTOR,
    }
)


# How long the flow listens to a source (an MQTT topic) before saying nothing came.
SOURCE_WAIT = 5.0

# The key most JSON gateways use for the code; offered as the form's default.
DEFAULT_CODE_KEY = "error"
# HeishaMon's error topic under its (configurable) base topic; discovery listens for it.
_HEISHAMON_ERROR = "/main/Error"

# Pumps whose gateway firmware only exists for one brand and family.
_PROFILE_MODELS = {
    MqttProfile.HEISHAMON: ("panasonic", "aquarea"),
    MqttProfile.ESPALTHERMA: ("daikin", "altherma"),
}
_PROFILE_PROTOCOLS = {
    MqttProfile.HEISHAMON: Protocol.HEISHAMON,
    MqttProfile.ESPALTHERMA: Protocol.ESPALTHERMA,
    MqttProfile.JSON: Protocol.JSON,
}
_TEXT = TextSelector(TextSelectorConfig(autocomplete="off"))


def _model_selector(catalog: Catalog) -> SelectSelector:
    """Every brand and model family the knowledge base knows, as `brand:family`."""
    return SelectSelector(
        SelectSelectorConfig(
            options=[
                SelectOptionDict(
                    value=f"{brand.slug}:{family.slug}",
                    label=f"{brand.name} - {family.name}",
                )
                for brand in catalog.brands()
                for family in brand.families
            ],
            sort=True,
        )
    )


def _mqtt_data(profile: MqttProfile, user_input: Mapping[str, Any]) -> dict[str, Any]:
    """Build the entry data of an MQTT source from its form (or its discovery)."""
    brand, family = _PROFILE_MODELS.get(profile) or _split_model(user_input[CONF_MODEL])
    data: dict[str, Any] = {
        CONF_SOURCE: SOURCE_MQTT,
        CONF_PROFILE: profile.value,
        CONF_PROTOCOL: _PROFILE_PROTOCOLS[profile].value,
        CONF_TOPIC: user_input[CONF_TOPIC].strip(),
        CONF_BRAND: brand,
        CONF_FAMILY: family,
    }
    for key in (CONF_CODE_KEY, CONF_RUN_HOURS_KEY, CONF_COMPRESSOR_KEY):
        if value := user_input.get(key, "").strip():
            data[key] = value
    return data


def _split_model(model: str) -> tuple[str, str]:
    brand, _, family = model.partition(":")
    return brand, family


def _title(catalog: Catalog, brand: str | None, family: str | None) -> str:
    return " ".join(
        filter(None, (catalog.brand_name(brand), catalog.family_name(brand, family)))
    )


async def _async_first_message(
    source: PushSource,
) -> HeatPumpSnapshot | str | None:
    """Listen to a source briefly: its first snapshot, else its last error text, or None.

    Like set-up, it waits past unreadable messages: a garbled retained topic may come
    before the good ones.
    """
    first: asyncio.Future[HeatPumpSnapshot] = asyncio.get_running_loop().create_future()
    errors: list[str] = []

    def deliver(snapshot: HeatPumpSnapshot) -> None:
        if not first.done():
            first.set_result(snapshot)

    stop = await source.async_start(deliver, errors.append)
    try:
        async with asyncio.timeout(SOURCE_WAIT):
            return await first
    except TimeoutError:
        return errors[-1] if errors else None
    finally:
        stop()


def _connection(user_input: Mapping[str, Any]) -> dict[str, Any]:
    """Keep only the connection fields, with an empty token meaning none."""
    return {
        CONF_HOST: user_input[CONF_HOST].strip(),
        CONF_PORT: user_input[CONF_PORT],
        CONF_TOKEN: user_input.get(CONF_TOKEN) or None,
    }


class HeatPumpCareConfigFlow(ConfigFlow, domain=DOMAIN):
    """Add a heat pump behind a gateway."""

    VERSION = 1

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: ConfigEntry) -> OptionsFlow:
        """Let the owner tune the maintenance tasks."""
        return MaintenanceOptionsFlow()

    # Set by the user step before any later step can run.
    _connection: dict[str, Any]
    _devices: list[GatewayDevice]
    _device: GatewayDevice
    # The last unusable message, shown in the form's error.
    _message_error = ""
    # A topic that stayed silent once; submitting it again adds it anyway.
    _silent_topic: str | None = None
    # Set by MQTT discovery for its confirmation step.
    _discovered: dict[str, Any]
    _discovered_title: str

    async def _async_discover(
        self, connection: dict[str, Any]
    ) -> tuple[list[GatewayDevice], dict[str, str]]:
        """Ask the gateway for its heat pumps; map failures to form errors."""
        client = HeatPumpGatewayClient(
            host=connection[CONF_HOST],
            port=connection[CONF_PORT],
            token=connection[CONF_TOKEN],
            session=async_get_clientsession(self.hass),
        )
        try:
            return await client.async_devices(), {}
        except GatewayHostError:
            return [], {CONF_HOST: "invalid_host"}
        except GatewayConnectionError:
            return [], {CONF_PORT: "cannot_connect"}
        except GatewayAuthenticationError:
            return [], {CONF_TOKEN: "invalid_auth"}
        except GatewayError:
            return [], {"base": "invalid_response"}
        except Exception:  # noqa: BLE001 - the form must show an error, never crash
            LOGGER.exception("Unexpected error talking to the gateway")
            return [], {"base": "unknown"}

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask where the heat pump's data comes from."""
        return self.async_show_menu(
            step_id="user", menu_options=["http", "mqtt_gateway", "entity"]
        )

    async def async_step_http(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask where the gateway is."""
        errors: dict[str, str] = {}
        if user_input is not None:
            connection = _connection(user_input)
            devices, errors = await self._async_discover(connection)
            if not errors:
                if not devices:
                    return self.async_abort(reason="no_devices")
                self._connection, self._devices = connection, devices
                if len(devices) == 1:
                    return await self._async_use_device(devices[0])
                return await self.async_step_device()
        return self.async_show_form(
            step_id="http",
            data_schema=self.add_suggested_values_to_schema(
                CONNECTION_SCHEMA, user_input
            ),
            errors=errors,
        )

    async def async_step_mqtt(
        self, discovery_info: MqttServiceInfo
    ) -> ConfigFlowResult:
        """Offer a HeishaMon or ESPAltherma that announced itself by publishing."""
        topic = discovery_info.topic
        if topic.endswith(_HEISHAMON_ERROR):
            profile, base = MqttProfile.HEISHAMON, topic.removesuffix(_HEISHAMON_ERROR)
        elif topic == DEFAULT_TOPICS[MqttProfile.ESPALTHERMA]:
            profile, base = MqttProfile.ESPALTHERMA, topic
        else:
            return self.async_abort(reason="not_a_gateway")
        await self.async_set_unique_id(f"{profile}:{base}")
        self._abort_if_unique_id_configured()
        self._async_abort_entries_match({CONF_TOPIC: base})
        self._discovered = _mqtt_data(profile, {CONF_TOPIC: base})
        catalog = await self.hass.async_add_executor_job(load_default_catalog)
        brand, family = _PROFILE_MODELS[profile]
        self._discovered_title = _title(catalog, brand, family)
        self.context["title_placeholders"] = {"name": self._discovered_title}
        return await self.async_step_mqtt_confirm()

    async def async_step_mqtt_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask before adding a discovered gateway."""
        if user_input is not None:
            return self.async_create_entry(
                title=self._discovered_title, data=self._discovered
            )
        self._set_confirm_only()
        return self.async_show_form(
            step_id="mqtt_confirm",
            description_placeholders={
                "name": self._discovered_title,
                "topic": self._discovered[CONF_TOPIC],
            },
        )

    async def async_step_mqtt_gateway(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask which gateway firmware publishes the pump's data over MQTT."""
        if not await async_mqtt_ready(self.hass):
            return self.async_abort(reason="mqtt_not_configured")
        return self.async_show_menu(
            step_id="mqtt_gateway",
            menu_options=[f"mqtt_{profile}" for profile in MqttProfile],
        )

    async def async_step_mqtt_heishamon(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """HeishaMon publishes one topic per value under a base topic."""
        return await self._async_step_mqtt_profile(MqttProfile.HEISHAMON, user_input)

    async def async_step_mqtt_espaltherma(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """ESPAltherma publishes one JSON object of labels."""
        return await self._async_step_mqtt_profile(MqttProfile.ESPALTHERMA, user_input)

    async def async_step_mqtt_json(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Any gateway publishing a JSON object with the code under a known key."""
        return await self._async_step_mqtt_profile(MqttProfile.JSON, user_input)

    async def _async_step_mqtt_profile(
        self, profile: MqttProfile, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        catalog = await self.hass.async_add_executor_job(load_default_catalog)
        fields: dict[vol.Marker, Any] = {vol.Required(CONF_TOPIC): _TEXT}
        if profile is MqttProfile.JSON:
            fields |= {
                vol.Required(CONF_CODE_KEY): _TEXT,
                vol.Optional(CONF_RUN_HOURS_KEY): _TEXT,
                vol.Optional(CONF_COMPRESSOR_KEY): _TEXT,
                vol.Required(CONF_MODEL): _model_selector(catalog),
            }
        errors: dict[str, str] = {}
        if user_input is not None:
            data = _mqtt_data(profile, user_input)
            if self.source != SOURCE_RECONFIGURE:
                # The owner may be ahead of a discovery of the same gateway: go on.
                await self.async_set_unique_id(
                    f"{profile}:{data[CONF_TOPIC]}", raise_on_progress=False
                )
                self._abort_if_unique_id_configured()
            errors = await self._async_check_mqtt(data)
            if not errors:
                return self._async_finish_push(
                    data,
                    {CONF_TOPIC: data[CONF_TOPIC]},
                    _title(catalog, data[CONF_BRAND], data[CONF_FAMILY]),
                )
        return self.async_show_form(
            step_id=f"mqtt_{profile}",
            data_schema=self.add_suggested_values_to_schema(
                vol.Schema(fields),
                user_input
                or self._suggested(
                    {
                        CONF_TOPIC: DEFAULT_TOPICS[profile],
                        CONF_CODE_KEY: DEFAULT_CODE_KEY,
                    }
                ),
            ),
            errors=errors,
            description_placeholders={"error": self._message_error},
        )

    async def _async_check_mqtt(self, data: dict[str, Any]) -> dict[str, str]:
        """Listen to the topic briefly; a silent topic is accepted when submitted twice."""
        topic = data[CONF_TOPIC]
        if not await async_valid_mqtt_topic(self.hass, topic):
            return {CONF_TOPIC: "invalid_topic"}
        result = await _async_first_message(MqttSource(self.hass, data, topic))
        if isinstance(result, str):
            self._message_error = result
            return {"base": "invalid_message"}
        if result is None and self._silent_topic != topic:
            self._silent_topic = topic
            return {"base": "no_message"}
        return {}

    async def async_step_entity(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Decode the raw code another integration's sensor already shows."""
        catalog = await self.hass.async_add_executor_job(load_default_catalog)
        errors: dict[str, str] = {}
        if user_input is not None:
            entity_id = user_input[CONF_ENTITY]
            brand, family = _split_model(user_input[CONF_MODEL])
            registered = er.async_get(self.hass).async_get(entity_id)
            data = {
                CONF_SOURCE: SOURCE_ENTITY,
                CONF_PROTOCOL: Protocol.ENTITY.value,
                # The registry ID survives the owner renaming the entity.
                CONF_ENTITY: registered.id if registered else entity_id,
                CONF_BRAND: brand,
                CONF_FAMILY: family,
            }
            result = await _async_first_message(
                EntitySource(self.hass, data, entity_id)
            )
            if isinstance(result, HeatPumpSnapshot):
                return self._async_finish_push(
                    data,
                    {CONF_ENTITY: data[CONF_ENTITY]},
                    _title(catalog, brand, family),
                )
            errors = {CONF_ENTITY: "entity_unavailable"}
        return self.async_show_form(
            step_id="entity",
            data_schema=self.add_suggested_values_to_schema(
                vol.Schema(
                    {
                        vol.Required(CONF_ENTITY): EntitySelector(
                            EntitySelectorConfig(
                                domain=["sensor", "text", "input_text"]
                            )
                        ),
                        vol.Required(CONF_MODEL): _model_selector(catalog),
                    }
                ),
                user_input or self._suggested({}),
            ),
            errors=errors,
        )

    def _suggested(self, defaults: dict[str, Any]) -> dict[str, Any]:
        """Prefill a push source's form: its defaults, or the entry being reconfigured."""
        if self.source != SOURCE_RECONFIGURE:
            return defaults
        data = dict(self._get_reconfigure_entry().data)
        data[CONF_MODEL] = f"{data[CONF_BRAND]}:{data[CONF_FAMILY]}"
        if CONF_ENTITY in data:
            data[CONF_ENTITY] = er.async_resolve_entity_id(
                er.async_get(self.hass), data[CONF_ENTITY]
            )
        return data

    def _async_finish_push(
        self, data: dict[str, Any], match: dict[str, Any], title: str
    ) -> ConfigFlowResult:
        """Create the entry, or update the one being reconfigured."""
        if self.source == SOURCE_RECONFIGURE:
            return self.async_update_reload_and_abort(
                self._get_reconfigure_entry(), data=data
            )
        self._async_abort_entries_match(match)
        return self.async_create_entry(title=title, data=data)

    async def async_step_device(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Let the user pick one of several heat pumps behind the gateway."""
        if user_input is not None:
            device = next(d for d in self._devices if d.id == user_input[CONF_DEVICE])
            return await self._async_use_device(device)
        configured = self._async_current_ids(include_ignore=False)
        options = [
            SelectOptionDict(value=device.id, label=device.name or device.id)
            for device in self._devices
            if device.serial not in configured
        ]
        if not options:
            return self.async_abort(reason="already_configured")
        return self.async_show_form(
            step_id="device",
            data_schema=vol.Schema(
                {
                    vol.Required(CONF_DEVICE): SelectSelector(
                        SelectSelectorConfig(options=options)
                    )
                }
            ),
        )

    async def _async_use_device(self, device: GatewayDevice) -> ConfigFlowResult:
        """Make sure the heat pump is new, then find out how to decode its codes."""
        if device.serial:
            await self.async_set_unique_id(device.serial)
            self._abort_if_unique_id_configured()
        else:
            # Without a serial the gateway's address is the only way to spot a repeat.
            self._async_abort_entries_match(
                {
                    CONF_HOST: self._connection[CONF_HOST],
                    CONF_PORT: self._connection[CONF_PORT],
                }
            )
        self._device = device
        catalog = await self.hass.async_add_executor_job(load_default_catalog)
        if device.brand and any(
            family.slug == device.family for family in catalog.families(device.brand)
        ):
            return self._async_create(catalog, device.brand, device.family)
        return await self.async_step_model()

    async def async_step_model(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for brand and model family when the device does not report them."""
        catalog = await self.hass.async_add_executor_job(load_default_catalog)
        if user_input is not None:
            return self._async_create(catalog, *_split_model(user_input[CONF_MODEL]))
        return self.async_show_form(
            step_id="model",
            data_schema=vol.Schema(
                {vol.Required(CONF_MODEL): _model_selector(catalog)}
            ),
        )

    def _async_create(
        self, catalog: Catalog, brand: str | None, family: str | None
    ) -> ConfigFlowResult:
        device = self._device
        return self.async_create_entry(
            title=device.name or _title(catalog, brand, family),
            data={
                CONF_SOURCE: SOURCE_HTTP,
                **self._connection,
                CONF_DEVICE_ID: device.id,
                CONF_PROTOCOL: device.protocol.value,
                CONF_BRAND: brand,
                CONF_FAMILY: family,
            },
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change where the data comes from; a gateway must still serve the same pump."""
        entry = self._get_reconfigure_entry()
        if entry.data.get(CONF_SOURCE) == SOURCE_MQTT:
            return await self._async_step_mqtt_profile(
                MqttProfile(entry.data[CONF_PROFILE])
            )
        if entry.data.get(CONF_SOURCE) == SOURCE_ENTITY:
            return await self.async_step_entity()
        errors: dict[str, str] = {}
        if user_input is not None:
            connection = _connection(user_input)
            devices, errors = await self._async_discover(connection)
            if not errors:
                # Several pumps may share a gateway: prefer the one this entry is for.
                matching = [
                    d for d in devices if d.serial == entry.unique_id
                ] or devices
                if not matching:
                    return self.async_abort(reason="no_devices")
                device = matching[0]
                await self.async_set_unique_id(device.serial)
                self._abort_if_unique_id_mismatch(reason="wrong_device")
                return self.async_update_reload_and_abort(
                    entry, data_updates={**connection, CONF_DEVICE_ID: device.id}
                )
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self.add_suggested_values_to_schema(
                CONNECTION_SCHEMA, user_input or entry.data
            ),
            errors=errors,
        )

    async def async_step_reauth(
        self, entry_data: Mapping[str, Any]
    ) -> ConfigFlowResult:
        """Start re-authentication after the gateway rejected the token."""
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for a new access token."""
        entry = self._get_reauth_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            connection = _connection(
                {**entry.data, CONF_TOKEN: user_input.get(CONF_TOKEN)}
            )
            _, errors = await self._async_discover(connection)
            if not errors:
                return self.async_update_reload_and_abort(
                    entry, data_updates={CONF_TOKEN: connection[CONF_TOKEN]}
                )
        return self.async_show_form(
            step_id="reauth_confirm",
            data_schema=vol.Schema({vol.Optional(CONF_TOKEN): _TOKEN_SELECTOR}),
            description_placeholders={"host": entry.data[CONF_HOST]},
            errors=errors,
        )
