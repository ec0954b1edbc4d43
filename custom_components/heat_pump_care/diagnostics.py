"""Diagnostics: what the gateway reported and how it was decoded."""

from __future__ import annotations

from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import CONF_HOST, CONF_TOKEN
from homeassistant.core import HomeAssistant

from .coordinator import HeatPumpCareConfigEntry

TO_REDACT = {CONF_HOST, CONF_TOKEN, "serial"}


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: HeatPumpCareConfigEntry
) -> dict[str, Any]:
    """Return diagnostics for a config entry."""
    data = entry.runtime_data.data
    return {
        "entry": async_redact_data(dict(entry.data), TO_REDACT),
        "snapshot": async_redact_data(data.snapshot.to_dict(), TO_REDACT),
        "faults": [item.info.to_dict() for item in data.faults],
        "fault_history": entry.runtime_data.history.as_dict(),
        "options": dict(entry.options),
        "maintenance": entry.runtime_data.maintenance.tracker.to_dict(),
    }
