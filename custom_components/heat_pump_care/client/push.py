"""Parse what gateways push (MQTT messages) or other integrations show (entity states).

Each parser turns one message into a snapshot or raises GatewayResponseError; the transport
(Home Assistant's MQTT integration, state tracking) lives with the integration.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from enum import StrEnum
import json
import math
from typing import Any

from .exceptions import GatewayResponseError
from .heishamon import heishamon_snapshot
from .models import (
    ActiveFault,
    GatewayDevice,
    HeatPumpSnapshot,
    HeatPumpState,
    OperatingMode,
    Protocol,
    finite_number,
)

# A gateway's message can be large (ESPAltherma sends ~7 kB); anything far bigger is garbage.
MAX_PAYLOAD = 64 * 1024


class MqttProfile(StrEnum):
    """The topic layouts Heat Pump Care understands."""

    HEISHAMON = "heishamon"
    ESPALTHERMA = "espaltherma"
    JSON = "json"


DEFAULT_TOPICS = {
    MqttProfile.HEISHAMON: "panasonic_heat_pump",
    MqttProfile.ESPALTHERMA: "espaltherma/ATTR",
    MqttProfile.JSON: "heat_pump/state",
}


def push_device(protocol: Protocol, name: str | None) -> GatewayDevice:
    """Name a pushed-to heat pump: its messages carry no identity of their own."""
    return GatewayDevice(
        id=protocol.value,
        protocol=protocol,
        serial=None,
        brand=None,
        family=None,
        model=None,
        firmware=None,
        name=name,
    )


def _state(faults: tuple[ActiveFault, ...], **values: Any) -> HeatPumpState:
    """Build a state from the given figures; those a source does not report are None."""
    unknown = {field.name: None for field in fields(HeatPumpState)}
    return HeatPumpState(**{**unknown, **values, "faults": faults})


def _faults(values: list[Any]) -> tuple[ActiveFault, ...]:
    """Fault values as the gateway wrote them, without blanks and repeats.

    Texts such as "No error" or "0" are kept: whether they mean "no fault" depends on the
    brand (IVT Rego alarm 0 is a sensor fault), which only the knowledge base knows.
    """
    codes: dict[str, None] = {}
    for value in values:
        if isinstance(value, bool) or not isinstance(value, str | int | float | None):
            raise GatewayResponseError("a fault code is not text or a number")
        if isinstance(value, float) and not (
            math.isfinite(value) and value.is_integer()
        ):
            raise GatewayResponseError("a fault code is not a whole number")
        code = " ".join(str(int(value) if isinstance(value, float) else value).split())
        if value is not None and code:
            # Cut after collapsing the spaces: a cut can end on one.
            codes[code[:32].rstrip()] = None
    return tuple(ActiveFault(code=code) for code in codes)


def _number(value: Any, what: str) -> float | None:
    """Gateways write numbers as JSON numbers or as text ("---" meaning none)."""
    return finite_number(value, what, text=True)


_TRUE = frozenset({"on", "true", "yes", "1", "running"})
_FALSE = frozenset({"off", "false", "no", "0", "stopped", "idle"})


def _switch(value: Any, what: str) -> bool | None:
    """Read a running flag given as a boolean, a word, or a frequency (above 0: running)."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    number = _number(value, what)
    return None if number is None else number > 0


def _decode(payload: str | bytes) -> str:
    if len(payload) > MAX_PAYLOAD:
        raise GatewayResponseError("the message is too large")
    if isinstance(payload, bytes):
        try:
            return payload.decode()
        except UnicodeDecodeError as err:
            raise GatewayResponseError("the message is not UTF-8 text") from err
    return payload


def _json(payload: str | bytes, **options: Any) -> Any:
    try:
        return json.loads(_decode(payload), **options)
    except (ValueError, RecursionError) as err:
        raise GatewayResponseError("the message is not valid JSON") from err


class HeishaMonTopics:
    """Collect HeishaMon's one-value-per-topic messages (`<base>/main/<Name>`) into snapshots."""

    def __init__(self, base_topic: str, device: GatewayDevice) -> None:
        """Remember where HeishaMon publishes and whose values they are."""
        self.subscription = f"{base_topic}/main/+"
        self._device = device
        self._values: dict[str, str] = {}

    def update(self, topic: str, payload: str | bytes) -> HeatPumpSnapshot | None:
        """Take one message; a snapshot once the Error topic has been seen, else None.

        A value that does not parse is refused and the previous one kept, so one garbled
        topic cannot hide the fault code.
        """
        name = topic.rpartition("/")[2]
        value = _decode(payload).strip()
        # Checked on its own, before it joins the others: a value that parses alone
        # cannot break the snapshot later.
        heishamon_snapshot({name: value, "Error": ""}, self._device)
        self._values[name] = value
        return (
            heishamon_snapshot(self._values, self._device)
            if "Error" in self._values
            else None
        )


