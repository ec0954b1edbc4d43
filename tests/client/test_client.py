"""The gateway client against small real HTTP servers on 127.0.0.1."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
import errno
import socket
from typing import Any
from unittest.mock import MagicMock

import aiohttp
from aiohttp import web
from aiohttp.test_utils import TestServer
import pytest

from custom_components.heat_pump_care.client import (
    GatewayAuthenticationError,
    GatewayConnectionError,
    GatewayHostError,
    GatewayNotFoundError,
    GatewayResponseError,
    GatewayUnsupportedError,
    HeatPumpGatewayClient,
    OperatingMode,
    Protocol,
)
from tests.helpers import load_payload

# Home Assistant's test plugin blocks sockets; these tests need loopback ones.
pytestmark = pytest.mark.usefixtures("socket_enabled")

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class Gateway:
    """A tiny HTTP server whose routes each test sets."""

    def __init__(self) -> None:
        self.routes: dict[str, Handler] = {}
        self.seen_auth: list[str | None] = []

    async def handle(self, request: web.Request) -> web.StreamResponse:
        self.seen_auth.append(request.headers.get("Authorization"))
        handler = self.routes.get(request.path)
        if handler is None:
            raise web.HTTPNotFound
        return await handler(request)

    def json(self, path: str, payload: Any, status: int = 200) -> None:
        async def handler(request: web.Request) -> web.Response:
            return web.json_response(payload, status=status)

        self.routes[path] = handler

    def text(self, path: str, body: str, status: int = 200) -> None:
        async def handler(request: web.Request) -> web.Response:
            return web.Response(text=body, status=status)

        self.routes[path] = handler


@pytest.fixture
async def gateway() -> AsyncIterator[tuple[Gateway, int]]:
    """A running gateway on a free loopback port."""
    gateway = Gateway()
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", gateway.handle)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    assert server.port is not None
    yield gateway, server.port
    await server.close()


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    """A plain aiohttp session, owned by the test."""
    async with aiohttp.ClientSession() as session:
        yield session


def _client(
    session: aiohttp.ClientSession, port: int, token: str | None = None
) -> HeatPumpGatewayClient:
    return HeatPumpGatewayClient(
        host="127.0.0.1", port=port, token=token, session=session, request_timeout=2
    )


async def test_generic_devices_and_snapshot(
    gateway: tuple[Gateway, int], session: aiohttp.ClientSession
) -> None:
    """The generic protocol: list devices, read one, send the token."""
    server, port = gateway
    server.json("/api/v1/devices", load_payload("devices.json"))
    server.json("/api/v1/devices/aquarea", load_payload("device_aquarea.json"))
    client = _client(session, port, token="abc")

    devices = await client.async_devices()
    assert [device.id for device in devices] == ["aquarea", "altherma"]
    assert devices[0].serial == "SIM-AQ-0001"
    assert devices[0].protocol is Protocol.GENERIC

    snapshot = await client.async_snapshot("aquarea")
    assert snapshot.device.brand == "panasonic"
    assert snapshot.state.operating_mode is not None
    assert snapshot.state.outdoor_temperature is not None
    assert snapshot.to_dict()["device"]["id"] == "aquarea"
    assert set(server.seen_auth) == {"Bearer abc"}


async def test_heishamon_detected(
    gateway: tuple[Gateway, int], session: aiohttp.ClientSession
) -> None:
    """No generic API but a HeishaMon topic list: one Panasonic Aquarea, no serial."""
    server, port = gateway
    server.json("/json", load_payload("heishamon.json"))
    client = _client(session, port)

    devices = await client.async_devices()
    assert len(devices) == 1
    assert devices[0].protocol is Protocol.HEISHAMON
    assert devices[0].serial is None
    assert (devices[0].brand, devices[0].family) == ("panasonic", "aquarea")

    snapshot = await client.async_snapshot(devices[0].id, Protocol.HEISHAMON)
    assert snapshot.state.outdoor_temperature is not None
    assert snapshot.state.compressor_running is not None
    assert snapshot.state.operating_mode in set(OperatingMode)


@pytest.mark.parametrize(
    ("topics", "expected"),
    [
        ({"Error": "No error"}, ("No error",)),
        ({"Error": ""}, ()),
        ({"Error": "H15"}, ("H15",)),
        ({"Error": "F12", "Heatpump_State": "0"}, ("F12",)),
    ],
)
async def test_heishamon_values(
    gateway: tuple[Gateway, int],
    session: aiohttp.ClientSession,
    topics: dict[str, str],
    expected: tuple[str, ...],
) -> None:
    """HeishaMon's error text, power state and missing topics."""
    server, port = gateway
    body = {
        "heatpump": [
            {"Topic": f"TOP{i}", "Name": name, "Value": value, "Description": ""}
            for i, (name, value) in enumerate(topics.items())
        ]
    }
    server.json("/json", body)
    snapshot = await _client(session, port).async_snapshot(
        "heishamon", Protocol.HEISHAMON
    )
    assert tuple(fault.code for fault in snapshot.state.faults) == expected
    assert snapshot.state.outdoor_temperature is None
    assert snapshot.state.compressor_running is None
    if topics.get("Heatpump_State") == "0":
        assert snapshot.state.operating_mode is OperatingMode.OFF


