"""MQTT end to end: the simulator publishes on a real mosquitto, Home Assistant's MQTT
integration receives, Heat Pump Care decodes and its event entity fires."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
import json
import os
from pathlib import Path
import statistics
import time

from homeassistant.components import mqtt
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.heat_pump_care.client import HeishaMonTopics, Protocol
from custom_components.heat_pump_care.client.push import (
    JsonKeys,
    parse_espaltherma,
    parse_json_state,
    push_device,
)
from custom_components.heat_pump_care.const import DOMAIN
from simulator import Simulator
from simulator.mqtt import (
    RunningPublisher,
    espaltherma_message,
    heishamon_messages,
    json_message,
    start_mqtt,
)
from tests.broker import run_mosquitto
from tests.helpers import HEISHAMON_MQTT_DATA, state_of

pytestmark = pytest.mark.usefixtures("enable_custom_integrations")

EVENT = "event.aquarea_fault"


def test_simulator_messages_parse() -> None:
    """Each profile the simulator writes is read by the integration's parser."""
    sim = Simulator(speed=0, seed=1)
    sim.raise_fault("aquarea", "H62")
    sim.raise_fault("altherma", "U4")
    aquarea, altherma = sim.devices["aquarea"].config, sim.state("altherma")
    topics = HeishaMonTopics(
        "panasonic_heat_pump", push_device(Protocol.HEISHAMON, "A")
    )
    snapshot = None
    for topic, payload in heishamon_messages(aquarea, sim.state("aquarea")).items():
        snapshot = topics.update(topic, payload) or snapshot
    assert snapshot is not None
    assert [f.code for f in snapshot.state.faults] == ["H62"]
    assert snapshot.state.compressor_run_hours is not None
    device = push_device(Protocol.ESPALTHERMA, "D")
    daikin = parse_espaltherma(espaltherma_message(altherma), device)
    assert [f.code for f in daikin.state.faults] == ["0", "U4"]
    assert daikin.state.outdoor_temperature == round(altherma.outdoor_temperature, 1)
    keys = JsonKeys(code="errors", run_hours="run_hours", compressor="compressor")
    generic = parse_json_state(json_message(altherma), keys, device)
    assert [f.code for f in generic.state.faults] == ["U4"]
    assert generic.state.compressor_running == altherma.compressor_running


@pytest.fixture
async def broker(socket_enabled: None) -> AsyncIterator[int]:
    """A real mosquitto on 127.0.0.1."""
    with run_mosquitto() as port:
        yield port


async def _start(hass: HomeAssistant, port: int) -> tuple[Simulator, RunningPublisher]:
    """Simulator publishing, Home Assistant's MQTT connected, the Aquarea set up."""
    sim = Simulator(speed=0, seed=1)
    publisher = await start_mqtt(sim, "127.0.0.1", port, interval=600)
    mqtt_entry = MockConfigEntry(
        domain=mqtt.DOMAIN, data={"broker": "127.0.0.1", "port": port}
    )
    mqtt_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mqtt_entry.entry_id)
    assert await mqtt.async_wait_for_mqtt_client(hass)
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Aquarea",
        data=HEISHAMON_MQTT_DATA,
    )
    entry.add_to_hass(hass)
    # HeishaMon's topics are retained: set-up gets them from the broker at once.
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    return sim, publisher


async def measure_fault_latency(
    hass: HomeAssistant, sim: Simulator, count: int
) -> list[float]:
    """Raise and clear `count` faults; seconds from publishing to the event entity firing."""
    fired: dict[str, float] = {}

    @callback
    def on_state(event: Event[EventStateChangedData]) -> None:
        new = event.data["new_state"]
        if event.data["entity_id"] == EVENT and new is not None:
            fired[
                f"{new.attributes.get('event_type')}:{new.attributes.get('code')}"
            ] = time.perf_counter()

    unsubscribe = hass.bus.async_listen("state_changed", on_state)
    latencies: list[float] = []
    try:
        for number in range(count):
            code = ("H62", "H15", "F12", "H23")[number % 4]
            for action in ("raise", "clear"):
                key = f"fault_{'raised' if action == 'raise' else 'cleared'}:{code}"
                fired.pop(key, None)
                start = time.perf_counter()
                if action == "raise":
                    sim.raise_fault("aquarea", code)
                else:
                    sim.clear_fault("aquarea", code)
                deadline = start + 5
                while key not in fired:
                    assert time.perf_counter() < deadline, f"{key} never fired"
                    await hass.async_block_till_done()
                    await asyncio.sleep(0.001)
                if action == "raise":
                    latencies.append(fired[key] - start)
    finally:
        unsubscribe()
    return latencies


@pytest.mark.usefixtures("mock_hass_config")
async def test_fault_over_real_broker(hass: HomeAssistant, broker: int) -> None:
    """Published by the simulator, decoded by Heat Pump Care, announced by its event."""
    sim, publisher = await _start(hass, broker)
    try:
        assert state_of(hass, "sensor.aquarea_fault").state == "no_fault"
        # Every retained topic was in before the entities were made.
        assert state_of(hass, "sensor.aquarea_outdoor_temperature").state != "unknown"
        assert state_of(hass, "sensor.aquarea_compressor_run_hours").state != "unknown"
        count = int(os.environ.get("HPC_LATENCY_FAULTS", "10"))
        latencies = await measure_fault_latency(hass, sim, count)
        assert len(latencies) == count
        assert state_of(hass, "sensor.aquarea_fault").state == "no_fault"
        if report := os.environ.get("HPC_LATENCY_REPORT"):
            await asyncio.to_thread(
                Path(report).write_text, json.dumps(latencies), encoding="utf-8"
            )
        assert statistics.median(latencies) < 5
    finally:
        await publisher.close()
