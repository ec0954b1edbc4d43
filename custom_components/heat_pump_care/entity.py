"""Base entity for Heat Pump Care."""

from __future__ import annotations

from typing import Any

from homeassistant.core import callback
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .const import DOMAIN
from .coordinator import HeatPumpCareCoordinator


class HeatPumpCareEntity(CoordinatorEntity[HeatPumpCareCoordinator]):
    """An entity of one heat pump; owns the unique ID and the device."""

    _attr_has_entity_name = True
    # What the entity showed when it was last written by an update.
    _shown: tuple[Any, ...] | None = None

    def __init__(
        self, coordinator: HeatPumpCareCoordinator, description: EntityDescription
    ) -> None:
        """Attach the entity to its heat pump's device."""
        super().__init__(coordinator)
        self.entity_description = description
        device = coordinator.data.snapshot.device
        # Serial-less gateways (HeishaMon) have no stable ID but their config entry.
        device_key = (
            coordinator.config_entry.unique_id or coordinator.config_entry.entry_id
        )
        self._attr_unique_id = f"{device_key}_{description.key}"
        self._attr_device_info = DeviceInfo(
            identifiers={(DOMAIN, device_key)},
            manufacturer=coordinator.catalog.brand_name(coordinator.brand),
            model=device.model
            or coordinator.catalog.family_name(coordinator.brand, coordinator.family),
            name=device.name or coordinator.config_entry.title,
            serial_number=device.serial,
            sw_version=device.firmware,
        )

    def _now_shown(self) -> Any:
        """Return what decides this entity's state and attributes.

        By default the state and attributes themselves; an entity whose inputs are cheaper
        to compare than its rendering returns those instead.
        """
        return (self.available, self.state, self.extra_state_attributes)

    async def async_added_to_hass(self) -> None:
        """Remember what the first write showed."""
        await super().async_added_to_hass()
        self._shown = self._now_shown()

    @callback
    def _handle_coordinator_update(self) -> None:
        """Write only what changed: a poll that changes nothing writes no state at all."""
        shown = self._now_shown()
        if shown != self._shown:
            self._shown = shown
            super()._handle_coordinator_update()
