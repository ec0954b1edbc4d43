"""What an owner can do about an active fault: acknowledge it, or reset it on the device.

Shared by the actions and the repair flows, so both behave and fail the same way.
"""

from __future__ import annotations

from homeassistant.exceptions import HomeAssistantError, ServiceValidationError

from .client import GatewayError, GatewayUnsupportedError
from .const import DOMAIN
from .coordinator import HeatPumpCareCoordinator
from .knowledge import normalize_code


def _active_code(coordinator: HeatPumpCareCoordinator, code: str) -> str:
    """Spell an active fault's code as Heat Pump Care does, whatever the owner typed."""
    wanted = normalize_code(code)
    for item in coordinator.data.faults:
        if normalize_code(item.code) == wanted:
            return item.code
    raise ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key="fault_not_active",
        translation_placeholders={"code": code},
    )


def acknowledge_fault(coordinator: HeatPumpCareCoordinator, code: str | None) -> None:
    """Acknowledge one active fault, or all of them when no code is given."""
    codes = (
        [item.code for item in coordinator.data.faults]
        if code is None
        else [_active_code(coordinator, code)]
    )
    for active in codes:
        coordinator.history.acknowledge(active)
    # Repair issues and entities follow the acknowledgement without waiting for a poll.
    coordinator.async_update_listeners()


async def async_reset_faults(coordinator: HeatPumpCareCoordinator) -> None:
    """Press the device's reset and poll at once, so the clear shows immediately."""
    try:
        await coordinator.async_reset_device()
    except GatewayUnsupportedError as err:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="reset_not_supported",
            translation_placeholders={"protocol": coordinator.protocol},
        ) from err
    except GatewayError as err:
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="reset_failed",
            translation_placeholders={"error": str(err)},
        ) from err
    await coordinator.async_refresh()
