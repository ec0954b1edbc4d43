"""Fault history: recorded per code, persisted, bounded, and shown in sensors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from unittest.mock import MagicMock

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
)

from custom_components.heat_pump_care.client import ActiveFault
from custom_components.heat_pump_care.const import DOMAIN
from custom_components.heat_pump_care.faults import FaultTracker
from custom_components.heat_pump_care.history import (
    MAX_CODES,
    MAX_OCCURRENCES,
    FaultHistory,
)
from custom_components.heat_pump_care.knowledge import load_default_catalog
from tests.helpers import poll, state_of

from .conftest import show_faults, snapshot_fixture, with_faults

LAST = "sensor.aquarea_last_fault"
COUNT = "sensor.aquarea_faults_in_the_last_30_days"


def _key(entry: MockConfigEntry) -> str:
    return f"{DOMAIN}.fault_history.{entry.entry_id}"


async def test_history_sensors_and_reload(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    init_integration: MockConfigEntry,
    mock_gateway: MagicMock,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Raise, clear, raise: counted and timed; a reload keeps it; 30 days later it ages out."""
    assert state_of(hass, COUNT).state == "0"
    assert state_of(hass, LAST).state == "unknown"
    faulty = with_faults(snapshot_fixture(), "H62")
    for _ in range(2):
        mock_gateway.async_snapshot.return_value = faulty
        await poll(hass, freezer)
        mock_gateway.async_snapshot.return_value = snapshot_fixture()
        await poll(hass, freezer, timedelta(minutes=5))
    assert state_of(hass, COUNT).state == "2"
    last = state_of(hass, LAST)
    assert last.state == "H62"
    assert last.attributes["title"] == "Water flow switch fault"
    assert last.attributes["active"] is False

    assert await hass.config_entries.async_reload(init_integration.entry_id)
    await hass.async_block_till_done()
    record = hass_storage[_key(init_integration)]["data"]["records"][0]
    assert record["code"] == "H62"
    assert record["count"] == 2
    assert record["total_active_seconds"] == 600
    assert record["last_cleared"] is not None
    assert state_of(hass, COUNT).state == "2"
    assert state_of(hass, LAST).state == "H62"

    await poll(hass, freezer, timedelta(days=31))
    assert state_of(hass, COUNT).state == "0"
    assert state_of(hass, LAST).state == "H62"


async def test_fault_cleared_while_stopped(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    mock_config_entry: MockConfigEntry,
    mock_gateway: MagicMock,
) -> None:
    """A fault stored as active but gone at start is closed; one still there is not recounted."""
    raised = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    record = {
        "title": "x",
        "severity": "critical",
        "count": 1,
        "first_seen": raised,
        "last_raised": raised,
        "last_seen": raised,
        "last_cleared": None,
        "active_since": raised,
        "acknowledged_at": None,
        "cleared_seconds": 0,
        "occurrences": [raised],
    }
    hass_storage[_key(mock_config_entry)] = {
        "version": 1,
        "minor_version": 1,
        "key": _key(mock_config_entry),
        "data": {"records": [{**record, "code": "H62"}, {**record, "code": "H15"}]},
    }
    mock_gateway.async_snapshot.return_value = with_faults(snapshot_fixture(), "H15")
    mock_config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    await hass.config_entries.async_unload(mock_config_entry.entry_id)
    stored = {
        item["code"]: item
        for item in hass_storage[_key(mock_config_entry)]["data"]["records"]
    }
    assert stored["H62"]["active_since"] is None
    assert stored["H62"]["total_active_seconds"] >= 3600
    assert stored["H15"]["active_since"] == raised
    assert stored["H15"]["count"] == 1