class _Pairs(list[tuple[str, Any]]):
    """A JSON object's items in order, repeated keys included."""


# ESPAltherma's "Operation Mode" texts (converter table 217 of its firmware).
_ESPALTHERMA_MODES = {
    "heating": OperatingMode.HEAT,
    "cooling": OperatingMode.COOL,
    "auto": OperatingMode.AUTO,
    "auto heat": OperatingMode.AUTO,
    "auto cool": OperatingMode.AUTO,
}


def parse_espaltherma(payload: str | bytes, device: GatewayDevice) -> HeatPumpSnapshot:
    """Parse ESPAltherma's state message (`espaltherma/ATTR`): one object of labels.

    Outdoor and indoor units both report an "Error Code" label, so repeated keys are kept.
    """
    pairs = _json(payload, object_pairs_hook=_Pairs)
    if not isinstance(pairs, _Pairs):
        raise GatewayResponseError("the ESPAltherma message is not a JSON object")
    labels: dict[str, Any] = {}
    codes: list[Any] = []
    for key, value in pairs:
        if isinstance(value, _Pairs):
            raise GatewayResponseError(f"label {key!r} holds an object")
        if key == "Error Code":
            codes.append(value.strip() if isinstance(value, str) else value)
        labels.setdefault(key, value)
    if not codes:
        raise GatewayResponseError(
            "the ESPAltherma message has no 'Error Code' label; enable it in the definition file"
        )
    frequency = _number(labels.get("INV frequency (rps)"), "INV frequency")
    mode = labels.get("Operation Mode")
    flow = labels.get("Leaving water temp. after BUH (R2T)")
    if flow is None:
        flow = labels.get("Leaving water temp. before BUH (R1T)")
    return HeatPumpSnapshot(
        device=device,
        time=None,
        state=_state(
            _faults(codes),
            operating_mode=_ESPALTHERMA_MODES.get(mode.strip().lower())
            if isinstance(mode, str)
            else None,
            outdoor_temperature=_number(
                labels.get("Outdoor air temp.(R1T)"), "outdoor temperature"
            ),
            flow_temperature=_number(flow, "leaving water temperature"),
            return_temperature=_number(
                labels.get("Inlet water temp.(R4T)"), "inlet water temperature"
            ),
            dhw_temperature=_number(
                labels.get("DHW tank temp. (R5T)"), "DHW tank temperature"
            ),
            compressor_frequency=frequency,
            compressor_running=None if frequency is None else frequency > 0,
            defrosting=_switch(labels.get("Defrost Operation"), "defrost operation"),
        ),
    )


@dataclass(frozen=True, kw_only=True)
class JsonKeys:
    """Where a generic JSON state message keeps its values; dots reach into objects."""

    code: str
    run_hours: str | None = None
    compressor: str | None = None


_MISSING = object()


def _pick(document: Any, path: str) -> Any:
    value = document
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return _MISSING
        value = value[part]
    return value


def parse_json_state(
    payload: str | bytes, keys: JsonKeys, device: GatewayDevice
) -> HeatPumpSnapshot:
    """Parse a JSON object holding a fault code (or a list of them) under `keys.code`."""
    document = _json(payload)
    if not isinstance(document, dict):
        raise GatewayResponseError("the message is not a JSON object")
    code = _pick(document, keys.code)
    if code is _MISSING:
        raise GatewayResponseError(f"the message has no '{keys.code}' key")
    values: dict[str, Any] = {}
    if keys.run_hours and (hours := _pick(document, keys.run_hours)) is not _MISSING:
        values["compressor_run_hours"] = _number(hours, f"'{keys.run_hours}'")
    if (
        keys.compressor
        and (running := _pick(document, keys.compressor)) is not _MISSING
    ):
        values["compressor_running"] = _switch(running, f"'{keys.compressor}'")
    return HeatPumpSnapshot(
        device=device,
        time=None,
        state=_state(_faults(code if isinstance(code, list) else [code]), **values),
    )


def parse_code_text(text: str, device: GatewayDevice) -> HeatPumpSnapshot:
    """Build a snapshot from a raw code another integration shows ("H62", "No error", "0")."""
    return HeatPumpSnapshot(
        device=device, time=None, state=_state(_faults([text.strip()]))
    )
