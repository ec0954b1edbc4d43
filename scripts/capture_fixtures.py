"""Capture gateway payloads from the simulator into tests/fixtures/.

The integration's tests parse these files, so they show what the simulator really serves.
Run: .venv/test-2026.2/bin/python scripts/capture_fixtures.py
"""

from __future__ import annotations

import json
from pathlib import Path
import socket
import subprocess
import sys
import time
from typing import Any
import urllib.request

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _call(base: str, path: str, body: dict[str, Any] | None = None) -> Any:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        base + path, data=data, method="POST" if data else "GET"
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.loads(response.read())


def _save(name: str, payload: Any) -> None:
    (FIXTURES / name).write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    print(f"wrote tests/fixtures/{name}")


def main() -> None:
    """Start a frozen-clock simulator, save its answers, stop it."""
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "simulator",
            "--port",
            str(port),
            "--speed",
            "0",
            "--quiet",
        ],
        cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                _call(base, "/api/v1/health")
                break
            except OSError:
                time.sleep(0.1)
        _save("devices.json", _call(base, "/api/v1/devices"))
        _save("device_aquarea.json", _call(base, "/api/v1/devices/aquarea"))
        _save("device_altherma.json", _call(base, "/api/v1/devices/altherma"))
        _save("heishamon.json", _call(base, "/json"))
        _save("heishamon_legacy.json", _call(base, "/json?style=legacy"))
        _call(base, "/api/v1/devices/aquarea/faults", {"code": "H15"})
        _save("device_aquarea_fault.json", _call(base, "/api/v1/devices/aquarea"))
    finally:
        process.terminate()
        process.wait(timeout=10)


if __name__ == "__main__":
    main()
