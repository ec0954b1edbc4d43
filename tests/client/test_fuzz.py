"""Property-based fuzzing of every source parser: garbage in, a model or GatewayResponseError out.

Each property runs 10,000 generated payloads (fixed seed, no example database, so CI is
deterministic): JSON-like garbage, truncated and mutated real payloads, huge and non-finite
numbers, unicode and very long texts. Any exception other than GatewayResponseError is a bug,
and so is a model that would break the integration (a NaN temperature, a naive time).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator, Sequence
import dataclasses
from datetime import UTC, datetime
import json
import math
import random
import re
from typing import Any, Self, cast

import aiohttp
from hypothesis import HealthCheck, given, settings, strategies as st
import pytest

from custom_components.heat_pump_care.client import (
    ActiveFault,
    GatewayDevice,
    GatewayResponseError,
    HeatPumpGatewayClient,
    HeatPumpSnapshot,
    HeatPumpState,
    HeishaMonTopics,
    JsonKeys,
    OperatingMode,
    Protocol,
    parse_code_text,
    parse_espaltherma,
    parse_json_state,
    push_device,
)
from custom_components.heat_pump_care.client.heishamon import (
    parse_heishamon,
)
from custom_components.heat_pump_care.client.models import (
    parse_devices,
    parse_snapshot,
)
from custom_components.heat_pump_care.client.push import MAX_PAYLOAD
from tests.helpers import FIXTURES, load_payload

EXAMPLES = 10_000
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# --- Strategies --------------------------------------------------------------------------

# Every key the parsers look for, so garbage often lands where it is read.
GENERIC_KEYS = (
    "devices",
    "time",
    "state",
    *(field.name for field in dataclasses.fields(GatewayDevice)),
    *(field.name for field in dataclasses.fields(HeatPumpState)),
    *(field.name for field in dataclasses.fields(ActiveFault)),
)
HEISHAMON_TOPICS = (
    "Error",
    "Heatpump_State",
    "Operating_Mode_State",
    "Compressor_Freq",
    "Defrosting_State",
    "Outside_Temp",
    "Main_Outlet_Temp",
    "Main_Inlet_Temp",
    "DHW_Temp",
    "Operations_Hours",
)
ESPALTHERMA_LABELS = (
    "Error Code",
    "Operation Mode",
    "INV frequency (rps)",
    "Defrost Operation",
    "Outdoor air temp.(R1T)",
    "Leaving water temp. after BUH (R2T)",
    "Leaving water temp. before BUH (R1T)",
    "Inlet water temp.(R4T)",
    "DHW tank temp. (R5T)",
)
JSON_KEYS = ("status", "error", "code", "hours", "compressor", "status.error")
REAL_KEYS = (
    GENERIC_KEYS
    + HEISHAMON_TOPICS
    + ESPALTHERMA_LABELS
    + JSON_KEYS
    + ("heatpump", "Name", "Value", "Topic")
)

# Values that sit right at a parser's edges.
EDGE_TEXTS = (
    "",
    " ",
    "-",
    "---",
    "nan",
    "NaN",
    "inf",
    "-Infinity",
    "1e400",
    "-0",
    "0",
    "00",
    "1_000",
    "0x10",
    "on",
    "OFF",
    "running",
    "heat_dhw",
    "HEAT",
    "Heating",
    "No error",
    "H62",
    "aquarea",
    "aquarea\n",
    " aquarea",
    "a" * 65,
    "2026-01-15T06:00:00",
    "2026-01-15T06:00:00+00:00",
    "2026-13-45T99:99:99",
    "9999-12-31T23:59:59-23:59",
    "\x00",
    "\u202e\u0000\ufeff",
    "\U0001f525",
)
HUGE_INTS = (10**400, -(10**400), 2**63, -(2**63) - 1, 2**1024)


# Characters that trip parsers: controls, odd whitespace, digits of other scripts (float()
# reads them), combining marks, direction overrides, BOM, astral-plane emoji.
_ODD_CHARS = (
    "\x00\x01\x1b\x7f\t\n\r\x0b\x0c \u00a0\u2003\u3000\u200b\u200d\ufeff\u202e"
    "\u0301\u0663\uff11\u00bd\u00e9\u00df\u0130\u03a3\u4e2d\ud7ff\ue000\uffff"
    '\U0001f525\U0010ffff-._/()+eE0123456789HhFfUuAa:,{}[]"\\'
)


def _text_pool() -> tuple[str, ...]:
    """A fixed pool of awkward texts: drawing one costs Hypothesis a single choice.

    Hypothesis spends most of its time per drawn character, so texts come mostly from this
    pool (built once, deterministically) and only short ones are drawn freely.
    """
    rng = random.Random(8)  # noqa: S311 - a fixed test pool, not a secret
    pool = [
        "".join(rng.choice(_ODD_CHARS) for _ in range(rng.randint(1, 24)))
        for _ in range(400)
    ]
    # Very long texts: some beyond MAX_PAYLOAD on their own.
    pool += [
        "x" * 5_000,
        "\u00e9" * 40_000,
        "9" * 400,
        "[" * 3_000,
        "\U0001f525" * (MAX_PAYLOAD // 2 + 1),
        "A" * (MAX_PAYLOAD + 1),
    ]
    return (*EDGE_TEXTS, *REAL_KEYS, *pool)


TEXT_POOL = _text_pool()
texts = st.one_of(st.sampled_from(TEXT_POOL), st.text(max_size=4))
SPECIAL_NUMBERS = (
    math.nan,
    math.inf,
    -math.inf,
    -0.0,
    1e308,
    -1e308,
    5e-324,
    0.1,
    -40.5,
    2**53 + 1,
    *HUGE_INTS,
)
numbers = st.one_of(
    st.integers(),
    # allow_nan and allow_infinity default to True: NaN, inf and -inf come too.
    st.floats(),
    st.sampled_from(SPECIAL_NUMBERS),
)
scalars = st.one_of(st.sampled_from((None, True, False)), numbers, texts)
keys = st.one_of(st.sampled_from(REAL_KEYS), texts)

_LEAVES = (None, True, False, *SPECIAL_NUMBERS, *TEXT_POOL)


def _key(rng: random.Random) -> str:
    return rng.choice(REAL_KEYS) if rng.random() < 0.6 else rng.choice(TEXT_POOL)


def _nested(rng: random.Random, depth: int = 0) -> Any:
    """Nested JSON-like garbage grown from one seed: lists, objects, any leaf."""
    roll = rng.random()
    if roll < 0.5 or depth >= 5:
        leaf = rng.random()
        if leaf < 0.15:
            return rng.randint(-(2**70), 2**70)
        if leaf < 0.3:
            return rng.uniform(-1e4, 1e4)
        return rng.choice(_LEAVES)
    size = rng.randint(0, 4)
    if roll < 0.75:
        return [_nested(rng, depth + 1) for _ in range(size)]
    return {_key(rng): _nested(rng, depth + 1) for _ in range(size)}


def _object(rng: random.Random) -> dict[str, Any]:
    """A JSON object with mostly real keys holding garbage."""
    return {_key(rng): _nested(rng, 1) for _ in range(rng.randint(0, 8))}


def seeded(grow: Callable[[random.Random], Any]) -> st.SearchStrategy[Any]:
    """Garbage grown from one drawn seed.

    Hypothesis spends ~0.1 ms per drawn choice: a drawn tree (st.recursive) costs ~1.5 ms an
    example, too slow for 10,000 of them in every property. Grown from a seed it costs one
    choice, stays deterministic, and a failing example is still printed in full.
    """
    return st.randoms(use_true_random=True).map(grow)


# Nested JSON-like garbage: a drawn scalar, or a tree grown from a seed.
garbage = st.one_of(scalars, seeded(_nested))
objects = seeded(_object)


def _dumps(value: Any) -> str:
    """Serialise as a sloppy gateway would: NaN and Infinity included."""
    return json.dumps(value, allow_nan=True, ensure_ascii=False)


@dataclasses.dataclass(frozen=True)
class _Delete:
    """Marker: remove the node instead of replacing it."""


DELETE = _Delete()


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a node inside a JSON document (the root excluded)."""
    found: list[tuple[Any, ...]] = []
    items: list[tuple[Any, Any]] = []
    if isinstance(node, dict):
        items = list(node.items())
    elif isinstance(node, list):
        items = list(enumerate(node))
    for key, child in items:
        path = (*prefix, key)
        found.append(path)
        found.extend(_paths(child, path))
    return found


