"""Browser test of the shipped dashboard against a running demo (`scripts/e2e`).

`scripts/demo --e2e` starts the simulator (no scenario, its clock starting now) and Home
Assistant with the dashboard, then runs this module. It logs in, opens the dashboard in
headless Chromium, raises a fault through the simulator's control API, checks that the page
shows what the fault means, clears it, checks that the meaning is gone, and saves screenshots
on the way. Every wait polls with a time-out; nothing sleeps for a fixed time.

    python -m tests.e2e.dashboard URL --sim-url URL --out DIR
    (HPC_DEMO_PASSWORD and HPC_DEMO_SIM_TOKEN in the environment)
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Awaitable, Callable
import contextlib
import json
import os
from pathlib import Path
import signal
import sys
import time
from typing import Any

import aiohttp

from scripts.demo_setup import DemoError, HomeAssistant
from tests.e2e.cdp import Page, find_chromium, open_page

PUMP = "aquarea"  # the simulated Panasonic Aquarea
CODE = "H62"  # low water flow: also makes "clean the water strainer" due at once
FAULT_SENSOR = f"sensor.{PUMP}_fault"
DASHBOARD = "/lovelace/heat-pumps"
TIMEOUT = 60.0  # for each wait; the integration polls every 15 s, and is asked to now
WIDTH, HEIGHT = 1680, 1200  # the sections view shows three columns


def say(line: str, *, error: bool = False) -> None:
    """Print one line."""
    stream = sys.stderr if error else sys.stdout
    stream.write(line + "\n")
    stream.flush()


def log(message: str) -> None:
    """Progress, with the time since the start."""
    say(f"  [{time.monotonic() - START:5.1f} s] {message}")


START = time.monotonic()


async def poll[T](
    what: str, probe: Callable[[], Awaitable[T | None]], limit: float = TIMEOUT
) -> T:
    """Await probe until it returns something other than None, for limit seconds."""
    deadline = time.monotonic() + limit
    while (found := await probe()) is None:
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {limit:.0f} s waiting for {what}")
        await asyncio.sleep(0.5)
    return found


class Rest:
    """Home Assistant's REST API and the simulator's control API."""

    def __init__(
        self, session: aiohttp.ClientSession, ha: HomeAssistant, sim_url: str
    ) -> None:
        """Use the logged-in Home Assistant and the simulator at sim_url."""
        self._session = session
        self._ha = ha
        self._sim_url = sim_url.rstrip("/")
        self._sim_token = os.environ["HPC_DEMO_SIM_TOKEN"]

    async def _call(
        self, method: str, url: str, token: str, body: dict[str, Any] | None
    ) -> Any:
        async with self._session.request(
            method,
            url,
            json=body,
            headers={"Authorization": f"Bearer {token}"},
            timeout=aiohttp.ClientTimeout(total=30),
        ) as response:
            text = await response.text()
            if response.status >= 400:
                raise AssertionError(f"{method} {url}: {response.status} {text[:500]}")
            return json.loads(text) if text else None

    async def ha(
        self, method: str, path: str, body: dict[str, Any] | None = None
    ) -> Any:
        """Call Home Assistant's REST API as the demo user."""
        assert self._ha.token
        return await self._call(method, self._ha.base_url + path, self._ha.token, body)

    async def sim(
        self, method: str, path: str, body: dict[str, Any] | None = None
    ) -> Any:
        """Call the simulator's control API."""
        return await self._call(method, self._sim_url + path, self._sim_token, body)

    async def state(self, entity_id: str) -> dict[str, Any]:
        """The current state of one entity."""
        state: dict[str, Any] = await self.ha("GET", f"/api/states/{entity_id}")
        return state

    async def refresh(self) -> None:
        """Ask the integration to poll the gateway now instead of within 15 s."""
        await self.ha(
            "POST",
            "/api/services/homeassistant/update_entity",
            {"entity_id": FAULT_SENSOR},
        )

    async def wait_state(self, entity_id: str, state: str) -> dict[str, Any]:
        """Poll (refreshing) until the entity has the state; return it."""

        async def probe() -> dict[str, Any] | None:
            await self.refresh()
            current = await self.state(entity_id)
            return current if current["state"] == state else None

        return await poll(f"{entity_id} to become {state!r}", probe)


async def log_in(page: Page, ha: HomeAssistant) -> None:
    """Put the tokens where the frontend keeps them, as if the user had logged in."""
    tokens = {
        "access_token": ha.tokens["access_token"],
        "refresh_token": ha.tokens["refresh_token"],
        "expires_in": ha.tokens["expires_in"],
        "token_type": ha.tokens["token_type"],
        "hassUrl": ha.base_url,
        "clientId": ha.base_url + "/",
        "expires": int(time.time() * 1000) + ha.tokens["expires_in"] * 1000,
    }
    # localStorage belongs to the origin: open a page of it first (the login page).
    await page.goto(ha.base_url + "/auth/providers")
    await page.evaluate(
        f"localStorage.setItem('hassTokens', {json.dumps(json.dumps(tokens))})"
    )


async def check_no_card_errors(page: Page) -> None:
    """No card failed to load: Home Assistant shows such cards as hui-error-card."""
    counts = await page.tag_counts()
    text = await page.text()
    if counts.get("hui-error-card") or "Configuration error" in text:
        raise AssertionError(f"a card shows an error; page text: {text[:3000]}")
    if not counts.get("hui-markdown-card") or not counts.get("hui-todo-list-card"):
        raise AssertionError(f"the dashboard's cards are missing; elements: {counts}")


