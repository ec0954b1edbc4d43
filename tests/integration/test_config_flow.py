"""The config flow: user, device choice, model choice, reconfigure and reauth."""

from __future__ import annotations

import dataclasses
from unittest.mock import MagicMock

from homeassistant.config_entries import SOURCE_USER, ConfigFlowResult
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.heat_pump_care.client import (
    GatewayAuthenticationError,
    GatewayConnectionError,
    GatewayDevice,
    GatewayHostError,
    GatewayResponseError,
    Protocol,
)
from custom_components.heat_pump_care.client.heishamon import HEISHAMON_DEVICE
from custom_components.heat_pump_care.const import DOMAIN

from .conftest import ENTRY_DATA, SERIAL

USER_INPUT = {"host": "gateway.local", "port": 8765, "token": "secret-token"}


def _only(mock_gateway: MagicMock, *device_ids: str) -> None:
    devices = mock_gateway.async_devices.return_value
    mock_gateway.async_devices.return_value = [d for d in devices if d.id in device_ids]


def _select_options(result: ConfigFlowResult, field: str) -> list[dict[str, str]]:
    schema = result["data_schema"]
    assert schema is not None
    options: list[dict[str, str]] = schema.schema[field].config["options"]
    return options


async def _start(hass: HomeAssistant) -> str:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.MENU
    assert result["menu_options"] == ["http", "mqtt_gateway", "entity"]
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "http"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "http"
    assert result["errors"] == {}
    return str(result["flow_id"])


@pytest.mark.usefixtures("mock_gateway")
async def test_user_flow_single_device(
    hass: HomeAssistant, mock_gateway: MagicMock
) -> None:
    """One heat pump that reports its brand and family: one form, then an entry."""
    _only(mock_gateway, "aquarea")
    flow_id = await _start(hass)
    result = await hass.config_entries.flow.async_configure(flow_id, USER_INPUT)

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Aquarea"
    assert result["data"] == ENTRY_DATA
    assert result["result"].unique_id == SERIAL


