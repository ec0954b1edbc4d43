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
from .push import (
    DEFAULT_TOPICS,
    HeishaMonTopics,
    JsonKeys,
    MqttProfile,
    parse_code_text,
    parse_espaltherma,
    parse_json_state,
    push_device,
)

__all__ = [
    "DEFAULT_TOPICS",
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
    "HeishaMonTopics",
    "JsonKeys",
    "MqttProfile",
    "OperatingMode",
    "Protocol",
    "parse_code_text",
    "parse_espaltherma",
    "parse_json_state",
    "push_device",
]
