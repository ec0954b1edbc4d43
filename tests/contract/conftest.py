"""A real simulator on 127.0.0.1 for the contract tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import aiohttp
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.heat_pump_care.const import DOMAIN
from simulator import Simulator, start_simulator

TOKEN = "contract-token"


@dataclass
class RunningSimulator:
    """The simulator's URL and port, and a way to use its control API."""

    base_url: str
    port: int
    sim: Simulator
    session: aiohttp.ClientSession

    async def control(self, method: str, path: str, body: Any = None) -> Any:
        """Call the control API as a user with curl would."""
        async with self.session.request(
            method,
            self.base_url + path,
            json=body,
            headers={"Authorization": f"Bearer {TOKEN}"},
        ) as response:
            response.raise_for_status()
            return await response.json()


@pytest.fixture
async def simulator(socket_enabled: None) -> AsyncIterator[RunningSimulator]:
    """Serve the default pumps with a frozen clock and a token."""
    # No background ticking: the clock is frozen and the tests drive it.
    runner, base_url, sim = await start_simulator(
        token=TOKEN, tick_interval=None, speed=0, seed=1
    )
    async with aiohttp.ClientSession() as session:
        yield RunningSimulator(base_url, int(base_url.rsplit(":", 1)[1]), sim, session)
    await runner.cleanup()


async def setup_simulated_aquarea(
    hass: HomeAssistant, simulator: RunningSimulator
) -> MockConfigEntry:
    """Set up the simulator's Aquarea as a config entry, as the config flow would."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Aquarea",
        unique_id="SIM-AQ-0001",
        data={
            "host": "127.0.0.1",
            "port": simulator.port,
            "token": TOKEN,
            "device_id": "aquarea",
            "protocol": "generic",
            "brand": "panasonic",
            "family": "aquarea",
        },
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry
