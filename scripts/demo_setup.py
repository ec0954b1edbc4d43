"""Helper of scripts/demo: ports, waiting, and talking to Home Assistant's REST API."""

# Standard library only, so it runs with any Python 3.13. Secrets come from the environment
# (HPC_DEMO_PASSWORD, HPC_DEMO_SIM_TOKEN), not the command line.
#
#   demo_setup.py port PREFERRED [--strict]     print PREFERRED if free, else a free port
#   demo_setup.py wait URL --pid PID --timeout S
#                                               wait until URL answers at all (404 counts)
#   demo_setup.py configure URL --sim-host H --sim-port P [--moved]
#                                               add every simulated heat pump through the
#                                               config flow (skips those already added);
#                                               --moved: reconfigure existing entries first
#   demo_setup.py check URL --timeout S         entries loaded and a fault sensor exists

from __future__ import annotations

import argparse
from collections.abc import Callable
import json
import os
import socket
import sys
import time
from typing import Any
import urllib.error
import urllib.parse
import urllib.request

DOMAIN = "heat_pump_care"
USERNAME = "demo"
MAX_FLOWS = 10  # more heat pumps than the simulator serves: something loops


class DemoError(Exception):
    """A step failed; the message says what and what to do."""


def _port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port(preferred: int, *, strict: bool) -> int:
    """Return the preferred port when nothing listens there, else any free one."""
    if _port_is_free(preferred):
        return preferred
    if strict:
        raise DemoError(f"port {preferred} is in use on 127.0.0.1")
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def wait_until_up(url: str, pid: int, timeout: float) -> None:
    """Poll url until the server answers with any HTTP status."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except urllib.error.HTTPError:
            return  # it answered: a 404 still means the server is up
        except OSError:
            pass
        if not _alive(pid):
            raise DemoError(
                f"the process (pid {pid}) behind {url} exited while starting"
            )
        if time.monotonic() > deadline:
            raise DemoError(f"{url} did not answer within {timeout:.0f} s")
        time.sleep(0.5)


class HomeAssistant:
    """The few REST calls the demo needs."""

    def __init__(self, base_url: str) -> None:
        """Talk to the Home Assistant at base_url, not logged in yet."""
        self.base_url = base_url.rstrip("/")
        self.token: str | None = None
        self.tokens: dict[str, Any] = {}  # the whole answer of /auth/token

    def request(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None = None,
        *,
        form: dict[str, str] | None = None,
    ) -> Any:
        """Send one request and decode the JSON answer; raise DemoError on failure."""
        headers = {"Accept": "application/json"}
        data: bytes | None = None
        if form is not None:
            data = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        req = urllib.request.Request(
            self.base_url + path, data=data, headers=headers, method=method
        )
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                return json.loads(resp.read() or b"null")
        except urllib.error.HTTPError as err:
            detail = err.read().decode(errors="replace")[:500]
            raise DemoError(f"{method} {path} answered {err.code}: {detail}") from None
        except OSError as err:
            raise DemoError(f"{method} {path} failed: {err}") from None

    def login(self, password: str) -> None:
        """Log in as the demo user the way the web UI does, and keep the access token."""
        client_id = self.base_url + "/"
        flow = self.request(
            "POST",
            "/auth/login_flow",
            {
                "client_id": client_id,
                "handler": ["homeassistant", None],
                "redirect_uri": client_id,
            },
        )
        result = self.request(
            "POST",
            f"/auth/login_flow/{flow['flow_id']}",
            {"client_id": client_id, "username": USERNAME, "password": password},
        )
        if result.get("type") != "create_entry":
            raise DemoError(
                f"login as {USERNAME!r} was refused ({result.get('errors')}); "
                "reset the demo with `rm -rf .demo`"
            )
        tokens = self.request(
            "POST",
            "/auth/token",
            form={
                "grant_type": "authorization_code",
                "code": result["result"],
                "client_id": client_id,
            },
        )
        self.tokens = tokens
        self.token = tokens["access_token"]

    def wait_running(self, password: str, timeout: float) -> None:
        """Log in as soon as Home Assistant lets us, then wait until it has started."""
        last = "no answer yet"

        def running() -> bool | None:
            nonlocal last
            try:
                if self.token is None:
                    self.login(password)
                config = self.request("GET", "/api/config")
            except DemoError as err:
                last = str(err)
                return None
            if config.get("recovery_mode"):
                raise DemoError(
                    "Home Assistant started in recovery mode: its configuration did not "
                    "load (see its log)"
                )
            state = config.get("state")
            last = f"Home Assistant is in state {state}"
            return True if state == "RUNNING" else None

        try:
            _poll("Home Assistant to finish starting", timeout, running)
        except DemoError as err:
            raise DemoError(f"{err}; last: {last}") from None

    def entries(self) -> list[dict[str, Any]]:
        """Heat Pump Care's config entries."""
        entries: list[dict[str, Any]] = self.request(
            "GET", f"/api/config/config_entries/entry?domain={DOMAIN}"
        )
        return entries


