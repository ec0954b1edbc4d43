"""Options: which maintenance tasks to track and how often."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigFlowResult, OptionsFlow
from homeassistant.data_entry_flow import section
from homeassistant.helpers.selector import (
    BooleanSelector,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
)
import voluptuous as vol

from .maintenance import PRESETS, TaskPreset, TaskSettings, settings_from_options

CONF_ENABLED = "enabled"
CONF_INTERVAL_DAYS = "interval_days"
CONF_RUN_HOURS = "run_hours"
CONF_LEAD_DAYS = "lead_days"


def _number(maximum: int, unit: str, minimum: int = 0) -> NumberSelector:
    return NumberSelector(
        NumberSelectorConfig(
            min=minimum,
            max=maximum,
            step=1,
            mode=NumberSelectorMode.BOX,
            unit_of_measurement=unit,
        )
    )


def _task_schema(preset: TaskPreset, current: TaskSettings) -> vol.Schema:
    fields: dict[vol.Marker, Any] = {
        vol.Required(CONF_ENABLED, default=current.enabled): BooleanSelector(),
        vol.Required(CONF_INTERVAL_DAYS, default=current.interval_days): vol.All(
            _number(1825, "d", minimum=1), vol.Coerce(int)
        ),
    }
    # Run time only wears some parts; the others keep to the calendar.
    if preset.run_hours is not None:
        fields[vol.Required(CONF_RUN_HOURS, default=current.run_hours or 0)] = vol.All(
            _number(20000, "h"), vol.Coerce(int)
        )
    fields[vol.Required(CONF_LEAD_DAYS, default=current.lead_days)] = vol.All(
        _number(90, "d"), vol.Coerce(int)
    )
    return vol.Schema(fields)


class MaintenanceOptionsFlow(OptionsFlow):
    """Enable or disable each task and set its intervals and reminder time."""

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show every task in its own section."""
        if user_input is not None:
            # Reload rather than an update listener: the config flow already reloads.
            self.hass.config_entries.async_schedule_reload(self.config_entry.entry_id)
            return self.async_create_entry(data=user_input)
        current = settings_from_options(self.config_entry.options)
        schema = vol.Schema(
            {
                vol.Required(preset.id.value): section(
                    _task_schema(preset, current[preset.id]), {"collapsed": True}
                )
                for preset in PRESETS
            }
        )
        return self.async_show_form(step_id="init", data_schema=schema)
