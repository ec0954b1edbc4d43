"""Diagnostics download."""

from __future__ import annotations

from unittest.mock import MagicMock

from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion
from syrupy.filters import props

from .conftest import snapshot_fixture, with_faults


async def test_diagnostics(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    mock_config_entry: MockConfigEntry,
    mock_gateway: MagicMock,
    snapshot: SnapshotAssertion,
) -> None:
    """Diagnostics hold the snapshot and decoded faults, with secrets redacted."""
    mock_gateway.async_snapshot.return_value = with_faults(snapshot_fixture(), "H15")
    mock_config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()

    diagnostics = await get_diagnostics_for_config_entry(
        hass, hass_client, mock_config_entry
    )
    assert diagnostics["entry"]["token"] == "**REDACTED**"
    assert diagnostics["entry"]["host"] == "**REDACTED**"
    assert diagnostics["snapshot"]["device"]["serial"] == "**REDACTED**"
    assert diagnostics["faults"][0]["code"] == "H15"
    assert diagnostics["fault_history"]["records"][0]["count"] == 1
    # The history's times are those of the test run.
    timed = ("first_seen", "last_raised", "last_seen", "active_since", "occurrences")
    assert diagnostics["maintenance"]["run_hours_at_start"] == 1532.0
    assert diagnostics == snapshot(
        exclude=props(*timed, "total_active_seconds", "tracking_since")
    )
