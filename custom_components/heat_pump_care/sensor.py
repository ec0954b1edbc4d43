"""Sensors: the active fault and the operating figures of a heat pump."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import UnitOfFrequency, UnitOfTemperature, UnitOfTime
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.typing import StateType

from .client import HeatPumpState, OperatingMode
from .coordinator import HeatPumpCareConfigEntry, HeatPumpCareData
from .entity import HeatPumpCareEntity

PARALLEL_UPDATES = 0

NO_FAULT = "no_fault"


@dataclass(frozen=True, kw_only=True)
class HeatPumpSensorDescription(SensorEntityDescription):
    """Describes an operating-figure sensor."""

    value_fn: Callable[[HeatPumpState], StateType]
    has_fn: Callable[[HeatPumpState], bool] = lambda state: True


def _temperature(
    key: str, value_fn: Callable[[HeatPumpState], float | None]
) -> HeatPumpSensorDescription:
    return HeatPumpSensorDescription(
        key=key,
        translation_key=key,
        device_class=SensorDeviceClass.TEMPERATURE,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfTemperature.CELSIUS,
        value_fn=value_fn,
        has_fn=lambda state: value_fn(state) is not None,
    )


SENSORS: tuple[HeatPumpSensorDescription, ...] = (
    HeatPumpSensorDescription(
        key="operating_mode",
        translation_key="operating_mode",
        device_class=SensorDeviceClass.ENUM,
        options=[mode.value for mode in OperatingMode],
        value_fn=lambda state: state.operating_mode,
    ),
    _temperature("outdoor_temperature", lambda state: state.outdoor_temperature),
    _temperature("flow_temperature", lambda state: state.flow_temperature),
    _temperature("return_temperature", lambda state: state.return_temperature),
    _temperature("dhw_temperature", lambda state: state.dhw_temperature),
    HeatPumpSensorDescription(
        key="compressor_frequency",
        translation_key="compressor_frequency",
        device_class=SensorDeviceClass.FREQUENCY,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfFrequency.HERTZ,
        value_fn=lambda state: state.compressor_frequency,
    ),
    HeatPumpSensorDescription(
        key="compressor_run_hours",
        translation_key="compressor_run_hours",
        device_class=SensorDeviceClass.DURATION,
        state_class=SensorStateClass.TOTAL_INCREASING,
        native_unit_of_measurement=UnitOfTime.HOURS,
        suggested_display_precision=0,
        value_fn=lambda state: state.compressor_run_hours,
        has_fn=lambda state: state.compressor_run_hours is not None,
    ),
)

# Not an enum: codes are open-ended. "no_fault" is still translated through its state key.
FAULT_SENSOR = SensorEntityDescription(key="fault", translation_key="fault")


async def async_setup_entry(
    hass: HomeAssistant,
    entry: HeatPumpCareConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Create the sensors the heat pump reports."""
    coordinator = entry.runtime_data
    state = coordinator.data.snapshot.state
    async_add_entities(
        [
            HeatPumpFaultSensor(coordinator, FAULT_SENSOR),
            *(
                HeatPumpSensor(coordinator, description)
                for description in SENSORS
                if description.has_fn(state)
            ),
        ]
    )


class HeatPumpSensor(HeatPumpCareEntity, SensorEntity):
    """An operating figure."""

    entity_description: HeatPumpSensorDescription

    @property
    def native_value(self) -> StateType:
        """Return the figure from the latest snapshot."""
        return self.entity_description.value_fn(self.coordinator.data.snapshot.state)


def _fault_attributes(data: HeatPumpCareData) -> dict[str, Any]:
    attributes: dict[str, Any] = {"active_faults": [item.code for item in data.faults]}
    if not data.faults:
        return attributes
    primary = data.faults[0]
    info = primary.info.to_dict()
    attributes.update(
        code=primary.code,
        title=info["title"],
        meaning=info["meaning"],
        severity=info["severity"],
        component=info["component"],
        technician_required=info["technician_required"],
        tell_technician=info["tell_technician"],
        causes=info["causes"],
        steps=info["steps"],
        known=info["found"],
        family_uncertain=info["family_uncertain"],
        source=info["source"],
        device_description=primary.fault.description,
        since=primary.fault.since.isoformat() if primary.fault.since else None,
    )
    return attributes


class HeatPumpFaultSensor(HeatPumpCareEntity, SensorEntity):
    """The most severe active fault code, decoded, or "no fault"."""

    # Long texts for cards and templates; the recorder needs only the code.
    _unrecorded_attributes = frozenset(
        {
            "meaning",
            "causes",
            "steps",
            "tell_technician",
            "source",
            "device_description",
        }
    )

    @property
    def native_value(self) -> str:
        """Return the most severe active code."""
        faults = self.coordinator.data.faults
        return faults[0].code if faults else NO_FAULT

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """Expose the decoded meaning and repair steps to templates and cards."""
        return _fault_attributes(self.coordinator.data)
