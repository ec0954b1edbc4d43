"""Drive headless Chromium over the DevTools protocol, with aiohttp's websocket client.

A plain `chromium --screenshot` fires before Home Assistant's frontend has loaded its data,
so pages are opened, polled for the text expected, and only then captured.
"""

from __future__ import annotations

import asyncio
import base64
from collections.abc import AsyncIterator
import contextlib
import itertools
import json
import os
from pathlib import Path
import shutil
import signal
import tempfile
import time
from typing import Any

import aiohttp

# Flags measured to work as root in a sandbox with no outside network.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--disable-breakpad",
    "--disable-crash-reporter",
    "--no-first-run",
    "--hide-scrollbars",
    "--lang=en-US",
    "--window-size=1280,900",
    "--remote-debugging-address=127.0.0.1",
    "--remote-debugging-port=0",
)

# Text of the page including every shadow root: Home Assistant's UI lives in them.
_PAGE_TEXT = """
(() => {
  const walk = (node) => {
    if (node.nodeType === Node.TEXT_NODE) return node.textContent;
    if (node.nodeType === Node.ELEMENT_NODE &&
        ["STYLE", "SCRIPT", "TEMPLATE"].includes(node.tagName)) return "";
    let text = node.shadowRoot ? walk(node.shadowRoot) : "";
    for (const child of node.childNodes) text += walk(child);
    if (node.tagName === "INPUT" || node.tagName === "TEXTAREA") text += " " + node.value;
    return text + " ";
  };
  return walk(document.documentElement).replace(/\\s+/g, " ");
})()
"""

# Tag names of every element, shadow roots included, with how often each occurs.
_TAG_COUNTS = """
(() => {
  const counts = {};
  const walk = (node) => {
    if (node.nodeType !== Node.ELEMENT_NODE && node.nodeType !== 11) return;
    if (node.tagName) counts[node.tagName.toLowerCase()] =
      (counts[node.tagName.toLowerCase()] || 0) + 1;
    if (node.shadowRoot) walk(node.shadowRoot);
    for (const child of node.children) walk(child);
  };
  walk(document.documentElement);
  return counts;
})()
"""

# How many elements match a selector (%s: the selector as a JSON string), shadow roots included.
_COUNT = """
(() => {
  let count = 0;
  const walk = (root) => {
    count += root.querySelectorAll(%s).length;
    for (const el of root.querySelectorAll("*")) if (el.shadowRoot) walk(el.shadowRoot);
  };
  walk(document);
  return count;
})()
"""


