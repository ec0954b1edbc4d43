"""Heat Pump Care: decoded heat pump faults, repair steps and maintenance."""

from __future__ import annotations

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.typing import ConfigType

from .const import DOMAIN
from .coordinator import HeatPumpCareConfigEntry, HeatPumpCareCoordinator
from .history_store import async_remove_history
from .knowledge import load_default_catalog
from .maintenance_manager import async_remove_maintenance
from .maintenance_services import async_setup_maintenance_services
from .repairs import async_setup_fault_issues
from .services import async_setup_services

PLATFORMS: list[Platform] = [
    Platform.BINARY_SENSOR,
    Platform.BUTTON,
    Platform.CALENDAR,
    Platform.EVENT,
    Platform.SENSOR,
    Platform.TODO,
]

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the actions once, whether or not a heat pump is set up."""
    async_setup_services(hass)
    async_setup_maintenance_services(hass)
    return True


async def async_setup_entry(
    hass: HomeAssistant, entry: HeatPumpCareConfigEntry
) -> bool:
    """Set up one heat pump from a config entry."""
    # Reading and validating the data files is blocking I/O: keep it off the event loop.
    catalog = await hass.async_add_executor_job(load_default_catalog)
    coordinator = HeatPumpCareCoordinator(hass, entry, catalog)
    await coordinator.async_config_entry_first_refresh()
    coordinator.maintenance.async_remove_inactive_entities()
    entry.runtime_data = coordinator
    await async_setup_fault_issues(hass, entry)
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    return True


async def async_unload_entry(
    hass: HomeAssistant, entry: HeatPumpCareConfigEntry
) -> bool:
    """Unload a config entry."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_remove_entry(
    hass: HomeAssistant, entry: HeatPumpCareConfigEntry
) -> None:
    """Forget a removed heat pump's fault and maintenance history."""
    await async_remove_history(hass, entry.entry_id)
    await async_remove_maintenance(hass, entry.entry_id)
