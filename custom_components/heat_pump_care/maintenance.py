"""Maintenance tasks from the servicing guide: presets, due dates, run hours, fault links.

Works on snapshots and decoded faults only and never imports Home Assistant, so every
source shares it and it can be tested alone. Times are passed in: the caller owns "now".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from .client import HeatPumpState
from .faults import DecodedFault
from .knowledge import Catalog

# A week's grace separates a job that just came due from one that was forgotten.
OVERDUE_AFTER = timedelta(days=7)
# Polls come every few seconds; a longer gap (restart, gateway down) is time we did not see,
# so it is not counted as run time.
MAX_SAMPLE_GAP = timedelta(minutes=10)
# Enough to see how often a job was done; the file stays small.
MAX_RECORDS = 50


class TaskId(StrEnum):
    """Maintenance tasks; the knowledge base links fault codes to these ids."""

    CLEAN_FILTERS = "clean_filters"
    CLEAN_COIL = "clean_coil"
    CLEAN_STRAINER = "clean_strainer"
    CHECK_CONDENSATE = "check_condensate"
    INSPECT_WIRING = "inspect_wiring"
    CHECK_WATER_PRESSURE = "check_water_pressure"
    PROFESSIONAL_SERVICE = "professional_service"


class DueState(StrEnum):
    """Where a task stands against its due date."""

    OK = "ok"
    UPCOMING = "upcoming"
    DUE = "due"
    OVERDUE = "overdue"


class DueReason(StrEnum):
    """What set the due date."""

    CALENDAR = "calendar"
    RUN_HOURS = "run_hours"
    FAULT = "fault"
    SNOOZED = "snoozed"


class MaintenanceDataError(ValueError):
    """Stored maintenance data that cannot be read."""


@dataclass(frozen=True, kw_only=True)
class TaskPreset:
    """A task as the guide describes it, with default intervals (see docs/maintenance.md)."""

    id: TaskId
    title: str
    sections: tuple[str, ...]
    """Guide sections whose text is the task's steps, in order."""
    interval_days: int
    run_hours: int | None
    """Default run-hour interval; None when wear does not follow compressor run time."""
    lead_days: int
    technician: bool = False
    water_circuit: bool = False
    """Only air-to-water heat pumps have this part."""


PRESETS: tuple[TaskPreset, ...] = (
    TaskPreset(
        id=TaskId.CLEAN_FILTERS,
        title="Clean or replace the air filters",
        sections=("safety_first", "filters", "cleaning", "recheck"),
        interval_days=90,
        run_hours=500,
        lead_days=7,
    ),
    TaskPreset(
        id=TaskId.CLEAN_COIL,
        title="Clean the outdoor coil and clear debris around the unit",
        sections=("safety_first", "coils", "cleaning", "recheck"),
        interval_days=180,
        run_hours=1500,
        lead_days=14,
    ),
    TaskPreset(
        id=TaskId.CLEAN_STRAINER,
        title="Clean the water strainer or magnetic filter",
        sections=("safety_first", "filters", "recheck"),
        interval_days=365,
        run_hours=1000,
        lead_days=14,
        water_circuit=True,
    ),
    TaskPreset(
        id=TaskId.CHECK_CONDENSATE,
        title="Check the condensate drain",
        sections=("safety_first", "coils", "cleaning"),
        interval_days=180,
        run_hours=None,
        lead_days=14,
    ),
    TaskPreset(
        id=TaskId.INSPECT_WIRING,
        title="Inspect belts, wiring and connections",
        sections=("safety_first", "power_belts", "wiring"),
        interval_days=365,
        run_hours=None,
        lead_days=14,
    ),
    TaskPreset(
        id=TaskId.CHECK_WATER_PRESSURE,
        title="Check the system water pressure",
        sections=("know_your_model", "filters"),
        interval_days=30,
        run_hours=None,
        lead_days=3,
        water_circuit=True,
    ),
    TaskPreset(
        id=TaskId.PROFESSIONAL_SERVICE,
        title="Annual professional service with refrigerant check",
        sections=("compressor_refrigerant", "call_a_professional"),
        interval_days=365,
        run_hours=None,
        lead_days=30,
        technician=True,
    ),
)
PRESETS_BY_ID: Mapping[str, TaskPreset] = {preset.id: preset for preset in PRESETS}


def has_water_circuit(state: HeatPumpState) -> bool:
    """Air-to-water pumps report water temperatures; air-to-air units have none."""
    return state.flow_temperature is not None or state.return_temperature is not None


