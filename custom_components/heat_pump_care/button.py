"""Buttons: mark a maintenance task done in one tap."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from homeassistant.components.button import ButtonEntity, ButtonEntityDescription
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import HeatPumpCareConfigEntry
from .entity import HeatPumpCareEntity
from .maintenance import PRESETS, TaskPreset

PARALLEL_UPDATES = 1


@dataclass(frozen=True, kw_only=True)
class MaintenanceButtonDescription(ButtonEntityDescription):
    """Describes the "done" button of one task."""

    task: TaskPreset


BUTTONS: tuple[MaintenanceButtonDescription, ...] = tuple(
    MaintenanceButtonDescription(
        key=f"maintenance_{preset.id}_done", translation_key=preset.id, task=preset
    )
    for preset in PRESETS
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: HeatPumpCareConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Create a button for each enabled task that applies to the heat pump."""
    coordinator = entry.runtime_data
    async_add_entities(
        MaintenanceDoneButton(coordinator, description)
        for description in BUTTONS
        if coordinator.maintenance.tracker.task(description.task.id)
    )


class MaintenanceDoneButton(HeatPumpCareEntity, ButtonEntity):
    """Records the task as done now and restarts its interval."""

    entity_description: MaintenanceButtonDescription

    def _now_shown(self) -> Any:
        # A button's state is when it was last pressed, which Home Assistant writes.
        return self.available

    async def async_press(self) -> None:
        """Mark the task done."""
        await self.coordinator.maintenance.async_complete(
            self.entity_description.task.id
        )
