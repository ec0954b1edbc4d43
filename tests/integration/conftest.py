"""Fixtures for the Home Assistant side of Heat Pump Care."""

from __future__ import annotations

from collections.abc import Generator
import dataclasses
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from unittest.mock import AsyncMock, MagicMock, patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import MAJOR_VERSION, MINOR_VERSION, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.syrupy import (
    HomeAssistantSnapshotExtension,
)
from syrupy.assertion import SnapshotAssertion

from custom_components.heat_pump_care import PLATFORMS
from custom_components.heat_pump_care.client import (
    ActiveFault,
    HeatPumpSnapshot,
    Protocol,
)
from custom_components.heat_pump_care.client.models import parse_devices, parse_snapshot
from custom_components.heat_pump_care.const import DOMAIN
from tests.helpers import load_payload, poll

SERIAL = "SIM-AQ-0001"
START = datetime(2026, 1, 15, 6, tzinfo=UTC)
ENTRY_DATA = {
    "source": "http",
    "host": "gateway.local",
    "port": 8765,
    "token": "secret-token",
    "device_id": "aquarea",
    "protocol": "generic",
    "brand": "panasonic",
    "family": "aquarea",
}


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant load the integration from custom_components/."""


class VersionedSnapshotExtension(HomeAssistantSnapshotExtension):
    """Keep one snapshot set per Home Assistant version: registries differ between them."""

    @classmethod
    def dirname(cls, *, test_location: Any) -> str:
        """Store snapshots in snapshots-haMAJOR.MINOR next to the test.

        Not inside snapshots/: the default extension scans that folder and would call
        the other version's files unused.
        """
        folder = f"snapshots-ha{MAJOR_VERSION}.{MINOR_VERSION}"
        return str(Path(test_location.filepath).parent / folder)


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Snapshot assertion using the per-version folder."""
    return snapshot.use_extension(VersionedSnapshotExtension)


@pytest.fixture
def entity_registry_enabled_by_default() -> Generator[None]:
    """Enable every entity, including those disabled by default."""
    with patch(
        "homeassistant.helpers.entity.Entity.entity_registry_enabled_default",
        return_value=True,
    ):
        yield


@pytest.fixture
def mock_config_entry() -> MockConfigEntry:
    """A config entry for the simulated Aquarea."""
    return MockConfigEntry(
        domain=DOMAIN, title="Aquarea", unique_id=SERIAL, data=dict(ENTRY_DATA)
    )


def snapshot_fixture(name: str = "device_aquarea.json") -> HeatPumpSnapshot:
    """A snapshot parsed from a payload captured from the simulator."""
    return parse_snapshot(load_payload(name))


def with_faults(snapshot: HeatPumpSnapshot, *codes: str) -> HeatPumpSnapshot:
    """The same snapshot with other active faults."""
    state = dataclasses.replace(
        snapshot.state, faults=tuple(ActiveFault(code=code) for code in codes)
    )
    return dataclasses.replace(snapshot, state=state)


async def show_faults(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    gateway: MagicMock,
    *codes: str,
) -> None:
    """Let the gateway report these active faults (none: no fault), then poll it."""
    gateway.async_snapshot.return_value = with_faults(snapshot_fixture(), *codes)
    await poll(hass, freezer)


def pump_device_id(hass: HomeAssistant) -> str:
    """The device registry ID of the heat pump every entry here sets up."""
    device = dr.async_get(hass).async_get_device(identifiers={(DOMAIN, SERIAL)})
    assert device is not None
    return device.id


@pytest.fixture
def mock_gateway() -> Generator[MagicMock]:
    """Replace the gateway client in both the config flow and the coordinator."""
    client = MagicMock()
    client.async_devices = AsyncMock(
        return_value=parse_devices(load_payload("devices.json"))
    )
    client.async_snapshot = AsyncMock(return_value=snapshot_fixture())
    client.async_reset = AsyncMock(return_value=snapshot_fixture())
    with (
        patch(
            "custom_components.heat_pump_care.config_flow.HeatPumpGatewayClient",
            return_value=client,
        ),
        patch(
            "custom_components.heat_pump_care.coordinator.HeatPumpGatewayClient",
            return_value=client,
        ),
    ):
        yield client


@pytest.fixture
def platforms() -> list[Platform]:
    """The platforms to set up; a test module narrows this for its snapshot."""
    return list(PLATFORMS)


@pytest.fixture
async def init_integration(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    mock_gateway: MagicMock,
    platforms: list[Platform],
    freezer: FrozenDateTimeFactory,
) -> MockConfigEntry:
    """Set up the integration with the mocked gateway."""
    # Maintenance due dates count from set-up: a fixed start keeps snapshots stable.
    freezer.move_to(START)
    mock_config_entry.add_to_hass(hass)
    with patch("custom_components.heat_pump_care.PLATFORMS", platforms):
        await hass.config_entries.async_setup(mock_config_entry.entry_id)
        await hass.async_block_till_done()
    return mock_config_entry


__all__ = ["ENTRY_DATA", "SERIAL", "Protocol", "snapshot_fixture", "with_faults"]