@pytest.mark.parametrize(
    "body",
    [
        {"heatpump": "nope"},
        {"heatpump": ["nope"]},
        {"heatpump": [{"Name": "Error", "Value": [5]}]},
        {"heatpump": [{"Name": "Error", "Value": True}]},
        {"heatpump": [{"Name": "Outside_Temp", "Value": "3"}]},
        {
            "heatpump": [
                {"Name": "Error", "Value": ""},
                {"Name": "Outside_Temp", "Value": "warm"},
            ]
        },
    ],
)
async def test_heishamon_garbage(
    gateway: tuple[Gateway, int], session: aiohttp.ClientSession, body: Any
) -> None:
    """Broken HeishaMon answers are response errors."""
    server, port = gateway
    server.json("/json", body)
    with pytest.raises(GatewayResponseError):
        await _client(session, port).async_snapshot("heishamon", Protocol.HEISHAMON)


async def test_not_a_gateway(
    gateway: tuple[Gateway, int], session: aiohttp.ClientSession
) -> None:
    """A web server that is neither protocol."""
    server, port = gateway
    with pytest.raises(GatewayResponseError):
        await _client(session, port).async_devices()
    server.json("/json", {"hello": "world"})
    with pytest.raises(GatewayResponseError):
        await _client(session, port).async_devices()


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (401, GatewayAuthenticationError),
        (403, GatewayAuthenticationError),
        (404, GatewayNotFoundError),
        (400, GatewayResponseError),
        (500, GatewayConnectionError),
        (503, GatewayConnectionError),
    ],
)
async def test_http_status(
    gateway: tuple[Gateway, int],
    session: aiohttp.ClientSession,
    status: int,
    error: type[Exception],
) -> None:
    """Each HTTP status maps to one client error."""
    server, port = gateway
    server.json("/api/v1/devices/aquarea", {"error": "x", "message": "x"}, status)
    with pytest.raises(error):
        await _client(session, port).async_snapshot("aquarea")


@pytest.mark.parametrize(
    "document",
    [
        "not json at all",
        "[]",
        '{"state": {}}',
        '{"id": "bad id!", "state": {"faults": []}}',
        '{"id": "aquarea"}',
        '{"id": "aquarea", "state": {"faults": "H15"}}',
        '{"id": "aquarea", "state": {"faults": [{"description": "no code"}]}}',
        '{"id": "aquarea", "state": {"faults": ["H15"]}}',
        '{"id": "aquarea", "state": {"outdoor_temperature": "cold"}}',
        '{"id": "aquarea", "state": {"outdoor_temperature": true}}',
        '{"id": "aquarea", "state": {"compressor_running": "yes"}}',
        '{"id": "aquarea", "state": {"operating_mode": "turbo"}}',
        '{"id": "aquarea", "state": {"operating_mode": 3}}',
        '{"id": "aquarea", "time": "yesterday", "state": {}}',
        '{"id": "altherma", "state": {}}',
    ],
)
async def test_garbage_snapshot(
    gateway: tuple[Gateway, int], session: aiohttp.ClientSession, document: str
) -> None:
    """Whatever garbage a device sends is a response error, never a crash."""
    server, port = gateway
    server.text("/api/v1/devices/aquarea", document)
    with pytest.raises(GatewayResponseError):
        await _client(session, port).async_snapshot("aquarea")


@pytest.mark.parametrize("document", ['{"devices": {}}', '{"devices": [1]}', "\xff"])
async def test_garbage_devices(
    gateway: tuple[Gateway, int], session: aiohttp.ClientSession, document: str
) -> None:
    """A broken device list is a response error."""
    server, port = gateway
    server.text("/api/v1/devices", document)
    with pytest.raises(GatewayResponseError):
        await _client(session, port).async_devices()


async def test_minimal_snapshot(
    gateway: tuple[Gateway, int], session: aiohttp.ClientSession
) -> None:
    """Everything optional may be missing."""
    server, port = gateway
    server.json("/api/v1/devices/aquarea", {"id": "aquarea", "state": {}})
    snapshot = await _client(session, port).async_snapshot("aquarea")
    assert snapshot.device.serial is None
    assert snapshot.time is None
    assert snapshot.state.faults == ()


