"""Calendar: the next due date of every maintenance task."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from homeassistant.components.calendar import CalendarEntity, CalendarEvent
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util import dt as dt_util

from .coordinator import HeatPumpCareConfigEntry
from .entity import HeatPumpCareEntity
from .maintenance import TaskStatus, task_steps
from .maintenance_manager import due_day

PARALLEL_UPDATES = 0

MAINTENANCE_CALENDAR = EntityDescription(
    key="maintenance", translation_key="maintenance"
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: HeatPumpCareConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Create the maintenance calendar."""
    async_add_entities([MaintenanceCalendar(entry.runtime_data, MAINTENANCE_CALENDAR)])


class MaintenanceCalendar(HeatPumpCareEntity, CalendarEntity):
    """All-day events on the days tasks are due."""

    def _events(self) -> list[CalendarEvent]:
        return sorted(
            (self._event(status) for status in self.coordinator.maintenance.statuses()),
            key=lambda event: event.start_datetime_local,
        )

    def _event(self, status: TaskStatus) -> CalendarEvent:
        day = due_day(status)
        return CalendarEvent(
            start=day,
            end=day + timedelta(days=1),
            summary=status.preset.title,
            description=task_steps(self.coordinator.catalog, status.preset),
            uid=status.id,
        )

    # The event, worked out once per update: Home Assistant reads it several times
    # per state write. It is worked out again once it has ended.
    _next_event: CalendarEvent | None = None
    _next_event_known = False

    @callback
    def _handle_coordinator_update(self) -> None:
        self._next_event_known = False
        super()._handle_coordinator_update()

    def _now_shown(self) -> Any:
        # Events start and end by the clock; the calendar entity schedules those writes
        # itself, so an update only matters when a due day moved.
        return (self.available, *self.coordinator.maintenance.due_days())

    @property
    def event(self) -> CalendarEvent | None:
        """The current or next due date."""
        now = dt_util.now()
        cached = self._next_event
        if self._next_event_known and (
            cached is None or cached.end_datetime_local > now
        ):
            return cached
        self._next_event = self._find_event(now)
        self._next_event_known = True
        return self._next_event

    def _find_event(self, now: datetime) -> CalendarEvent | None:
        """Only the chosen task becomes an event (with its steps), not every task."""
        current = [
            (day, status)
            for status in self.coordinator.maintenance.statuses()
            # An all-day event ends at the start of the next local day.
            if dt_util.start_of_local_day((day := due_day(status)) + timedelta(days=1))
            > now
        ]
        if not current:
            return None
        # The earliest day; on a tie the first task, as sorting the events would give.
        day, status = min(current, key=lambda item: item[0])
        # Its steps make the event costly to build: keep it while the task and day hold.
        cached = self._next_event
        if cached is not None and (cached.uid, cached.start) == (status.id, day):
            return cached
        return self._event(status)

    async def async_get_events(
        self, hass: HomeAssistant, start_date: datetime, end_date: datetime
    ) -> list[CalendarEvent]:
        """Due dates between start and end."""
        return [
            event
            for event in self._events()
            if event.start_datetime_local < end_date
            and event.end_datetime_local > start_date
        ]
