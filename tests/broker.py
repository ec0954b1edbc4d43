"""A real mosquitto broker on 127.0.0.1 for the MQTT tests.

`.ci/run` installs mosquitto; where it is missing outside CI the tests that need it skip
(and say why), in CI they fail.
"""

from __future__ import annotations

from collections.abc import Iterator
import contextlib
import os
from pathlib import Path
import shutil
import socket
import subprocess
import tempfile
import time

import pytest


def _mosquitto() -> str | None:
    return shutil.which("mosquitto") or next(
        (path for path in ("/usr/sbin/mosquitto",) if Path(path).exists()), None
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextlib.contextmanager
def run_mosquitto() -> Iterator[int]:
    """Start a throw-away broker; yield its port."""
    binary = _mosquitto()
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("mosquitto is not installed (.ci/run installs it)")
        pytest.skip("mosquitto is not installed")
    port = _free_port()
    with tempfile.TemporaryDirectory(prefix="hpc-mosquitto-") as folder:
        config = Path(folder) / "mosquitto.conf"
        config.write_text(
            f"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\n",
            encoding="utf-8",
        )
        process = subprocess.Popen(  # noqa: S603 - our own config, a fixed binary
            [binary, "-c", str(config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 10
            while True:
                with (
                    contextlib.suppress(OSError),
                    socket.create_connection(("127.0.0.1", port), timeout=0.2),
                ):
                    break
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("mosquitto did not start")
                time.sleep(0.05)
            yield port
        finally:
            process.terminate()
            process.wait(10)