async def run(ha: HomeAssistant, sim_url: str, out: Path, chromium: str) -> None:
    """Open the dashboard; on failure, keep a screenshot of what the page showed."""
    async with aiohttp.ClientSession() as session, open_page(chromium) as page:
        try:
            await _test(page, Rest(session, ha, sim_url), ha, out)
        except BaseException:
            with contextlib.suppress(Exception):
                await page.screenshot(out / "failure.png")
            raise


async def _test(page: Page, rest: Rest, ha: HomeAssistant, out: Path) -> None:
    """The test itself."""
    url = ha.base_url
    await rest.sim("POST", f"/api/v1/devices/{PUMP}/reset")
    await rest.wait_state(FAULT_SENSOR, "no_fault")

    await page.set_viewport(WIDTH, HEIGHT)
    await log_in(page, ha)
    await page.goto(url + DASHBOARD)
    await page.wait_for_text(
        "Aquarea", "Altherma", "No active fault", "Maintenance to-do", "Fault history"
    )
    await check_no_card_errors(page)
    log("the dashboard shows both heat pumps, no fault")
    await page.screenshot(out / "dashboard-no-fault.png")

    await rest.sim("POST", f"/api/v1/devices/{PUMP}/faults", {"code": CODE})
    fault = await rest.wait_state(FAULT_SENSOR, CODE)
    attributes = fault["attributes"]
    meaning, title = attributes["meaning"], attributes["title"]
    assert meaning, f"{CODE} has no meaning: {attributes}"
    log(f"Home Assistant decoded {CODE}: {title}")
    needles = [f"{CODE}: {title}", meaning, attributes["steps"][0]["text"]]
    if attributes.get("technician_required"):
        needles.append("Call a licensed technician")
    await page.wait_for_text(*needles)
    log("the dashboard shows its meaning and steps")

    due = await poll(
        "a maintenance task to come due",
        lambda: _due_tasks(rest),
    )
    await page.wait_for_text("Maintenance due", "because of fault " + CODE)
    log(f"maintenance due: {', '.join(due)}")

    # What someone opening the dashboard now sees: the calendar fetches its events on load.
    await page.goto(url + DASHBOARD)
    await page.wait_for_text(*needles, "because of fault " + CODE, f"(fault {CODE})")
    await poll(
        "the calendar to show the task due today", lambda: _calendar_events(page)
    )
    await check_no_card_errors(page)
    log("after a reload: the fault, the task due, and the task in the calendar")
    await page.screenshot(out / "dashboard-fault.png")

    await rest.sim("DELETE", f"/api/v1/devices/{PUMP}/faults/{CODE}")
    await rest.wait_state(FAULT_SENSOR, "no_fault")
    await page.wait_for_text(meaning, f"{CODE}: {title}", absent=True)
    await page.wait_for_text("No active fault")
    log("after the fault cleared, its meaning is gone from the dashboard")
    await page.set_viewport(WIDTH, 2600)  # the whole view, the fault history included
    # The logbook card shows what the recorder has written when the page loads (and what
    # comes after, but not always a change from just before): load it until it has both.
    history = (f"Aquarea Fault changed to {CODE}", "Aquarea Fault changed to No fault")

    async def fault_history() -> bool | None:
        await page.goto(url + DASHBOARD)
        try:
            await page.wait_for_text(*history, limit=10)
        except AssertionError:
            return None
        return True

    await poll("the fault history to show the fault raised and cleared", fault_history)
    log("the fault history shows the fault raised and cleared")
    await page.screenshot(out / "dashboard-cleared.png")
    if page.errors:
        log("browser console errors (not failing the test):")
        for error in page.errors:
            log(f"  {error[:300]}")


async def _calendar_events(page: Page) -> int | None:
    return await page.count(".fc-event") or None


async def _due_tasks(rest: Rest) -> list[str] | None:
    state = await rest.state(f"binary_sensor.{PUMP}_maintenance_due")
    tasks: list[str] = state["attributes"].get("due_tasks") or []
    return tasks if state["state"] == "on" and tasks else None


def main() -> int:
    """Run the test; exit status 0 when it passed."""
    parser = argparse.ArgumentParser(prog="python -m tests.e2e.dashboard")
    parser.add_argument("url")
    parser.add_argument("--sim-url", required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    chromium = find_chromium()
    if chromium is None:
        say("e2e: chromium is not installed", error=True)
        return 1

    def stop(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)  # unwinds: Chromium is stopped on the way out

    signal.signal(signal.SIGTERM, stop)
    try:
        ha = HomeAssistant(args.url)
        ha.login(os.environ["HPC_DEMO_PASSWORD"])
        asyncio.run(run(ha, args.sim_url, args.out, chromium))
    except (AssertionError, DemoError, RuntimeError, TimeoutError) as err:
        say(f"e2e: FAILED: {err}", error=True)
        say(f"e2e: screenshots so far in {args.out}", error=True)
        say("e2e: 0 passed, 1 failed")
        return 1
    except KeyboardInterrupt:  # Ctrl-C: Chromium is already stopped
        return 130
    say(f"e2e: screenshots in {args.out}")
    say("e2e: 1 passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
