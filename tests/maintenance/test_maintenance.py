"""Presets, due dates, run hours and fault links of maintenance.py."""

from __future__ import annotations

from collections.abc import Callable
import dataclasses
from datetime import UTC, datetime, timedelta

import pytest

from custom_components.heat_pump_care.client import ActiveFault, HeatPumpState
from custom_components.heat_pump_care.client.models import parse_snapshot
from custom_components.heat_pump_care.faults import DecodedFault, FaultTracker
from custom_components.heat_pump_care.knowledge import load_default_catalog
from custom_components.heat_pump_care.maintenance import (
    MAX_RECORDS,
    PRESETS,
    PRESETS_BY_ID,
    DueReason,
    DueState,
    MaintenanceDataError,
    MaintenanceTracker,
    TaskId,
    TaskSettings,
    next_state_change,
    settings_from_options,
    task_steps,
)
from tests.helpers import load_payload

START = datetime(2026, 1, 15, 6, tzinfo=UTC)
CATALOG = load_default_catalog()
STATE = parse_snapshot(load_payload("device_aquarea.json")).state
FILTERS = PRESETS_BY_ID[TaskId.CLEAN_FILTERS]
STRAINER = PRESETS_BY_ID[TaskId.CLEAN_STRAINER]


def _state(**changes: object) -> HeatPumpState:
    return dataclasses.replace(STATE, **changes)  # type: ignore[arg-type]


def _faults(*codes: str, since: datetime | None = None) -> tuple[DecodedFault, ...]:
    tracker = FaultTracker(catalog=CATALOG, brand="panasonic", family="aquarea")
    return tuple(tracker.decode(ActiveFault(code=code, since=since)) for code in codes)


def _tracker(options: dict[str, object] | None = None) -> MaintenanceTracker:
    tracker = MaintenanceTracker(settings=settings_from_options(options or {}))
    tracker.update(STATE, (), START)
    return tracker


def test_presets_cover_every_task_and_guide_section() -> None:
    """Every task id has one preset whose sections exist in the guide, safety first."""
    assert {preset.id for preset in PRESETS} == set(TaskId)
    for preset in PRESETS:
        steps = task_steps(CATALOG, preset)
        assert CATALOG.section(preset.sections[0]).title in steps
        assert preset.lead_days < preset.interval_days
    assert PRESETS_BY_ID[TaskId.PROFESSIONAL_SERVICE].technician
    assert task_steps(CATALOG, FILTERS).startswith("**Safety first**")


def test_settings_from_options() -> None:
    """Saved options override the defaults; 0 run hours means calendar only."""
    assert settings_from_options({})[TaskId.CLEAN_FILTERS] == TaskSettings.default(
        FILTERS
    )
    settings = settings_from_options(
        {"clean_filters": {"enabled": False, "interval_days": 30, "run_hours": 0}}
    )[TaskId.CLEAN_FILTERS]
    assert settings == TaskSettings(
        enabled=False, interval_days=30, run_hours=None, lead_days=7
    )
    assert settings.to_dict()["run_hours"] == 0


def test_calendar_due_states() -> None:
    """A task counts from the first snapshot: ok, coming up, due, then overdue."""
    tracker = _tracker()
    due = START + timedelta(days=90)
    assert tracker.status(FILTERS, START).due == due
    assert tracker.status(FILTERS, START).state is DueState.OK
    assert tracker.status(FILTERS, due - timedelta(days=6)).state is DueState.UPCOMING
    status = tracker.status(FILTERS, due)
    assert (status.state, status.reason, status.is_due) == (
        DueState.DUE,
        DueReason.CALENDAR,
        True,
    )
    assert tracker.status(FILTERS, due + timedelta(days=8)).state is DueState.OVERDUE


def test_run_hours_bring_the_due_date_forward() -> None:
    """Hard work uses up the run-hour interval before the calendar one."""
    tracker = _tracker()
    now = START + timedelta(days=10)
    tracker.update(_state(compressor_run_hours=1532.0 + 250), (), now)
    status = tracker.status(FILTERS, now)
    # 250 of 500 hours in 10 days: the rest takes 10 more days.
    assert status.due == START + timedelta(days=20)
    assert status.reason is DueReason.RUN_HOURS
    assert status.run_hours_remaining == 250
    tracker.update(_state(compressor_run_hours=1532.0 + 600), (), now)
    assert tracker.status(FILTERS, now).is_due
    assert tracker.status(FILTERS, now).run_hours_remaining == -100
    # A calendar-only task ignores run time.
    inspect = PRESETS_BY_ID[TaskId.INSPECT_WIRING]
    assert tracker.status(inspect, now).run_hours_remaining is None


