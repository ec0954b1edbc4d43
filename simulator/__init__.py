"""Heat Pump Care simulator: simulated heat pumps behind the gateway and HeishaMon wire formats.

An independent implementation of docs/protocol.md for development, demos and contract
tests. Run it with `python -m simulator`; from tests use `start_simulator()`.
"""

from .model import (
    DEFAULT_DEVICES,
    DEFAULT_START,
    DeviceConfig,
    ModelError,
    Scenario,
    Simulator,
)
from .server import create_app, start_simulator

__all__ = [
    "DEFAULT_DEVICES",
    "DEFAULT_START",
    "DeviceConfig",
    "ModelError",
    "Scenario",
    "Simulator",
    "create_app",
    "start_simulator",
]
