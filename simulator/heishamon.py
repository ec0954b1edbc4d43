"""A simulated pump rendered the way HeishaMon's `GET /json` shows a Panasonic Aquarea.

Topic numbers, names and descriptions follow the HeishaMon firmware (`decode.h`:
`topics[]` and `topicDescription[]`; `webfunctions.cpp`: `handleJsonOutput`). The real
firmware lists about 140 topics; the simulator serves the subset below, in TOP order.

Two firmware generations differ in how a value is written:
- current firmware writes numeric values as JSON numbers and only `Error` (TOP44) and
  `Heat_Pump_Model` (TOP92) as strings, and the Celsius unit as `°C`;
- older firmware quoted every value as a string, and wrote the unit as `&deg;C`.
"""

from __future__ import annotations

from dataclasses import dataclass
import math
from typing import Final, Literal

from .model import DeviceConfig, DeviceState

type Style = Literal["current", "legacy"]
STYLES: Final = ("current", "legacy")

# Operating_Mode_State (TOP4) values and their descriptions (OpModeDesc in decode.h).
_MODE_VALUES: Final = {
    "heat": 0,
    "cool": 1,
    "auto": 2,
    "dhw": 3,
    "heat_dhw": 4,
    "cool_dhw": 5,
    "auto_dhw": 6,
    "off": 0,  # HeishaMon keeps showing the selected mode while the pump is off
}
_MODE_TEXT: Final = (
    "Heat",
    "Cool",
    "Auto(heat)",
    "DHW",
    "Heat+DHW",
    "Cool+DHW",
    "Auto(heat)+DHW",
    "Auto(cool)",
    "Auto(cool)+DHW",
)


@dataclass(frozen=True, slots=True)
class _Entry:
    number: int
    name: str
    value: int | float | str
    description: str
    text: bool = False
    """Written as a JSON string even by current firmware (TOP44 and TOP92 only)."""


def _quarter(value: float) -> int | float:
    """Main_Inlet_Temp/Main_Outlet_Temp come in quarter degrees; whole ones have no decimals."""
    quarters = round(value * 4) / 4
    return int(quarters) if quarters == math.floor(quarters) else quarters


def _legacy_text(value: float | str) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    return f"{value:.2f}"  # HeishaMon writes fractions with two decimals: 35.50, 12.34


def render(
    config: DeviceConfig, state: DeviceState, style: Style = "current"
) -> dict[str, list[dict[str, object]]]:
    """Render one pump as the `{"heatpump": [...]}` document."""
    celsius = "°C" if style == "current" else "&deg;C"
    mode = _MODE_VALUES.get(state.operating_mode, 0)
    error = (
        state.faults[-1].code if state.faults else "No error"
    )  # the display shows the latest
    entries = [
        _Entry(
            0,
            "Heatpump_State",
            0 if state.operating_mode == "off" else 1,
            "Off" if state.operating_mode == "off" else "On",
        ),
        _Entry(1, "Pump_Flow", round(state.pump_flow, 2), "l/min"),
        _Entry(4, "Operating_Mode_State", mode, _MODE_TEXT[mode]),
        _Entry(5, "Main_Inlet_Temp", _quarter(state.return_temperature), celsius),
        _Entry(6, "Main_Outlet_Temp", _quarter(state.flow_temperature), celsius),
        _Entry(7, "Main_Target_Temp", round(state.target_flow_temperature), celsius),
        _Entry(8, "Compressor_Freq", round(state.compressor_frequency), "Hz"),
    ]
    if state.dhw_temperature is not None and state.dhw_target_temperature is not None:
        entries += [
            _Entry(9, "DHW_Target_Temp", round(state.dhw_target_temperature), celsius),
            _Entry(10, "DHW_Temp", round(state.dhw_temperature), celsius),
        ]
    if state.compressor_run_hours is not None:
        entries.append(
            _Entry(
                11, "Operations_Hours", math.floor(state.compressor_run_hours), "hours"
            )
        )
    entries += [
        _Entry(14, "Outside_Temp", round(state.outdoor_temperature), celsius),
        _Entry(
            26,
            "Defrosting_State",
            int(state.defrosting),
            "Enabled" if state.defrosting else "Disabled",
        ),
        _Entry(44, "Error", error, "Error", text=True),
    ]
    if config.model is not None:
        entries.append(_Entry(92, "Heat_Pump_Model", config.model, "Model", text=True))

    topics: list[dict[str, object]] = []
    for entry in entries:
        value: object
        if style == "legacy":
            value = _legacy_text(entry.value)
        elif entry.text:
            value = str(entry.value)
        else:
            value = entry.value
        topics.append(
            {
                "Topic": f"TOP{entry.number}",
                "Name": entry.name,
                "Value": value,
                "Description": entry.description,
            }
        )
    return {"heatpump": topics}
