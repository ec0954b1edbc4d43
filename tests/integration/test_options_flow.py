"""Options: enable, disable and tune each maintenance task."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from pytest_homeassistant_custom_component.common import MockConfigEntry
import voluptuous as vol

from custom_components.heat_pump_care.maintenance import PRESETS
from tests.helpers import state_of

FILTERS = "sensor.aquarea_clean_air_filters"


def _defaults(schema: vol.Schema | None) -> dict[str, dict[str, object]]:
    """Each section's fields with the defaults the form shows."""
    assert schema is not None
    return {
        str(key): {str(field): field.default() for field in value.schema.schema}
        for key, value in schema.schema.items()
    }


async def test_options_change_tasks_and_reload(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Saving the options reloads the entry with the new intervals and tasks."""
    result = await hass.config_entries.options.async_init(init_integration.entry_id)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "init"
    shown = _defaults(result["data_schema"])
    assert set(shown) == {preset.id for preset in PRESETS}
    assert shown["clean_filters"] == {
        "enabled": True,
        "interval_days": 90,
        "run_hours": 500,
        "lead_days": 7,
    }
    # Calendar-only tasks do not offer a run-hour interval.
    assert "run_hours" not in shown["inspect_wiring"]

    user_input = {**shown}
    user_input["clean_filters"] = {**shown["clean_filters"], "interval_days": 60}
    user_input["clean_coil"] = {**shown["clean_coil"], "enabled": False}
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], user_input
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert init_integration.options["clean_filters"]["interval_days"] == 60
    filters = state_of(hass, FILTERS)
    assert filters.attributes["interval_days"] == 60
    assert hass.states.get("sensor.aquarea_clean_outdoor_coil") is None

    # The form opens again with what was saved.
    result = await hass.config_entries.options.async_init(init_integration.entry_id)
    shown = _defaults(result["data_schema"])
    assert shown["clean_filters"]["interval_days"] == 60
    assert shown["clean_coil"]["enabled"] is False
