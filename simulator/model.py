"""The simulated heat pumps: weather, compressor, defrost, run hours, filter, faults, scenario.

Pure model: no I/O and no aiohttp. Everything that varies with time is either a pure
function of the simulated time (weather, where the compressor is in its on/off cycle) or
is integrated cycle by cycle (run hours, filter clog). The result therefore depends only on
the seed and on the simulated times the clock is moved to, never on how fast the wall
clock ran, and a jump of months costs a few thousand cheap loop iterations.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
import math
import random
import re
import time
from typing import Any, Final, NamedTuple

DEFAULT_START: Final = datetime(2026, 1, 15, 6, 0, tzinfo=UTC)

CYCLE_SECONDS: Final = 1800.0
"""One compressor on/off cycle. The compressor runs at the start of each cycle for a share
that grows with heat demand, and rests for the remainder."""

DEFROST_SECONDS: Final = 300.0
CLOG_THRESHOLD: Final = 0.9
MAX_JUMP_SECONDS: Final = 3650 * 86400.0
"""Ten years: a bigger jump is surely a typo, and would keep the server busy."""

_ID_RE: Final = re.compile(r"[A-Za-z0-9_-]{1,64}")
_SLUG_RE: Final = re.compile(r"[a-z0-9_]{1,64}")
_NUMBER: Final = r"(\d+(?:\.\d+)?)"
_DURATION_RE: Final = re.compile(
    rf"P(?:{_NUMBER}W)?(?:{_NUMBER}D)?(?:T(?:{_NUMBER}H)?(?:{_NUMBER}M)?(?:{_NUMBER}S)?)?"
)
_DURATION_FACTORS: Final = (7 * 86400.0, 86400.0, 3600.0, 60.0, 1.0)
_MAX_CODE_LENGTH: Final = 32
_MAX_DESCRIPTION_LENGTH: Final = 500


class ModelError(Exception):
    """A request the simulator cannot honour. `slug` becomes the JSON `error` field."""

    def __init__(self, slug: str, message: str) -> None:
        """Remember the slug and the human message."""
        super().__init__(message)
        self.slug = slug
        self.message = message


class NotFoundError(ModelError):
    """The thing asked for (device, active fault) does not exist."""


# --------------------------------------------------------------------------- parsing


def parse_duration(value: object, what: str = "duration") -> float:
    """Seconds from a non-negative number or an ISO 8601 duration (`PT2M`, `P90D`, `P1DT6H`).

    Years and months are refused: their length is ambiguous.
    """
    if isinstance(value, bool):
        raise ModelError(
            "invalid_duration",
            f"{what} must be a number of seconds or an ISO 8601 duration",
        )
    if isinstance(value, int | float):
        seconds = float(value)
    elif isinstance(value, str):
        text = value.strip().upper()
        match = _DURATION_RE.fullmatch(text)
        groups = match.groups() if match else ()
        if match is None or text.endswith("T") or all(g is None for g in groups):
            raise ModelError(
                "invalid_duration",
                f"{what} {value!r} is not an ISO 8601 duration such as PT2M, PT1H30M or P90D",
            )
        seconds = sum(
            float(g) * f for g, f in zip(groups, _DURATION_FACTORS, strict=True) if g
        )
    else:
        raise ModelError(
            "invalid_duration",
            f"{what} must be a number of seconds or an ISO 8601 duration",
        )
    if not math.isfinite(seconds) or seconds < 0:
        raise ModelError(
            "invalid_duration",
            f"{what} must be a finite number of seconds, zero or more",
        )
    return seconds


def normalize_code(code: object) -> str:
    """Return a fault code as the pump shows it: stripped and upper-cased, nothing more."""
    if not isinstance(code, str):
        raise ModelError("invalid_code", "code must be a string such as 'H15' or 'U4'")
    text = code.strip().upper()
    if not 1 <= len(text) <= _MAX_CODE_LENGTH or any(
        ch.isspace() or not ch.isprintable() for ch in text
    ):
        raise ModelError(
            "invalid_code",
            f"code must be 1 to {_MAX_CODE_LENGTH} printable characters without spaces",
        )
    return text


def _check_description(description: object) -> str | None:
    if description is None:
        return None
    if not isinstance(description, str) or len(description) > _MAX_DESCRIPTION_LENGTH:
        raise ModelError(
            "invalid_description",
            f"description must be a string of at most {_MAX_DESCRIPTION_LENGTH} characters, or null",
        )
    return description


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


# --------------------------------------------------------------------------- devices


@dataclass(frozen=True, slots=True)
class DeviceConfig:
    """What a simulated pump is, as given by the defaults or a `--devices` file."""

    id: str
    serial: str
    brand: str | None = None
    family: str | None = None
    model: str | None = None
    firmware: str | None = None
    name: str | None = None
    run_hours: float | None = 0.0
    """Run hours at the start; None means the pump does not count run time."""
    dhw: bool = True
    """Whether the pump has a hot-water tank."""
    filter_clog: float = 0.0
    """Clog level (0 clean .. 1 blocked) at the start."""
    filter_clog_hours: float = 1200.0
    """Compressor run hours that take a clean filter to fully clogged."""
    clog_fault: str | None = None
    """Fault code raised when the clog level passes the threshold; None raises nothing."""
    climate_offset: float = 0.0
    """Added to the outdoor temperature, so that two pumps do not feel the same weather."""


DEFAULT_DEVICES: Final = (
    DeviceConfig(
        id="aquarea",
        serial="SIM-AQ-0001",
        brand="panasonic",
        family="aquarea",
        model="WH-MDC05J3E5",
        firmware="1.4.2",
        name="Aquarea",
        run_hours=1532.0,
        filter_clog=0.35,
        clog_fault="H62",  # water flow switch: what a blocked strainer leads to
    ),
    DeviceConfig(
        id="altherma",
        serial="SIM-DK-0001",
        brand="daikin",
        family="altherma",
        model="ERGA04EV",
        firmware="2.1.0",
        name="Altherma",
        run_hours=847.5,
        filter_clog=0.1,
        clog_fault="7H",  # water flow problem
        climate_offset=-1.5,
    ),
)

_CONFIG_FIELDS: Final = frozenset(DeviceConfig.__dataclass_fields__)


def _optional_text(
    entry: dict[str, Any], key: str, where: str, *, slug: bool = False
) -> str | None:
    value = entry.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ModelError(
            "invalid_devices", f"{where}: {key} must be a non-empty string or null"
        )
    if slug and not _SLUG_RE.fullmatch(value):
        raise ModelError(
            "invalid_devices",
            f"{where}: {key} must be a lower-case slug such as 'panasonic', or null",
        )
    return value


def _number(
    entry: dict[str, Any],
    key: str,
    where: str,
    *,
    default: float,
    low: float,
    high: float,
) -> float:
    value = entry.get(key, default)
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not low <= value <= high
    ):
        raise ModelError(
            "invalid_devices", f"{where}: {key} must be a number from {low} to {high}"
        )
    return float(value)


def parse_devices(data: object) -> list[DeviceConfig]:
    """Device configurations from a devices document: `{"devices": [{"id": ..., ...}]}`."""
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("devices"), list)
        or not data["devices"]
    ):
        raise ModelError(
            "invalid_devices", 'expected {"devices": [ ... ]} with at least one device'
        )
    configs: list[DeviceConfig] = []
    for index, entry in enumerate(data["devices"]):
        where = f"devices[{index}]"
        if not isinstance(entry, dict):
            raise ModelError("invalid_devices", f"{where} must be an object")
        unknown = sorted(set(entry) - _CONFIG_FIELDS)
        if unknown:
            raise ModelError(
                "invalid_devices", f"{where}: unknown field(s) {', '.join(unknown)}"
            )
        device_id = entry.get("id")
        if not isinstance(device_id, str) or not _ID_RE.fullmatch(device_id):
            raise ModelError(
                "invalid_devices", f"{where}: id must match [A-Za-z0-9_-]{{1,64}}"
            )
        serial = entry.get("serial")
        if not isinstance(serial, str) or not serial.strip():
            raise ModelError(
                "invalid_devices", f"{where}: serial must be a non-empty string"
            )
        run_hours: float | None = None
        if entry.get("run_hours", 0.0) is not None:
            run_hours = _number(
                entry, "run_hours", where, default=0.0, low=0.0, high=1e6
            )
        dhw = entry.get("dhw", True)
        if not isinstance(dhw, bool):
            raise ModelError("invalid_devices", f"{where}: dhw must be true or false")
        clog_fault = entry.get("clog_fault")
        configs.append(
            DeviceConfig(
                id=device_id,
                serial=serial,
                brand=_optional_text(entry, "brand", where, slug=True),
                family=_optional_text(entry, "family", where, slug=True),
                model=_optional_text(entry, "model", where),
                firmware=_optional_text(entry, "firmware", where),
                name=_optional_text(entry, "name", where),
                run_hours=run_hours,
                dhw=dhw,
                filter_clog=_number(
                    entry, "filter_clog", where, default=0.0, low=0.0, high=1.0
                ),
                filter_clog_hours=_number(
                    entry, "filter_clog_hours", where, default=1200.0, low=1.0, high=1e6
                ),
                clog_fault=None if clog_fault is None else normalize_code(clog_fault),
                climate_offset=_number(
                    entry, "climate_offset", where, default=0.0, low=-40.0, high=40.0
                ),
            )
        )
    ids = [c.id for c in configs]
    if len(set(ids)) != len(ids):
        raise ModelError("invalid_devices", "device ids must be unique")
    return configs


@dataclass(slots=True)
class Fault:
    """An active fault on a pump."""

    code: str
    description: str | None
    since: datetime

    def as_dict(self) -> dict[str, Any]:
        """Return the fault as the gateway protocol writes it."""
        doc: dict[str, Any] = {"code": self.code}
        if self.description is not None:
            doc["description"] = self.description
        doc["since"] = _iso(self.since)
        return doc


@dataclass(frozen=True, slots=True)
class DeviceState:
    """One reading of a pump, in the units of the gateway protocol."""

    time: datetime
    operating_mode: str
    outdoor_temperature: float
    flow_temperature: float
    return_temperature: float
    target_flow_temperature: float
    dhw_temperature: float | None
    dhw_target_temperature: float | None
    compressor_running: bool
    compressor_frequency: float
    compressor_run_hours: float | None
    defrosting: bool
    pump_flow: float
    """Water flow in litres per minute; falls as the filter clogs."""
    faults: tuple[Fault, ...]


class _Noise:
    """Smooth reproducible noise: random knots every `spacing` seconds, linearly interpolated.

    Knots are drawn in order from their own generator, so a value never depends on the
    order or the times at which values are asked for.
    """

    def __init__(self, seed: str, spacing: float, sigma: float) -> None:
        self._rng = random.Random(seed)  # noqa: S311 - weather noise, not secrets
        self._spacing = spacing
        self._sigma = sigma
        self._knots: list[float] = []

    def __call__(self, elapsed: float) -> float:
        position = max(0.0, elapsed) / self._spacing
        index = int(position)
        while len(self._knots) <= index + 1:
            self._knots.append(self._rng.gauss(0.0, self._sigma))
        share = position - index
        return self._knots[index] * (1.0 - share) + self._knots[index + 1] * share


class _Cycle(NamedTuple):  # not a frozen dataclass: three times faster to make
    start: float
    run: float
    """Seconds the compressor runs from the start of the cycle (0 when there is no demand)."""
    demand: float
    defrost: bool


class Device:
    """One simulated pump. Time is `elapsed`: simulated seconds since the simulation start."""

    def __init__(self, config: DeviceConfig, *, seed: int, start: datetime) -> None:
        """Set the pump up at elapsed time 0."""
        self.config = config
        self._start = start
        year_start = datetime(start.year, 1, 1, tzinfo=start.tzinfo or UTC)
        self._start_day = (start - year_start).total_seconds() / 86400.0
        self._weather = _Noise(f"{seed}:{config.id}:weather", 86400.0, 2.5)
        self._jitter = _Noise(f"{seed}:{config.id}:jitter", 3600.0, 0.7)
        self.elapsed = 0.0
        self._run_seconds = 0.0
        self._counts_hours = config.run_hours is not None
        self._run_hours_start = config.run_hours or 0.0
        self.filter_clog = config.filter_clog
        # Latched when the clog passes the threshold, so the clog fault is raised once
        # per clogging rather than straight back after every reset; cleaning re-arms it.
        self._clog_latched = config.filter_clog >= CLOG_THRESHOLD
        self.faults: dict[str, Fault] = {}
        self._cycle_cache: dict[int, _Cycle] = {}
        # Where the run and the cycle that `elapsed` lies in end: most steps stay inside
        # the one or the other, and need no cycle.
        self._run_until = -math.inf
        self._cycle_until = -math.inf
        # Once the run is over, the end of the cycle: a step up to there changes nothing
        # but `elapsed`. Behind `elapsed` (so of no use) once the next cycle has begun.
        self.rests_until = -math.inf

    # -- weather and cycles: pure functions of the elapsed time

    def outdoor_temperature(self, elapsed: float) -> float:
        """Return the outdoor temperature: season, time of day, weather and jitter."""
        day = self._start_day + elapsed / 86400.0
        hour = (day % 1.0) * 24.0
        # Coldest around 20 January (day 19 counting from 0), and at 03:00 each day.
        seasonal = 10.0 - 9.0 * math.cos(2.0 * math.pi * (day - 19.0) / 365.25)
        daily = -4.0 * math.cos(2.0 * math.pi * (hour - 3.0) / 24.0)
        return (
            seasonal
            + daily
            + self._weather(elapsed)
            + self._jitter(elapsed)
            + self.config.climate_offset
        )

    def _cycle(self, index: int) -> _Cycle:
        cached = self._cycle_cache.get(index)
        if cached is not None:
            return cached
        start = index * CYCLE_SECONDS
        outdoor = self.outdoor_temperature(start)
        demand = _clamp((18.0 - outdoor) / 25.0, 0.0, 1.0)
        run = 0.0 if demand < 0.04 else CYCLE_SECONDS * min(1.0, 0.15 + 0.85 * demand)
        # Frost builds up on the outdoor coil below about 5 °C: defrost every second cycle
        # below freezing, every fourth cycle above, at the end of a long enough run.
        every = 2 if outdoor < 0.0 else 4
        defrost = outdoor < 5.0 and run >= 2 * DEFROST_SECONDS and index % every == 0
        cycle = _Cycle(start, run, demand, defrost)
        # Only the cycles around "now" are asked for twice: a small cache is enough.
        if len(self._cycle_cache) > 64:
            self._cycle_cache.clear()
        self._cycle_cache[index] = cycle
        return cycle

    # -- integration

    def advance_to(self, target: float) -> None:
        """Accumulate run time (and filter clog) up to `target` elapsed seconds."""
        # Piece by piece: the run of a cycle, then its rest. Most steps lie inside the
        # piece the previous one ended in, and take a single turn.
        elapsed = self.elapsed
        while elapsed < target:
            if elapsed >= self._cycle_until:
                cycle = self._cycle(int(elapsed // CYCLE_SECONDS))
                self._run_until = cycle.start + cycle.run
                self._cycle_until = cycle.start + CYCLE_SECONDS
            if elapsed < self._run_until:
                # min() spelt out in this branch, taken at every running step: the
                # builtin call would cost about as much as the rest of the turn.
                end = target if target < self._run_until else self._run_until  # noqa: FURB136
                # Run time clogs the filter.
                ran = end - elapsed
                self._run_seconds += ran
                clog = self.filter_clog + ran / 3600.0 / self.config.filter_clog_hours
                if clog > 1.0:  # noqa: PLR1730
                    clog = 1.0
                self.filter_clog = clog
                if clog >= CLOG_THRESHOLD and not self._clog_latched:
                    self._latch_clog(end)
            else:
                self.rests_until = self._cycle_until
                end = min(self._cycle_until, target)
            elapsed = end
        self.elapsed = elapsed

    def _latch_clog(self, at: float) -> None:
        """Raise the clog fault once per clogging: the clog passed the threshold."""
        self._clog_latched = True
        if self.config.clog_fault is not None:
            self.raise_fault(
                self.config.clog_fault,
                "Low water flow: filter clogged",
                self._start + timedelta(seconds=at),
            )

    # -- faults and maintenance

    def raise_fault(self, code: str, description: str | None, since: datetime) -> bool:
        """Raise a fault; False when it is already active (its `since` is kept)."""
        if code in self.faults:
            return False
        self.faults[code] = Fault(code, description, since)
        return True

    def clear_fault(self, code: str) -> bool:
        """Clear a fault; False when it was not active."""
        return self.faults.pop(code, None) is not None

    def reset(self) -> int:
        """Clear every fault, like the reset button; return how many were active."""
        cleared = len(self.faults)
        self.faults.clear()
        return cleared

    def clean_filter(self) -> None:
        """Clean the filter: clog back to 0, and the clog fault armed again."""
        self.filter_clog = 0.0
        self._clog_latched = False

    # -- reading

    @property
    def run_hours(self) -> float | None:
        """Compressor run hours, or None when the pump does not count them."""
        if not self._counts_hours:
            return None
        return self._run_hours_start + self._run_seconds / 3600.0

    def state(self, moment: datetime) -> DeviceState:
        """Read the pump at its current elapsed time."""
        elapsed = self.elapsed
        cycle = self._cycle(int(elapsed // CYCLE_SECONDS))
        position = elapsed - cycle.start
        running = position < cycle.run
        defrosting = (
            cycle.defrost and cycle.run - DEFROST_SECONDS <= position < cycle.run
        )
        outdoor = self.outdoor_temperature(elapsed)
        target = _clamp(35.0 + (20.0 - outdoor) * 0.6, 25.0, 55.0)  # heating curve
        flow_rate = 16.0 * (1.0 - 0.6 * self.filter_clog)
        if defrosting:
            # The cycle runs backwards to melt the frost, drawing heat from the water.
            flow = target - 8.0
            ret = flow + 1.5
            frequency = 65.0
        elif running:
            flow = target - 6.0 * math.exp(-position / 240.0)
            # A clogged filter means less water flow, so a wider flow/return spread.
            spread = (3.0 + 2.0 * cycle.demand) * (1.0 + self.filter_clog)
            ret = flow - spread
            frequency = round(20.0 + 70.0 * cycle.demand + 3.0 * self._jitter(elapsed))
        else:
            rest = 24.0
            since_stop = position - cycle.run
            flow = (
                rest + (target - rest) * math.exp(-since_stop / 900.0)
                if cycle.run
                else rest
            )
            ret = flow - 0.8
            frequency = 0.0
            flow_rate = 0.0
        dhw_temperature: float | None = None
        dhw_target: float | None = None
        if self.config.dhw:
            # The tank is reheated daily from 14:00 to 15:00 and cools slowly otherwise.
            hours_since = (
                ((self._start_day + elapsed / 86400.0) % 1.0) * 24.0 - 14.0
            ) % 24.0
            dhw_temperature = (
                43.0 + 8.0 * hours_since
                if hours_since < 1.0
                else 51.0 - 0.35 * (hours_since - 1.0)
            )
            dhw_target = 51.0
        return DeviceState(
            time=moment,
            operating_mode="heat_dhw" if self.config.dhw else "heat",
            outdoor_temperature=round(outdoor, 1),
            flow_temperature=round(flow, 1),
            return_temperature=round(ret, 1),
            target_flow_temperature=round(target, 1),
            dhw_temperature=None
            if dhw_temperature is None
            else round(dhw_temperature, 1),
            dhw_target_temperature=dhw_target,
            compressor_running=running,
            compressor_frequency=max(0.0, float(frequency)),
            compressor_run_hours=None
            if self.run_hours is None
            else round(self.run_hours, 2),
            defrosting=defrosting,
            pump_flow=round(flow_rate, 2),
            faults=tuple(self.faults.values()),
        )


# --------------------------------------------------------------------------- scenario

_ACTIONS: Final = ("raise", "clear", "reset", "clean_filter")


@dataclass(frozen=True, slots=True)
class ScenarioEvent:
    """One timed action of a scenario; `at` counts from when the scenario is loaded."""

    at: float
    device: str
    action: str
    """One of raise, clear, reset, clean_filter."""
    code: str | None = None
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Scenario:
    """Timed events, played once or every `loop` seconds."""

    events: tuple[ScenarioEvent, ...]
    loop: float | None = None


def parse_scenario(data: object) -> Scenario:
    """Parse a scenario document; docs/simulator.md describes the format."""
    if not isinstance(data, dict) or not isinstance(data.get("events"), list):
        raise ModelError(
            "invalid_scenario", 'expected {"events": [ ... ], "loop": optional}'
        )
    unknown = sorted(set(data) - {"events", "loop", "description"})
    if unknown:
        raise ModelError("invalid_scenario", f"unknown field(s) {', '.join(unknown)}")
    events: list[ScenarioEvent] = []
    for index, entry in enumerate(data["events"]):
        where = f"events[{index}]"
        if not isinstance(entry, dict):
            raise ModelError("invalid_scenario", f"{where} must be an object")
        extra = sorted(set(entry) - {"at", "device", "description", *_ACTIONS})
        if extra:
            raise ModelError(
                "invalid_scenario", f"{where}: unknown field(s) {', '.join(extra)}"
            )
        actions = [a for a in _ACTIONS if a in entry]
        if len(actions) != 1:
            raise ModelError(
                "invalid_scenario",
                f"{where} needs exactly one of {', '.join(_ACTIONS)}",
            )
        action = actions[0]
        device = entry.get("device")
        if not isinstance(device, str):
            raise ModelError("invalid_scenario", f"{where}: device must be a device id")
        if "at" not in entry:
            raise ModelError("invalid_scenario", f"{where}: 'at' is required")
        try:
            at = parse_duration(entry["at"], f"{where}.at")
            code = (
                normalize_code(entry[action]) if action in ("raise", "clear") else None
            )
            description = _check_description(entry.get("description"))
        except ModelError as err:
            raise ModelError("invalid_scenario", err.message) from None
        if action in ("reset", "clean_filter") and entry[action] is not True:
            raise ModelError("invalid_scenario", f"{where}: {action} must be true")
        events.append(ScenarioEvent(at, device, action, code, description))
    loop: float | None = None
    if data.get("loop") is not None:
        try:
            loop = parse_duration(data["loop"], "loop")
        except ModelError as err:
            raise ModelError("invalid_scenario", err.message) from None
        if loop <= 0 or any(e.at >= loop for e in events):
            raise ModelError(
                "invalid_scenario",
                "loop must be longer than the time of the last event",
            )
    events.sort(key=lambda e: e.at)  # stable: events at the same time keep their order
    return Scenario(tuple(events), loop)


@dataclass(slots=True)
class _ScenarioRun:
    """A loaded scenario: where its time zero falls, and which event fires next."""

    scenario: Scenario
    origin: float
    iteration: int = 0
    index: int = 0


# --------------------------------------------------------------------------- simulator


@dataclass(frozen=True, slots=True)
class FiredEvent:
    """A scenario event that has been played, for logs and the scenario document."""

    time: datetime
    device: str
    action: str
    code: str | None


@dataclass(slots=True)
class _Clock:
    """Where simulated time was when the wall clock last anchored it."""

    wall: float
    elapsed: float


class Simulator:
    """Heat pumps on one simulated clock.

    The clock advances with the wall clock times `speed` (0 freezes it; only `advance`
    moves it then) and jumps with `advance`. Every public method first brings the model
    up to the current simulated time.
    """

    def __init__(
        self,
        devices: Iterable[DeviceConfig] | None = None,
        *,
        seed: int = 0,
        start: datetime = DEFAULT_START,
        speed: float = 1.0,
        monotonic: Callable[[], float] = time.monotonic,
        on_event: Callable[[FiredEvent], None] | None = None,
        scenario: Scenario | None = None,
    ) -> None:
        """Create the pumps (the defaults when `devices` is None) at `start`."""
        if start.tzinfo is None:
            start = start.replace(tzinfo=UTC)
        if not math.isfinite(speed) or speed < 0:
            raise ModelError(
                "invalid_speed", "speed must be a finite number, zero or more"
            )
        configs = list(DEFAULT_DEVICES if devices is None else devices)
        self.seed = seed
        self.start = start
        self._speed = speed
        self.elapsed = 0.0
        self._monotonic = monotonic
        self._anchor = _Clock(monotonic(), 0.0)
        self._on_event = on_event
        self.devices: dict[str, Device] = {
            c.id: Device(c, seed=seed, start=start) for c in configs
        }
        # The devices never change, and a tuple is iterated faster than a dict.
        self._device_tuple = tuple(self.devices.values())
        self._scenario: _ScenarioRun | None = None
        self._listeners: list[Callable[[], None]] = []
        self.fired: list[FiredEvent] = []
        """The most recent scenario events, newest last (kept short)."""
        if scenario is not None:
            self.load_scenario(scenario)

    @property
    def speed(self) -> float:
        """Simulated seconds per wall-clock second, 0 when frozen; fixed at creation."""
        return self._speed

    def add_listener(self, listener: Callable[[], None]) -> None:
        """Call `listener` whenever a fault, the filter or the clock changes outside a tick."""
        self._listeners.append(listener)

    def _changed(self) -> None:
        for listener in self._listeners:
            listener()

    # -- time

    def moment(self, elapsed: float) -> datetime:
        """Return the simulated date-time `elapsed` seconds after the start."""
        return self.start + timedelta(seconds=elapsed)

    @property
    def now(self) -> datetime:
        """The simulated date-time the model has reached."""
        return self.moment(self.elapsed)

    def sync(self) -> None:
        """Bring the model up to the simulated time the wall clock has reached."""
        if self._speed > 0:
            target = (
                self._anchor.elapsed
                + (self._monotonic() - self._anchor.wall) * self._speed
            )
            self._advance_to(target)

    def advance(self, seconds: float) -> None:
        """Jump the clock forward; scenario events and run time in between are all played."""
        # Called half a million times for a year at one-minute steps: kept lean.
        if not 0.0 <= seconds <= MAX_JUMP_SECONDS:
            if not math.isfinite(seconds) or seconds < 0:
                raise ModelError("invalid_duration", "the clock only moves forward")
            raise ModelError(
                "jump_too_large", "a single jump may cover at most 3650 days"
            )
        if self._speed > 0 or self._scenario is not None:
            self.sync()
            self._advance_to(self.elapsed + seconds)
            if self._speed > 0:
                # Only a running clock reads its anchor (in `sync`), and a frozen
                # clock stays frozen: it need not read the wall clock at all.
                self._anchor = _Clock(self._monotonic(), self.elapsed)
        else:
            # _advance_devices, inlined; a device at rest until past the target
            # would only move its `elapsed`: that is done here, without the call.
            target = self.elapsed + seconds
            for device in self._device_tuple:
                if target <= device.rests_until:
                    device.elapsed = target
                else:
                    device.advance_to(target)
            self.elapsed = target
        if self._listeners:
            self._changed()

    def _advance_to(self, target: float) -> None:
        if self._scenario is not None:
            while (due := self._next_event(target)) is not None:
                when, event = due
                self._advance_devices(when)
                self._apply(event)
        self._advance_devices(target)

    def _advance_devices(self, target: float) -> None:
        if target <= self.elapsed:
            return
        for device in self._device_tuple:
            device.advance_to(target)
        self.elapsed = target

    def _next_event(self, target: float) -> tuple[float, ScenarioEvent] | None:
        run = self._scenario
        if run is None or not run.scenario.events:
            return None
        events, loop = run.scenario.events, run.scenario.loop
        if run.index >= len(events):
            if loop is None:
                return None
            run.iteration += 1
            run.index = 0
        if loop is not None and run.index == 0 and run.iteration >= 1:
            # A loop plays the same events every time, so after one full pass the fault
            # set only depends on the last pass: skip the passes in between, so that a
            # jump of months over a six-minute loop stays instant.
            last_full = int((target - run.origin) // loop) - 1
            run.iteration = max(run.iteration, last_full)
        event = events[run.index]
        when = run.origin + run.iteration * (loop or 0.0) + event.at
        if when > target:
            return None
        run.index += 1
        return when, event

    def _apply(self, event: ScenarioEvent) -> None:
        device = self.devices[event.device]
        moment = self.now
        if event.action == "raise" and event.code is not None:
            device.raise_fault(event.code, event.description, moment)
        elif event.action == "clear" and event.code is not None:
            device.clear_fault(event.code)
        elif event.action == "reset":
            device.reset()
        elif event.action == "clean_filter":
            device.clean_filter()
        fired = FiredEvent(moment, event.device, event.action, event.code)
        self.fired = [*self.fired[-19:], fired]
        if self._on_event is not None:
            self._on_event(fired)
        self._changed()

    # -- scenario

    def load_scenario(self, scenario: Scenario) -> None:
        """Replace the scenario; its event times count from now."""
        unknown = sorted({e.device for e in scenario.events} - set(self.devices))
        if unknown:
            raise ModelError(
                "invalid_scenario",
                f"unknown device(s) in scenario: {', '.join(unknown)}",
            )
        self.sync()
        self._scenario = _ScenarioRun(scenario, self.elapsed)
        self._advance_to(self.elapsed)  # events at 0 fire straight away

    def scenario_document(self) -> dict[str, Any]:
        """Describe the loaded scenario and the events played most recently."""
        self.sync()
        run = self._scenario
        if run is None:
            return {"loaded": False, "events": 0, "loop": None, "origin": None}
        return {
            "loaded": True,
            "events": len(run.scenario.events),
            "loop": run.scenario.loop,
            "origin": _iso(self.moment(run.origin)),
            "recent": [
                {
                    "time": _iso(f.time),
                    "device": f.device,
                    "action": f.action,
                    "code": f.code,
                }
                for f in self.fired
            ],
        }

    # -- devices

    def device(self, device_id: str) -> Device:
        """Return a pump by id, or raise NotFoundError."""
        device = self.devices.get(device_id)
        if device is None:
            raise NotFoundError("unknown_device", f"no device with id {device_id!r}")
        return device

    def raise_fault(
        self, device_id: str, code: object, description: object = None
    ) -> bool:
        """Raise a fault now; False when it was already active."""
        device = self.device(device_id)
        normalized = normalize_code(code)
        text = _check_description(description)
        self.sync()
        raised = device.raise_fault(normalized, text, self.now)
        self._changed()
        return raised

    def clear_fault(self, device_id: str, code: str) -> None:
        """Clear one active fault, or raise NotFoundError."""
        device = self.device(device_id)
        normalized = normalize_code(code)
        self.sync()
        if not device.clear_fault(normalized):
            raise NotFoundError(
                "fault_not_active",
                f"fault {normalized!r} is not active on {device_id!r}",
            )
        self._changed()

    def reset(self, device_id: str) -> int:
        """Clear every fault of a pump; return how many were active."""
        device = self.device(device_id)
        self.sync()
        cleared = device.reset()
        self._changed()
        return cleared

    def clean_filter(self, device_id: str) -> None:
        """Clean a pump's filter."""
        device = self.device(device_id)
        self.sync()
        device.clean_filter()
        self._changed()

    def state(self, device_id: str) -> DeviceState:
        """Read a pump now."""
        device = self.device(device_id)
        self.sync()
        return device.state(self.now)

    # -- documents (the JSON the gateway serves)

    @staticmethod
    def identity(config: DeviceConfig) -> dict[str, Any]:
        """Return the identity fields of the gateway protocol."""
        return {
            "id": config.id,
            "serial": config.serial,
            "brand": config.brand,
            "family": config.family,
            "model": config.model,
            "firmware": config.firmware,
            "name": config.name,
        }

    def devices_document(self) -> dict[str, Any]:
        """Return the body of GET /api/v1/devices."""
        return {"devices": [self.identity(d.config) for d in self.devices.values()]}

    def device_document(self, device_id: str) -> dict[str, Any]:
        """Return the body of GET /api/v1/devices/{id}, with the extra `simulation` object."""
        device = self.device(device_id)
        state = self.state(device_id)
        doc = self.identity(device.config)
        doc["time"] = _iso(state.time)
        doc["state"] = {
            "operating_mode": state.operating_mode,
            "outdoor_temperature": state.outdoor_temperature,
            "flow_temperature": state.flow_temperature,
            "return_temperature": state.return_temperature,
            "dhw_temperature": state.dhw_temperature,
            "compressor_running": state.compressor_running,
            "compressor_frequency": state.compressor_frequency,
            "compressor_run_hours": state.compressor_run_hours,
            "defrosting": state.defrosting,
            "faults": [f.as_dict() for f in state.faults],
        }
        doc["simulation"] = {
            "elapsed_seconds": round(self.elapsed, 3),
            "filter_clog": round(device.filter_clog, 4),
            "filter_clog_threshold": CLOG_THRESHOLD,
            "filter_clogged": device.filter_clog >= CLOG_THRESHOLD,
            "clog_fault": device.config.clog_fault,
            "target_flow_temperature": state.target_flow_temperature,
            "pump_flow": state.pump_flow,
        }
        return doc

    def clock_document(self) -> dict[str, Any]:
        """Return the body of GET /api/v1/clock."""
        self.sync()
        return {
            "start": _iso(self.start),
            "time": _iso(self.now),
            "elapsed_seconds": round(self.elapsed, 3),
            "speed": self.speed,
        }


def with_overrides(config: DeviceConfig, **changes: Any) -> DeviceConfig:
    """Copy a device configuration with some fields changed (handy in tests)."""
    return replace(config, **changes)


__all__ = [
    "CLOG_THRESHOLD",
    "CYCLE_SECONDS",
    "DEFAULT_DEVICES",
    "DEFAULT_START",
    "Device",
    "DeviceConfig",
    "DeviceState",
    "Fault",
    "FiredEvent",
    "ModelError",
    "NotFoundError",
    "Scenario",
    "ScenarioEvent",
    "Simulator",
    "normalize_code",
    "parse_devices",
    "parse_duration",
    "parse_scenario",
    "with_overrides",
]
