"""Heat Pump Care: decoded heat pump faults, repair steps and maintenance."""

from __future__ import annotations

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.typing import ConfigType

from .const import DOMAIN
from .coordinator import HeatPumpCareConfigEntry, HeatPumpCareCoordinator
from .knowledge import load_default_catalog
from .services import async_setup_services

PLATFORMS: list[Platform] = [Platform.BINARY_SENSOR, Platform.EVENT, Platform.SENSOR]

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the actions once, whether or not a heat pump is set up."""
    async_setup_services(hass)
    return True


async def async_setup_entry(
    hass: HomeAssistant, entry: HeatPumpCareConfigEntry
) -> bool:
    """Set up one heat pump from a config entry."""
    # Reading and validating the data files is blocking I/O: keep it off the event loop.
    catalog = await hass.async_add_executor_job(load_default_catalog)
    coordinator = HeatPumpCareCoordinator(hass, entry, catalog)
    await coordinator.async_config_entry_first_refresh()
    entry.runtime_data = coordinator
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    return True


async def async_unload_entry(
    hass: HomeAssistant, entry: HeatPumpCareConfigEntry
) -> bool:
    """Unload a config entry."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)