def _options(step: dict[str, Any], field: str) -> list[str]:
    """List the values a select field of a form step offers (selector or vol.In)."""
    for item in step.get("data_schema") or []:
        if item.get("name") != field:
            continue
        if "selector" in item:
            raw = item["selector"].get("select", {}).get("options", [])
        else:
            raw = item.get("options", [])
        return [
            o["value"] if isinstance(o, dict) else o[0] if isinstance(o, list) else o
            for o in raw
        ]
    raise DemoError(
        f"config flow step {step.get('step_id')!r} has no select field {field!r}: "
        f"{json.dumps(step.get('data_schema'))}; scripts/demo_setup.py needs updating"
    )


def _pick_model(step: dict[str, Any], device: str | None) -> str:
    """Choose `brand:family` for a device that does not report it, by its id."""
    for value in _options(step, "model"):
        if device and device in value.split(":"):
            return value
    raise DemoError(
        f"config flow asks for the model of device {device!r} and none of its options "
        f"matches: {_options(step, 'model')}"
    )


def _answer(
    step: dict[str, Any], connection: dict[str, Any], device: str | None
) -> dict[str, Any]:
    """Decide what to submit to one form of the config flow."""
    step_id = step.get("step_id")
    if step.get("errors"):
        raise DemoError(
            f"config flow step {step_id!r} reported errors {step['errors']}; "
            f"is the simulator at {connection['host']}:{connection['port']} up?"
        )
    if step_id in ("user", "http"):
        return connection
    if step_id == "device":  # the integration offers only pumps not added yet
        return {"device": _options(step, "device")[0]}
    if step_id == "model":
        return {"model": _pick_model(step, device)}
    raise DemoError(
        f"config flow shows an unexpected step {step_id!r} with fields "
        f"{json.dumps(step.get('data_schema'))}; scripts/demo_setup.py needs updating"
    )


def configure(ha: HomeAssistant, connection: dict[str, Any]) -> int:
    """Add each simulated heat pump through the real config flow; return how many were new."""
    added = 0
    for _ in range(MAX_FLOWS):
        step = ha.request(
            "POST",
            "/api/config/config_entries/flow",
            {"handler": DOMAIN, "show_advanced_options": False},
        )
        device: str | None = None
        if step.get("type") == "menu":  # how to connect: the gateway's HTTP API
            step = ha.request(
                "POST",
                f"/api/config/config_entries/flow/{step['flow_id']}",
                {"next_step_id": "http"},
            )
        while step.get("type") == "form":
            answer = _answer(step, connection, device)
            device = answer.get("device", device)
            step = ha.request(
                "POST", f"/api/config/config_entries/flow/{step['flow_id']}", answer
            )
        if step.get("type") == "create_entry":
            added += 1
            print(f"  added {step.get('title')!r}", flush=True)
            continue
        if step.get("type") == "abort" and step.get("reason") == "already_configured":
            return added
        raise DemoError(f"config flow ended unexpectedly: {json.dumps(step)}")
    raise DemoError(f"config flow kept adding entries ({MAX_FLOWS} of them); giving up")