def test_run_hours_counted_from_compressor_state() -> None:
    """Without reported hours, running time between polls is counted; gaps are not."""
    tracker = MaintenanceTracker(settings=settings_from_options({}))
    state = _state(compressor_run_hours=None)
    assert tracker.run_hours is None
    tracker.update(state, (), START)
    tracker.update(state, (), START + timedelta(minutes=5))
    assert tracker.run_hours == pytest.approx(5 / 60)
    # A restart-sized gap is time nobody saw.
    tracker.update(state, (), START + timedelta(hours=2))
    assert tracker.run_hours == pytest.approx(5 / 60)
    tracker.update(
        _state(compressor_run_hours=None, compressor_running=False),
        (),
        START + timedelta(hours=2, minutes=5),
    )
    tracker.update(state, (), START + timedelta(hours=2, minutes=10))
    assert tracker.run_hours == pytest.approx(10 / 60)
    no_compressor = MaintenanceTracker(settings=settings_from_options({}))
    no_compressor.update(
        _state(compressor_run_hours=None, compressor_running=None), (), START
    )
    assert no_compressor.run_hours is None


def test_fault_makes_linked_task_due_now() -> None:
    """H62 (low water flow) makes the strainer due at once, and says why."""
    tracker = _tracker()
    now = START + timedelta(days=3)
    tracker.update(STATE, _faults("H62", "H15"), now)
    status = tracker.status(STRAINER, now)
    assert (status.state, status.reason, status.fault_code) == (
        DueState.DUE,
        DueReason.FAULT,
        "H62",
    )
    # Done while the fault is still active: not flagged again by the same fault.
    tracker.complete(TaskId.CLEAN_STRAINER, now)
    tracker.update(STATE, _faults("H62"), now + timedelta(minutes=1))
    assert tracker.status(STRAINER, now).state is DueState.OK


def test_returning_fault_does_not_postpone_the_task() -> None:
    """A fault that clears and comes back keeps the task due from its first raise."""
    tracker = _tracker()
    first = START + timedelta(days=3)
    tracker.update(STATE, _faults("H62"), first)
    tracker.update(STATE, (), first + timedelta(hours=1))
    tracker.update(STATE, _faults("H62"), first + timedelta(days=2))
    status = tracker.status(STRAINER, first + timedelta(days=2))
    assert (status.due, status.fault_code) == (first, "H62")
    # Once the job is done, the next raise makes it due again from that raise.
    tracker.complete(TaskId.CLEAN_STRAINER, first + timedelta(days=3))
    tracker.update(STATE, (), first + timedelta(days=3, hours=1))
    again = first + timedelta(days=4)
    tracker.update(STATE, _faults("H62"), again)
    assert tracker.status(STRAINER, again).due == again


def test_inputs_name_every_change_and_state_changes_are_exact() -> None:
    """Statuses may be reused while the inputs hold and no task changes state."""
    tracker = _tracker()
    tracker.update(STATE, (), START)
    seen = {tracker.inputs()}
    tracker.update(STATE, (), START + timedelta(minutes=1))
    assert tracker.inputs() in seen
    changes: tuple[Callable[[], None], ...] = (
        lambda: tracker.update(STATE, _faults("H62"), START + timedelta(minutes=2)),
        lambda: tracker.update(
            _state(compressor_run_hours=2000.0), (), START + timedelta(minutes=3)
        ),
        lambda: tracker.snooze(TaskId.CLEAN_FILTERS, START + timedelta(days=9)),
        lambda: tracker.complete(TaskId.CLEAN_STRAINER, START + timedelta(minutes=4)),
    )
    for change in changes:
        change()
        assert tracker.inputs() not in seen
        seen.add(tracker.inputs())

    fresh = _tracker()
    fresh.update(STATE, (), START)
    now = START + timedelta(days=1)
    statuses = fresh.statuses(now)
    pressure = next(s for s in statuses if s.id is TaskId.CHECK_WATER_PRESSURE)
    upcoming = pressure.due - timedelta(days=pressure.settings.lead_days)
    assert next_state_change(statuses, now) == upcoming
    assert next_state_change(statuses, upcoming) == pressure.due
    assert next_state_change([], now) is None


