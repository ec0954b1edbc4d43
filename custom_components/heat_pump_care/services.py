"""Actions of Heat Pump Care, registered once for the whole integration."""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import ATTR_DEVICE_ID
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv, device_registry as dr
import voluptuous as vol

from .const import DOMAIN
from .coordinator import HeatPumpCareConfigEntry, HeatPumpCareCoordinator
from .fault_actions import acknowledge_fault, async_reset_faults
from .knowledge import load_default_catalog, slugify

ATTR_BRAND = "brand"
ATTR_FAMILY = "family"
ATTR_CODE = "code"

SERVICE_LOOKUP_CODE = "lookup_code"
SERVICE_ACKNOWLEDGE_FAULT = "acknowledge_fault"
SERVICE_RESET_FAULT = "reset_fault"

LOOKUP_CODE_SCHEMA = vol.Schema(
    {
        vol.Required(ATTR_BRAND): cv.string,
        vol.Required(ATTR_CODE): vol.All(vol.Coerce(str), cv.string),
        vol.Optional(ATTR_FAMILY): cv.string,
    }
)


async def _async_lookup_code(call: ServiceCall) -> ServiceResponse:
    """Explain any code of any brand, for automations and voice assistants."""
    catalog = await call.hass.async_add_executor_job(load_default_catalog)
    brand = catalog.brand(call.data[ATTR_BRAND])
    if brand is None:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="unknown_brand",
            translation_placeholders={
                "brand": call.data[ATTR_BRAND],
                "brands": ", ".join(known.slug for known in catalog.brands()),
            },
        )
    family = call.data.get(ATTR_FAMILY)
    if family is not None and slugify(family) not in {f.slug for f in brand.families}:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="unknown_family",
            translation_placeholders={
                "family": family,
                "brand": brand.name,
                "families": ", ".join(known.slug for known in brand.families),
            },
        )
    return catalog.lookup(brand.slug, family, call.data[ATTR_CODE]).to_dict()


DEVICE_SCHEMA = vol.Schema({vol.Required(ATTR_DEVICE_ID): cv.string})
ACKNOWLEDGE_FAULT_SCHEMA = DEVICE_SCHEMA.extend(
    {vol.Optional(ATTR_CODE): vol.All(vol.Coerce(str), cv.string)}
)


def coordinator_for_device(
    hass: HomeAssistant, device_id: str
) -> HeatPumpCareCoordinator:
    """Find the coordinator of a heat pump device picked in an action."""
    device = dr.async_get(hass).async_get(device_id)
    entries: list[HeatPumpCareConfigEntry] = [
        entry
        for entry in hass.config_entries.async_entries(DOMAIN)
        if device is not None and entry.entry_id in device.config_entries
    ]
    if not entries:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="unknown_device",
            translation_placeholders={"device": device_id},
        )
    if entries[0].state is not ConfigEntryState.LOADED:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="device_not_loaded",
            translation_placeholders={"device": entries[0].title},
        )
    return entries[0].runtime_data


async def _async_acknowledge_fault(call: ServiceCall) -> None:
    """Mark a fault as seen: its repair issue goes away until it is raised again."""
    coordinator = coordinator_for_device(call.hass, call.data[ATTR_DEVICE_ID])
    acknowledge_fault(coordinator, call.data.get(ATTR_CODE))


async def _async_reset_fault(call: ServiceCall) -> None:
    """Clear the heat pump's faults on the device, where its gateway can."""
    coordinator = coordinator_for_device(call.hass, call.data[ATTR_DEVICE_ID])
    await async_reset_faults(coordinator)


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the integration's actions."""
    hass.services.async_register(
        DOMAIN,
        SERVICE_LOOKUP_CODE,
        _async_lookup_code,
        schema=LOOKUP_CODE_SCHEMA,
        supports_response=SupportsResponse.ONLY,
    )
    hass.services.async_register(
        DOMAIN,
        SERVICE_ACKNOWLEDGE_FAULT,
        _async_acknowledge_fault,
        schema=ACKNOWLEDGE_FAULT_SCHEMA,
    )
    hass.services.async_register(
        DOMAIN, SERVICE_RESET_FAULT, _async_reset_fault, schema=DEVICE_SCHEMA
    )
