"""HTTP client for a heat pump gateway."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
import errno
import json
from typing import Any

import aiohttp

from .exceptions import (
    GatewayAuthenticationError,
    GatewayConnectionError,
    GatewayHostError,
    GatewayNotFoundError,
    GatewayResponseError,
    GatewayUnsupportedError,
)
from .heishamon import HEISHAMON_DEVICE, is_heishamon, parse_heishamon
from .models import (
    GatewayDevice,
    HeatPumpSnapshot,
    Protocol,
    parse_devices,
    parse_snapshot,
)

# Errors meaning "nobody is there" rather than "somebody said no".
_UNREACHABLE = {errno.EHOSTUNREACH, errno.ENETUNREACH, errno.EHOSTDOWN}


@dataclass(kw_only=True)
class HeatPumpGatewayClient:
    """Talk to one gateway; the aiohttp session is owned by the caller."""

    host: str
    port: int
    session: aiohttp.ClientSession
    token: str | None = None
    request_timeout: float = 10.0

    async def _request(self, method: str, path: str) -> Any:
        # Bracket IPv6 literals so the URL stays valid.
        host = f"[{self.host}]" if ":" in self.host else self.host
        url = f"http://{host}:{self.port}{path}"
        headers = {"Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        try:
            async with (
                asyncio.timeout(self.request_timeout),
                self.session.request(method, url, headers=headers) as response,
            ):
                if response.status in (401, 403):
                    raise GatewayAuthenticationError("the gateway rejected the token")
                if response.status == 404:
                    raise GatewayNotFoundError(f"{path} not found on the gateway")
                if response.status >= 500:
                    raise GatewayConnectionError(
                        f"the gateway answered HTTP {response.status}"
                    )
                if response.status >= 400:
                    raise GatewayResponseError(
                        f"the gateway answered HTTP {response.status}"
                    )
                body = await response.text()
        except TimeoutError as err:
            raise GatewayHostError(f"no answer from {self.host} in time") from err
        except aiohttp.ClientConnectorDNSError as err:
            raise GatewayHostError(f"unknown host {self.host}") from err
        except aiohttp.ClientConnectorError as err:
            if err.os_error.errno in _UNREACHABLE:
                raise GatewayHostError(f"{self.host} cannot be reached") from err
            raise GatewayConnectionError(
                f"cannot connect to {self.host}:{self.port}: {err.os_error.strerror}"
            ) from err
        except (aiohttp.ClientError, UnicodeDecodeError) as err:
            raise GatewayConnectionError(f"connection failed: {err}") from err
        try:
            return json.loads(body)
        # Nesting deeper than the decoder's recursion limit raises RecursionError.
        except (ValueError, RecursionError) as err:
            raise GatewayResponseError("the gateway did not answer with JSON") from err

    async def _device_document(
        self, method: str, device_id: str, action: str = ""
    ) -> HeatPumpSnapshot:
        """Call a device URL that answers with the device document."""
        snapshot = parse_snapshot(
            await self._request(method, f"/api/v1/devices/{device_id}{action}")
        )
        if snapshot.device.id != device_id:
            raise GatewayResponseError("the gateway answered for another device")
        return snapshot

    async def async_devices(self) -> list[GatewayDevice]:
        """List the heat pumps behind the gateway, detecting its protocol."""
        try:
            return parse_devices(await self._request("GET", "/api/v1/devices"))
        except GatewayNotFoundError:
            pass
        # No generic API: the gateway may be a HeishaMon.
        try:
            data = await self._request("GET", "/json")
        except GatewayNotFoundError as err:
            raise GatewayResponseError("not a heat pump gateway") from err
        if not is_heishamon(data):
            raise GatewayResponseError("not a heat pump gateway")
        return [HEISHAMON_DEVICE]

    async def async_snapshot(
        self, device_id: str, protocol: Protocol = Protocol.GENERIC
    ) -> HeatPumpSnapshot:
        """Read the current state of one heat pump."""
        if protocol is Protocol.HEISHAMON:
            return parse_heishamon(await self._request("GET", "/json"))
        return await self._device_document("GET", device_id)

    async def async_reset(
        self, device_id: str, protocol: Protocol = Protocol.GENERIC
    ) -> HeatPumpSnapshot:
        """Clear the heat pump's active faults, like the reset button on its controller."""
        if not protocol.supports_reset:
            raise GatewayUnsupportedError(f"a {protocol} gateway cannot reset faults")
        return await self._device_document("POST", device_id, "/reset")
