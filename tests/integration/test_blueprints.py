"""The shipped blueprints, loaded by Home Assistant's blueprint integration and run."""

from __future__ import annotations

from pathlib import Path
import re
import shutil
from typing import Any
from unittest.mock import MagicMock

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_mock_service,
)

from tests.helpers import poll

from .conftest import show_faults, snapshot_fixture, with_faults

BLUEPRINTS = Path(__file__).parents[2] / "blueprints"
EVENT = "event.aquarea_fault"


@pytest.fixture
def notifications(hass: HomeAssistant, tmp_path: Path) -> list[ServiceCall]:
    """The repository's blueprints in a fresh config folder, and a notify action to watch."""
    hass.config.config_dir = str(tmp_path)
    shutil.copytree(BLUEPRINTS, tmp_path / "blueprints")
    calls: list[ServiceCall] = async_mock_service(hass, "notify", "phone")
    return calls


async def _automation(hass: HomeAssistant, path: str, **inputs: Any) -> None:
    assert await async_setup_component(
        hass,
        "automation",
        {"automation": {"use_blueprint": {"path": path, "input": inputs}}},
    )
    await hass.async_block_till_done()


async def _notify_fault_automation(hass: HomeAssistant, **inputs: Any) -> None:
    await _automation(
        hass,
        "heat_pump_care/notify_fault.yaml",
        fault_event=EVENT,
        notify_action="notify.phone",
        **inputs,
    )


async def test_notify_on_fault(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    mock_gateway: MagicMock,
    freezer: FrozenDateTimeFactory,
    notifications: list[ServiceCall],
) -> None:
    """A raised fault notifies with its decoded meaning and steps; its clear does not."""
    await _notify_fault_automation(hass)
    await show_faults(hass, freezer, mock_gateway, "H62")

    assert len(notifications) == 1
    data = notifications[0].data
    assert "H62" in data["title"]
    assert "Water flow switch fault" in data["title"]
    assert "water flow switch has reported too little" in data["message"]
    assert "What you can do:\n1. " in data["message"]
    assert "technician and tell them" not in data["message"]

    await show_faults(hass, freezer, mock_gateway)
    assert len(notifications) == 1


async def test_technician_fault_says_what_to_tell(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    mock_gateway: MagicMock,
    freezer: FrozenDateTimeFactory,
    notifications: list[ServiceCall],
) -> None:
    """A technician-only fault says to call one, and what to tell them."""
    await _notify_fault_automation(hass)
    await show_faults(hass, freezer, mock_gateway, "H15")
    assert len(notifications) == 1
    assert (
        "Call a technician and tell them: Error H15"
        in (notifications[0].data["message"])
    )


async def test_severity_filter(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    mock_gateway: MagicMock,
    freezer: FrozenDateTimeFactory,
    notifications: list[ServiceCall],
) -> None:
    """Severities left out do not notify; the chosen ones do."""
    await _notify_fault_automation(hass, severities=["critical"])
    # H15 is a warning, H62 critical.
    await show_faults(hass, freezer, mock_gateway, "H15")
    assert notifications == []
    mock_gateway.async_snapshot.return_value = with_faults(
        snapshot_fixture(), "H15", "H62"
    )
    await poll(hass, freezer)
    assert [call.data["title"].split(": ")[1][:3] for call in notifications] == ["H62"]


@pytest.mark.parametrize(
    ("start", "end", "notified"),
    [
        ("22:00:00", "07:00:00", False),
        ("01:00:00", "04:00:00", False),
        ("08:00:00", "20:00:00", True),
        ("23:00:00", "02:00:00", True),
    ],
)
async def test_quiet_hours(
    hass: HomeAssistant,
    *,
    init_integration: MockConfigEntry,
    mock_gateway: MagicMock,
    freezer: FrozenDateTimeFactory,
    notifications: list[ServiceCall],
    start: str,
    end: str,
    notified: bool,
) -> None:
    """No notification inside the quiet hours (also across midnight); one outside."""
    await hass.config.async_set_time_zone("UTC")
    # Forward in time, so the next poll is still due.
    freezer.move_to("2030-01-15T03:00:00+00:00")
    await _notify_fault_automation(hass, quiet_start=start, quiet_end=end)
    await show_faults(hass, freezer, mock_gateway, "H62")
    assert bool(notifications) is notified


async def test_device_text_is_escaped(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    mock_gateway: MagicMock,
    freezer: FrozenDateTimeFactory,
    notifications: list[ServiceCall],
) -> None:
    """A code the glossary lacks is quoted from the device: never rendered as markup."""
    await _notify_fault_automation(hass)
    mock_gateway.async_snapshot.return_value = with_faults(
        snapshot_fixture(), "<img src=x>[y](z)"
    )
    await poll(hass, freezer)
    assert len(notifications) == 1
    data = notifications[0].data
    assert not re.search(r"(?<!\\)[<\[]", data["title"] + data["message"])
    assert r"\<img src=x\>\[y\](z)" in data["title"]


async def test_maintenance_reminder(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    mock_gateway: MagicMock,
    freezer: FrozenDateTimeFactory,
    notifications: list[ServiceCall],
) -> None:
    """A task coming due (here: the strainer, which H62 points to) sends a reminder."""
    await _automation(
        hass,
        "heat_pump_care/maintenance_reminder.yaml",
        fault_event=EVENT,
        notify_action="notify.phone",
    )
    await show_faults(hass, freezer, mock_gateway, "H62")
    assert len(notifications) == 1
    data = notifications[0].data
    assert "strainer" in data["title"].lower()
    assert "fault H62 points to it" in data["message"]

    # Only fault events follow: no second reminder.
    await show_faults(hass, freezer, mock_gateway)
    assert len(notifications) == 1
