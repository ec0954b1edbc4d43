"""Maintenance reminders: entities, to-do list, calendar, buttons, actions, persistence."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from unittest.mock import MagicMock, patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_OFF, STATE_ON, Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import (
    entity_registry as er,
    issue_registry as ir,
)
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    snapshot_platform,
)
from syrupy.assertion import SnapshotAssertion

from custom_components.heat_pump_care.client import HeatPumpSnapshot
from custom_components.heat_pump_care.const import DOMAIN, SCAN_INTERVAL
from custom_components.heat_pump_care.maintenance import TaskStatus
from custom_components.heat_pump_care.maintenance_store import move_aside
from tests.helpers import poll, recorded_writes, state_of

from .conftest import (
    START,
    pump_device_id,
    show_faults,
    snapshot_fixture,
)

FILTERS = "sensor.aquarea_clean_air_filters"
STRAINER = "sensor.aquarea_clean_water_strainer"
DUE = "binary_sensor.aquarea_maintenance_due"
TODO = "todo.aquarea_maintenance"
CALENDAR = "calendar.aquarea_maintenance"
KEY_PREFIX = f"{DOMAIN}.maintenance."


@pytest.fixture
def platforms() -> list[Platform]:
    """The platforms that render maintenance."""
    return [
        Platform.BINARY_SENSOR,
        Platform.BUTTON,
        Platform.CALENDAR,
        Platform.SENSOR,
        Platform.TODO,
    ]


@pytest.fixture(autouse=True)
def start_clock(freezer: FrozenDateTimeFactory) -> None:
    """Due dates count from set-up: start every test at the same moment."""
    freezer.move_to(START)


def _with_run_hours(hours: float | None, **changes: Any) -> HeatPumpSnapshot:
    snapshot = snapshot_fixture()
    state = dataclasses.replace(snapshot.state, compressor_run_hours=hours, **changes)
    return dataclasses.replace(snapshot, state=state)


def _stored(hass_storage: dict[str, Any], entry: MockConfigEntry) -> dict[str, Any]:
    data: dict[str, Any] = hass_storage[KEY_PREFIX + entry.entry_id]
    return data


@pytest.mark.parametrize("domain", ["button", "calendar", "todo"])
@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_entities(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    init_integration: MockConfigEntry,
    domain: str,
) -> None:
    """The maintenance platforms (sensors and binary sensor: in their own snapshots)."""
    entries = er.async_entries_for_config_entry(
        entity_registry, init_integration.entry_id
    )
    for entry in entries:
        if entry.domain != domain:
            entity_registry.async_remove(entry.entity_id)
    await snapshot_platform(hass, entity_registry, snapshot, init_integration.entry_id)


async def test_task_becomes_due_with_run_hours(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    mock_gateway: MagicMock,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Hard work brings the filters forward; the binary sensor and listeners say so."""
    manager = init_integration.runtime_data.maintenance
    announced: list[TaskStatus] = []
    unsubscribe = manager.async_add_due_listener(announced.append)
    assert state_of(hass, DUE).state == STATE_OFF
    filters = state_of(hass, FILTERS)
    assert filters.state == (START + timedelta(days=90)).isoformat()
    assert filters.attributes["status"] == "ok"
    assert filters.attributes["run_hours_remaining"] == 500

    # 450 of 500 hours in 25 days: the last 50 take about three more days.
    freezer.move_to(START + timedelta(days=25))
    mock_gateway.async_snapshot.return_value = _with_run_hours(1532.0 + 450)
    await poll(hass, freezer)
    filters = state_of(hass, FILTERS)
    assert filters.attributes["status"] == "upcoming"
    assert filters.attributes["reason"] == "run_hours"
    assert state_of(hass, DUE).attributes["upcoming_tasks"] == ["clean_filters"]

    mock_gateway.async_snapshot.return_value = _with_run_hours(1532.0 + 520)
    await poll(hass, freezer)
    assert state_of(hass, FILTERS).attributes["status"] == "due"
    assert state_of(hass, DUE).state == STATE_ON
    assert state_of(hass, DUE).attributes["due_tasks"] == ["clean_filters"]
    assert [status.id for status in announced] == ["clean_filters"]
    assert [status.id for status in manager.due_tasks()] == ["clean_filters"]
    unsubscribe()