def _replaced(node: Any, path: tuple[Any, ...], value: Any) -> Any:
    """A copy of the document with the node at path replaced (or deleted)."""
    key, rest = path[0], path[1:]
    copy: Any = dict(node) if isinstance(node, dict) else list(node)
    new = _replaced(node[key], rest, value) if rest else value
    if new is DELETE:
        del copy[key]
    else:
        copy[key] = new
    return copy


# Values that nearly pass: the right type, the wrong detail (times without an offset, a
# date alone, ids with a newline, numbers as text, modes in odd case).
NEAR_VALID: tuple[Any, ...] = (
    "2026-01-15T06:00:00",
    "2026-01-15",
    "2026-01-15T06:00",
    "2026-01-15 06:00:00",
    "20260115T060000",
    "2026-01-15T06:00:00Z",
    "2026-01-15T06:00:00+14:00",
    "0001-01-01T00:00:00-23:59",
    "9999-12-31T23:59:59.999999+23:59",
    "2026-02-30T06:00:00+00:00",
    "aquarea\n",
    "aquarea ",
    "AQUAREA",
    "a" * 64,
    "a" * 65,
    "HEAT_DHW",
    " heat ",
    "heat\x00",
    "41.3",
    "-0.4",
    "1e400",
    "",
    " ",
    True,
    0,
    -0.0,
    1e308,
    [],
    {},
)


