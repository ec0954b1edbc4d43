"""A real simulator on 127.0.0.1 for the contract tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest

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
