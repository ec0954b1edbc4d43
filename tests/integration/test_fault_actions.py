"""The acknowledge_fault and reset_fault actions."""

from __future__ import annotations

from unittest.mock import MagicMock

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import device_registry as dr, issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
)

from custom_components.heat_pump_care.client import (
    GatewayConnectionError,
    GatewayUnsupportedError,
)
from custom_components.heat_pump_care.const import DOMAIN
from tests.helpers import poll, state_of

from .conftest import pump_device_id, show_faults, snapshot_fixture, with_faults


async def test_reset_fault(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    mock_gateway: MagicMock,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Reset calls the device's reset and polls at once; a failure is translated."""
    await show_faults(hass, freezer, mock_gateway, "H62")
    device_id = pump_device_id(hass)

    mock_gateway.async_reset.side_effect = GatewayConnectionError("gone")
    with pytest.raises(HomeAssistantError) as err:
        await hass.services.async_call(
            DOMAIN, "reset_fault", {"device_id": device_id}, blocking=True
        )
    assert err.value.translation_key == "reset_failed"
    assert state_of(hass, "sensor.aquarea_fault").state == "H62"

    mock_gateway.async_reset.side_effect = None
    mock_gateway.async_snapshot.return_value = snapshot_fixture()
    await hass.services.async_call(
        DOMAIN, "reset_fault", {"device_id": device_id}, blocking=True
    )
    mock_gateway.async_reset.assert_called_with("aquarea", "generic")
    # No poll interval passed: the reset polled by itself.
    assert state_of(hass, "sensor.aquarea_fault").state == "no_fault"


async def test_reset_unsupported(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    mock_gateway: MagicMock,
) -> None:
    """A gateway without reset is a translated error, not silence."""
    mock_gateway.async_reset.side_effect = GatewayUnsupportedError("no")
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN,
            "reset_fault",
            {"device_id": pump_device_id(hass)},
            blocking=True,
        )
    assert err.value.translation_key == "reset_not_supported"


async def test_acknowledge_fault(
    hass: HomeAssistant,
    *,
    issue_registry: ir.IssueRegistry,
    init_integration: MockConfigEntry,
    mock_gateway: MagicMock,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Acknowledging removes the repair issue; an inactive code is a validation error."""
    await show_faults(hass, freezer, mock_gateway, "H62")
    device_id = pump_device_id(hass)
    issue_id = f"fault_{init_integration.entry_id}_H62"
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is not None

    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN,
            "acknowledge_fault",
            {"device_id": device_id, "code": "H15"},
            blocking=True,
        )
    assert err.value.translation_key == "fault_not_active"
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is not None

    await hass.services.async_call(
        DOMAIN,
        "acknowledge_fault",
        {"device_id": device_id, "code": "h-62"},
        blocking=True,
    )
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None


async def test_acknowledge_all(
    hass: HomeAssistant,
    *,
    issue_registry: ir.IssueRegistry,
    init_integration: MockConfigEntry,
    mock_gateway: MagicMock,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Without a code every active fault is acknowledged."""
    mock_gateway.async_snapshot.return_value = with_faults(
        snapshot_fixture(), "H62", "H65"
    )
    await poll(hass, freezer)
    await hass.services.async_call(
        DOMAIN,
        "acknowledge_fault",
        {"device_id": pump_device_id(hass)},
        blocking=True,
    )
    for code in ("H62", "H65"):
        issue_id = f"fault_{init_integration.entry_id}_{code}"
        assert issue_registry.async_get_issue(DOMAIN, issue_id) is None


async def test_wrong_device(
    hass: HomeAssistant,
    device_registry: dr.DeviceRegistry,
    init_integration: MockConfigEntry,
) -> None:
    """Another integration's device, or a heat pump not running, is a validation error."""
    other = MockConfigEntry(domain="other")
    other.add_to_hass(hass)
    foreign = device_registry.async_get_or_create(
        config_entry_id=other.entry_id, identifiers={("other", "x")}
    )
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN, "reset_fault", {"device_id": foreign.id}, blocking=True
        )
    assert err.value.translation_key == "unknown_device"

    device_id = pump_device_id(hass)
    assert await hass.config_entries.async_unload(init_integration.entry_id)
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN, "acknowledge_fault", {"device_id": device_id}, blocking=True
        )
    assert err.value.translation_key == "device_not_loaded"

    # Loaded again, the same call works.
    assert await hass.config_entries.async_setup(init_integration.entry_id)
    await hass.async_block_till_done()
    await hass.services.async_call(
        DOMAIN, "acknowledge_fault", {"device_id": device_id}, blocking=True
    )
