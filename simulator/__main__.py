"""Command line: `python -m simulator --help`."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime
import json
import logging
from pathlib import Path
import signal
import sys
from typing import Any

from .model import (
    DEFAULT_START,
    DeviceConfig,
    FiredEvent,
    ModelError,
    Scenario,
    Simulator,
    parse_devices,
    parse_scenario,
)
from .mqtt import start_mqtt
from .server import start_simulator

DEMO_SCENARIO = Path(__file__).with_name("scenarios") / "demo.json"

DESCRIPTION = """\
Heat Pump Care simulator: simulated heat pumps served over HTTP in the gateway
protocol (version 1) and in HeishaMon's /json shape, for development, demos and tests.

Each pump has outdoor weather with a daily and a seasonal cycle, a compressor that cycles
with heat demand, defrosts in cold weather, run hours, a filter that clogs with run time,
and faults raised by a scenario or through the control API. Simulated time starts at
--start, runs at --speed times the wall clock, and can jump ahead by months in an instant.
"""

EPILOG = """\
gateway protocol (see docs/protocol.md):
  GET    /api/v1/devices                        the pumps served
  GET    /api/v1/devices/ID                     identity, time, state (+ "simulation")
  POST   /api/v1/devices/ID/reset               clear every active fault
  GET    /json[?device=ID][&style=legacy]       HeishaMon shape (first Panasonic pump)

control API:
  POST   /api/v1/devices/ID/faults              {"code": "H15", "description": "..."}
  DELETE /api/v1/devices/ID/faults/CODE         clear one fault (404 if not active)
  POST   /api/v1/devices/ID/filter/clean        filter clog back to 0
  GET    /api/v1/clock                          simulated time
  POST   /api/v1/clock                          jump: {"seconds": N} | {"minutes": N} |
                                                {"hours": N} | {"days": N} |
                                                {"duration": "P90D"}
  GET    /api/v1/scenario                       the loaded scenario and recent events
  POST   /api/v1/scenario                       load a scenario (times count from now)
  GET    /api/v1/health                         readiness, never needs the token

MQTT (with --mqtt HOST:PORT; see docs/protocol.md, section 3), on every change and
every --mqtt-interval seconds:
  panasonic_heat_pump/main/NAME                 HeishaMon topics of the Panasonic pump
  espaltherma/ATTR                              ESPAltherma labels of the Daikin Altherma
  heat_pump_care/ID/state                       generic JSON: {"error": "H15", ...}

With --token every /api/ and /json request needs "Authorization: Bearer TOKEN".
Errors are JSON: {"error": "slug", "message": "text"}.

example:
  python -m simulator --demo --speed 10
  curl -s -X POST localhost:8765/api/v1/clock -d '{"days": 90}'