async def test_refused(session: aiohttp.ClientSession) -> None:
    """A port nobody listens on: the connection is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(GatewayConnectionError):
        await _client(session, port).async_devices()


async def test_timeout(
    gateway: tuple[Gateway, int], session: aiohttp.ClientSession
) -> None:
    """No answer in time counts as nobody there."""
    server, port = gateway

    async def slow(request: web.Request) -> web.Response:
        await asyncio.sleep(5)
        return web.json_response({})

    server.routes["/api/v1/devices"] = slow
    client = _client(session, port)
    client.request_timeout = 0.05
    with pytest.raises(GatewayHostError):
        await client.async_devices()


async def test_disconnect(
    gateway: tuple[Gateway, int], session: aiohttp.ClientSession
) -> None:
    """A gateway that hangs up mid-request."""
    server, port = gateway

    async def hang_up(request: web.Request) -> web.Response:
        assert request.transport is not None
        request.transport.close()
        return web.Response()

    server.routes["/api/v1/devices"] = hang_up
    with pytest.raises(GatewayConnectionError):
        await _client(session, port).async_devices()


class _FailingResolver(aiohttp.abc.AbstractResolver):
    async def resolve(
        self, host: str, port: int = 0, family: int = socket.AF_INET
    ) -> list[Any]:
        raise OSError(socket.EAI_NONAME, "Name or service not known")

    async def close(self) -> None:
        """Nothing to release."""


async def test_unknown_host() -> None:
    """A host name that does not resolve."""
    connector = aiohttp.TCPConnector(resolver=_FailingResolver())
    async with aiohttp.ClientSession(connector=connector) as session:
        client = HeatPumpGatewayClient(host="no-such-gateway", port=80, session=session)
        with pytest.raises(GatewayHostError):
            await client.async_devices()


@pytest.mark.parametrize(
    ("code", "error"),
    [
        (errno.EHOSTUNREACH, GatewayHostError),
        (errno.ENETUNREACH, GatewayHostError),
        (errno.ECONNRESET, GatewayConnectionError),
    ],
)
async def test_connector_errors(code: int, error: type[Exception]) -> None:
    """No route to the host is a host problem; other socket errors are connection ones."""
    session = MagicMock()
    session.request.side_effect = aiohttp.ClientConnectorError(
        MagicMock(), OSError(code, "failure")
    )
    client = HeatPumpGatewayClient(host="fe80::1", port=80, session=session)
    with pytest.raises(error):
        await client.async_devices()
    assert session.request.call_args.args[1] == "http://[fe80::1]:80/api/v1/devices"


async def test_reset(
    gateway: tuple[Gateway, int], session: aiohttp.ClientSession
) -> None:
    """Reset posts to the device's reset URL and returns the device afterwards."""
    server, port = gateway
    methods: list[str] = []

    async def reset(request: web.Request) -> web.Response:
        methods.append(request.method)
        return web.json_response(load_payload("device_aquarea.json"))

    server.routes["/api/v1/devices/aquarea/reset"] = reset
    snapshot = await _client(session, port, token="abc").async_reset("aquarea")
    assert methods == ["POST"]
    assert snapshot.device.id == "aquarea"
    assert server.seen_auth == ["Bearer abc"]


@pytest.mark.parametrize(
    ("status", "document", "error"),
    [
        (401, {"error": "x", "message": "x"}, GatewayAuthenticationError),
        (404, {"error": "x", "message": "x"}, GatewayNotFoundError),
        (500, {"error": "x", "message": "x"}, GatewayConnectionError),
        (200, {"id": "altherma", "state": {}}, GatewayResponseError),
    ],
)
async def test_reset_errors(
    gateway: tuple[Gateway, int],
    session: aiohttp.ClientSession,
    status: int,
    document: dict[str, Any],
    error: type[Exception],
) -> None:
    """A refused or garbled reset is the same client error as any other call."""
    server, port = gateway
    server.json("/api/v1/devices/aquarea/reset", document, status)
    with pytest.raises(error):
        await _client(session, port).async_reset("aquarea")


async def test_reset_unsupported_on_heishamon(
    gateway: tuple[Gateway, int], session: aiohttp.ClientSession
) -> None:
    """HeishaMon has no reset: the client says so without sending anything."""
    server, port = gateway
    with pytest.raises(GatewayUnsupportedError):
        await _client(session, port).async_reset("heishamon", Protocol.HEISHAMON)
    assert server.seen_auth == []