def reconfigure(ha: HomeAssistant, connection: dict[str, Any]) -> None:
    """Point every existing entry at the simulator's new address (reconfigure flow)."""
    for entry in ha.entries():
        step = ha.request(
            "POST",
            "/api/config/config_entries/flow",
            {"handler": DOMAIN, "entry_id": entry["entry_id"]},
        )
        if step.get("type") == "form" and step.get("step_id") == "reconfigure":
            step = ha.request(
                "POST", f"/api/config/config_entries/flow/{step['flow_id']}", connection
            )
        if (
            step.get("type") != "abort"
            or step.get("reason") != "reconfigure_successful"
        ):
            raise DemoError(
                f"reconfiguring {entry['title']!r} ended unexpectedly: {json.dumps(step)}"
            )
        print(f"  moved {entry['title']!r} to port {connection['port']}", flush=True)


def _poll[T](what: str, timeout: float, probe: Callable[[], T | None]) -> T:
    """Call probe until it returns something; explain what was awaited on time-out."""
    deadline = time.monotonic() + timeout
    while (found := probe()) is None:
        if time.monotonic() > deadline:
            raise DemoError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(1)
    return found


def check(ha: HomeAssistant, timeout: float) -> None:
    """Smoke-test: every entry loaded, and a fault sensor has a state."""
    last: list[str] = []

    def entries_loaded() -> list[dict[str, Any]] | None:
        entries = ha.entries()
        last[:] = [f"{e['title']}: {e['state']}" for e in entries]
        if entries and all(e["state"] == "loaded" for e in entries):
            return entries
        return None

    try:
        entries = _poll("Heat Pump Care entries to load", timeout, entries_loaded)
    except DemoError as err:
        raise DemoError(f"{err} (entries: {last or 'none'})") from None
    print(f"  {len(entries)} entries loaded: {', '.join(last)}", flush=True)

    def fault_sensors() -> list[str] | None:
        states = ha.request("GET", "/api/states")
        found = [
            f"{s['entity_id']}={s['state']}"
            for s in states
            if s["entity_id"].startswith("sensor.") and "fault" in s["entity_id"]
        ]
        return found or None

    sensors = _poll("a sensor.*fault* entity", timeout, fault_sensors)
    print(f"  fault sensors: {', '.join(sensors)}", flush=True)


def main() -> int:
    """Run one sub-command; exit status 1 with a one-line reason on failure."""
    parser = argparse.ArgumentParser(prog="demo_setup.py")
    sub = parser.add_subparsers(dest="command", required=True)
    port = sub.add_parser("port")
    port.add_argument("preferred", type=int)
    port.add_argument("--strict", action="store_true")
    wait = sub.add_parser("wait")
    wait.add_argument("url")
    wait.add_argument("--pid", type=int, required=True)
    wait.add_argument("--timeout", type=float, default=120)
    conf = sub.add_parser("configure")
    conf.add_argument("url")
    conf.add_argument("--sim-host", required=True)
    conf.add_argument("--sim-port", type=int, required=True)
    conf.add_argument("--timeout", type=float, default=180)
    conf.add_argument(
        "--moved", action="store_true", help="the simulator's port changed"
    )
    chk = sub.add_parser("check")
    chk.add_argument("url")
    chk.add_argument("--timeout", type=float, default=90)
    args = parser.parse_args()

    try:
        if args.command == "port":
            print(free_port(args.preferred, strict=args.strict))
        elif args.command == "wait":
            wait_until_up(args.url, args.pid, args.timeout)
        else:
            ha = HomeAssistant(args.url)
            ha.wait_running(os.environ["HPC_DEMO_PASSWORD"], args.timeout)
            if args.command == "configure":
                connection = {
                    "host": args.sim_host,
                    "port": args.sim_port,
                    "token": os.environ["HPC_DEMO_SIM_TOKEN"],
                }
                if args.moved:
                    reconfigure(ha, connection)
                added = configure(ha, connection)
                total = len(ha.entries())
                print(
                    f"  {total} heat pumps set up in Heat Pump Care ({added} added now)"
                )
            else:
                check(ha, args.timeout)
    except DemoError as err:
        print(f"demo: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:  # Ctrl-C: scripts/demo cleans up and says so
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
