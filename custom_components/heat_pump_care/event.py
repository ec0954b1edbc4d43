"""Event entity announcing faults as they are raised and cleared."""

from __future__ import annotations

from typing import Any

from homeassistant.components.event import EventEntity, EventEntityDescription
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .const import EVENT_FAULT_CLEARED, EVENT_FAULT_RAISED, EVENT_MAINTENANCE_DUE
from .coordinator import HeatPumpCareConfigEntry, HeatPumpCareData
from .entity import HeatPumpCareEntity
from .faults import DecodedFault
from .maintenance import TaskStatus

PARALLEL_UPDATES = 0

FAULT_EVENT = EventEntityDescription(
    key="fault_event",
    translation_key="fault",
    event_types=[EVENT_FAULT_RAISED, EVENT_FAULT_CLEARED, EVENT_MAINTENANCE_DUE],
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: HeatPumpCareConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Create the fault event entity."""
    async_add_entities([HeatPumpFaultEvent(entry.runtime_data, FAULT_EVENT)])


def _event_data(item: DecodedFault) -> dict[str, Any]:
    info = item.info
    return {
        "code": item.code,
        "title": info.title,
        "severity": info.severity.value,
        "component": info.component,
        "technician_required": info.technician_required,
        "brand": info.brand,
        "family": info.family,
        "known": info.found,
        "meaning": info.meaning,
        "steps": [step.text for step in info.steps],
        "tell_technician": info.tell_technician,
    }


def _maintenance_data(status: TaskStatus) -> dict[str, Any]:
    return {
        "task": status.id.value,
        "title": status.preset.title,
        "state": status.state.value,
        "reason": status.reason.value,
        "due": status.due.isoformat(),
        "technician_required": status.preset.technician,
        "fault_code": status.fault_code,
    }


class HeatPumpFaultEvent(HeatPumpCareEntity, EventEntity):
    """Fires fault_raised and fault_cleared, and maintenance_due when a task comes due."""

    # Texts for notifications; the recorder needs only what identifies the fault.
    _unrecorded_attributes = frozenset({"meaning", "steps", "tell_technician"})

    _handled: HeatPumpCareData | None = None

    async def async_added_to_hass(self) -> None:
        """Listen for maintenance tasks coming due."""
        await super().async_added_to_hass()
        self.async_on_remove(
            self.coordinator.maintenance.async_add_due_listener(self._handle_due)
        )

    @callback
    def _handle_due(self, status: TaskStatus) -> None:
        self._trigger_event(EVENT_MAINTENANCE_DUE, _maintenance_data(status))
        self.async_write_ha_state()

    def _now_shown(self) -> Any:
        # Each event writes the state itself; an update otherwise changes only availability.
        return self.available

    @callback
    def _handle_coordinator_update(self) -> None:
        data = self.coordinator.data
        # Listeners also run after a failed poll, with the previous data: fire only once.
        if data is not self._handled:
            self._handled = data
            events = [(EVENT_FAULT_CLEARED, item) for item in data.changes.cleared]
            events += [(EVENT_FAULT_RAISED, item) for item in data.changes.raised]
            for event_type, item in events:
                self._trigger_event(event_type, _event_data(item))
                # One state write per event, or automations would see only the last one.
                self.async_write_ha_state()
        super()._handle_coordinator_update()
