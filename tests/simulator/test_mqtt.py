"""The simulator publishes over a real MQTT broker as HeishaMon, ESPAltherma and JSON."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
import json
import subprocess
import sys

import paho.mqtt.client as paho
from paho.mqtt.enums import CallbackAPIVersion
import pytest

from simulator import Simulator
from simulator.__main__ import main
from simulator.mqtt import start_mqtt
from tests.broker import run_mosquitto


@pytest.fixture
def broker() -> Iterator[int]:
    """A mosquitto on a free port."""
    with run_mosquitto() as port:
        yield port


class Listener:
    """A paho subscriber driven from the test's loop (no background thread)."""

    def __init__(self, port: int) -> None:
        self.messages: dict[str, tuple[str, bool]] = {}
        self.client = paho.Client(CallbackAPIVersion.VERSION2)
        self.client.on_message = self._on_message
        self.client.connect("127.0.0.1", port)
        self.client.subscribe("#")

    def _on_message(
        self, client: paho.Client, userdata: object, message: paho.MQTTMessage
    ) -> None:
        self.messages[message.topic] = (message.payload.decode(), bool(message.retain))

    async def until(self, check: Callable[[dict[str, tuple[str, bool]]], bool]) -> None:
        async with asyncio.timeout(10):
            while not check(self.messages):
                self.client.loop(timeout=0.01)
                await asyncio.sleep(0.01)

    def close(self) -> None:
        self.client.disconnect()


def _value(messages: dict[str, tuple[str, bool]], topic: str) -> str | None:
    return messages.get(topic, (None, False))[0]


async def test_profiles_published_and_faults_pushed(broker: int) -> None:
    """Every profile appears; a fault goes out at once, not at the next interval."""
    sim = Simulator(speed=0, seed=1)
    publisher = await start_mqtt(sim, "127.0.0.1", broker, interval=600)
    listener = Listener(broker)
    try:
        await listener.until(
            lambda m: (
                _value(m, "panasonic_heat_pump/main/Error") == "No error"
                and "espaltherma/ATTR" in m
                and "heat_pump_care/altherma/state" in m
            )
        )
        assert '"Error Code":" 0"' in listener.messages["espaltherma/ATTR"][0]

        sim.raise_fault("aquarea", "H62")
        sim.raise_fault("altherma", "U4")
        await listener.until(
            lambda m: (
                _value(m, "panasonic_heat_pump/main/Error") == "H62"
                and '"Error Code":"U4"' in (_value(m, "espaltherma/ATTR") or "")
            )
        )
        state = json.loads(listener.messages["heat_pump_care/aquarea/state"][0])
        assert state["error"] == "H62"
        assert state["errors"] == ["H62"]
    finally:
        listener.close()
        await publisher.close()


async def test_retained_for_late_subscribers(broker: int) -> None:
    """A subscriber that comes later still gets HeishaMon's and the JSON topics."""
    sim = Simulator(speed=0, seed=1)
    publisher = await start_mqtt(sim, "127.0.0.1", broker, interval=600)
    first = Listener(broker)
    late: Listener | None = None
    try:
        # Once the broker has passed a message on, it has also stored the retained ones.
        await first.until(
            lambda m: "panasonic_heat_pump/main/Error" in m and "espaltherma/ATTR" in m
        )
        late = Listener(broker)
        await late.until(
            lambda m: (
                "panasonic_heat_pump/main/Error" in m
                and "heat_pump_care/aquarea/state" in m
            )
        )
        # From the broker's store: HeishaMon and JSON retain, ESPAltherma does not.
        assert late.messages["panasonic_heat_pump/main/Error"][1]
        assert late.messages["heat_pump_care/aquarea/state"][1]
        assert "espaltherma/ATTR" not in late.messages
    finally:
        first.close()
        if late is not None:
            late.close()
        await publisher.close()


def test_cli_broker_unreachable() -> None:
    """Nothing listening at --mqtt: a one-line error and exit status 1."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "simulator",
            "--port",
            "0",
            "--quiet",
            "--mqtt",
            "127.0.0.1:1",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert "127.0.0.1:1" in done.stderr
    assert "Traceback" not in done.stderr


def test_cli_bad_broker_argument(capsys: pytest.CaptureFixture[str]) -> None:
    """--mqtt needs HOST:PORT."""
    with pytest.raises(SystemExit):
        main(["--mqtt", "localhost"])
    assert "HOST:PORT" in capsys.readouterr().err
