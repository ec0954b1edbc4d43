"""Config flow: find a heat pump behind a gateway and decide how to decode its codes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.config_entries import (
    ConfigEntry,
    ConfigFlow,
    ConfigFlowResult,
    OptionsFlow,
)
from homeassistant.const import CONF_HOST, CONF_PORT, CONF_TOKEN
from homeassistant.core import callback
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.selector import (
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)
import voluptuous as vol

from .client import (
    GatewayAuthenticationError,
    GatewayConnectionError,
    GatewayDevice,
    GatewayError,
    GatewayHostError,
    HeatPumpGatewayClient,
)
from .const import (
    CONF_BRAND,
    CONF_DEVICE_ID,
    CONF_FAMILY,
    CONF_MODEL,
    CONF_PROTOCOL,
    DEFAULT_PORT,
    DOMAIN,
    LOGGER,
)
from .knowledge import Catalog, load_default_catalog
from .options_flow import MaintenanceOptionsFlow

CONF_DEVICE = "device"

_TOKEN_SELECTOR = TextSelector(TextSelectorConfig(type=TextSelectorType.PASSWORD))

CONNECTION_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_HOST): TextSelector(TextSelectorConfig(autocomplete="off")),
        vol.Required(CONF_PORT, default=DEFAULT_PORT): cv.port,
        vol.Optional(CONF_TOKEN): _TOKEN_SELECTOR,
    }
)


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
            step_id="user",
            data_schema=self.add_suggested_values_to_schema(
                CONNECTION_SCHEMA, user_input
            ),
            errors=errors,
        )

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
            brand, _, family = user_input[CONF_MODEL].partition(":")
            return self._async_create(catalog, brand, family)
        options = [
            SelectOptionDict(
                value=f"{brand.slug}:{family.slug}",
                label=f"{brand.name} - {family.name}",
            )
            for brand in catalog.brands()
            for family in brand.families
        ]
        return self.async_show_form(
            step_id="model",
            data_schema=vol.Schema(
                {
                    vol.Required(CONF_MODEL): SelectSelector(
                        SelectSelectorConfig(options=options, sort=True)
                    )
                }
            ),
        )

    def _async_create(
        self, catalog: Catalog, brand: str | None, family: str | None
    ) -> ConfigFlowResult:
        device = self._device
        title = device.name or " ".join(
            filter(
                None, (catalog.brand_name(brand), catalog.family_name(brand, family))
            )
        )
        return self.async_create_entry(
            title=title,
            data={
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
        """Change where the gateway is; it must still serve the same heat pump."""
        entry = self._get_reconfigure_entry()
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
