"""The simulator's HTTP face: the gateway protocol, HeishaMon's `/json` and a control API."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
import contextlib
import hmac
import json
import logging
from typing import Any, Final

from aiohttp import web
from aiohttp.typedefs import Middleware

from . import heishamon
from .model import ModelError, NotFoundError, Simulator, parse_duration, parse_scenario

_LOGGER = logging.getLogger(__name__)

SIMULATOR_KEY: Final = web.AppKey("simulator", Simulator)
_STYLE_KEY: Final = web.AppKey("heishamon_style", str)
HEALTH_PATH: Final = "/api/v1/health"

type Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

_HTTP_SLUGS: Final = {
    404: "not_found",
    405: "method_not_allowed",
    413: "request_too_large",
}
_CLOCK_UNITS: Final = {
    "seconds": 1.0,
    "minutes": 60.0,
    "hours": 3600.0,
    "days": 86400.0,
}


def error_response(
    status: int, slug: str, message: str, headers: dict[str, str] | None = None
) -> web.Response:
    """Answer with the protocol's error body."""
    return web.json_response(
        {"error": slug, "message": message}, status=status, headers=headers
    )


@web.middleware
async def _errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every failure becomes `{"error": slug, "message": text}`; nothing escapes as a bare 500."""
    try:
        return await handler(request)
    except NotFoundError as err:
        return error_response(404, err.slug, err.message)
    except ModelError as err:
        return error_response(400, err.slug, err.message)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        headers = {"Allow": exc.headers["Allow"]} if "Allow" in exc.headers else None
        slug = _HTTP_SLUGS.get(
            exc.status, "bad_request" if exc.status < 500 else "internal_error"
        )
        return error_response(exc.status, slug, exc.reason, headers)
    except Exception:
        _LOGGER.exception(
            "Unexpected error handling %s %s", request.method, request.path
        )
        return error_response(
            500, "internal_error", "the simulator hit an unexpected error"
        )


def _auth(token: str | None) -> Middleware:
    expected = f"Bearer {token}".encode() if token is not None else None

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        path = request.path
        guarded = path.startswith("/api/") or path == "/json"
        if expected is not None and guarded and path != HEALTH_PATH:
            given = request.headers.get("Authorization", "").encode()
            if not hmac.compare_digest(
                given, expected
            ):  # constant time: no hints about the token
                return error_response(
                    401,
                    "unauthorized",
                    "missing or wrong access token (send Authorization: Bearer <token>)",
                    {"WWW-Authenticate": "Bearer"},
                )
        return await handler(request)

    return middleware


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not valid JSON")


async def _json_object(request: web.Request) -> dict[str, Any]:
    try:
        data = json.loads(await request.text(), parse_constant=_reject_constant)
    except ValueError:  # also covers bodies that are not UTF-8
        raise ModelError("invalid_json", "the request body is not valid JSON") from None
    if not isinstance(data, dict):
        raise ModelError("invalid_body", "the request body must be a JSON object")
    return data


def _only(body: dict[str, Any], allowed: set[str]) -> None:
    unknown = sorted(set(body) - allowed)
    if unknown:
        raise ModelError("unknown_field", f"unexpected field(s): {', '.join(unknown)}")


def _sim(request: web.Request) -> Simulator:
    return request.app[SIMULATOR_KEY]


# --------------------------------------------------------------------------- gateway protocol


async def _health(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


async def _devices(request: web.Request) -> web.Response:
    return web.json_response(_sim(request).devices_document())


async def _device(request: web.Request) -> web.Response:
    return web.json_response(
        _sim(request).device_document(request.match_info["device_id"])
    )


async def _reset(request: web.Request) -> web.Response:
    sim, device_id = _sim(request), request.match_info["device_id"]
    sim.reset(device_id)
    return web.json_response(sim.device_document(device_id))


# --------------------------------------------------------------------------- control API


async def _raise_fault(request: web.Request) -> web.Response:
    sim, device_id = _sim(request), request.match_info["device_id"]
    sim.device(device_id)  # an unknown device is a 404 whatever the body says
    body = await _json_object(request)
    _only(body, {"code", "description"})
    if "code" not in body:
        raise ModelError("invalid_code", 'code is required, e.g. {"code": "H15"}')
    created = sim.raise_fault(device_id, body["code"], body.get("description"))
    return web.json_response(
        sim.device_document(device_id), status=201 if created else 200
    )


async def _clear_fault(request: web.Request) -> web.Response:
    sim, device_id = _sim(request), request.match_info["device_id"]
    sim.clear_fault(device_id, request.match_info["code"])
    return web.json_response(sim.device_document(device_id))


async def _clean_filter(request: web.Request) -> web.Response:
    sim, device_id = _sim(request), request.match_info["device_id"]
    sim.clean_filter(device_id)
    return web.json_response(sim.device_document(device_id))


async def _get_clock(request: web.Request) -> web.Response:
    return web.json_response(_sim(request).clock_document())


async def _post_clock(request: web.Request) -> web.Response:
    body = await _json_object(request)
    keys = sorted(set(body) & {"duration", *_CLOCK_UNITS})
    _only(body, {"duration", *_CLOCK_UNITS})
    if len(keys) != 1:
        raise ModelError(
            "invalid_duration",
            'give exactly one of: {"seconds": N}, {"minutes": N}, {"hours": N}, {"days": N}, {"duration": "P90D"}',
        )
    key = keys[0]
    if key == "duration":
        if not isinstance(body[key], str):
            raise ModelError(
                "invalid_duration",
                "duration must be an ISO 8601 duration string such as P90D",
            )
        seconds = parse_duration(body[key])
    else:
        if isinstance(body[key], str):
            raise ModelError("invalid_duration", f"{key} must be a number")
        seconds = parse_duration(body[key], key) * _CLOCK_UNITS[key]
    sim = _sim(request)
    sim.advance(seconds)
    return web.json_response(sim.clock_document())


async def _get_scenario(request: web.Request) -> web.Response:
    return web.json_response(_sim(request).scenario_document())


async def _post_scenario(request: web.Request) -> web.Response:
    sim = _sim(request)
    sim.load_scenario(parse_scenario(await _json_object(request)))
    return web.json_response(sim.scenario_document())


# --------------------------------------------------------------------------- HeishaMon


async def _heishamon_json(request: web.Request) -> web.Response:
    sim = _sim(request)
    device_id = request.query.get("device")
    if device_id is None:
        device_id = next(
            (d for d, dev in sim.devices.items() if dev.config.brand == "panasonic"),
            None,
        )
        if device_id is None:
            raise NotFoundError(
                "no_heishamon_device", "no Panasonic device here; pass ?device=ID"
            )
    style = request.query.get("style", request.app[_STYLE_KEY])
    if style not in heishamon.STYLES:
        raise ModelError("invalid_style", "style must be 'current' or 'legacy'")
    config, state = sim.device(device_id).config, sim.state(device_id)
    return web.json_response(
        heishamon.render(config, state, "legacy" if style == "legacy" else "current")
    )


# --------------------------------------------------------------------------- app


def _ticker(interval: float) -> Callable[[web.Application], AsyncIterator[None]]:
    """Keep the model moving between requests, so scenario events are logged as they happen."""

    async def context(app: web.Application) -> AsyncIterator[None]:
        async def tick() -> None:
            while True:
                await asyncio.sleep(interval)
                try:
                    app[SIMULATOR_KEY].sync()
                except Exception:  # a failing tick must not stop the server
                    _LOGGER.exception("Simulator tick failed")

        task = asyncio.create_task(tick())
        yield
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    return context


def create_app(
    sim: Simulator,
    token: str | None = None,
    *,
    heishamon_style: str = "current",
    tick_interval: float | None = 1.0,
) -> web.Application:
    """Build the app serving `sim`; with `token`, /api/ and /json need it."""
    if heishamon_style not in heishamon.STYLES:
        raise ValueError(f"heishamon_style must be one of {heishamon.STYLES}")
    app = web.Application(middlewares=[_errors, _auth(token)])
    app[SIMULATOR_KEY] = sim
    app[_STYLE_KEY] = heishamon_style
    device = "/api/v1/devices/{device_id}"
    app.router.add_get(HEALTH_PATH, _health)
    app.router.add_get("/api/v1/devices", _devices)
    app.router.add_get(device, _device)
    app.router.add_post(f"{device}/reset", _reset)
    app.router.add_post(f"{device}/faults", _raise_fault)
    app.router.add_delete(device + "/faults/{code}", _clear_fault)
    app.router.add_post(f"{device}/filter/clean", _clean_filter)
    app.router.add_get("/api/v1/clock", _get_clock)
    app.router.add_post("/api/v1/clock", _post_clock)
    app.router.add_get("/api/v1/scenario", _get_scenario)
    app.router.add_post("/api/v1/scenario", _post_scenario)
    app.router.add_get("/json", _heishamon_json)
    if tick_interval is not None and tick_interval > 0:
        app.cleanup_ctx.append(_ticker(tick_interval))
    return app


async def start_simulator(
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    sim: Simulator | None = None,
    token: str | None = None,
    heishamon_style: str = "current",
    tick_interval: float | None = 1.0,
    **simulator_options: Any,
) -> tuple[web.AppRunner, str, Simulator]:
    """Start a simulator server; returns (runner, base URL, simulator).

    Port 0 picks a free port. Pass a ready `sim`, or keyword options for `Simulator`
    (devices=, seed=, start=, speed=). Stop it with `await runner.cleanup()`.
    """
    if sim is None:
        sim = Simulator(**simulator_options)
    elif simulator_options:
        raise TypeError("pass either sim= or Simulator options, not both")
    runner = web.AppRunner(
        create_app(
            sim, token, heishamon_style=heishamon_style, tick_interval=tick_interval
        ),
        access_log=None,
    )
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    try:
        await site.start()
    except BaseException:
        await runner.cleanup()
        raise
    bound_port = port
    for address in runner.addresses:
        if isinstance(address, tuple) and len(address) >= 2:
            bound_port = int(address[1])
            break
    shown_host = f"[{host}]" if ":" in host else host
    return runner, f"http://{shown_host}:{bound_port}", sim