def mutated(document: Any) -> st.SearchStrategy[Any]:
    """The real document with one node replaced by garbage or a near-valid value, or
    removed."""
    paths = _paths(document)
    return st.builds(
        _replaced,
        st.just(document),
        st.sampled_from(paths),
        st.one_of(garbage, st.sampled_from(NEAR_VALID), st.just(DELETE)),
    )


def _cut(parts: tuple[str, int]) -> str:
    text, fraction = parts
    return text[: fraction * len(text) // 1000]


def truncated(texts_: list[str]) -> st.SearchStrategy[str]:
    """A real serialised payload cut at a random point."""
    return st.tuples(st.sampled_from(texts_), st.integers(0, 999)).map(_cut)


FIXTURE_DOCS = {
    path.name: load_payload(path.name) for path in sorted(FIXTURES.glob("*.json"))
}
FIXTURE_TEXTS = [path.read_text(encoding="utf-8") for path in FIXTURES.glob("*.json")]
GENERIC_DOCS = [
    FIXTURE_DOCS[name] for name in FIXTURE_DOCS if name.startswith("device")
]
HEISHAMON_DOCS = [
    FIXTURE_DOCS[name] for name in FIXTURE_DOCS if name.startswith("heishamon")
]

# An ESPAltherma message keeps repeated keys, so it is a list of pairs here.
ESPALTHERMA_PAIRS: list[tuple[str, Any]] = [
    ("Operation Mode", "Heating"),
    ("Error type", "Error"),
    ("Error Code", " 0"),
    ("Outdoor air temp.(R1T)", 4.5),
    ("INV frequency (rps)", 48),
    ("Defrost Operation", "OFF"),
    ("Error Code", "U4"),
    ("Error detailed code", 0),
    ("Leaving water temp. before BUH (R1T)", 35.2),
    ("Inlet water temp.(R4T)", 30.1),
    ("DHW tank temp. (R5T)", "---"),
]
JSON_STATE = {"status": {"error": "E7"}, "hours": 1234.5, "compressor": "on"}
JSON_STATE_KEYS = JsonKeys(
    code="status.error", run_hours="hours", compressor="compressor"
)


def _pairs_text(pairs: list[tuple[str, Any]]) -> str:
    return "{" + ",".join(f"{_dumps(k)}:{_dumps(v)}" for k, v in pairs) + "}"


def _mutate_pairs(change: tuple[int, str, Any]) -> list[tuple[str, Any]]:
    """Replace a value, drop a pair or add a garbage pair."""
    where, key, value = change
    how, index = divmod(where, len(ESPALTHERMA_PAIRS))
    pairs = list(ESPALTHERMA_PAIRS)
    if how == 0:
        pairs[index] = (pairs[index][0], value)
    elif how == 1:
        del pairs[index]
    else:
        pairs.insert(index, (key, value))
    return pairs


espaltherma_payloads = st.one_of(
    st.tuples(st.integers(0, 3 * len(ESPALTHERMA_PAIRS) - 1), keys, garbage)
    .map(_mutate_pairs)
    .map(_pairs_text),
    truncated([_pairs_text(ESPALTHERMA_PAIRS)]),
    objects.map(_dumps),
    garbage.map(_dumps),
    texts,
)

# Bodies a gateway could send: any of the above, JSON or not, and nesting deeper than the
# decoder's recursion limit (some thousands of levels on Python 3.13).
NESTING = (1, 2, 10, 999, 1_001, 3_000, 20_000, 100_000)
nested = st.tuples(st.sampled_from("[{"), st.sampled_from(NESTING)).map(
    lambda parts: parts[0] * parts[1] if parts[0] == "[" else '{"a":' * parts[1]
)
http_bodies = st.one_of(
    truncated(FIXTURE_TEXTS),
    st.one_of(*(mutated(doc) for doc in FIXTURE_DOCS.values())).map(_dumps),
    garbage.map(_dumps),
    texts,
    nested,
)
payloads = st.one_of(
    http_bodies,
    http_bodies.map(str.encode),
    st.binary(max_size=64),
)

# --- What a valid model is ----------------------------------------------------------------

_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


def _check_time(value: datetime | None) -> None:
    # Naive times cannot be compared with Home Assistant's aware ones.
    assert value is None or (isinstance(value, datetime) and value.tzinfo is not None)


def check_device(device: GatewayDevice) -> None:
    """A device the integration can use as is."""
    assert isinstance(device, GatewayDevice)
    assert isinstance(device.id, str)
    assert _ID.fullmatch(device.id), repr(device.id)
    assert isinstance(device.protocol, Protocol)
    for field in ("serial", "brand", "family", "model", "firmware", "name"):
        value = getattr(device, field)
        assert value is None or (isinstance(value, str) and value), field


def check_snapshot(snapshot: HeatPumpSnapshot) -> None:
    """A snapshot whose every field has the type the integration relies on."""
    assert isinstance(snapshot, HeatPumpSnapshot)
    check_device(snapshot.device)
    _check_time(snapshot.time)
    state = snapshot.state
    assert state.operating_mode is None or isinstance(
        state.operating_mode, OperatingMode
    )
    for field in (
        "outdoor_temperature",
        "flow_temperature",
        "return_temperature",
        "dhw_temperature",
        "compressor_frequency",
        "compressor_run_hours",
    ):
        value = getattr(state, field)
        assert value is None or (type(value) is float and math.isfinite(value)), (
            field,
            value,
        )
    for field in ("compressor_running", "defrosting"):
        assert getattr(state, field) in (None, True, False), field
    assert isinstance(state.faults, tuple)
    for fault in state.faults:
        assert isinstance(fault, ActiveFault)
        assert isinstance(fault.code, str)
        assert fault.code, "empty fault code"
        assert fault.code == fault.code.strip()
        assert fault.description is None or isinstance(fault.description, str)
        _check_time(fault.since)


def parsed_or_refused(parse: Callable[[], Any]) -> Any:
    """Run a parser: its answer, or None when it refused with GatewayResponseError."""
    try:
        return parse()
    except GatewayResponseError as err:
        if not str(err):
            pytest.fail("a refusal must say why")
        return None


# --- Generic protocol ------------------------------------------------------------------

# Device documents and device lists, each parser gets both (and plain garbage).
generic_documents = st.one_of(
    st.one_of(*(mutated(doc) for doc in GENERIC_DOCS)),
    mutated(FIXTURE_DOCS["devices.json"]),
    seeded(lambda rng: {"devices": [_object(rng) for _ in range(rng.randint(0, 3))]}),
    objects,
    garbage,
)


# --- HeishaMon over HTTP -----------------------------------------------------------------


def _heishamon_entry(rng: random.Random) -> Any:
    """A topic entry with a real or odd name and any value; now and then not an entry."""
    if rng.random() < 0.1:
        return _nested(rng, 1)
    name = rng.choice(HEISHAMON_TOPICS) if rng.random() < 0.7 else _nested(rng, 4)
    return {"Name": name, "Value": _nested(rng, 2)}


heishamon_documents = st.one_of(
    st.one_of(*(mutated(doc) for doc in HEISHAMON_DOCS)),
    seeded(
        lambda rng: {
            "heatpump": [_heishamon_entry(rng) for _ in range(rng.randint(0, 8))]
        }
    ),
    garbage,
)


# Each example goes through all three parsers of decoded HTTP answers: Hypothesis's own
# cost (~0.5 ms an example) would otherwise be paid three times for the same kind of input.
@FUZZ
@given(st.one_of(generic_documents, heishamon_documents))
def test_decoded_documents_never_crash(document: Any) -> None:
    """Generic device document, generic device list, HeishaMon topic list: each parser
    returns a valid model or raises GatewayResponseError."""
    snapshot = parsed_or_refused(lambda: parse_snapshot(document))
    if snapshot is not None:
        check_snapshot(snapshot)
    devices = parsed_or_refused(lambda: parse_devices(document))
    if devices is not None:
        assert isinstance(devices, list)
        for device in devices:
            check_device(device)
    heishamon = parsed_or_refused(lambda: parse_heishamon(document))
    if heishamon is not None:
        check_snapshot(heishamon)


# --- The HTTP client end to end: body text -> JSON -> parser ---------------------------


class _Response:
    def __init__(self, body: str) -> None:
        self.status = 200
        self._body = body

    async def text(self) -> str:
        return self._body

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        return None


class _Session:
    """Answers every request with the same body, as a garbled gateway would."""

    def __init__(self, body: str) -> None:
        self.body = body

    def request(self, method: str, url: str, headers: dict[str, str]) -> _Response:
        return _Response(self.body)


async def _client_calls(body: str) -> list[Any]:
    session = cast("aiohttp.ClientSession", _Session(body))
    client = HeatPumpGatewayClient(host="gateway.local", port=80, session=session)
    results: list[Any] = []
    for call in (
        client.async_devices,
        lambda: client.async_snapshot("aquarea"),
        lambda: client.async_snapshot("heishamon", Protocol.HEISHAMON),
    ):
        try:
            results.append(await call())
        except GatewayResponseError:
            results.append(None)
    return results


@pytest.fixture(scope="module")
def loop() -> Iterator[asyncio.AbstractEventLoop]:
    """One event loop for all examples: a new one per example costs more than the parse."""
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


@FUZZ
@given(body=http_bodies)
def test_http_client_never_crashes(loop: asyncio.AbstractEventLoop, body: str) -> None:
    """Whatever body a gateway answers with, the client parses it or refuses it."""
    devices, generic, heishamon = loop.run_until_complete(_client_calls(body))
    for device in devices or ():
        check_device(device)
    for snapshot in (generic, heishamon):
        if snapshot is not None:
            check_snapshot(snapshot)


# --- MQTT profiles -----------------------------------------------------------------------

# Topics drawn from a fixed list: HeishaMon's own, unknown ones, and some not even below
# the base topic (rpartition takes whatever follows the last slash).
MQTT_TOPICS = (
    *(f"panasonic_heat_pump/main/{name}" for name in HEISHAMON_TOPICS),
    *(f"panasonic_heat_pump/main/{text}" for text in TEXT_POOL[:60]),
    "panasonic_heat_pump/main/",
    "Error",
    "",
    "/",
    "a/b/c/Error/",
)
VALUE_POOL = (
    "0",
    "1",
    "8",
    "-3.5",
    "1.23457e+06",
    "No error",
    "H62",
    *TEXT_POOL,
)
# As text and as bytes (UTF-8, or not UTF-8 at all).
VALUE_POOL_ALL = (
    *VALUE_POOL,
    *(value.encode() for value in VALUE_POOL[:200]),
    b"\xff\xfe",
    b"\xc3",
    b"H1\x80",
)
heishamon_values = st.one_of(st.sampled_from(VALUE_POOL_ALL), numbers.map(str))
_message = st.tuples(st.sampled_from(MQTT_TOPICS), heishamon_values)
heishamon_messages = st.one_of(
    # Fixed-length tuples: a drawn list costs Hypothesis a choice more per item.
    st.tuples(_message),
    st.tuples(_message, _message),
    st.tuples(_message, _message, _message),
    # Longer sequences grown from a seed.
    seeded(
        lambda rng: [
            (rng.choice(MQTT_TOPICS), rng.choice(VALUE_POOL_ALL))
            for _ in range(rng.randint(1, 8))
        ]
    ),
)


@FUZZ
@given(heishamon_messages)
def test_heishamon_topics_never_crash(
    messages: Sequence[tuple[str, str | bytes]],
) -> None:
    """HeishaMon's one-topic-per-value messages: a refused value changes nothing."""
    topics = HeishaMonTopics(
        "panasonic_heat_pump", push_device(Protocol.HEISHAMON, "A")
    )
    for topic, payload in messages:
        before = dict(topics._values)
        try:
            snapshot = topics.update(topic, payload)
        except GatewayResponseError:
            assert topics._values == before, "a refused value must not be kept"
            continue
        if snapshot is not None:
            check_snapshot(snapshot)


ESPALTHERMA_DEVICE = push_device(Protocol.ESPALTHERMA, "Altherma")


ENTITY_DEVICE = push_device(Protocol.ENTITY, "Pump")


@FUZZ
@given(st.one_of(espaltherma_payloads, espaltherma_payloads.map(str.encode), payloads))
def test_espaltherma_and_entity_state_never_crash(payload: str | bytes) -> None:
    """ESPAltherma's state message: a valid snapshot or GatewayResponseError.

    The same text, as another integration's entity state, always gives a snapshot: an
    entity's state cannot be refused, any text is a code (or "no fault") to look up.
    """
    snapshot = parsed_or_refused(lambda: parse_espaltherma(payload, ESPALTHERMA_DEVICE))
    if snapshot is not None:
        check_snapshot(snapshot)
    text = payload if isinstance(payload, str) else payload.decode(errors="replace")
    check_snapshot(parse_code_text(text, ENTITY_DEVICE))


JSON_DEVICE = push_device(Protocol.JSON, "Pump")
_KEY_PATHS = (*JSON_KEYS, "", ".", "status..error", "a.b.c.d", *TEXT_POOL[:40])


def _key_pool() -> tuple[JsonKeys, ...]:
    """Configured keys as a user may type them, fixed up front (one choice to draw)."""
    rng = random.Random(3)  # noqa: S311 - a fixed test pool, not a secret
    return tuple(
        JsonKeys(
            code=rng.choice(_KEY_PATHS),
            run_hours=rng.choice((None, *_KEY_PATHS)),
            compressor=rng.choice((None, *_KEY_PATHS)),
        )
        for _ in range(300)
    )


json_keys = st.one_of(st.just(JSON_STATE_KEYS), st.sampled_from(_key_pool()))
json_payloads = st.one_of(
    mutated(JSON_STATE).map(_dumps),
    truncated([_dumps(JSON_STATE)]),
    garbage.map(lambda error: _dumps({"status": {"error": error}})),
    seeded(
        lambda rng: {
            "status": {"error": _nested(rng, 3)},
            "hours": _nested(rng, 3),
            "compressor": _nested(rng, 3),
        }
    ).map(_dumps),
    http_bodies,
)


@FUZZ
@given(st.one_of(json_payloads, json_payloads.map(str.encode), st.binary()), json_keys)
def test_parse_json_state_never_crashes(payload: str | bytes, keys: JsonKeys) -> None:
    """A generic JSON state message, with any configured keys: a snapshot or a refusal."""
    snapshot = parsed_or_refused(lambda: parse_json_state(payload, keys, JSON_DEVICE))
    if snapshot is not None:
        check_snapshot(snapshot)


# --- Regressions found by the fuzzing ----------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [10**400, -(10**400), math.nan, math.inf, -math.inf],
    ids=["huge", "-huge", "nan", "inf", "-inf"],
)
def test_generic_out_of_range_number_refused(value: float) -> None:
    """A number that no float holds, or NaN/inf, is refused instead of crashing."""
    document = load_payload("device_aquarea.json")
    document["state"]["outdoor_temperature"] = value
    with pytest.raises(GatewayResponseError, match="outdoor_temperature"):
        parse_snapshot(document)


