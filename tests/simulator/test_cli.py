"""`python -m simulator`: help, start-up line, clean shutdown, bad input."""

from __future__ import annotations

import json
import os
from pathlib import Path
import signal
import socket
import subprocess
import sys
from typing import Any
import urllib.request

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "simulator", *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def get_json(url: str, token: str | None = None) -> Any:
    request = urllib.request.Request(url)  # noqa: S310 - loopback http only
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return json.loads(response.read())


def test_help_documents_the_control_api() -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    for text in (
        "--seed",
        "--speed",
        "--devices",
        "--scenario",
        "--token",
        "/api/v1/clock",
        "filter/clean",
        "P90D",
    ):
        assert text in result.stdout


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_serves_and_stops_cleanly(tmp_path: Path, stop: signal.Signals) -> None:
    devices = tmp_path / "devices.json"
    devices.write_text(
        json.dumps({"devices": [
            {"id": "aquarea", "serial": "A-1", "brand": "panasonic", "family": "aquarea"},
            {"id": "unknown", "serial": "U-1", "brand": None, "family": None, "run_hours": None},
        ]}),
        encoding="utf-8",
    )  # fmt: skip
    scenario = tmp_path / "scenario.json"
    scenario.write_text(
        '{"events": [{"at": 0, "device": "unknown", "raise": "e9"}]}', encoding="utf-8"
    )
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "simulator", "--port", "0", "--token", "tok",
         "--devices", str(devices), "--scenario", str(scenario), "--speed", "0"],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    try:
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        assert line.startswith(
            "Heat Pump Care simulator listening on http://127.0.0.1:"
        )
        base_url = line.rsplit(" ", 1)[1]
        assert get_json(f"{base_url}/api/v1/health") == {"status": "ok"}
        devices_doc = get_json(f"{base_url}/api/v1/devices", "tok")
        assert [d["brand"] for d in devices_doc["devices"]] == ["panasonic", None]
        unknown = get_json(f"{base_url}/api/v1/devices/unknown", "tok")
        assert unknown["state"]["compressor_run_hours"] is None
        assert [f["code"] for f in unknown["state"]["faults"]] == ["E9"]
        process.send_signal(stop)
        _, stderr = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0
    assert "Traceback" not in stderr


def test_bad_devices_file_is_a_usage_error(tmp_path: Path) -> None:
    devices = tmp_path / "devices.json"
    devices.write_text(
        '{"devices": [{"id": "bad id", "serial": "S"}]}', encoding="utf-8"
    )
    result = run_cli("--devices", str(devices), "--port", "0")
    assert result.returncode == 2
    assert "id must match" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_and_broken_files_are_usage_errors(tmp_path: Path) -> None:
    result = run_cli("--scenario", str(tmp_path / "missing.json"))
    assert result.returncode == 2
    assert "cannot read scenario file" in result.stderr
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    result = run_cli("--devices", str(broken))
    assert result.returncode == 2
    assert "not valid JSON" in result.stderr


def test_scenario_naming_an_unknown_device_is_a_usage_error(tmp_path: Path) -> None:
    scenario = tmp_path / "scenario.json"
    scenario.write_text(
        '{"events": [{"at": 1, "device": "ghost", "raise": "H15"}]}', encoding="utf-8"
    )
    result = run_cli("--scenario", str(scenario))
    assert result.returncode == 2
    assert "ghost" in result.stderr


def test_bad_speed_and_start() -> None:
    assert run_cli("--speed", "-1").returncode == 2
    assert run_cli("--start", "yesterday").returncode == 2
    assert run_cli("--port", "70000").returncode == 2


def test_port_in_use_is_reported_without_traceback() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        result = run_cli("--port", str(taken.getsockname()[1]))
    assert result.returncode == 1
    assert "cannot listen" in result.stderr
    assert "Traceback" not in result.stderr
