"""Binary sensors: problem indicator, compressor and defrost state."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from homeassistant.components.binary_sensor import (
    BinarySensorDeviceClass,
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import HeatPumpCareConfigEntry, HeatPumpCareData
from .entity import HeatPumpCareEntity
from .faults import DecodedFault
from .maintenance import DueState

PARALLEL_UPDATES = 0


def _technician_faults(data: HeatPumpCareData) -> list[DecodedFault]:
    """Active faults only a licensed technician may fix."""
    return [item for item in data.faults if item.info.technician_required]


@dataclass(frozen=True, kw_only=True)
class HeatPumpBinarySensorDescription(BinarySensorEntityDescription):
    """Describes a Heat Pump Care binary sensor."""

    value_fn: Callable[[HeatPumpCareData], bool | None]
    attributes_fn: Callable[[HeatPumpCareData], dict[str, Any] | None] = lambda data: (
        None
    )


BINARY_SENSORS: tuple[HeatPumpBinarySensorDescription, ...] = (
    HeatPumpBinarySensorDescription(
        key="problem",
        translation_key="problem",
        device_class=BinarySensorDeviceClass.PROBLEM,
        value_fn=lambda data: bool(data.faults),
    ),
    HeatPumpBinarySensorDescription(
        key="technician_needed",
        translation_key="technician_needed",
        device_class=BinarySensorDeviceClass.PROBLEM,
        value_fn=lambda data: any(_technician_faults(data)),
        attributes_fn=lambda data: {
            "codes": [item.code for item in _technician_faults(data)],
            "tell_technician": [
                item.info.tell_technician for item in _technician_faults(data)
            ],
        },
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
        [
            *(
                HeatPumpBinarySensor(coordinator, description)
                for description in BINARY_SENSORS
                if description.value_fn(coordinator.data) is not None
            ),
            MaintenanceDueBinarySensor(coordinator, MAINTENANCE_DUE),
        ]
    )


class HeatPumpBinarySensor(HeatPumpCareEntity, BinarySensorEntity):
    """A Heat Pump Care binary sensor."""

    entity_description: HeatPumpBinarySensorDescription

    @property
    def is_on(self) -> bool | None:
        """Return the state from the latest poll."""
        return self.entity_description.value_fn(self.coordinator.data)

    @property
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """Return what to tell the technician, where that applies."""
        return self.entity_description.attributes_fn(self.coordinator.data)


MAINTENANCE_DUE = BinarySensorEntityDescription(
    key="maintenance_due",
    translation_key="maintenance_due",
    device_class=BinarySensorDeviceClass.PROBLEM,
)


class MaintenanceDueBinarySensor(HeatPumpCareEntity, BinarySensorEntity):
    """On while any maintenance task is due or overdue."""

    def _now_shown(self) -> Any:
        return (
            self.available,
            [(s.id, s.state) for s in self.coordinator.maintenance.statuses()],
        )

    @property
    def is_on(self) -> bool:
        """Whether any task is due."""
        return bool(self.coordinator.maintenance.due_tasks())

    @property
    def extra_state_attributes(self) -> dict[str, list[str]]:
        """Which tasks are due, and which come due within their reminder time."""
        statuses = self.coordinator.maintenance.statuses()
        return {
            "due_tasks": [status.id for status in statuses if status.is_due],
            "upcoming_tasks": [
                status.id for status in statuses if status.state is DueState.UPCOMING
            ],
        }
