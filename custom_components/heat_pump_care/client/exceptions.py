"""Exceptions raised by the gateway client; all derive from GatewayError."""


class GatewayError(Exception):
    """Base class for every error the client raises."""


class GatewayHostError(GatewayError):
    """Nothing answered at the address: unknown host name, no route or no answer in time."""


class GatewayConnectionError(GatewayError):
    """The host answered but the connection failed (refused, reset, server error)."""


class GatewayAuthenticationError(GatewayError):
    """The gateway rejected the access token."""


class GatewayNotFoundError(GatewayError):
    """The gateway does not know the requested device."""


class GatewayResponseError(GatewayError):
    """The gateway answered with something that is not a valid payload."""


class GatewayUnsupportedError(GatewayError):
    """The gateway's protocol has no way to do what was asked (such as a remote reset)."""