async def test_projected_due_moving_within_a_day(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    mock_gateway: MagicMock,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The to-do list and calendar show due days: a due time moving within one is no write."""
    freezer.move_to(START + timedelta(days=25))
    mock_gateway.async_snapshot.return_value = _with_run_hours(1532.0 + 450)
    await poll(hass, freezer)
    projected = state_of(hass, FILTERS).state
    with recorded_writes() as written:
        mock_gateway.async_snapshot.return_value = _with_run_hours(1532.0 + 450.1)
        await poll(hass, freezer)
    assert state_of(hass, FILTERS).state != projected
    assert FILTERS in written
    assert TODO not in written
    assert CALENDAR not in written
    # Twenty more hours bring the filters forward by more than a day.
    with recorded_writes() as written:
        mock_gateway.async_snapshot.return_value = _with_run_hours(1532.0 + 470)
        await poll(hass, freezer)
    assert {TODO, CALENDAR} <= set(written)


async def test_calendar_due_and_overdue(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Calendar intervals run out with time alone."""
    freezer.move_to(START + timedelta(days=31))
    await poll(hass, freezer)
    assert state_of(hass, DUE).attributes["due_tasks"] == ["check_water_pressure"]
    freezer.move_to(START + timedelta(days=40))
    await poll(hass, freezer)
    pressure = state_of(hass, "sensor.aquarea_check_water_pressure")
    assert pressure.attributes["status"] == "overdue"
    assert pressure.attributes["days_remaining"] < -7


async def test_task_turns_due_on_time(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The poll after the due moment shows it due, though nothing else changed."""
    pressure = "sensor.aquarea_check_water_pressure"
    due = datetime.fromisoformat(state_of(hass, pressure).state)
    freezer.move_to(due - SCAN_INTERVAL - timedelta(seconds=1))
    await poll(hass, freezer)
    assert state_of(hass, pressure).attributes["status"] == "upcoming"
    assert state_of(hass, DUE).state == STATE_OFF
    await poll(hass, freezer)
    assert state_of(hass, pressure).attributes["status"] == "due"
    assert state_of(hass, DUE).attributes["due_tasks"] == ["check_water_pressure"]


async def test_tick_todo_item_restarts_interval(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    mock_gateway: MagicMock,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Ticking the item completes the task; it comes back open with its new due date."""
    mock_gateway.async_snapshot.return_value = _with_run_hours(2100.0)
    await poll(hass, freezer)
    assert state_of(hass, DUE).state == STATE_ON
    freezer.tick(timedelta(days=2))
    await hass.services.async_call(
        "todo",
        "update_item",
        {"item": "clean_filters", "status": "completed"},
        target={"entity_id": TODO},
        blocking=True,
    )
    assert state_of(hass, DUE).state == STATE_OFF
    response = await hass.services.async_call(
        "todo",
        "get_items",
        {},
        target={"entity_id": TODO},
        blocking=True,
        return_response=True,
    )
    assert response is not None
    items: Any = response[TODO]
    item = next(item for item in items["items"] if item["uid"] == "clean_filters")
    assert item["status"] == "needs_action"
    new_due = dt_util.as_local(dt_util.utcnow() + timedelta(days=90)).date()
    assert item["due"] == new_due.isoformat()
    assert "Filters and strainers" in item["description"]
    assert state_of(hass, TODO).state == str(len(items["items"]))
    filters = state_of(hass, FILTERS)
    assert filters.attributes["last_done"] == dt_util.utcnow().isoformat()
    assert filters.attributes["run_hours_remaining"] == 500

    # Anything but ticking is refused, and the list stays as it was.
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            "todo",
            "update_item",
            {"item": "clean_filters", "rename": "Polish"},
            target={"entity_id": TODO},
            blocking=True,
        )
    assert err.value.translation_key == "todo_item_not_editable"
    assert state_of(hass, FILTERS).state == filters.state


async def test_button_marks_done(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """One tap on the button restarts the task."""
    freezer.move_to(START + timedelta(days=31))
    await poll(hass, freezer)
    assert state_of(hass, DUE).state == STATE_ON
    await hass.services.async_call(
        "button",
        "press",
        target={"entity_id": "button.aquarea_water_pressure_checked"},
        blocking=True,
    )
    assert state_of(hass, DUE).state == STATE_OFF
    assert (
        state_of(hass, "sensor.aquarea_check_water_pressure").state
        == (dt_util.utcnow() + timedelta(days=30)).isoformat()
    )


async def test_calendar_events(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """The calendar lists due dates in range; its state is the next one."""
    response = await hass.services.async_call(
        "calendar",
        "get_events",
        {
            "start_date_time": START.isoformat(),
            "end_date_time": (START + timedelta(days=100)).isoformat(),
        },
        target={"entity_id": CALENDAR},
        blocking=True,
        return_response=True,
    )
    assert response is not None
    events: Any = response[CALENDAR]
    summaries = [event["summary"] for event in events["events"]]
    assert summaries == [
        "Check the system water pressure",
        "Clean or replace the air filters",
    ]
    calendar = state_of(hass, CALENDAR)
    assert calendar.state == STATE_OFF
    assert calendar.attributes["message"] == "Check the system water pressure"
    day = dt_util.as_local(START + timedelta(days=30)).date().isoformat()
    assert calendar.attributes["start_time"].startswith(day)


async def test_fault_makes_task_due(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    mock_gateway: MagicMock,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Low water flow (H62) makes the strainer due now and names the fault."""
    await show_faults(hass, freezer, mock_gateway, "H62")
    strainer = state_of(hass, STRAINER)
    assert strainer.attributes["status"] == "due"
    assert strainer.attributes["reason"] == "fault"
    assert strainer.attributes["fault_code"] == "H62"
    assert state_of(hass, DUE).attributes["due_tasks"] == ["clean_strainer"]


async def test_complete_and_snooze_actions(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_storage: dict[str, Any],
    freezer: FrozenDateTimeFactory,
) -> None:
    """complete_task records a past date and note; snooze_task postpones."""
    freezer.move_to(START + timedelta(days=20))
    await poll(hass, freezer)
    device_id = pump_device_id(hass)
    done = dt_util.utcnow() - timedelta(days=3)
    await hass.services.async_call(
        DOMAIN,
        "complete_task",
        {
            "device_id": device_id,
            "task": "clean_coil",
            "date": done.isoformat(),
            "note": "Leaves removed",
        },
        blocking=True,
    )
    coil = state_of(hass, "sensor.aquarea_clean_outdoor_coil")
    assert coil.attributes["last_done"] == done.isoformat()
    assert coil.attributes["last_note"] == "Leaves removed"
    assert coil.state == (done + timedelta(days=180)).isoformat()
    record = _stored(hass_storage, init_integration)["data"]["tasks"]["clean_coil"]
    assert record["records"][0]["note"] == "Leaves removed"
    assert record["records"][0]["run_hours"] == 1532.0

    freezer.move_to(START + timedelta(days=31))
    await poll(hass, freezer)
    assert state_of(hass, DUE).state == STATE_ON
    await hass.services.async_call(
        DOMAIN,
        "snooze_task",
        {
            "device_id": device_id,
            "task": "check_water_pressure",
            "duration": {"days": 5},
        },
        blocking=True,
    )
    pressure = state_of(hass, "sensor.aquarea_check_water_pressure")
    assert pressure.attributes["reason"] == "snoozed"
    assert pressure.state == (dt_util.utcnow() + timedelta(days=5)).isoformat()
    assert state_of(hass, DUE).state == STATE_OFF


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"task": "polish_the_pump"}, "unknown_task"),
        ({"task": "clean_filters", "device_id": "nope"}, "unknown_device"),
        (
            {"task": "clean_filters", "date": "2099-01-01T00:00:00+00:00"},
            "date_in_future",
        ),
    ],
)
async def test_action_errors(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    data: dict[str, str],
    key: str,
) -> None:
    """Bad input gets a translated error and changes nothing; good input then works."""
    before = state_of(hass, FILTERS)
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN,
            "complete_task",
            {"device_id": pump_device_id(hass), **data},
            blocking=True,
        )
    assert err.value.translation_key == key
    assert state_of(hass, FILTERS) == before
    await hass.services.async_call(
        DOMAIN,
        "complete_task",
        {"device_id": pump_device_id(hass), "task": "clean_filters"},
        blocking=True,
    )
    assert state_of(hass, FILTERS).attributes["last_done"] == (
        dt_util.utcnow().isoformat()
    )


async def test_action_on_unloaded_device(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """A heat pump that is not running cannot take actions until it is back."""
    device_id = pump_device_id(hass)
    await hass.config_entries.async_unload(init_integration.entry_id)
    call = {"device_id": device_id, "task": "clean_filters", "duration": {"days": 1}}
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(DOMAIN, "snooze_task", call, blocking=True)
    assert err.value.translation_key == "device_not_loaded"
    await hass.config_entries.async_setup(init_integration.entry_id)
    await hass.async_block_till_done()
    await hass.services.async_call(DOMAIN, "snooze_task", call, blocking=True)
    assert state_of(hass, FILTERS).attributes["status"] == "ok"


async def test_disabled_task(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    mock_gateway: MagicMock,
) -> None:
    """A task switched off in the options has no entities and refuses actions."""
    mock_config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        mock_config_entry, options={"clean_filters": {"enabled": False}}
    )
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert hass.states.get(FILTERS) is None
    assert hass.states.get("button.aquarea_air_filters_cleaned") is None
    call = {"device_id": pump_device_id(hass), "task": "clean_filters"}
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(DOMAIN, "complete_task", call, blocking=True)
    assert err.value.translation_key == "task_not_active"
    call["task"] = "clean_coil"
    await hass.services.async_call(DOMAIN, "complete_task", call, blocking=True)
    assert state_of(hass, "sensor.aquarea_clean_outdoor_coil").attributes["last_done"]


async def test_air_to_air_has_no_water_tasks(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    mock_gateway: MagicMock,
) -> None:
    """A pump without a water circuit gets no strainer or water-pressure reminders."""
    mock_gateway.async_snapshot.return_value = _with_run_hours(
        10.0, flow_temperature=None, return_temperature=None
    )
    mock_config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert hass.states.get(STRAINER) is None
    assert hass.states.get("sensor.aquarea_check_water_pressure") is None
    assert hass.states.get(FILTERS) is not None


async def test_history_survives_reload_and_restart(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_storage: dict[str, Any],
    freezer: FrozenDateTimeFactory,
) -> None:
    """What was done is read back after a reload and after a restart."""
    call = {"device_id": pump_device_id(hass), "task": "clean_filters", "note": "kept"}
    freezer.tick(timedelta(days=10))
    await hass.services.async_call(DOMAIN, "complete_task", call, blocking=True)
    expected = state_of(hass, FILTERS)

    assert await hass.config_entries.async_reload(init_integration.entry_id)
    await hass.async_block_till_done()
    assert state_of(hass, FILTERS).state == expected.state
    assert state_of(hass, FILTERS).attributes["last_note"] == "kept"

    # A restart: Home Assistant writes what is pending, then reads it back.
    stored = _stored(hass_storage, init_integration)
    await hass.config_entries.async_unload(init_integration.entry_id)
    hass_storage.clear()
    hass_storage[KEY_PREFIX + init_integration.entry_id] = stored
    await hass.config_entries.async_setup(init_integration.entry_id)
    await hass.async_block_till_done()
    assert state_of(hass, FILTERS).state == expected.state


async def test_counted_run_hours_are_saved(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    mock_gateway: MagicMock,
    hass_storage: dict[str, Any],
    freezer: FrozenDateTimeFactory,
) -> None:
    """Without reported run hours the compressor's running time is counted and kept."""
    mock_gateway.async_snapshot.return_value = _with_run_hours(None)
    mock_config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    for _ in range(4):
        await poll(hass, freezer)
    await hass.config_entries.async_reload(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    counted = _stored(hass_storage, mock_config_entry)["data"]["counted_run_hours"]
    assert counted == pytest.approx(4 * SCAN_INTERVAL.total_seconds() / 3600)
    remaining = state_of(hass, FILTERS).attributes["run_hours_remaining"]
    assert remaining == round(500 - counted, 1)


async def test_old_schema_is_migrated(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    mock_gateway: MagicMock,
    hass_storage: dict[str, Any],
) -> None:
    """A 1.1 file (no snoozes, no counted hours) is read and rewritten as 1.2."""
    done = START - timedelta(days=10)
    hass_storage[KEY_PREFIX + mock_config_entry.entry_id] = {
        "version": 1,
        "minor_version": 1,
        "key": KEY_PREFIX + mock_config_entry.entry_id,
        "data": {
            "tracking_since": (START - timedelta(days=100)).isoformat(),
            "run_hours_at_start": 1000.0,
            "tasks": {
                "clean_filters": {
                    "records": [
                        {"done": done.isoformat(), "run_hours": 1500.0, "note": None}
                    ],
                    "fault": None,
                }
            },
        },
    }
    mock_config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert state_of(hass, FILTERS).attributes["last_done"] == done.isoformat()
    stored = _stored(hass_storage, mock_config_entry)
    assert stored["minor_version"] == 2
    assert stored["data"]["tasks"]["clean_filters"]["snoozed_until"] is None
    # Tracking started 100 days ago: the coil (180 days) is not due, the pressure is.
    assert state_of(hass, DUE).attributes["due_tasks"] == ["check_water_pressure"]


@pytest.mark.parametrize(
    "stored",
    [
        {"version": 1, "minor_version": 2, "data": {"tasks": "garbage"}},
        {"version": 1, "minor_version": 1, "data": {"tracking_since": None}},
        {"version": 2, "minor_version": 1, "data": {}},
    ],
    ids=["damaged", "damaged_old", "newer_release"],
)
@pytest.mark.usefixtures("mock_gateway")
async def test_unreadable_history_recovers(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    hass_storage: dict[str, Any],
    issue_registry: ir.IssueRegistry,
    stored: dict[str, Any],
) -> None:
    """An unreadable file is kept aside, the user told, and reminders start afresh."""
    key = KEY_PREFIX + mock_config_entry.entry_id
    hass_storage[key] = {"key": key, **stored}
    mock_config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert mock_config_entry.state is ConfigEntryState.LOADED
    issue = issue_registry.async_get_issue(
        DOMAIN, f"maintenance_store_unreadable_{mock_config_entry.entry_id}"
    )
    assert issue is not None
    assert issue.severity is ir.IssueSeverity.WARNING
    assert not issue.is_fixable
    assert issue.translation_placeholders is not None
    assert issue.translation_placeholders["title"] == "Aquarea"
    # Defaults, and everything else still works.
    assert state_of(hass, FILTERS).state == (START + timedelta(days=90)).isoformat()
    assert state_of(hass, "binary_sensor.aquarea_problem").state == STATE_OFF
    await hass.services.async_call(
        DOMAIN,
        "complete_task",
        {"device_id": pump_device_id(hass), "task": "clean_filters"},
        blocking=True,
    )
    fresh = _stored(hass_storage, mock_config_entry)
    assert (fresh["version"], fresh["minor_version"]) == (1, 2)
    assert fresh["data"]["tasks"]["clean_filters"]["records"]


async def test_unreadable_file_recovers(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    mock_gateway: MagicMock,
    issue_registry: ir.IssueRegistry,
) -> None:
    """A file that cannot be read at all is handled the same way."""
    mock_config_entry.add_to_hass(hass)
    with patch(
        "custom_components.heat_pump_care.maintenance_store.MaintenanceStore.async_load",
        side_effect=HomeAssistantError("permission denied"),
    ):
        await hass.config_entries.async_setup(mock_config_entry.entry_id)
        await hass.async_block_till_done()
    assert mock_config_entry.state is ConfigEntryState.LOADED
    issue = issue_registry.async_get_issue(
        DOMAIN, f"maintenance_store_unreadable_{mock_config_entry.entry_id}"
    )
    assert issue is not None
    assert issue.translation_placeholders is not None
    assert "permission denied" in issue.translation_placeholders["error"]
    assert hass.states.get(FILTERS) is not None


def test_move_aside(tmp_path: Path) -> None:
    """The unreadable file is renamed next to itself; a missing one stays where it is."""
    path = tmp_path / "heat_pump_care.maintenance.x"
    path.write_text("{", encoding="utf-8")
    moved = move_aside(path, START)
    assert moved.name == "heat_pump_care.maintenance.x.unreadable.20260115T060000"
    assert moved.read_text(encoding="utf-8") == "{"
    assert not path.exists()
    assert move_aside(path, START) == path
    with patch.object(Path, "rename", side_effect=PermissionError("read-only")):
        path.write_text("{", encoding="utf-8")
        assert move_aside(path, START) == path


async def test_remove_entry_deletes_history(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_storage: dict[str, Any],
) -> None:
    """Removing the heat pump removes its maintenance history."""
    await hass.services.async_call(
        DOMAIN,
        "complete_task",
        {"device_id": pump_device_id(hass), "task": "clean_filters"},
        blocking=True,
    )
    assert KEY_PREFIX + init_integration.entry_id in hass_storage
    await hass.config_entries.async_remove(init_integration.entry_id)
    await hass.async_block_till_done()
    assert KEY_PREFIX + init_integration.entry_id not in hass_storage


@pytest.mark.usefixtures("mock_gateway")
async def test_newer_minor_schema_is_read(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    hass_storage: dict[str, Any],
) -> None:
    """A newer minor version only adds fields: this release reads what it knows."""
    key = KEY_PREFIX + mock_config_entry.entry_id
    done = START - timedelta(days=1)
    hass_storage[key] = {
        "version": 1,
        "minor_version": 9,
        "key": key,
        "data": {
            "tracking_since": done.isoformat(),
            "run_hours_at_start": 1532.0,
            "counted_run_hours": 0.0,
            "tasks": {},
            "added_later": True,
        },
    }
    mock_config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert state_of(hass, FILTERS).attributes["last_done"] == done.isoformat()
    assert not ir.async_get(hass).issues