"""


def _parse_start(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not an ISO 8601 date-time: {text!r}"
        ) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _parse_speed(text: str) -> float:
    try:
        speed = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 <= speed < float("inf"):
        raise argparse.ArgumentTypeError("speed must be zero or more")
    return speed


def _parse_port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError("port must be from 0 to 65535")
    return port


def _parse_broker(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    if not host:
        raise argparse.ArgumentTypeError("give the broker as HOST:PORT")
    return host.strip("[]"), _parse_port(port)


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser, with the control API in its epilog."""
    parser = argparse.ArgumentParser(
        prog="python -m simulator",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default: %(default)s)",
    )
    parser.add_argument(
        "--port",
        type=_parse_port,
        default=8765,
        help="port to listen on, 0 for any free port (default: %(default)s)",
    )
    parser.add_argument("--token", help="require this bearer token on /api/ and /json")
    parser.add_argument(
        "--seed",
        type=int,
        default=0,
        help="seed of the weather noise (default: %(default)s)",
    )
    parser.add_argument(
        "--start",
        type=_parse_start,
        default=DEFAULT_START,
        help=f"simulated start time, ISO 8601; UTC when no offset is given (default: {DEFAULT_START.isoformat()})",
    )
    parser.add_argument(
        "--speed",
        type=_parse_speed,
        default=1.0,
        help="simulated seconds per wall-clock second; 0 freezes the clock (default: %(default)s)",
    )
    parser.add_argument(
        "--devices",
        type=Path,
        metavar="FILE",
        help="JSON file defining the pumps (default: an Aquarea and an Altherma)",
    )
    scenario = parser.add_mutually_exclusive_group()
    scenario.add_argument(
        "--scenario",
        type=Path,
        metavar="FILE",
        help="JSON scenario file of timed fault events",
    )
    scenario.add_argument(
        "--demo",
        action="store_true",
        help="play the bundled demo scenario (faults come and go every few minutes)",
    )
    parser.add_argument(
        "--heishamon-style",
        choices=("current", "legacy"),
        default="current",
        help="how /json writes values: current firmware (numbers) or legacy firmware (all strings) (default: %(default)s)",
    )
    parser.add_argument(
        "--mqtt",
        type=_parse_broker,
        metavar="HOST:PORT",
        help="also publish the pumps to this MQTT broker, as HeishaMon, ESPAltherma and JSON",
    )
    parser.add_argument(
        "--mqtt-interval",
        type=float,
        default=30.0,
        help="seconds between full MQTT publishes; changes go out at once (default: %(default)s)",
    )
    parser.add_argument("--quiet", action="store_true", help="log warnings only")
    return parser


def _read_json(parser: argparse.ArgumentParser, path: Path, what: str) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        parser.error(f"cannot read {what} file {path}: {err.strerror}")
    except ValueError as err:
        parser.error(f"{what} file {path} is not valid JSON: {err}")


def _log_event(event: FiredEvent) -> None:
    what = event.action if event.code is None else f"{event.action} {event.code}"
    logging.getLogger("simulator").info(
        "%s  %s: %s", event.time.isoformat(timespec="seconds"), event.device, what
    )


async def _serve(args: argparse.Namespace, sim: Simulator) -> None:
    runner, base_url, _ = await start_simulator(
        args.host,
        args.port,
        sim=sim,
        token=args.token,
        heishamon_style=args.heishamon_style,
    )
    try:
        print(f"Heat Pump Care simulator listening on {base_url}", flush=True)
        publisher = None
        if args.mqtt is not None:
            broker_host, broker_port = args.mqtt
            publisher = await start_mqtt(
                sim, broker_host, broker_port, interval=args.mqtt_interval
            )
            print(f"Publishing to MQTT broker {broker_host}:{broker_port}", flush=True)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        await stop.wait()
        if publisher is not None:
            await publisher.close()
    finally:
        await runner.cleanup()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the simulator until SIGINT or SIGTERM; return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.WARNING if args.quiet else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        devices: list[DeviceConfig] | None = None
        if args.devices is not None:
            devices = parse_devices(_read_json(parser, args.devices, "devices"))
        scenario: Scenario | None = None
        if args.demo or args.scenario is not None:
            path = DEMO_SCENARIO if args.demo else args.scenario
            scenario = parse_scenario(_read_json(parser, path, "scenario"))
        sim = Simulator(
            devices,
            seed=args.seed,
            start=args.start,
            speed=args.speed,
            on_event=_log_event,
            scenario=scenario,
        )
    except ModelError as err:
        parser.error(err.message)
    try:
        asyncio.run(_serve(args, sim))
    except ConnectionError as err:
        print(
            f"simulator: MQTT broker {args.mqtt[0]}:{args.mqtt[1]}: {err}",
            file=sys.stderr,
        )
        return 1
    except OSError as err:
        print(
            f"simulator: cannot listen on {args.host}:{args.port}: {err.strerror or err}",
            file=sys.stderr,
        )
        return 1
    except KeyboardInterrupt:  # a second Ctrl-C before the handlers are in place
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