def test_fault_older_than_last_done_is_ignored() -> None:
    """After a restart, a fault from before the job was done does not flag it again."""
    tracker = _tracker()
    tracker.complete(TaskId.CLEAN_STRAINER, START + timedelta(days=1))
    restarted = MaintenanceTracker.from_dict(tracker.settings, tracker.to_dict())
    restarted.update(STATE, _faults("H62", since=START), START + timedelta(days=2))
    assert restarted.status(STRAINER, START + timedelta(days=2)).fault_code is None


def test_complete_restarts_the_interval() -> None:
    """Completing records date, run hours and note, and clears snooze and fault."""
    tracker = _tracker()
    now = START + timedelta(days=100)
    tracker.update(STATE, _faults("H62"), now)
    tracker.snooze(TaskId.CLEAN_FILTERS, now + timedelta(days=3))
    assert tracker.status(FILTERS, now).reason is DueReason.SNOOZED
    assert tracker.status(FILTERS, now).state is DueState.UPCOMING
    tracker.complete(TaskId.CLEAN_FILTERS, now, note="grey")
    tracker.complete(TaskId.CLEAN_STRAINER, now, done=now - timedelta(days=5))
    status = tracker.status(FILTERS, now)
    assert (status.last_done, status.last_note, status.state) == (
        now,
        "grey",
        DueState.OK,
    )
    assert status.due == now + timedelta(days=90)
    strainer = tracker.status(STRAINER, now)
    assert strainer.last_done == now - timedelta(days=5)
    assert strainer.fault_code is None
    for day in range(MAX_RECORDS + 5):
        tracker.complete(TaskId.CLEAN_COIL, now + timedelta(days=day))
    assert len(tracker.history[TaskId.CLEAN_COIL].records) == MAX_RECORDS


def test_newly_due_announces_each_transition_once() -> None:
    """The first call is the baseline; a task is announced when it becomes due."""
    tracker = _tracker()
    assert tracker.newly_due(START) == []
    later = START + timedelta(days=31)
    assert [status.id for status in tracker.newly_due(later)] == [
        TaskId.CHECK_WATER_PRESSURE
    ]
    assert tracker.newly_due(later) == []
    tracker.complete(TaskId.CHECK_WATER_PRESSURE, later)
    assert tracker.newly_due(later) == []
    assert tracker.newly_due(later + timedelta(days=30)) != []


def test_air_to_air_has_no_water_tasks() -> None:
    """Without water temperatures there is no strainer and no water pressure."""
    tracker = MaintenanceTracker(settings=settings_from_options({}))
    tracker.update(_state(flow_temperature=None, return_temperature=None), (), START)
    ids = {preset.id for preset in tracker.tasks()}
    assert TaskId.CLEAN_STRAINER not in ids
    assert TaskId.CHECK_WATER_PRESSURE not in ids
    assert tracker.task("clean_strainer") is None
    assert tracker.task("clean_filters") is FILTERS
    disabled = _tracker({"clean_filters": {"enabled": False}})
    assert disabled.task("clean_filters") is None


def test_round_trip_and_bad_data() -> None:
    """The stored layout reads back identically; anything malformed raises one error."""
    tracker = _tracker()
    tracker.update(STATE, _faults("H62"), START)
    tracker.complete(TaskId.CLEAN_FILTERS, START, note="n")
    tracker.snooze(TaskId.CLEAN_COIL, START + timedelta(days=1))
    data = tracker.to_dict()
    again = MaintenanceTracker.from_dict(tracker.settings, data)
    assert again.to_dict() == data
    assert MaintenanceTracker.from_dict(tracker.settings, None).tracking_since is None
    for bad in (
        {},
        {**data, "tracking_since": "yesterday"},
        {**data, "tracking_since": "2026-01-01T00:00:00"},
        {**data, "counted_run_hours": True},
        {**data, "run_hours_at_start": "many"},
        {**data, "tasks": {"polish_the_pump": {}}},
        {
            **data,
            "tasks": {
                "clean_coil": {**data["tasks"]["clean_coil"], "snoozed_until": 5}
            },
        },
        {
            **data,
            "tasks": {
                "clean_filters": {
                    **data["tasks"]["clean_filters"],
                    "records": [
                        {"done": START.isoformat(), "run_hours": None, "note": 3}
                    ],
                }
            },
        },
        {**data, "tasks": []},
    ):
        with pytest.raises(MaintenanceDataError):
            MaintenanceTracker.from_dict(tracker.settings, bad)


def test_status_needs_a_snapshot() -> None:
    """Without any snapshot there is nothing to count from."""
    tracker = MaintenanceTracker(settings=settings_from_options({}))
    with pytest.raises(MaintenanceDataError):
        tracker.status(FILTERS, START)