def find_chromium() -> str | None:
    """The Chromium binary, if installed."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if path := shutil.which(name):
            return path
    return None


def normalize(text: str) -> str:
    """Collapse whitespace the way the page text is collapsed."""
    return " ".join(text.split())


class Page:
    """One browser tab."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        """Wrap an open DevTools websocket."""
        self._ws = ws
        self._ids = itertools.count(1)
        self.errors: list[str] = []  # console errors and uncaught exceptions, in order

    def _record(self, message: dict[str, Any]) -> None:
        method = message.get("method")
        params = message.get("params", {})
        if method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            description = details.get("exception", {}).get("description")
            self.errors.append(f"exception: {description or details.get('text')}")
        elif method == "Runtime.consoleAPICalled" and params.get("type") == "error":
            args = params.get("args", [])
            self.errors.append(
                "console: "
                + " ".join(str(a.get("value", a.get("description", ""))) for a in args)
            )

    async def send(self, method: str, params: dict[str, Any] | None = None) -> Any:
        """Call a DevTools method and return its result; record events seen meanwhile."""
        message_id = next(self._ids)
        await self._ws.send_json(
            {"id": message_id, "method": method, "params": params or {}}
        )
        while True:
            message = await self._ws.receive_json(timeout=60)
            if message.get("id") == message_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self._record(message)

    async def evaluate(self, expression: str) -> Any:
        """Evaluate JavaScript in the page and return its value."""
        result = await self.send(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression[:80]!r}: {result['exceptionDetails']}")
        return result.get("result", {}).get("value")

    async def goto(self, url: str, limit: float = 30) -> None:
        """Navigate and wait (at most limit seconds) for the load event."""
        await self.send("Page.enable")
        await self.send("Runtime.enable")
        await self.send("Page.navigate", {"url": url})
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            if await self.evaluate("document.readyState") == "complete":
                return
            await asyncio.sleep(0.1)
        raise TimeoutError(f"{url} did not load within {limit} s")

    async def text(self) -> str:
        """All text on the page, shadow roots included, whitespace collapsed."""
        return str(await self.evaluate(_PAGE_TEXT))

    async def tag_counts(self) -> dict[str, int]:
        """How many elements of each tag the page has, shadow roots included."""
        counts: dict[str, int] = await self.evaluate(_TAG_COUNTS)
        return counts

    async def wait_for_text(
        self, *needles: str, limit: float = 30, absent: bool = False
    ) -> str:
        """Poll until every needle is on the page (or, with absent, none is).

        Fails with what is missing and the page's text after limit seconds.
        """
        wanted = [normalize(needle) for needle in needles]
        deadline = time.monotonic() + limit
        text = ""
        while True:
            text = await self.text()
            found = [needle in text for needle in wanted]
            if (not any(found)) if absent else all(found):
                return text
            if time.monotonic() > deadline:
                break
            await asyncio.sleep(0.25)
        if absent:
            problem = f"still on the page: {[n for n, f in zip(wanted, found, strict=True) if f]}"
        else:
            problem = (
                f"missing: {[n for n, f in zip(wanted, found, strict=True) if not f]}"
            )
        raise AssertionError(
            f"after {limit:.0f} s, {problem}\npage text: {text[:3000]}"
        )

    async def count(self, selector: str) -> int:
        """How many elements match a CSS selector, shadow roots included."""
        return int(await self.evaluate(_COUNT % json.dumps(selector)))

    async def set_viewport(self, width: int, height: int) -> None:
        """Size the page; lists render only their visible rows, so size it before waiting."""
        await self.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
        )
        # Let the layout settle for the new size: wait for two animation frames.
        await self.evaluate(
            "new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
        )

    async def screenshot(self, path: Path) -> None:
        """Save a PNG of the viewport."""
        result = await self.send("Page.captureScreenshot", {"format": "png"})
        await asyncio.to_thread(_save, path, base64.b64decode(result["data"]))


def _save(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


async def _stop(process: asyncio.subprocess.Process) -> None:
    """Stop Chromium and every helper process it started (its own process group)."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            await asyncio.wait_for(process.wait(), 10)
        except TimeoutError:
            continue
        # The main process is gone; helpers left in its group go too.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        return


@contextlib.asynccontextmanager
async def open_page(chromium: str, limit: float = 30) -> AsyncIterator[Page]:
    """Start Chromium with a fresh profile, open a tab, and stop it all afterwards."""
    with tempfile.TemporaryDirectory(prefix="hpc-chromium-") as profile:
        process = await asyncio.create_subprocess_exec(
            chromium,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            "about:blank",
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
            start_new_session=True,  # its own process group, stopped as a whole
        )
        try:
            port_file = Path(profile) / "DevToolsActivePort"
            deadline = time.monotonic() + limit
            while not port_file.exists() or not port_file.read_text().strip():
                if process.returncode is not None:
                    raise RuntimeError(
                        f"Chromium exited at start (status {process.returncode})"
                    )
                if time.monotonic() > deadline:
                    raise RuntimeError(f"Chromium did not start within {limit} s")
                await asyncio.sleep(0.1)
            port = port_file.read_text().split()[0]
            async with aiohttp.ClientSession() as session:
                async with session.get(
                    f"http://127.0.0.1:{port}/json/list"
                ) as response:
                    targets = json.loads(await response.text())
                page = next(t for t in targets if t["type"] == "page")
                async with session.ws_connect(
                    page["webSocketDebuggerUrl"], max_msg_size=0
                ) as ws:
                    yield Page(ws)
        finally:
            await _stop(process)