def test_generic_device_id_with_newline_refused() -> None:
    """The id pattern must match the whole id: a trailing newline is not allowed."""
    document = load_payload("device_aquarea.json")
    document["id"] = "aquarea\n"
    with pytest.raises(GatewayResponseError, match="'id'"):
        parse_snapshot(document)


@pytest.mark.parametrize("key", ["time", "since"])
def test_generic_naive_time_refused(key: str) -> None:
    """A time without UTC offset cannot be compared with Home Assistant's: refused."""
    document = load_payload("device_aquarea_fault.json")
    target = document if key == "time" else document["state"]["faults"][0]
    target[key] = "2026-01-15T06:00:00"
    with pytest.raises(GatewayResponseError, match=key):
        parse_snapshot(document)
    target[key] = "2026-01-15T06:00:00Z"
    snapshot = parse_snapshot(document)
    moment = snapshot.time if key == "time" else snapshot.state.faults[0].since
    assert moment == datetime(2026, 1, 15, 6, tzinfo=UTC)


@pytest.mark.parametrize(
    "value", [10**400, "nan", "inf", math.nan], ids=["huge", "nan-text", "inf", "nan"]
)
def test_heishamon_out_of_range_number_refused(value: Any) -> None:
    """HeishaMon values beyond a float, or NaN/inf, are refused instead of crashing."""
    document = load_payload("heishamon.json")
    for topic in document["heatpump"]:
        if topic["Name"] == "Outside_Temp":
            topic["Value"] = value
    with pytest.raises(GatewayResponseError, match="Outside_Temp"):
        parse_heishamon(document)


