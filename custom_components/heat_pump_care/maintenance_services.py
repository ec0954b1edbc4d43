"""Maintenance actions: complete_task and snooze_task, registered once for the integration."""

from __future__ import annotations

from homeassistant.const import ATTR_DEVICE_ID
from homeassistant.core import HomeAssistant, ServiceCall, callback
from homeassistant.helpers import config_validation as cv
from homeassistant.util import dt as dt_util
import voluptuous as vol

from .const import DOMAIN
from .maintenance_manager import MaintenanceManager
from .services import coordinator_for_device

ATTR_TASK = "task"
ATTR_DATE = "date"
ATTR_NOTE = "note"
ATTR_DURATION = "duration"

SERVICE_COMPLETE_TASK = "complete_task"
SERVICE_SNOOZE_TASK = "snooze_task"

# Task ids stay plain strings here so an unknown one gets a translated, helpful error.
COMPLETE_TASK_SCHEMA = vol.Schema(
    {
        vol.Required(ATTR_DEVICE_ID): cv.string,
        vol.Required(ATTR_TASK): cv.string,
        vol.Optional(ATTR_DATE): cv.datetime,
        vol.Optional(ATTR_NOTE): cv.string,
    }
)
SNOOZE_TASK_SCHEMA = vol.Schema(
    {
        vol.Required(ATTR_DEVICE_ID): cv.string,
        vol.Required(ATTR_TASK): cv.string,
        vol.Required(ATTR_DURATION): cv.positive_time_period,
    }
)


def _manager(call: ServiceCall) -> MaintenanceManager:
    """Return the maintenance of the heat pump the call names."""
    return coordinator_for_device(call.hass, call.data[ATTR_DEVICE_ID]).maintenance


async def _async_complete_task(call: ServiceCall) -> None:
    """Record a task as done, now or on an earlier date."""
    done = call.data.get(ATTR_DATE)
    await _manager(call).async_complete(
        call.data[ATTR_TASK],
        # A date without a time zone is the owner's local time.
        done=dt_util.as_utc(done) if done else None,
        note=call.data.get(ATTR_NOTE),
    )


async def _async_snooze_task(call: ServiceCall) -> None:
    """Postpone a task's reminder."""
    await _manager(call).async_snooze(call.data[ATTR_TASK], call.data[ATTR_DURATION])


@callback
def async_setup_maintenance_services(hass: HomeAssistant) -> None:
    """Register the maintenance actions."""
    hass.services.async_register(
        DOMAIN, SERVICE_COMPLETE_TASK, _async_complete_task, schema=COMPLETE_TASK_SCHEMA
    )
    hass.services.async_register(
        DOMAIN, SERVICE_SNOOZE_TASK, _async_snooze_task, schema=SNOOZE_TASK_SCHEMA
    )
