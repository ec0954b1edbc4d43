"""Parse HeishaMon's `/json` topic list (Panasonic Aquarea) into a snapshot."""

from __future__ import annotations

from typing import Any

from .exceptions import GatewayResponseError
from .models import (
    ActiveFault,
    GatewayDevice,
    HeatPumpSnapshot,
    HeatPumpState,
    OperatingMode,
    Protocol,
    finite_number,
)

DEVICE_ID = "heishamon"

# HeishaMon's Operating_Mode_State values; auto (heat) and auto (cool) are both "auto".
_MODES = {
    "0": OperatingMode.HEAT,
    "1": OperatingMode.COOL,
    "2": OperatingMode.AUTO,
    "3": OperatingMode.DHW,
    "4": OperatingMode.HEAT_DHW,
    "5": OperatingMode.COOL_DHW,
    "6": OperatingMode.AUTO_DHW,
    "7": OperatingMode.AUTO,
    "8": OperatingMode.AUTO_DHW,
}

HEISHAMON_DEVICE = GatewayDevice(
    id=DEVICE_ID,
    protocol=Protocol.HEISHAMON,
    serial=None,
    brand="panasonic",
    family="aquarea",
    model=None,
    firmware=None,
    name="Aquarea",
)


def _topics(data: Any) -> dict[str, str]:
    if not isinstance(data, dict) or not isinstance(data.get("heatpump"), list):
        raise GatewayResponseError("not a HeishaMon topic list")
    topics: dict[str, str] = {}
    for topic in data["heatpump"]:
        if not isinstance(topic, dict):
            raise GatewayResponseError("HeishaMon topic is not an object")
        name, value = topic.get("Name"), topic.get("Value")
        # The firmware quotes every value; tolerate bare numbers from look-alikes.
        if isinstance(value, int | float) and not isinstance(value, bool):
            try:
                value = f"{value:g}"
            except OverflowError as err:
                raise GatewayResponseError(
                    f"HeishaMon topic {name} is out of range"
                ) from err
        if not isinstance(name, str) or not isinstance(value, str):
            raise GatewayResponseError("HeishaMon topic without Name or Value")
        topics[name] = value.strip()
    return topics


def is_heishamon(data: Any) -> bool:
    """Tell whether a `/json` answer looks like HeishaMon's."""
    try:
        return "Error" in _topics(data)
    except GatewayResponseError:
        return False


def _number(topics: dict[str, str], name: str) -> float | None:
    return finite_number(topics.get(name), f"HeishaMon topic {name}", text=True)


def parse_heishamon(data: Any) -> HeatPumpSnapshot:
    """Parse a HeishaMon `/json` answer."""
    return heishamon_snapshot(_topics(data))


def heishamon_snapshot(
    topics: dict[str, str], device: GatewayDevice = HEISHAMON_DEVICE
) -> HeatPumpSnapshot:
    """Build a snapshot from HeishaMon topic values, however they arrived (HTTP or MQTT)."""
    if "Error" not in topics:
        raise GatewayResponseError("HeishaMon answer has no Error topic")
    frequency = _number(topics, "Compressor_Freq")
    defrosting = topics.get("Defrosting_State")
    mode = _MODES.get(topics.get("Operating_Mode_State", ""))
    if topics.get("Heatpump_State") == "0":
        mode = OperatingMode.OFF
    error = topics["Error"]
    return HeatPumpSnapshot(
        device=device,
        time=None,
        state=HeatPumpState(
            operating_mode=mode,
            outdoor_temperature=_number(topics, "Outside_Temp"),
            flow_temperature=_number(topics, "Main_Outlet_Temp"),
            return_temperature=_number(topics, "Main_Inlet_Temp"),
            dhw_temperature=_number(topics, "DHW_Temp"),
            compressor_running=None if frequency is None else frequency > 0,
            compressor_frequency=frequency,
            compressor_run_hours=_number(topics, "Operations_Hours"),
            defrosting=None if defrosting is None else defrosting == "1",
            # "No error" too: the knowledge base knows which texts mean no fault.
            faults=(ActiveFault(code=error),) if error else (),
        ),
    )
