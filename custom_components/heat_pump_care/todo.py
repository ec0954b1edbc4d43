"""To-do list: each maintenance task is an item; ticking it records the job as done."""

from __future__ import annotations

from typing import Any

from homeassistant.components.todo import TodoItem, TodoListEntity
from homeassistant.components.todo.const import TodoItemStatus, TodoListEntityFeature
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .const import DOMAIN
from .coordinator import HeatPumpCareConfigEntry
from .entity import HeatPumpCareEntity
from .maintenance import task_steps
from .maintenance_manager import due_day

PARALLEL_UPDATES = 1

MAINTENANCE_TODO = EntityDescription(key="maintenance", translation_key="maintenance")


async def async_setup_entry(
    hass: HomeAssistant,
    entry: HeatPumpCareConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Create the maintenance to-do list."""
    async_add_entities([MaintenanceTodoList(entry.runtime_data, MAINTENANCE_TODO)])


class MaintenanceTodoList(HeatPumpCareEntity, TodoListEntity):
    """The heat pump's maintenance tasks with their due dates and the guide's steps."""

    # Items are the tasks themselves: they can be ticked, not added, renamed or deleted.
    _attr_supported_features = TodoListEntityFeature.UPDATE_TODO_ITEM

    @property
    def todo_items(self) -> list[TodoItem]:
        """One item per task; always open, since a done task restarts its interval."""
        catalog = self.coordinator.catalog
        return [
            TodoItem(
                uid=status.id,
                summary=status.preset.title,
                status=TodoItemStatus.NEEDS_ACTION,
                due=due_day(status),
                description=task_steps(catalog, status.preset),
            )
            for status in self.coordinator.maintenance.statuses()
        ]

    def _now_shown(self) -> Any:
        # The to-do card reads the items, not only the state (how many there are); an
        # item changes only with its due day, the rest comes from the task itself.
        return (self.available, *self.coordinator.maintenance.due_days())

    async def async_update_todo_item(self, item: TodoItem) -> None:
        """Ticking an item completes its task; nothing else about it can change."""
        if item.status != TodoItemStatus.COMPLETED or item.uid is None:
            raise ServiceValidationError(
                translation_domain=DOMAIN, translation_key="todo_item_not_editable"
            )
        await self.coordinator.maintenance.async_complete(item.uid)
