"""Reliability: gateway outages through the real client, restarts, and what is shown.

Complements test_sensor.test_unavailable_and_back (a mocked unreachable gateway) and
test_init (failures at set-up): here a real HTTP gateway on 127.0.0.1 goes down, answers
too slowly, answers 500 and rejects the token while the entry is running.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
import dataclasses
from datetime import timedelta
import functools
import logging
import time
from unittest.mock import MagicMock, patch

from aiohttp import web
from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.heat_pump_care.client import HeatPumpGatewayClient
from custom_components.heat_pump_care.const import DOMAIN, LOGGER, SCAN_INTERVAL
from simulator import start_simulator
from simulator.__main__ import build_parser
from tests.helpers import load_payload, poll, recorded_writes, state_of

from .conftest import (
    ENTRY_DATA,
    SERIAL,
    START,
    pump_device_id,
    snapshot_fixture,
    with_faults,
)

FAULT = "sensor.aquarea_fault"
OUTDOOR = "sensor.aquarea_outdoor_temperature"
FAULTS_30_DAYS = "sensor.aquarea_faults_in_the_last_30_days"
# Short, so a poll against a gateway that never answers ends quickly.
TIMEOUT = 0.2
STEP = 0.02


class FlakyGateway:
    """A gateway on 127.0.0.1 serving captured payloads, told how to misbehave."""

    def __init__(self) -> None:
        """Answer normally until told otherwise."""
        self.mode = "ok"
        self.port = 0
        self._release = asyncio.Event()
        self._runner: web.AppRunner | None = None

    async def _devices(self, request: web.Request) -> web.Response:
        return web.json_response(load_payload("devices.json"))

    async def _device(self, request: web.Request) -> web.Response:
        if self.mode == "slow":
            # Longer than the client waits; released when the test ends.
            await self._release.wait()
        if self.mode == "500":
            return web.Response(status=500, text="internal error")
        if self.mode == "401":
            return web.Response(status=401, text="bad token")
        return web.json_response(load_payload("device_aquarea.json"))

    async def start(self) -> None:
        """Listen (again, on the same port once one was chosen)."""
        app = web.Application()
        app.router.add_get("/api/v1/devices", self._devices)
        app.router.add_get("/api/v1/devices/aquarea", self._device)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", self.port)
        await site.start()
        self.port = int(self._runner.addresses[0][1])

    async def stop(self) -> None:
        """Stop listening: connections are refused."""
        self._release.set()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        self._release = asyncio.Event()


@pytest.fixture
async def gateway(socket_enabled: None) -> AsyncIterator[FlakyGateway]:
    """A running flaky gateway."""
    server = FlakyGateway()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def real_entry(
    hass: HomeAssistant, gateway: FlakyGateway, freezer: FrozenDateTimeFactory
) -> AsyncIterator[MockConfigEntry]:
    """The Aquarea set up through the real client against the flaky gateway."""
    freezer.move_to(START)
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Aquarea",
        unique_id=SERIAL,
        data={**ENTRY_DATA, "host": "127.0.0.1", "port": gateway.port},
    )
    entry.add_to_hass(hass)
    client = functools.partial(HeatPumpGatewayClient, request_timeout=TIMEOUT)
    with patch(
        "custom_components.heat_pump_care.coordinator.HeatPumpGatewayClient", client
    ):
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
        yield entry


def _integration_lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    """What the integration logged at INFO or above."""
    return [
        record
        for record in caplog.records
        if record.name.startswith(LOGGER.name) and record.levelno >= logging.INFO
    ]


def _assert_no_traceback(caplog: pytest.LogCaptureFixture) -> None:
    assert not [record for record in caplog.records if record.exc_info], caplog.text
    assert "Traceback" not in caplog.text


async def _poll_real(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """One poll interval, then wait for its real request, timeouts included.

    The frozen clock also stops the event loop's timers (the client's timeout among
    them): while the poll runs, the clock follows real time.
    """
    freezer.tick(SCAN_INTERVAL)
    async_fire_time_changed(hass)
    done = asyncio.ensure_future(hass.async_block_till_done(wait_background_tasks=True))
    loop = asyncio.get_running_loop()
    while not done.done():
        await loop.run_in_executor(None, time.sleep, STEP)
        freezer.tick(STEP)
    await done


@pytest.mark.parametrize(
    ("mode", "message"),
    [
        ("down", "cannot connect"),
        ("slow", "no answer from 127.0.0.1 in time"),
        ("500", "HTTP 500"),
    ],
)
async def test_outage_and_back(
    hass: HomeAssistant,
    *,
    real_entry: MockConfigEntry,
    gateway: FlakyGateway,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
    mode: str,
    message: str,
) -> None:
    """Down, too slow or failing: unavailable after one poll, one log line each way."""
    assert state_of(hass, FAULT).state == "no_fault"
    caplog.clear()
    if mode == "down":
        await gateway.stop()
    else:
        gateway.mode = mode

    await _poll_real(hass, freezer)
    assert state_of(hass, FAULT).state == STATE_UNAVAILABLE
    assert state_of(hass, OUTDOOR).state == STATE_UNAVAILABLE
    for _ in range(3):
        await _poll_real(hass, freezer)
    lost = _integration_lines(caplog)
    assert len(lost) == 1, [record.getMessage() for record in lost]
    assert lost[0].levelno == logging.ERROR
    assert message in lost[0].getMessage()
    _assert_no_traceback(caplog)

    caplog.clear()
    if mode == "down":
        await gateway.start()
    gateway.mode = "ok"
    await _poll_real(hass, freezer)
    assert state_of(hass, FAULT).state == "no_fault"
    assert state_of(hass, OUTDOOR).state != STATE_UNAVAILABLE
    await _poll_real(hass, freezer)
    back = _integration_lines(caplog)
    assert len(back) == 1, [record.getMessage() for record in back]
    assert "recovered" in back[0].getMessage()
    _assert_no_traceback(caplog)


async def test_token_rejected_while_running(
    hass: HomeAssistant,
    real_entry: MockConfigEntry,
    gateway: FlakyGateway,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A 401 while running: unavailable, one line, a reauth flow; a new token brings it back."""
    caplog.clear()
    gateway.mode = "401"
    await _poll_real(hass, freezer)
    assert state_of(hass, FAULT).state == STATE_UNAVAILABLE
    flows = hass.config_entries.flow.async_progress()
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]
    assert flows[0]["context"]["entry_id"] == real_entry.entry_id
    for _ in range(3):
        await _poll_real(hass, freezer)
    lost = _integration_lines(caplog)
    assert len(lost) == 1, [record.getMessage() for record in lost]
    assert "Authentication failed" in lost[0].getMessage()
    # Still one flow: Home Assistant does not ask twice.
    assert len(hass.config_entries.flow.async_progress()) == 1
    _assert_no_traceback(caplog)

    caplog.clear()
    gateway.mode = "ok"
    result = await hass.config_entries.flow.async_configure(
        flows[0]["flow_id"], {"token": "new-token"}
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert real_entry.state is ConfigEntryState.LOADED
    assert state_of(hass, FAULT).state == "no_fault"
    # The reload starts a fresh coordinator: nothing to recover, nothing logged.
    assert not [r for r in _integration_lines(caplog) if r.levelno >= logging.WARNING]
    _assert_no_traceback(caplog)


CYCLES = 100
TASKS = ("clean_filters", "clean_coil", "clean_strainer", "check_condensate")


async def test_many_restarts_lose_nothing(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    mock_gateway: MagicMock,
    freezer: FrozenDateTimeFactory,
) -> None:
    """100 reloads and unload/set-up cycles with work in between: every record is kept.

    Each cycle completes a maintenance task (by the action, or by ticking the to-do item
    every third time) and raises a fault that is cleared only after the restart.
    """
    entry_id = init_integration.entry_id
    healthy = snapshot_fixture()
    last_done: dict[str, str] = {}
    codes = ("H62", "H15", "H76", "F12")
    for cycle in range(CYCLES):
        task = TASKS[cycle % len(TASKS)]
        freezer.tick(timedelta(minutes=1))
        if cycle % 3 == 0:
            await hass.services.async_call(
                "todo",
                "update_item",
                {"item": task, "status": "completed"},
                target={"entity_id": "todo.aquarea_maintenance"},
                blocking=True,
            )
            # Ticking records "now"; compare through the sensor that shows it.
        else:
            await hass.services.async_call(
                DOMAIN,
                "complete_task",
                {"device_id": pump_device_id(hass), "task": task},
                blocking=True,
            )
        last_done[task] = state_of(
            hass, f"sensor.aquarea_{_task_sensor(task)}"
        ).attributes["last_done"]

        mock_gateway.async_snapshot.return_value = with_faults(
            healthy, codes[cycle % len(codes)]
        )
        await poll(hass, freezer)
        assert state_of(hass, FAULT).state == codes[cycle % len(codes)]

        if cycle % 2:
            assert await hass.config_entries.async_reload(entry_id)
        else:
            assert await hass.config_entries.async_unload(entry_id)
            assert await hass.config_entries.async_setup(entry_id)
        await hass.async_block_till_done()
        assert init_integration.state is ConfigEntryState.LOADED

        mock_gateway.async_snapshot.return_value = healthy
        await poll(hass, freezer)
        assert state_of(hass, FAULT).state == "no_fault"

    assert int(state_of(hass, FAULTS_30_DAYS).state) == CYCLES
    last = state_of(hass, "sensor.aquarea_last_fault")
    assert last.state == codes[(CYCLES - 1) % len(codes)]
    assert last.attributes["active"] is False
    for task, done in last_done.items():
        sensor = state_of(hass, f"sensor.aquarea_{_task_sensor(task)}")
        assert sensor.attributes["last_done"] == done, task


def _task_sensor(task: str) -> str:
    return {
        "clean_filters": "clean_air_filters",
        "clean_coil": "clean_outdoor_coil",
        "clean_strainer": "clean_water_strainer",
        "check_condensate": "check_condensate_drain",
    }[task]


async def test_simulator_listens_on_loopback_only(socket_enabled: None) -> None:
    """The simulator is reachable from this machine only unless told otherwise."""
    assert build_parser().parse_args([]).host == "127.0.0.1"
    runner, base_url, _ = await start_simulator(tick_interval=None, speed=0)
    try:
        hosts = {address[0] for address in runner.addresses}
        assert hosts == {"127.0.0.1"}
        assert base_url.startswith("http://127.0.0.1:")
    finally:
        await runner.cleanup()


async def test_unchanged_poll_writes_nothing(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    mock_gateway: MagicMock,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A poll that changes nothing writes no state; a changed figure writes its entity only."""
    with recorded_writes() as written:
        await poll(hass, freezer)
        assert written == []
        snapshot = mock_gateway.async_snapshot.return_value
        mock_gateway.async_snapshot.return_value = dataclasses.replace(
            snapshot,
            state=dataclasses.replace(snapshot.state, outdoor_temperature=-12.5),
        )
        await poll(hass, freezer)
    assert written == ["sensor.aquarea_outdoor_temperature"]
