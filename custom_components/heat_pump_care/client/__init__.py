"""Async client for heat pump gateways (no Home Assistant imports).

Speaks the wire formats described in docs/protocol.md. Kept free of Home Assistant so it could
be published as a library unchanged.
"""

from .client import HeatPumpGatewayClient
from .exceptions import (
    GatewayAuthenticationError,
    GatewayConnectionError,
    GatewayError,
    GatewayHostError,
    GatewayNotFoundError,
    GatewayResponseError,
    GatewayUnsupportedError,
)
from .models import (
    ActiveFault,
    GatewayDevice,
    HeatPumpSnapshot,
    HeatPumpState,
    OperatingMode,
    Protocol,
)

__all__ = [
    "ActiveFault",
    "GatewayAuthenticationError",
    "GatewayConnectionError",
    "GatewayDevice",
    "GatewayError",
    "GatewayHostError",
    "GatewayNotFoundError",
    "GatewayResponseError",
    "GatewayUnsupportedError",
    "HeatPumpGatewayClient",
    "HeatPumpSnapshot",
    "HeatPumpState",
    "OperatingMode",
    "Protocol",
]
