"""Repair issues for owner-fixable faults, and their fix flows."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any
from unittest.mock import MagicMock

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.heat_pump_care.client import (
    GatewayConnectionError,
    HeatPumpSnapshot,
)
from custom_components.heat_pump_care.const import DOMAIN
from tests.helpers import poll, state_of

from .conftest import show_faults, snapshot_fixture, with_faults

FIX_URL = "/api/repairs/issues/fix"


def _issue_id(entry: MockConfigEntry, code: str) -> str:
    return f"fault_{entry.entry_id}_{code}"


@pytest.fixture
async def client(hass: HomeAssistant, hass_client: ClientSessionGenerator) -> Any:
    """An HTTP client for the repairs API, as the frontend uses it."""
    assert await async_setup_component(hass, "repairs", {})
    return await hass_client()


async def _start(client: Any, issue_id: str) -> dict[str, Any]:
    response = await client.post(
        FIX_URL, json={"handler": DOMAIN, "issue_id": issue_id}
    )
    assert response.status == HTTPStatus.OK
    return dict(await response.json())


async def _submit(client: Any, flow_id: str) -> dict[str, Any]:
    response = await client.post(f"{FIX_URL}/{flow_id}", json={})
    assert response.status == HTTPStatus.OK
    return dict(await response.json())


async def test_issue_for_owner_fixable_fault_only(
    hass: HomeAssistant,
    issue_registry: ir.IssueRegistry,
    init_integration: MockConfigEntry,
    mock_gateway: MagicMock,
    freezer: FrozenDateTimeFactory,
) -> None:
    """H62 (owner can fix) gets an issue with its meaning, steps and glossary link; H15 not."""
    mock_gateway.async_snapshot.return_value = with_faults(
        snapshot_fixture(), "H62", "H15"
    )
    await poll(hass, freezer)
    assert (
        issue_registry.async_get_issue(DOMAIN, _issue_id(init_integration, "H15"))
        is None
    )
    issue = issue_registry.async_get_issue(DOMAIN, _issue_id(init_integration, "H62"))
    assert issue is not None
    assert issue.is_fixable
    assert issue.translation_key == "fault"
    placeholders = issue.translation_placeholders or {}
    assert placeholders["title"] == "Water flow switch fault"
    assert "too little or no water flow" in placeholders["meaning"]
    assert placeholders["steps"].startswith("1. ")
    assert placeholders["glossary"] == (
        "https://github.com/heat-pump-care/heat-pump-care/blob/main/docs/glossary/"
        "panasonic.md#h62-water-flow-switch-fault"
    )
    # The technician-only fault is a clear state instead, with what to tell them.
    technician = state_of(hass, "binary_sensor.aquarea_technician_needed")
    assert technician.state == "on"
    assert technician.attributes["codes"] == ["H15"]
    assert "H15" in technician.attributes["tell_technician"][0]

    await show_faults(hass, freezer, mock_gateway)
    assert (
        issue_registry.async_get_issue(DOMAIN, _issue_id(init_integration, "H62"))
        is None
    )
    assert state_of(hass, "binary_sensor.aquarea_technician_needed").state == "off"


async def test_device_name_is_escaped(
    hass: HomeAssistant,
    issue_registry: ir.IssueRegistry,
    mock_config_entry: MockConfigEntry,
    mock_gateway: MagicMock,
) -> None:
    """The device's name comes from the gateway and is shown literally."""
    snapshot = with_faults(snapshot_fixture(), "H62")
    device = snapshot.device.__class__(
        **{**snapshot.device.__dict__, "name": "<b>Pump</b> [x](y)"}
    )
    mock_gateway.async_snapshot.return_value = HeatPumpSnapshot(
        device=device, time=snapshot.time, state=snapshot.state
    )
    mock_config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    issue = issue_registry.async_get_issue(DOMAIN, _issue_id(mock_config_entry, "H62"))
    assert issue is not None
    assert (issue.translation_placeholders or {})["device"] == (
        r"\<b\>Pump\</b\> \[x\](y)"
    )


async def test_fix_flow_walks_steps_and_resets(
    hass: HomeAssistant,
    *,
    issue_registry: ir.IssueRegistry,
    init_integration: MockConfigEntry,
    mock_gateway: MagicMock,
    freezer: FrozenDateTimeFactory,
    client: Any,
) -> None:
    """Each step in turn, safety first; a failed reset can be retried; the fault clears."""
    await show_faults(hass, freezer, mock_gateway, "H62")
    issue_id = _issue_id(init_integration, "H62")

    result = await _start(client, issue_id)
    steps: list[dict[str, str]] = []
    while result["step_id"] == "step":
        steps.append(result["description_placeholders"])
        result = await _submit(client, result["flow_id"])
    assert steps[0]["number"] == "1"
    assert steps[0]["section"] == "Safety first"
    assert len(steps) == int(steps[0]["total"])
    assert result["step_id"] == "reset"

    mock_gateway.async_reset.side_effect = GatewayConnectionError("gone")
    result = await _submit(client, result["flow_id"])
    assert result["errors"] == {"base": "reset_failed"}
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is not None

    mock_gateway.async_reset.side_effect = None
    mock_gateway.async_snapshot.return_value = snapshot_fixture()
    result = await _submit(client, result["flow_id"])
    assert result["type"] == "create_entry"
    mock_gateway.async_reset.assert_called_with("aquarea", "generic")
    await hass.async_block_till_done()
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None
    assert state_of(hass, "sensor.aquarea_fault").state == "no_fault"
    last = state_of(hass, "sensor.aquarea_last_fault")
    assert last.state == "H62"
    assert last.attributes["active"] is False
    assert last.attributes["cleared_at"]