def task_steps(catalog: Catalog, preset: TaskPreset) -> str:
    """Return the task's steps as Markdown, taken from the guide's sections."""
    return "\n\n".join(
        f"**{section.title}**: {section.text}"
        for section in map(catalog.section, preset.sections)
    )


@dataclass(frozen=True, kw_only=True)
class TaskSettings:
    """What the owner chose for one task in the options."""

    enabled: bool
    interval_days: int
    run_hours: int | None
    """Run-hour interval; None (or 0 in the options) counts the calendar only."""
    lead_days: int

    @classmethod
    def default(cls, preset: TaskPreset) -> TaskSettings:
        """Return the preset's defaults."""
        return cls(
            enabled=True,
            interval_days=preset.interval_days,
            run_hours=preset.run_hours,
            lead_days=preset.lead_days,
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the options-ready dict (0 run hours: calendar only)."""
        return {
            "enabled": self.enabled,
            "interval_days": self.interval_days,
            "run_hours": self.run_hours or 0,
            "lead_days": self.lead_days,
        }


def settings_from_options(options: Mapping[str, Any]) -> dict[TaskId, TaskSettings]:
    """Every task's settings: the saved options over the presets' defaults."""
    settings: dict[TaskId, TaskSettings] = {}
    for preset in PRESETS:
        saved = options.get(preset.id, {})
        default = TaskSettings.default(preset)
        settings[preset.id] = TaskSettings(
            enabled=saved.get("enabled", default.enabled),
            interval_days=int(saved.get("interval_days", default.interval_days)),
            run_hours=int(saved.get("run_hours", default.run_hours or 0)) or None,
            lead_days=int(saved.get("lead_days", default.lead_days)),
        )
    return settings


@dataclass(frozen=True, kw_only=True)
class TaskRecord:
    """One time a task was done."""

    done: datetime
    run_hours: float | None
    note: str | None = None


@dataclass(frozen=True, kw_only=True)
class FaultMark:
    """A fault that made a task due now."""

    code: str
    at: datetime


@dataclass(kw_only=True)
class TaskHistory:
    """What was done for one task, and what moves its due date besides the interval."""

    records: list[TaskRecord] = field(default_factory=list)
    snoozed_until: datetime | None = None
    fault: FaultMark | None = None


@dataclass(frozen=True, kw_only=True)
class TaskStatus:
    """One task at one moment, ready to render."""

    preset: TaskPreset
    settings: TaskSettings
    last_done: datetime
    last_note: str | None
    due: datetime
    reason: DueReason
    state: DueState
    days_remaining: float
    run_hours_remaining: float | None
    fault_code: str | None

    @property
    def id(self) -> TaskId:
        """The task id."""
        return self.preset.id

    @property
    def is_due(self) -> bool:
        """Due or overdue."""
        return self.state in (DueState.DUE, DueState.OVERDUE)


@dataclass(kw_only=True)
class MaintenanceTracker:
    """Due dates of one heat pump's tasks, from its history, run hours and faults.

    Tracking starts with the first snapshot: a task never recorded counts from then, so a
    fresh install does not flag every task at once (record real dates with complete).
    """

    settings: Mapping[TaskId, TaskSettings]
    tracking_since: datetime | None = None
    run_hours_at_start: float | None = None
    counted_run_hours: float = 0.0
    history: dict[TaskId, TaskHistory] = field(default_factory=dict)
    water_circuit: bool = True
    _reported_run_hours: float | None = field(default=None, init=False)
    _counting: bool = field(default=False, init=False)
    _last_sample: tuple[datetime, bool] | None = field(default=None, init=False)
    _seen_faults: set[str] = field(default_factory=set, init=False)
    _due: set[TaskId] | None = field(default=None, init=False)
    _revision: int = field(default=0, init=False)
    """Counts the changes to records, snoozes and fault marks, for `inputs`."""

    @property
    def run_hours(self) -> float | None:
        """The device's run hours when it reports them, else those counted here."""
        if self._reported_run_hours is not None:
            return self._reported_run_hours
        return self.counted_run_hours if self._counting else None

    def inputs(self) -> tuple[Any, ...]:
        """Return what the statuses are worked out from besides the clock.

        Equal inputs at the same moment give equal statuses.
        """
        return (
            self._revision,
            self.run_hours,
            self.water_circuit,
            self.tracking_since,
            self.run_hours_at_start,
        )

    def tasks(self) -> tuple[TaskPreset, ...]:
        """Return the enabled tasks that apply to this heat pump."""
        return tuple(
            preset
            for preset in PRESETS
            if self.settings[preset.id].enabled
            and (self.water_circuit or not preset.water_circuit)
        )

    def task(self, task_id: str) -> TaskPreset | None:
        """Return an enabled task that applies to this heat pump, by id."""
        return next((preset for preset in self.tasks() if preset.id == task_id), None)

    def update(
        self, state: HeatPumpState, faults: Iterable[DecodedFault], now: datetime
    ) -> None:
        """Take in one snapshot: run hours, the kind of pump and linked faults."""
        self.water_circuit = has_water_circuit(state)
        self._count(state.compressor_running, now)
        self._reported_run_hours = state.compressor_run_hours
        if self.tracking_since is None:
            self.tracking_since = now
        if self.run_hours_at_start is None:
            self.run_hours_at_start = self.run_hours
        active: set[str] = set()
        for item in faults:
            task_id = item.info.maintenance_task
            if task_id is None or task_id not in PRESETS_BY_ID:
                continue
            active.add(item.code)
            if item.code in self._seen_faults:
                continue
            history = self._history(TaskId(task_id))
            # The task stays due from the first fault after it was last done: a fault that
            # comes back does not postpone the reminder. A fault older than the last time
            # the job was done was already dealt with.
            since = item.fault.since
            if history.fault is None and (
                since is None or since > self._last_done(history)
            ):
                history.fault = FaultMark(code=item.code, at=now)
                self._revision += 1
        self._seen_faults = active

    def _count(self, running: bool | None, now: datetime) -> None:
        if running is None:
            return
        self._counting = True
        if self._last_sample is not None:
            at, was_running = self._last_sample
            if was_running and timedelta(0) < now - at <= MAX_SAMPLE_GAP:
                self.counted_run_hours += (now - at).total_seconds() / 3600
        self._last_sample = (now, running)

    def _history(self, task_id: TaskId) -> TaskHistory:
        history = self.history.get(task_id)
        if history is None:
            history = self.history[task_id] = TaskHistory()
        return history

    def _last_done(self, history: TaskHistory) -> datetime:
        if history.records:
            return history.records[-1].done
        if self.tracking_since is None:
            raise MaintenanceDataError("no snapshot seen yet")
        return self.tracking_since

    def complete(
        self,
        task_id: TaskId,
        now: datetime,
        *,
        done: datetime | None = None,
        note: str | None = None,
    ) -> None:
        """Record the task as done (now or at a past moment) and restart its interval.

        The run hours are today's reading even for a past date: earlier readings are
        unknown, and counting from now only errs towards reminding later.
        """
        history = self._history(task_id)
        history.records.append(
            TaskRecord(done=done or now, run_hours=self.run_hours, note=note)
        )
        history.records.sort(key=lambda record: record.done)
        del history.records[:-MAX_RECORDS]
        history.snoozed_until = None
        history.fault = None
        self._revision += 1

    def snooze(self, task_id: TaskId, until: datetime) -> None:
        """Keep the task from being due before the given moment."""
        self._history(task_id).snoozed_until = until
        self._revision += 1

    def status(self, preset: TaskPreset, now: datetime) -> TaskStatus:
        """Where one task stands now."""
        settings = self.settings[preset.id]
        history = self._history(preset.id)
        last_done = self._last_done(history)
        last = history.records[-1] if history.records else None
        hours_at_done = last.run_hours if last else self.run_hours_at_start
        # The earliest of the calendar, the run hours and a fault; the first on a tie.
        due, reason = (
            last_done + timedelta(days=settings.interval_days),
            DueReason.CALENDAR,
        )
        hours_remaining: float | None = None
        hours_now = self.run_hours
        if settings.run_hours and hours_now is not None and hours_at_done is not None:
            used = max(hours_now - hours_at_done, 0.0)
            hours_remaining = round(settings.run_hours - used, 1)
            # At the pace since the job was done, when will the run hours be used up?
            # Only projected when it beats the calendar, which also keeps it finite.
            elapsed = now - last_done
            if used * settings.interval_days * 86400 > (
                elapsed.total_seconds() * settings.run_hours
            ):
                due = last_done + elapsed * (settings.run_hours / used)
                reason = DueReason.RUN_HOURS
        if history.fault is not None and history.fault.at < due:
            due, reason = history.fault.at, DueReason.FAULT
        if history.snoozed_until is not None and history.snoozed_until > due:
            due, reason = history.snoozed_until, DueReason.SNOOZED
        return TaskStatus(
            preset=preset,
            settings=settings,
            last_done=last_done,
            last_note=last.note if last else None,
            due=due,
            reason=reason,
            state=_due_state(due, settings.lead_days, now),
            days_remaining=round((due - now).total_seconds() / 86400, 1),
            run_hours_remaining=hours_remaining,
            fault_code=history.fault.code if history.fault else None,
        )

    def statuses(self, now: datetime) -> list[TaskStatus]:
        """Every enabled task that applies, in preset order."""
        return [self.status(preset, now) for preset in self.tasks()]

    def newly_due(
        self, now: datetime, statuses: list[TaskStatus] | None = None
    ) -> list[TaskStatus]:
        """Tasks that became due since the last call; the first call sets the baseline.

        Pass `statuses` when they are already worked out for `now`.
        """
        if statuses is None:
            statuses = self.statuses(now)
        due = [status for status in statuses if status.is_due]
        previous, self._due = self._due, {status.id for status in due}
        if previous is None:
            return []
        return [status for status in due if status.id not in previous]

    def to_dict(self) -> dict[str, Any]:
        """Return the stored layout (maintenance_store.py lists its versions)."""
        return {
            "tracking_since": _iso(self.tracking_since),
            "run_hours_at_start": self.run_hours_at_start,
            "counted_run_hours": self.counted_run_hours,
            "tasks": {
                task_id.value: {
                    "records": [
                        {
                            "done": record.done.isoformat(),
                            "run_hours": record.run_hours,
                            "note": record.note,
                        }
                        for record in history.records
                    ],
                    "snoozed_until": _iso(history.snoozed_until),
                    "fault": {
                        "code": history.fault.code,
                        "at": history.fault.at.isoformat(),
                    }
                    if history.fault
                    else None,
                }
                for task_id, history in self.history.items()
            },
        }

    @classmethod
    def from_dict(
        cls, settings: Mapping[TaskId, TaskSettings], data: Mapping[str, Any] | None
    ) -> MaintenanceTracker:
        """Rebuild a tracker from the stored layout; raise MaintenanceDataError if bad."""
        if data is None:
            return cls(settings=settings)
        try:
            return cls(
                settings=settings,
                tracking_since=_time_or_none(data["tracking_since"]),
                run_hours_at_start=_number_or_none(data["run_hours_at_start"]),
                counted_run_hours=_number(data["counted_run_hours"]),
                history={
                    TaskId(task_id): _history_from_dict(history)
                    for task_id, history in data["tasks"].items()
                },
            )
        except (KeyError, TypeError, AttributeError, ValueError) as err:
            raise MaintenanceDataError(f"unreadable maintenance data: {err!r}") from err


def _state_changes(
    due: datetime, lead_days: int
) -> tuple[datetime, datetime, datetime]:
    """When a task turns upcoming, due and overdue."""
    return due - timedelta(days=lead_days), due, due + OVERDUE_AFTER


def _due_state(due: datetime, lead_days: int, now: datetime) -> DueState:
    upcoming, due, overdue = _state_changes(due, lead_days)
    if now >= overdue:
        return DueState.OVERDUE
    if now >= due:
        return DueState.DUE
    if now >= upcoming:
        return DueState.UPCOMING
    return DueState.OK


def next_state_change(statuses: Iterable[TaskStatus], now: datetime) -> datetime | None:
    """Return the first moment after now at which one of the tasks changes state."""
    return min(
        (
            moment
            for status in statuses
            for moment in _state_changes(status.due, status.settings.lead_days)
            if moment > now
        ),
        default=None,
    )


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _time(value: Any) -> datetime:
    if not isinstance(value, str):
        raise TypeError(f"{value!r} is not a time")
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError(f"{value!r} has no time zone")
    return parsed


def _time_or_none(value: Any) -> datetime | None:
    return None if value is None else _time(value)


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{value!r} is not a number")
    return float(value)


def _number_or_none(value: Any) -> float | None:
    return None if value is None else _number(value)


def _str_or_none(value: Any) -> str | None:
    if value is not None and not isinstance(value, str):
        raise TypeError(f"{value!r} is not text")
    return value


def _history_from_dict(data: Mapping[str, Any]) -> TaskHistory:
    fault = data["fault"]
    return TaskHistory(
        records=[
            TaskRecord(
                done=_time(record["done"]),
                run_hours=_number_or_none(record["run_hours"]),
                note=_str_or_none(record["note"]),
            )
            for record in data["records"]
        ],
        snoozed_until=_time_or_none(data["snoozed_until"]),
        fault=FaultMark(code=str(fault["code"]), at=_time(fault["at"]))
        if fault is not None
        else None,
    )