def test_push_huge_number_refused() -> None:
    """A JSON number beyond a float is refused instead of raising OverflowError."""
    payload = json.dumps({"status": {"error": "E7"}, "hours": 10**400})
    with pytest.raises(GatewayResponseError, match="hours"):
        parse_json_state(payload, JSON_STATE_KEYS, JSON_DEVICE)
    altherma = _pairs_text([*ESPALTHERMA_PAIRS, ("Outdoor air temp.(R1T)", 10**400)])
    altherma = altherma.replace('"Outdoor air temp.(R1T)":4.5,', "")
    with pytest.raises(GatewayResponseError, match="outdoor temperature"):
        parse_espaltherma(altherma, ESPALTHERMA_DEVICE)


@pytest.mark.parametrize(
    "body", ["[" * 100_000, '{"a":' * 100_000], ids=["list", "object"]
)
async def test_http_bottomless_nesting_refused(body: str) -> None:
    """JSON nested deeper than the decoder's recursion limit is refused, not a crash."""
    for result in await _client_calls(body):
        assert result is None


def test_long_code_cut_without_trailing_space() -> None:
    """A code cut to 32 characters must not end on the space the cut fell after."""
    snapshot = parse_code_text("E" * 31 + " 12", ENTITY_DEVICE)
    assert [fault.code for fault in snapshot.state.faults] == ["E" * 31]
    payload = json.dumps({"status": {"error": "F" * 31 + "   9"}})
    snapshot = parse_json_state(payload, JSON_STATE_KEYS, JSON_DEVICE)
    assert [fault.code for fault in snapshot.state.faults] == ["F" * 31]