@pytest.mark.parametrize(
    "mock_config_entry",
    [
        MockConfigEntry(
            domain=DOMAIN,
            title="Aquarea",
            data={
                "host": "heishamon.local",
                "port": 80,
                "token": None,
                "device_id": "heishamon",
                "protocol": "heishamon",
                "brand": "panasonic",
                "family": "aquarea",
            },
        )
    ],
)
async def test_fix_flow_acknowledges_without_reset(
    hass: HomeAssistant,
    *,
    issue_registry: ir.IssueRegistry,
    init_integration: MockConfigEntry,
    mock_gateway: MagicMock,
    freezer: FrozenDateTimeFactory,
    client: Any,
) -> None:
    """A gateway without reset ends by acknowledging; the issue stays away until raised again."""
    faulty = with_faults(snapshot_fixture(), "H62")
    mock_gateway.async_snapshot.return_value = faulty
    await poll(hass, freezer)
    issue_id = _issue_id(init_integration, "H62")

    result = await _start(client, issue_id)
    while result["step_id"] == "step":
        result = await _submit(client, result["flow_id"])
    assert result["step_id"] == "acknowledge"
    result = await _submit(client, result["flow_id"])
    assert result["type"] == "create_entry"
    mock_gateway.async_reset.assert_not_called()

    await poll(hass, freezer)
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None

    # Cleared and raised again: a new occurrence gets a new issue.
    await show_faults(hass, freezer, mock_gateway)
    mock_gateway.async_snapshot.return_value = faulty
    await poll(hass, freezer)
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is not None


async def test_fault_surviving_reset_comes_back(
    hass: HomeAssistant,
    *,
    issue_registry: ir.IssueRegistry,
    init_integration: MockConfigEntry,
    mock_gateway: MagicMock,
    freezer: FrozenDateTimeFactory,
    client: Any,
) -> None:
    """A reset that does not remove the cause leaves the fault, and its issue, in place."""
    await show_faults(hass, freezer, mock_gateway, "H62")
    issue_id = _issue_id(init_integration, "H62")
    result = await _start(client, issue_id)
    while result["type"] == "form":
        result = await _submit(client, result["flow_id"])
    assert result["type"] == "create_entry"
    await poll(hass, freezer)
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is not None


async def test_fix_flow_aborts_when_fault_cleared(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    mock_gateway: MagicMock,
    freezer: FrozenDateTimeFactory,
    client: Any,
) -> None:
    """A fault that cleared while the flow was open leaves nothing to fix."""
    await show_faults(hass, freezer, mock_gateway, "H62")
    result = await _start(client, _issue_id(init_integration, "H62"))
    assert result["step_id"] == "step"

    await show_faults(hass, freezer, mock_gateway)
    result = await _submit(client, result["flow_id"])
    assert result["type"] == "abort"
    assert result["reason"] == "fault_gone"


async def test_unload_removes_issues(
    hass: HomeAssistant,
    issue_registry: ir.IssueRegistry,
    init_integration: MockConfigEntry,
    mock_gateway: MagicMock,
    freezer: FrozenDateTimeFactory,
) -> None:
    """An unloaded heat pump leaves no issue behind; reloading brings it back."""
    await show_faults(hass, freezer, mock_gateway, "H62")
    issue_id = _issue_id(init_integration, "H62")
    assert await hass.config_entries.async_unload(init_integration.entry_id)
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None
    assert await hass.config_entries.async_setup(init_integration.entry_id)
    await hass.async_block_till_done()
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is not None


async def test_fix_flow_aborts_at_reset_when_gone(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    mock_gateway: MagicMock,
    freezer: FrozenDateTimeFactory,
    client: Any,
) -> None:
    """A fault cleared by itself just before the reset is not reset; an unloaded pump neither."""
    await show_faults(hass, freezer, mock_gateway, "H62")
    issue_id = _issue_id(init_integration, "H62")
    result = await _start(client, issue_id)
    while result["step_id"] == "step":
        result = await _submit(client, result["flow_id"])
    assert result["step_id"] == "reset"

    await show_faults(hass, freezer, mock_gateway)
    result = await _submit(client, result["flow_id"])
    assert result["reason"] == "fault_gone"
    mock_gateway.async_reset.assert_not_called()

    await show_faults(hass, freezer, mock_gateway, "H62")
    result = await _start(client, issue_id)
    assert await hass.config_entries.async_unload(init_integration.entry_id)
    result = await _submit(client, result["flow_id"])
    assert result["reason"] == "fault_gone"
