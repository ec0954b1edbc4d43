"""Publish the simulated pumps over MQTT as real gateways do: HeishaMon, ESPAltherma, JSON.

Topic layouts follow docs/protocol.md (section 3). The MQTT side is a minimal MQTT 3.1.1
publisher (CONNECT, PUBLISH at QoS 0, PINGREQ, DISCONNECT) on asyncio streams, so the
simulator needs no MQTT library and stays independent of Home Assistant's client.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from typing import Final

from . import heishamon
from .model import DeviceConfig, DeviceState, Simulator

_LOGGER = logging.getLogger(__name__)

HEISHAMON_BASE: Final = "panasonic_heat_pump"
ESPALTHERMA_TOPIC: Final = "espaltherma/ATTR"
JSON_PREFIX: Final = "heat_pump_care"

_CONNECT, _CONNACK, _PUBLISH, _PINGREQ, _DISCONNECT = 0x10, 0x20, 0x30, 0xC0, 0xE0
_KEEPALIVE: Final = 60


def _length(value: int) -> bytes:
    """MQTT's variable-length integer."""
    out = bytearray()
    while True:
        value, digit = divmod(value, 128)
        out.append(digit | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _string(text: str) -> bytes:
    data = text.encode()
    return len(data).to_bytes(2, "big") + data


def _packet(kind: int, body: bytes) -> bytes:
    return bytes([kind]) + _length(len(body)) + body


class MqttPublisher:
    """One connection to a broker that publishes at QoS 0."""

    def __init__(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        """Wrap a connected, acknowledged session; use `connect` to make one."""
        self._reader = reader
        self._writer = writer
        self._tasks = [
            asyncio.create_task(self._ping()),
            asyncio.create_task(self._drain_incoming()),
        ]

    @classmethod
    async def connect(
        cls, host: str, port: int, client_id: str = "heat-pump-care-simulator"
    ) -> MqttPublisher:
        """Open a clean session; raises ConnectionError when the broker refuses."""
        reader, writer = await asyncio.open_connection(host, port)
        variable = _string("MQTT") + bytes([4, 0x02]) + _KEEPALIVE.to_bytes(2, "big")
        writer.write(_packet(_CONNECT, variable + _string(client_id)))
        await writer.drain()
        try:
            answer = await asyncio.wait_for(reader.readexactly(4), 10)
        except (TimeoutError, asyncio.IncompleteReadError) as err:
            writer.close()
            raise ConnectionError(
                "the broker did not acknowledge the connection"
            ) from err
        if answer[0] != _CONNACK or answer[3] != 0:
            writer.close()
            raise ConnectionError(
                f"the broker refused the connection (code {answer[3]})"
            )
        return cls(reader, writer)

    def publish(self, topic: str, payload: str, *, retain: bool = False) -> None:
        """Queue one message."""
        flags = _PUBLISH | (0x01 if retain else 0)
        self._writer.write(_packet(flags, _string(topic) + payload.encode()))

    async def flush(self) -> None:
        """Wait until the queued messages are handed to the network."""
        await self._writer.drain()

    async def _ping(self) -> None:
        while True:
            await asyncio.sleep(_KEEPALIVE / 2)
            self._writer.write(_packet(_PINGREQ, b""))

    async def _drain_incoming(self) -> None:
        # Only PINGRESPs come back at QoS 0; read them so the socket never fills.
        with contextlib.suppress(ConnectionError):
            while await self._reader.read(1024):
                pass

    async def close(self) -> None:
        """Disconnect cleanly."""
        for task in self._tasks:
            task.cancel()
        with contextlib.suppress(ConnectionError):
            self._writer.write(_packet(_DISCONNECT, b""))
            await self._writer.drain()
        self._writer.close()
        with contextlib.suppress(ConnectionError):
            await self._writer.wait_closed()


def heishamon_messages(
    config: DeviceConfig, state: DeviceState, base: str = HEISHAMON_BASE
) -> dict[str, str]:
    """HeishaMon publishes every value as text on its own topic."""
    document = heishamon.render(config, state, "legacy")
    return {
        f"{base}/main/{topic['Name']}": str(topic["Value"])
        for topic in document["heatpump"]
    }


_ESPALTHERMA_MODES: Final = {
    "heat": "Heating",
    "cool": "Cooling",
    "auto": "Auto",
    "off": "Fan Only",
}


def espaltherma_message(state: DeviceState) -> str:
    """ESPAltherma's label object; outdoor and indoor unit both write "Error Code"."""
    code = state.faults[-1].code if state.faults else " 0"
    labels: list[tuple[str, object]] = [
        ("Operation Mode", _ESPALTHERMA_MODES.get(state.operating_mode, "Heating")),
        ("Error type", "Error" if state.faults else "Normal"),
        ("Error Code", " 0"),
        ("Outdoor air temp.(R1T)", round(state.outdoor_temperature, 1)),
        ("INV frequency (rps)", round(state.compressor_frequency)),
        ("Defrost Operation", "ON" if state.defrosting else "OFF"),
        ("Error Code", code),
        ("Error detailed code", 0),
        ("Leaving water temp. before BUH (R1T)", round(state.flow_temperature, 1)),
        ("Inlet water temp.(R4T)", round(state.return_temperature, 1)),
    ]
    if state.dhw_temperature is not None:
        labels.append(("DHW tank temp. (R5T)", round(state.dhw_temperature, 1)))
    return "{" + ",".join(f"{json.dumps(k)}:{json.dumps(v)}" for k, v in labels) + "}"


def json_message(state: DeviceState) -> str:
    """Render the generic JSON profile: latest code, all codes, run hours, compressor."""
    return json.dumps(
        {
            "error": state.faults[-1].code if state.faults else "",
            "errors": [fault.code for fault in state.faults],
            "run_hours": state.compressor_run_hours,
            "compressor": state.compressor_running,
            "outdoor_temperature": state.outdoor_temperature,
        }
    )


class GatewayPublisher:
    """Publish each pump in the profiles its brand has, on change and every interval."""

    def __init__(self, sim: Simulator, mqtt: MqttPublisher) -> None:
        """Publish `sim` through `mqtt`; call `run` to start."""
        self._sim = sim
        self._mqtt = mqtt
        self._last: dict[str, str] = {}
        self._changed = asyncio.Event()
        sim.add_listener(self._changed.set)

    def _messages(self) -> dict[str, tuple[str, bool]]:
        """Every topic with its payload and whether the real gateway retains it."""
        messages: dict[str, tuple[str, bool]] = {}
        for device_id, device in self._sim.devices.items():
            state = self._sim.state(device_id)
            config = device.config
            messages[f"{JSON_PREFIX}/{device_id}/state"] = (json_message(state), True)
            if config.brand == "panasonic":
                for topic, value in heishamon_messages(config, state).items():
                    messages[topic] = (value, True)
            if config.brand == "daikin" and config.family == "altherma":
                messages[ESPALTHERMA_TOPIC] = (espaltherma_message(state), False)
        return messages

    async def publish(self, *, everything: bool = False) -> int:
        """Publish what changed since the last call (or everything); return the count."""
        count = 0
        for topic, (payload, retain) in self._messages().items():
            if everything or self._last.get(topic) != payload:
                self._mqtt.publish(topic, payload, retain=retain)
                self._last[topic] = payload
                count += 1
        await self._mqtt.flush()
        return count

    async def run(self, interval: float) -> None:
        """Publish at once on every change, and everything every `interval` seconds."""
        await self.publish(everything=True)
        while True:
            self._changed.clear()
            try:
                async with asyncio.timeout(interval):
                    await self._changed.wait()
            except TimeoutError:
                await self.publish(everything=True)
            else:
                await self.publish()


class RunningPublisher:
    """A connected publisher and its task; `close` stops both."""

    def __init__(
        self, mqtt: MqttPublisher, gateway: GatewayPublisher, interval: float
    ) -> None:
        """Start publishing."""
        self.mqtt = mqtt
        self.gateway = gateway
        self._task = asyncio.create_task(gateway.run(interval))

    async def close(self) -> None:
        """Stop publishing and disconnect."""
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        await self.mqtt.close()


async def start_mqtt(
    sim: Simulator, host: str, port: int, interval: float = 30.0
) -> RunningPublisher:
    """Connect to a broker and publish `sim` there until closed.

    ConnectionRefusedError (an OSError) when nothing listens, ConnectionError when the
    broker refuses the session.
    """
    mqtt = await MqttPublisher.connect(host, port)
    return RunningPublisher(mqtt, GatewayPublisher(sim, mqtt), interval)
