"""Actions of Heat Pump Care, registered once for the whole integration."""

from __future__ import annotations

from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv
import voluptuous as vol

from .const import DOMAIN
from .knowledge import load_default_catalog, slugify

ATTR_BRAND = "brand"
ATTR_FAMILY = "family"
ATTR_CODE = "code"

SERVICE_LOOKUP_CODE = "lookup_code"

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
