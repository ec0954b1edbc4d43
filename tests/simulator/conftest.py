"""Fixtures for the simulator tests: plain aiohttp on 127.0.0.1, no Home Assistant."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
import socket
from typing import Any

from aiohttp.test_utils import TestClient, TestServer
import pytest

from simulator import Simulator, create_app

type MakeClient = Callable[..., Awaitable[TestClient[Any, Any]]]


@pytest.fixture(autouse=True)
def loopback_sockets() -> Iterator[None]:
    """Let the tests bind 127.0.0.1 when Home Assistant's test plugin blocks sockets."""
    try:
        import pytest_socket  # type: ignore[import-untyped]
    except ImportError:
        yield
        return
    blocked = socket.socket is not getattr(pytest_socket, "_true_socket", socket.socket)
    pytest_socket.enable_socket()
    yield
    if blocked:
        pytest_socket.disable_socket(allow_unix_socket=True)


@pytest.fixture
def sim() -> Simulator:
    """Default pumps on a frozen clock: only explicit jumps move it."""
    return Simulator(speed=0)


@pytest.fixture
async def make_client() -> AsyncIterator[MakeClient]:
    """Start the app for a simulator (and optional token) and return a test client."""
    clients: list[TestClient[Any, Any]] = []

    async def make(
        simulator: Simulator | None = None, token: str | None = None, **options: Any
    ) -> TestClient[Any, Any]:
        app = create_app(
            simulator or Simulator(speed=0), token, tick_interval=None, **options
        )
        client: TestClient[Any, Any] = TestClient(TestServer(app, host="127.0.0.1"))
        await client.start_server()
        clients.append(client)
        return client

    yield make
    for client in clients:
        await client.close()


@pytest.fixture
async def client(make_client: MakeClient, sim: Simulator) -> TestClient[Any, Any]:
    """A client for the default simulator, without a token."""
    return await make_client(sim)
