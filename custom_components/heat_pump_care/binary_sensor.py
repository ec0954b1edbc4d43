"""Binary sensors: problem indicator, compressor and defrost state."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from homeassistant.components.binary_sensor import (
    BinarySensorDeviceClass,
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import HeatPumpCareConfigEntry, HeatPumpCareData
from .entity import HeatPumpCareEntity

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class HeatPumpBinarySensorDescription(BinarySensorEntityDescription):
    """Describes a Heat Pump Care binary sensor."""

    value_fn: Callable[[HeatPumpCareData], bool | None]


BINARY_SENSORS: tuple[HeatPumpBinarySensorDescription, ...] = (
    HeatPumpBinarySensorDescription(
        key="problem",
        translation_key="problem",
        device_class=BinarySensorDeviceClass.PROBLEM,
        value_fn=lambda data: bool(data.faults),
    ),
    HeatPumpBinarySensorDescription(
        key="compressor",
        translation_key="compressor",
        device_class=BinarySensorDeviceClass.RUNNING,
        value_fn=lambda data: data.snapshot.state.compressor_running,
    ),
    HeatPumpBinarySensorDescription(
        key="defrosting",
        translation_key="defrosting",
        value_fn=lambda data: data.snapshot.state.defrosting,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: HeatPumpCareConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Create the binary sensors."""
    coordinator = entry.runtime_data
    async_add_entities(
        HeatPumpBinarySensor(coordinator, description)
        for description in BINARY_SENSORS
        if description.value_fn(coordinator.data) is not None
    )


class HeatPumpBinarySensor(HeatPumpCareEntity, BinarySensorEntity):
    """A Heat Pump Care binary sensor."""

    entity_description: HeatPumpBinarySensorDescription

    @property
    def is_on(self) -> bool | None:
        """Return the state from the latest poll."""
        return self.entity_description.value_fn(self.coordinator.data)
