"""Parsers of pushed messages: HeishaMon topics, ESPAltherma, generic JSON, entity states."""

from __future__ import annotations

import json
from typing import Any

import pytest

from custom_components.heat_pump_care.client import (
    GatewayResponseError,
    HeishaMonTopics,
    JsonKeys,
    OperatingMode,
    Protocol,
    parse_code_text,
    parse_espaltherma,
    parse_json_state,
    push_device,
)
from custom_components.heat_pump_care.client.push import MAX_PAYLOAD

DEVICE = push_device(Protocol.JSON, "Pump")

# Labels as ESPAltherma writes them (numbers bare, texts quoted); both units report a code.
ESPALTHERMA = (
    '{"Operation Mode":"Heating","Error type":"Error","Error Code":" 0",'
    '"Outdoor air temp.(R1T)":4.5,"INV frequency (rps)":48,"Defrost Operation":"OFF",'
    '"Error Code":"U4","Error detailed code":0,'
    '"Leaving water temp. before BUH (R1T)":35.2,"Inlet water temp.(R4T)":30.1,'
    '"DHW tank temp. (R5T)":"---"}'
)


def codes(snapshot: Any) -> list[str]:
    """The active fault codes of a snapshot."""
    return [fault.code for fault in snapshot.state.faults]


def test_heishamon_topics_collect_until_error_seen() -> None:
    """Values gather per topic; a snapshot only once the Error topic is known."""
    topics = HeishaMonTopics(
        "panasonic_heat_pump", push_device(Protocol.HEISHAMON, "A")
    )
    assert topics.subscription == "panasonic_heat_pump/main/+"
    assert topics.update("panasonic_heat_pump/main/Outside_Temp", "3") is None
    snapshot = topics.update("panasonic_heat_pump/main/Error", "H62")
    assert snapshot is not None
    assert codes(snapshot) == ["H62"]
    assert snapshot.state.outdoor_temperature == 3.0
    cleared = topics.update("panasonic_heat_pump/main/Error", "No error")
    assert cleared is not None
    assert codes(cleared) == ["No error"]


def test_heishamon_bad_value_keeps_previous() -> None:
    """A garbled topic is refused and cannot hide the fault code that follows."""
    topics = HeishaMonTopics("hp", push_device(Protocol.HEISHAMON, "A"))
    topics.update("hp/main/Error", "F12")
    topics.update("hp/main/Outside_Temp", "2")
    with pytest.raises(GatewayResponseError, match="Outside_Temp"):
        topics.update("hp/main/Outside_Temp", "warm")
    with pytest.raises(GatewayResponseError):
        topics.update("hp/main/Main_Inlet_Temp", "??")
    snapshot = topics.update("hp/main/Error", "H15")
    assert snapshot is not None
    assert codes(snapshot) == ["H15"]
    assert snapshot.state.outdoor_temperature == 2.0
    assert snapshot.state.return_temperature is None


def test_espaltherma_reads_every_error_code() -> None:
    """Repeated "Error Code" labels (outdoor and indoor unit) are all read."""
    snapshot = parse_espaltherma(ESPALTHERMA, DEVICE)
    assert codes(snapshot) == ["0", "U4"]
    state = snapshot.state
    assert state.operating_mode is OperatingMode.HEAT
    assert state.outdoor_temperature == 4.5
    assert state.flow_temperature == 35.2
    assert state.return_temperature == 30.1
    assert state.dhw_temperature is None
    assert state.compressor_running is True
    assert state.defrosting is False


def test_espaltherma_no_fault() -> None:
    """ESPAltherma writes "no code" as " 0": passed on as "0" for the knowledge base."""
    snapshot = parse_espaltherma(b'{"Error Code":" 0","INV frequency (rps)":0}', DEVICE)
    assert codes(snapshot) == ["0"]
    assert snapshot.state.compressor_running is False


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ("{", "not valid JSON"),
        ("[1, 2]", "not a JSON object"),
        ('{"Operation Mode":"Heating"}', "Error Code"),
        ('{"Error Code":" 0","Outdoor air temp.(R1T)":"warm"}', "not a number"),
        ('{"Error Code":{"x":1}}', "holds an object"),
        ('{"Error Code":["E1"]}', "not text or a number"),
        (b"\xff\xfe", "not UTF-8"),
        ("x" * (MAX_PAYLOAD + 1), "too large"),
        ("[" * 10_000 + "]" * 10_000, "not valid JSON|not a JSON object"),
    ],
    ids=lambda value: str(value)[:20],
)
def test_espaltherma_garbage(payload: str | bytes, message: str) -> None:
    """Garbage is one clear error, never another exception."""
    with pytest.raises(GatewayResponseError, match=message):
        parse_espaltherma(payload, DEVICE)


def test_json_state_with_nested_keys() -> None:
    """Dotted keys reach into objects; lists of codes and word switches are understood."""
    keys = JsonKeys(code="status.errors", run_hours="counters.hours", compressor="comp")
    payload = json.dumps(
        {
            "status": {"errors": ["E9", "0", "E9", 12]},
            "counters": {"hours": "812.5"},
            "comp": "on",
        }
    )
    snapshot = parse_json_state(payload, keys, DEVICE)
    assert codes(snapshot) == ["E9", "0", "12"]
    assert snapshot.state.compressor_run_hours == 812.5
    assert snapshot.state.compressor_running is True


@pytest.mark.parametrize(
    ("value", "running"),
    [
        (True, True),
        (False, False),
        ("OFF", False),
        (0, False),
        (41.5, True),
        (None, None),
    ],
)
def test_json_state_compressor_forms(value: object, running: bool | None) -> None:
    """A compressor given as a flag, a word or a frequency."""
    keys = JsonKeys(code="code", compressor="compressor")
    snapshot = parse_json_state(
        json.dumps({"code": None, "compressor": value}), keys, DEVICE
    )
    assert codes(snapshot) == []
    assert snapshot.state.compressor_running is running


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"other": 1}, "no 'code' key"),
        ({"code": True}, "not text or a number"),
        ({"code": 1.5}, "not a whole number"),
        ({"code": "E1", "hours": "many"}, "not a number"),
        ({"code": "E1", "hours": float("nan")}, "not valid JSON"),
        ({"code": "E1", "hours": 1e999}, "not valid JSON"),
        ({"code": "E1", "hours": True}, "not a number"),
        ({"code": "E1", "on": [1]}, "not a number"),
        ("just text", "not a JSON object"),
    ],
)
def test_json_state_garbage(document: object, message: str) -> None:
    """Wrong types and missing keys are one clear error each."""
    keys = JsonKeys(code="code", run_hours="hours", compressor="on")
    payload = json.dumps(document).replace("NaN", "nan").replace("Infinity", "inf")
    with pytest.raises(GatewayResponseError, match=message):
        parse_json_state(payload, keys, DEVICE)


def test_json_state_ignores_missing_optional_keys() -> None:
    """Run hours and compressor keys are optional in the message too."""
    keys = JsonKeys(code="code", run_hours="hours", compressor="on")
    snapshot = parse_json_state('{"code": "A5"}', keys, DEVICE)
    assert codes(snapshot) == ["A5"]
    assert snapshot.state.compressor_run_hours is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("H62", ["H62"]),
        (" U4 ", ["U4"]),
        ("No error", ["No error"]),
        ("  ", []),
        ("x" * 100, ["x" * 32]),
    ],
)
def test_code_text(text: str, expected: list[str]) -> None:
    """What another integration shows, as it shows it; only blanks are no value."""
    assert codes(parse_code_text(text, DEVICE)) == expected