async def test_damaged_history(
    hass: HomeAssistant,
    *,
    hass_storage: dict[str, Any],
    issue_registry: ir.IssueRegistry,
    mock_config_entry: MockConfigEntry,
    mock_gateway: MagicMock,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A damaged file does not stop set-up: an issue says so and a new history starts."""
    hass_storage[_key(mock_config_entry)] = {
        "version": 1,
        "key": _key(mock_config_entry),
        "data": {
            "records": [
                {
                    "code": "H62",
                    "title": "x",
                    "severity": "warning",
                    "count": 1,
                    "first_seen": "<b>x</b>",
                }
            ]
        },
    }
    mock_config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    issue = issue_registry.async_get_issue(
        DOMAIN, f"fault_history_unreadable_{mock_config_entry.entry_id}"
    )
    assert issue is not None
    assert not issue.is_fixable
    placeholders = issue.translation_placeholders or {}
    # The error quotes the damaged file: shown literally, never as markup.
    assert r"\<b\>x\</b\>" in placeholders["error"]
    assert placeholders["title"] == "Aquarea"
    assert state_of(hass, COUNT).state == "0"

    # The new history works and is saved over the damaged one.
    await show_faults(hass, freezer, mock_gateway, "H62")
    assert state_of(hass, COUNT).state == "1"
    await hass.config_entries.async_unload(mock_config_entry.entry_id)
    records = hass_storage[_key(mock_config_entry)]["data"]["records"]
    assert [record["code"] for record in records] == ["H62"]


@pytest.mark.parametrize(
    ("version", "minor_version", "readable"),
    [(1, 2, True), (2, 1, False)],
)
async def test_stored_versions(
    hass: HomeAssistant,
    *,
    hass_storage: dict[str, Any],
    issue_registry: ir.IssueRegistry,
    mock_config_entry: MockConfigEntry,
    mock_gateway: MagicMock,
    version: int,
    minor_version: int,
    readable: bool,
) -> None:
    """A newer minor version is read as is; a newer major one is kept aside, not guessed at."""
    hass_storage[_key(mock_config_entry)] = {
        "version": version,
        "minor_version": minor_version,
        "key": _key(mock_config_entry),
        "data": {"records": []},
    }
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    issue = issue_registry.async_get_issue(
        DOMAIN, f"fault_history_unreadable_{mock_config_entry.entry_id}"
    )
    assert (issue is None) is readable
    assert state_of(hass, COUNT).state == "0"


async def test_removed_entry_forgets_history(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    init_integration: MockConfigEntry,
) -> None:
    """Removing the heat pump removes its stored history."""
    await hass.config_entries.async_unload(init_integration.entry_id)
    assert _key(init_integration) in hass_storage
    await hass.config_entries.async_remove(init_integration.entry_id)
    await hass.async_block_till_done()
    assert _key(init_integration) not in hass_storage


def test_history_is_bounded() -> None:
    """Old raise times, a flapping code and many codes are all capped; active ones stay."""
    tracker = FaultTracker(
        catalog=load_default_catalog(), brand="panasonic", family="aquarea"
    )
    history = FaultHistory()
    start = datetime(2025, 1, 1, tzinfo=UTC)
    flapping = tracker.decode(ActiveFault(code="H62"))
    history.update([flapping], start)
    for minute in range(1, 2 * MAX_OCCURRENCES):
        now = start + timedelta(minutes=minute)
        history.update([flapping] if minute % 2 == 0 else [], now)
    record = history.get("H62")
    assert record is not None
    assert record.count == MAX_OCCURRENCES
    assert len(record.occurrences) <= MAX_OCCURRENCES

    later = start + timedelta(days=400)
    codes = [tracker.decode(ActiveFault(code=f"Z{n}")) for n in range(MAX_CODES + 5)]
    history.update([flapping], later)
    for number, item in enumerate(codes):
        history.update([flapping, item], later + timedelta(minutes=number + 1))
    record = history.get("H62")
    assert record is not None
    assert record.active
    # The raises of more than a year ago are dropped.
    assert record.occurrences == [later]
    assert len(history.records) == MAX_CODES
    assert history.get("Z0") is None
    assert history.get(f"Z{MAX_CODES + 4}") is not None
    assert FaultHistory.from_dict(history.to_dict(later)).to_dict(later) == (
        history.to_dict(later)
    )


def test_count_survives_a_clock_set_back() -> None:
    """Raise times stay in order when the clock steps back, so the 30-day count is right."""
    tracker = FaultTracker(
        catalog=load_default_catalog(), brand="panasonic", family="aquarea"
    )
    fault = tracker.decode(ActiveFault(code="H62"))
    history = FaultHistory()
    start = datetime(2025, 3, 1, tzinfo=UTC)
    for minutes in (0, 30, 10, 20):  # the third raise comes after the clock went back
        history.update([fault], start + timedelta(minutes=minutes))
        history.update([], start + timedelta(minutes=minutes, seconds=30))
    record = history.get("H62")
    assert record is not None
    assert record.occurrences == sorted(record.occurrences)
    assert history.count_since(start + timedelta(minutes=15)) == 2
    assert history.count_since(start) == 4
    assert history.count_since(start + timedelta(hours=1)) == 0
    stored = history.to_dict(start)
    stored["records"][0]["occurrences"].reverse()
    assert (
        FaultHistory.from_dict(stored).count_since(start + timedelta(minutes=15)) == 2
    )


def test_history_edge_cases() -> None:
    """Only an active fault can be acknowledged; stored times must carry a time zone."""
    history = FaultHistory()
    now = datetime(2025, 1, 1, tzinfo=UTC)
    assert history.last is None
    assert not history.acknowledge("H62", now)
    assert not history.is_acknowledged("H62")
    with pytest.raises(ValueError, match="time zone"):
        FaultHistory.from_dict(
            {
                "records": [
                    {
                        "code": "H62",
                        "title": "x",
                        "severity": "warning",
                        "count": 1,
                        "first_seen": "2025-01-01T00:00:00",
                    }
                ]
            }
        )
