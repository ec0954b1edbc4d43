"""Typed models of what a gateway reports, parsed defensively from its JSON."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from enum import StrEnum
import math
import re
from typing import Any

from .exceptions import GatewayResponseError

_DEVICE_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


class Protocol(StrEnum):
    """The payload shape a heat pump's data arrives in."""

    GENERIC = "generic"
    HEISHAMON = "heishamon"
    ESPALTHERMA = "espaltherma"
    JSON = "json"
    ENTITY = "entity"

    @property
    def supports_reset(self) -> bool:
        """Whether the gateway can clear faults; the others only read the pump's bus."""
        return self is Protocol.GENERIC


class OperatingMode(StrEnum):
    """What the heat pump is set to do."""

    OFF = "off"
    HEAT = "heat"
    COOL = "cool"
    AUTO = "auto"
    DHW = "dhw"
    HEAT_DHW = "heat_dhw"
    COOL_DHW = "cool_dhw"
    AUTO_DHW = "auto_dhw"


@dataclass(frozen=True, kw_only=True)
class GatewayDevice:
    """Identity of one heat pump behind a gateway."""

    id: str
    protocol: Protocol
    serial: str | None
    brand: str | None
    family: str | None
    model: str | None
    firmware: str | None
    name: str | None


@dataclass(frozen=True, kw_only=True)
class ActiveFault:
    """A fault the heat pump currently shows."""

    code: str
    description: str | None = None
    since: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class HeatPumpState:
    """Operating figures and active faults at one moment."""

    operating_mode: OperatingMode | None
    outdoor_temperature: float | None
    flow_temperature: float | None
    return_temperature: float | None
    dhw_temperature: float | None
    compressor_running: bool | None
    compressor_frequency: float | None
    compressor_run_hours: float | None
    defrosting: bool | None
    faults: tuple[ActiveFault, ...]


@dataclass(frozen=True, kw_only=True)
class HeatPumpSnapshot:
    """Everything one poll of a gateway returned for one heat pump."""

    device: GatewayDevice
    time: datetime | None
    state: HeatPumpState

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict (for diagnostics)."""
        return asdict(self, dict_factory=_json_ready)


def _json_ready(items: list[tuple[str, Any]]) -> dict[str, Any]:
    return {
        key: value.isoformat() if isinstance(value, datetime) else value
        for key, value in items
    }


def _mapping(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise GatewayResponseError(f"{what} is not a JSON object")
    return value


def _optional_str(data: dict[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise GatewayResponseError(f"'{key}' is not a string")
    return value.strip() or None


def finite_number(value: Any, what: str, *, text: bool = False) -> float | None:
    """Read a finite number; with `text`, one written as text too ("", "---": none)."""
    if value is None:
        return None
    if text and isinstance(value, str):
        if value.strip("- ") == "":
            return None
    # bool is an int subclass; a boolean where a number belongs is garbage.
    elif isinstance(value, bool) or not isinstance(value, int | float):
        raise GatewayResponseError(f"{what} is not a number")
    try:
        number = float(value)
    except ValueError as err:
        raise GatewayResponseError(f"{what} is not a number") from err
    except OverflowError as err:
        raise GatewayResponseError(f"{what} is out of range") from err
    if not math.isfinite(number):
        raise GatewayResponseError(f"{what} is not a finite number")
    return number


def _optional_number(data: dict[str, Any], key: str) -> float | None:
    return finite_number(data.get(key), f"'{key}'")


def _optional_bool(data: dict[str, Any], key: str) -> bool | None:
    value = data.get(key)
    if value is None or isinstance(value, bool):
        return value
    raise GatewayResponseError(f"'{key}' is not a boolean")


def _optional_time(data: dict[str, Any], key: str) -> datetime | None:
    value = _optional_str(data, key)
    if value is None:
        return None
    try:
        time = datetime.fromisoformat(value)
    except ValueError as err:
        raise GatewayResponseError(f"'{key}' is not an ISO 8601 time") from err
    # Home Assistant's times are aware: a naive one could not even be compared with them.
    if time.tzinfo is None:
        raise GatewayResponseError(f"'{key}' has no UTC offset")
    return time


def parse_device(data: Any) -> GatewayDevice:
    """Parse one device entry of the generic protocol."""
    data = _mapping(data, "device")
    device_id = data.get("id")
    if not isinstance(device_id, str) or not _DEVICE_ID.fullmatch(device_id):
        raise GatewayResponseError("device 'id' is missing or invalid")
    brand = _optional_str(data, "brand")
    family = _optional_str(data, "family")
    return GatewayDevice(
        id=device_id,
        protocol=Protocol.GENERIC,
        serial=_optional_str(data, "serial"),
        brand=brand.lower() if brand else None,
        family=family.lower() if family else None,
        model=_optional_str(data, "model"),
        firmware=_optional_str(data, "firmware"),
        name=_optional_str(data, "name"),
    )


def parse_devices(data: Any) -> list[GatewayDevice]:
    """Parse the generic protocol's device list."""
    devices = _mapping(data, "response").get("devices")
    if not isinstance(devices, list):
        raise GatewayResponseError("'devices' is not a list")
    return [parse_device(device) for device in devices]


def _parse_fault(data: Any) -> ActiveFault:
    data = _mapping(data, "fault")
    code = _optional_str(data, "code")
    if code is None:
        raise GatewayResponseError("fault without a 'code'")
    return ActiveFault(
        code=code,
        description=_optional_str(data, "description"),
        since=_optional_time(data, "since"),
    )


def _parse_mode(data: dict[str, Any]) -> OperatingMode | None:
    mode = _optional_str(data, "operating_mode")
    if mode is None:
        return None
    try:
        return OperatingMode(mode.lower())
    except ValueError as err:
        raise GatewayResponseError(f"unknown operating mode '{mode}'") from err


def parse_snapshot(data: Any) -> HeatPumpSnapshot:
    """Parse the generic protocol's device document."""
    document = _mapping(data, "response")
    state = _mapping(document.get("state"), "'state'")
    faults = state.get("faults", [])
    if not isinstance(faults, list):
        raise GatewayResponseError("'faults' is not a list")
    return HeatPumpSnapshot(
        device=parse_device(document),
        time=_optional_time(document, "time"),
        state=HeatPumpState(
            operating_mode=_parse_mode(state),
            outdoor_temperature=_optional_number(state, "outdoor_temperature"),
            flow_temperature=_optional_number(state, "flow_temperature"),
            return_temperature=_optional_number(state, "return_temperature"),
            dhw_temperature=_optional_number(state, "dhw_temperature"),
            compressor_running=_optional_bool(state, "compressor_running"),
            compressor_frequency=_optional_number(state, "compressor_frequency"),
            compressor_run_hours=_optional_number(state, "compressor_run_hours"),
            defrosting=_optional_bool(state, "defrosting"),
            faults=tuple(_parse_fault(fault) for fault in faults),
        ),
    )
