"""One heat pump's maintenance inside Home Assistant: the clock, saving and listeners."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import entity_registry as er, issue_registry as ir
from homeassistant.util import dt as dt_util

from .client import HeatPumpState
from .const import DOMAIN
from .faults import DecodedFault
from .maintenance import (
    PRESETS,
    PRESETS_BY_ID,
    MaintenanceTracker,
    TaskId,
    TaskPreset,
    TaskStatus,
    next_state_change,
    settings_from_options,
)
from .maintenance_store import MaintenanceStore, async_load_tracker, issue_id

# Counted run hours change with every poll; Home Assistant writes pending data on shutdown.
SAVE_DELAY = 60
# Statuses are worked out again when their inputs change or a task changes state, else at
# most this often: only the countdowns (days remaining, a due date projected from run
# hours) move in between, and they may lag by this much.
STATUS_REUSE = timedelta(minutes=1)

type DueListener = Callable[[TaskStatus], None]


class MaintenanceManager:
    """Keeps one heat pump's maintenance tracker current, saved and announced.

    Public API for other platforms: ``statuses()``, ``due_tasks()`` and
    ``async_add_due_listener(listener)``, which calls ``listener(status)`` once each time
    a task becomes due (not for tasks already due when Home Assistant starts).
    """

    def __init__(
        self,
        hass: HomeAssistant,
        entry_id: str,
        title: str,
        options: dict[str, Any],
        on_change: CALLBACK_TYPE,
    ) -> None:
        """Prepare the manager; async_load reads the stored history."""
        self._hass = hass
        self._entry_id = entry_id
        self._title = title
        self._store = MaintenanceStore(hass, entry_id)
        self._on_change = on_change
        self._due_listeners: list[DueListener] = []
        self.tracker = MaintenanceTracker(settings=settings_from_options(options))
        self._statuses: _Statuses | None = None

    async def async_load(self) -> None:
        """Read the stored history (or start afresh if it is unreadable)."""
        self.tracker = await async_load_tracker(
            self._hass, self._store, self.tracker.settings, self._title
        )
        self._statuses = None

    @callback
    def async_remove_inactive_entities(self) -> None:
        """Drop entities of tasks switched off or not applying, rather than leave them unavailable."""
        active = {preset.id for preset in self.tracker.tasks()}
        registry = er.async_get(self._hass)
        for entity in er.async_entries_for_config_entry(registry, self._entry_id):
            # Task entities' unique IDs end in maintenance_<task> (buttons add _done).
            _, found, task = entity.unique_id.partition("_maintenance_")
            task = task.removesuffix("_done")
            if found and task in PRESETS_BY_ID and task not in active:
                registry.async_remove(entity.entity_id)

    @callback
    def async_update(
        self, state: HeatPumpState, faults: Iterable[DecodedFault]
    ) -> None:
        """Take in a new snapshot."""
        now = dt_util.utcnow()
        self.tracker.update(state, faults, now)
        self._store.async_delay_save(self.tracker.to_dict, SAVE_DELAY)
        self._announce(now)

    def statuses(self) -> list[TaskStatus]:
        """Every enabled task that applies to this heat pump."""
        return self._current().statuses

    def due_days(self) -> list[tuple[TaskId, date]]:
        """Each task's next due day (local): all the to-do list and calendar derive from.

        A due date projected from run hours moves a little with every poll; only a new day
        changes what they show.
        """
        return self._current().due_days

    def _current(self) -> _Statuses:
        now = dt_util.utcnow()
        inputs = self.tracker.inputs()
        cached = self._statuses
        if (
            cached is None
            or cached.inputs != inputs
            or not cached.since <= now < cached.until
        ):
            statuses = self.tracker.statuses(now)
            until = now + STATUS_REUSE
            change = next_state_change(statuses, now)
            cached = self._statuses = _Statuses(
                inputs=inputs,
                since=now,
                until=min(until, change) if change else until,
                statuses=statuses,
                by_id={status.id: status for status in statuses},
                due_days=[(status.id, due_day(status)) for status in statuses],
            )
        return cached

    def status(self, preset: TaskPreset) -> TaskStatus:
        """One task now."""
        status = self._current().by_id.get(preset.id)
        return status or self.tracker.status(preset, dt_util.utcnow())

    def due_tasks(self) -> list[TaskStatus]:
        """Tasks due or overdue now."""
        return [status for status in self.statuses() if status.is_due]

    @callback
    def async_add_due_listener(self, listener: DueListener) -> CALLBACK_TYPE:
        """Call listener(status) whenever a task becomes due; returns the unsubscribe."""
        self._due_listeners.append(listener)
        return lambda: self._due_listeners.remove(listener)

    def task(self, task_id: str) -> TaskPreset:
        """Return an active task by id, or raise a translated error the user can act on."""
        if task_id not in PRESETS_BY_ID:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="unknown_task",
                translation_placeholders={
                    "task": task_id,
                    "tasks": ", ".join(preset.id for preset in PRESETS),
                },
            )
        preset = self.tracker.task(task_id)
        if preset is None:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="task_not_active",
                translation_placeholders={"task": task_id, "device": self._title},
            )
        return preset

    async def async_complete(
        self, task_id: str, *, done: datetime | None = None, note: str | None = None
    ) -> None:
        """Record a task as done and restart its interval."""
        preset = self.task(task_id)
        now = dt_util.utcnow()
        if done is not None and done > now:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="date_in_future",
                translation_placeholders={"date": done.isoformat()},
            )
        self.tracker.complete(preset.id, now, done=done, note=note)
        await self._async_changed(now)

    async def async_snooze(self, task_id: str, duration: timedelta) -> None:
        """Postpone a task's reminder."""
        preset = self.task(task_id)
        now = dt_util.utcnow()
        self.tracker.snooze(preset.id, now + duration)
        await self._async_changed(now)

    async def async_flush(self) -> None:
        """Write pending changes now (before an unload, so a reload reads them)."""
        await self._store.async_save(self.tracker.to_dict())

    async def _async_changed(self, now: datetime) -> None:
        await self._store.async_save(self.tracker.to_dict())
        self._announce(now)
        self._on_change()

    def _announce(self, now: datetime) -> None:
        for status in self.tracker.newly_due(now, self.statuses()):
            for listener in list(self._due_listeners):
                listener(status)


def due_day(status: TaskStatus) -> date:
    """Return the local day a task is due: the to-do list and calendar show days."""
    return dt_util.as_local(status.due).date()


class _Statuses(NamedTuple):
    """Statuses worked out at `since` from `inputs`, the same until `until`."""

    inputs: tuple[Any, ...]
    since: datetime
    until: datetime
    statuses: list[TaskStatus]
    by_id: dict[TaskId, TaskStatus]
    due_days: list[tuple[TaskId, date]]


async def async_remove_maintenance(hass: HomeAssistant, entry_id: str) -> None:
    """Delete a removed heat pump's history and its repair issue."""
    await MaintenanceStore(hass, entry_id).async_remove()
    ir.async_delete_issue(hass, DOMAIN, issue_id(entry_id))