async def test_user_flow_choose_device(
    hass: HomeAssistant, mock_gateway: MagicMock
) -> None:
    """Several heat pumps behind one gateway: the user picks one."""
    flow_id = await _start(hass)
    result = await hass.config_entries.flow.async_configure(
        flow_id, {**USER_INPUT, "token": ""}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "device"

    result = await hass.config_entries.flow.async_configure(
        flow_id, {"device": "altherma"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["result"].unique_id == "SIM-DK-0001"
    assert result["data"]["brand"] == "daikin"
    assert result["data"]["family"] == "altherma"
    assert result["data"]["token"] is None


async def test_device_step_hides_configured_pumps(
    hass: HomeAssistant, mock_gateway: MagicMock, mock_config_entry: MockConfigEntry
) -> None:
    """Pumps already set up are not offered again; when none is left, abort."""
    mock_config_entry.add_to_hass(hass)
    flow_id = await _start(hass)
    result = await hass.config_entries.flow.async_configure(flow_id, USER_INPUT)
    assert result["step_id"] == "device"
    options = _select_options(result, "device")
    assert [option["value"] for option in options] == ["altherma"]

    MockConfigEntry(domain=DOMAIN, unique_id="SIM-DK-0001", data={}).add_to_hass(hass)
    flow_id = await _start(hass)
    result = await hass.config_entries.flow.async_configure(flow_id, USER_INPUT)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


async def test_user_flow_asks_model_when_unreported(
    hass: HomeAssistant, mock_gateway: MagicMock
) -> None:
    """A gateway that does not know the brand: the user chooses brand and family."""
    device = GatewayDevice(
        id="pump",
        protocol=Protocol.GENERIC,
        serial="X-1",
        brand=None,
        family=None,
        model=None,
        firmware=None,
        name=None,
    )
    mock_gateway.async_devices.return_value = [device]
    flow_id = await _start(hass)
    result = await hass.config_entries.flow.async_configure(flow_id, USER_INPUT)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "model"
    values = [option["value"] for option in _select_options(result, "model")]
    assert "panasonic:aquarea" in values
    assert "daikin:altherma" in values

    result = await hass.config_entries.flow.async_configure(
        flow_id, {"model": "daikin:altherma"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Daikin Altherma air-to-water"
    assert result["data"]["brand"] == "daikin"
    assert result["data"]["family"] == "altherma"


async def test_user_flow_unknown_family_asks_model(
    hass: HomeAssistant, mock_gateway: MagicMock
) -> None:
    """A brand we know with a family we do not: ask rather than guess."""
    device = mock_gateway.async_devices.return_value[0]
    mock_gateway.async_devices.return_value = [
        dataclasses.replace(device, family="unheard_of")
    ]
    flow_id = await _start(hass)
    result = await hass.config_entries.flow.async_configure(flow_id, USER_INPUT)
    assert result["step_id"] == "model"


async def test_heishamon_without_serial(
    hass: HomeAssistant, mock_gateway: MagicMock
) -> None:
    """HeishaMon has no serial: no unique ID, but the same address is not added twice."""
    mock_gateway.async_devices.return_value = [HEISHAMON_DEVICE]
    flow_id = await _start(hass)
    result = await hass.config_entries.flow.async_configure(flow_id, USER_INPUT)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["result"].unique_id is None
    assert result["data"]["protocol"] == "heishamon"

    flow_id = await _start(hass)
    result = await hass.config_entries.flow.async_configure(flow_id, USER_INPUT)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


@pytest.mark.parametrize(
    ("error", "field", "key"),
    [
        (GatewayHostError("no such host"), "host", "invalid_host"),
        (GatewayConnectionError("refused"), "port", "cannot_connect"),
        (GatewayAuthenticationError("bad token"), "token", "invalid_auth"),
        (GatewayResponseError("garbage"), "base", "invalid_response"),
        (RuntimeError("boom"), "base", "unknown"),
    ],
)
async def test_user_flow_errors_recover(
    hass: HomeAssistant,
    mock_gateway: MagicMock,
    error: Exception,
    field: str,
    key: str,
) -> None:
    """Each failure shows its own error on the form; fixing the input finishes the flow."""
    _only(mock_gateway, "aquarea")
    devices = mock_gateway.async_devices.return_value
    mock_gateway.async_devices.side_effect = error
    flow_id = await _start(hass)
    result = await hass.config_entries.flow.async_configure(flow_id, USER_INPUT)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {field: key}

    mock_gateway.async_devices.side_effect = None
    mock_gateway.async_devices.return_value = devices
    result = await hass.config_entries.flow.async_configure(flow_id, USER_INPUT)
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_user_flow_no_devices(
    hass: HomeAssistant, mock_gateway: MagicMock
) -> None:
    """A gateway with no heat pump behind it."""
    mock_gateway.async_devices.return_value = []
    flow_id = await _start(hass)
    result = await hass.config_entries.flow.async_configure(flow_id, USER_INPUT)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "no_devices"


async def test_user_flow_already_configured(
    hass: HomeAssistant, mock_gateway: MagicMock, mock_config_entry: MockConfigEntry
) -> None:
    """The same heat pump at another address is still the same heat pump."""
    _only(mock_gateway, "aquarea")
    mock_config_entry.add_to_hass(hass)
    flow_id = await _start(hass)
    result = await hass.config_entries.flow.async_configure(
        flow_id, {**USER_INPUT, "host": "10.0.0.99"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


async def test_reconfigure(
    hass: HomeAssistant, init_integration: MockConfigEntry, mock_gateway: MagicMock
) -> None:
    """The gateway moved: new host and port, same heat pump, entry reloaded."""
    result = await init_integration.start_reconfigure_flow(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure"

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {"host": "gateway2.local", "port": 9000, "token": "secret-token"},
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert init_integration.data["host"] == "gateway2.local"
    assert init_integration.data["port"] == 9000


async def test_reconfigure_error_then_success(
    hass: HomeAssistant, init_integration: MockConfigEntry, mock_gateway: MagicMock
) -> None:
    """A wrong new address shows an error; the corrected one is accepted."""
    result = await init_integration.start_reconfigure_flow(hass)
    mock_gateway.async_devices.side_effect = GatewayHostError("nope")
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"host": "typo.local", "port": 8765}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"host": "invalid_host"}

    mock_gateway.async_devices.side_effect = None
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"host": "gateway.local", "port": 8765}
    )
    assert result["reason"] == "reconfigure_successful"
    assert init_integration.data["token"] is None


async def test_reconfigure_other_pump(
    hass: HomeAssistant, init_integration: MockConfigEntry, mock_gateway: MagicMock
) -> None:
    """A gateway that serves a different heat pump is refused."""
    _only(mock_gateway, "altherma")
    result = await init_integration.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], USER_INPUT
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_device"
    assert init_integration.data["host"] == "gateway.local"


async def test_reconfigure_empty_gateway(
    hass: HomeAssistant, init_integration: MockConfigEntry, mock_gateway: MagicMock
) -> None:
    """A gateway with no heat pump at all."""
    mock_gateway.async_devices.return_value = []
    result = await init_integration.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], USER_INPUT
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "no_devices"


async def test_reauth(
    hass: HomeAssistant, init_integration: MockConfigEntry, mock_gateway: MagicMock
) -> None:
    """A rejected token: the user enters a new one, a wrong one shows an error first."""
    result = await init_integration.start_reauth_flow(hass)
    assert result["step_id"] == "reauth_confirm"

    mock_gateway.async_devices.side_effect = GatewayAuthenticationError("still bad")
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"token": "wrong"}
    )
    assert result["errors"] == {"token": "invalid_auth"}

    mock_gateway.async_devices.side_effect = None
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"token": "new-token"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert init_integration.data["token"] == "new-token"
