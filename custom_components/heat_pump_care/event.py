"""Event entity announcing faults as they are raised and cleared."""

from __future__ import annotations

from homeassistant.components.event import EventEntity, EventEntityDescription
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .const import EVENT_FAULT_CLEARED, EVENT_FAULT_RAISED
from .coordinator import HeatPumpCareConfigEntry, HeatPumpCareData
from .entity import HeatPumpCareEntity
from .faults import DecodedFault

PARALLEL_UPDATES = 0

FAULT_EVENT = EventEntityDescription(
    key="fault_event",
    translation_key="fault",
    event_types=[EVENT_FAULT_RAISED, EVENT_FAULT_CLEARED],
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: HeatPumpCareConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Create the fault event entity."""
    async_add_entities([HeatPumpFaultEvent(entry.runtime_data, FAULT_EVENT)])


def _event_data(item: DecodedFault) -> dict[str, str | bool]:
    return {
        "code": item.code,
        "title": item.info.title,
        "severity": item.info.severity,
        "technician_required": item.info.technician_required,
    }


class HeatPumpFaultEvent(HeatPumpCareEntity, EventEntity):
    """Fires fault_raised and fault_cleared."""

    _handled: HeatPumpCareData | None = None

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
