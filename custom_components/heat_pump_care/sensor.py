"""Sensors: the active fault and the operating figures of a heat pump."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import UnitOfFrequency, UnitOfTemperature, UnitOfTime
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.typing import StateType
from homeassistant.util import dt as dt_util

from .client import HeatPumpState, OperatingMode
from .coordinator import HeatPumpCareConfigEntry, HeatPumpCareData
from .entity import HeatPumpCareEntity
from .history import FaultHistory
from .maintenance import PRESETS, TaskPreset, TaskStatus

PARALLEL_UPDATES = 0

NO_FAULT = "no_fault"


@dataclass(frozen=True, kw_only=True)
class HeatPumpSensorDescription(SensorEntityDescription):
    """Describes an operating-figure sensor."""

    value_fn: Callable[[HeatPumpState], StateType]


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
    ),
)


@dataclass(frozen=True, kw_only=True)
class FaultHistorySensorDescription(SensorEntityDescription):
    """Describes a sensor over the fault history."""

    value_fn: Callable[[FaultHistory, datetime], StateType]
    attributes_fn: Callable[[FaultHistory], dict[str, Any] | None] = lambda history: (
        None
    )


def _last_fault_attributes(history: FaultHistory) -> dict[str, Any] | None:
    if (last := history.last) is None:
        return None
    return {
        "title": last.title,
        "severity": last.severity,
        "raised_at": last.last_raised.isoformat(),
        "cleared_at": last.last_cleared.isoformat() if last.last_cleared else None,
        "active": last.active,
    }


HISTORY_SENSORS: tuple[FaultHistorySensorDescription, ...] = (
    FaultHistorySensorDescription(
        key="faults_last_30_days",
        translation_key="faults_last_30_days",
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda history, now: history.count_since(now - timedelta(days=30)),
    ),
    FaultHistorySensorDescription(
        key="last_fault",
        translation_key="last_fault",
        value_fn=lambda history, now: history.last.code if history.last else None,
        attributes_fn=_last_fault_attributes,
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
                FaultHistorySensor(coordinator, description)
                for description in HISTORY_SENSORS
            ),
            *(
                HeatPumpSensor(coordinator, description)
                for description in SENSORS
                # Only figures the source reports: MQTT and entity sources report few.
                if description.value_fn(state) is not None
            ),
            *(
                MaintenanceSensor(coordinator, description)
                for description in MAINTENANCE_SENSORS
                if coordinator.maintenance.tracker.task(description.task.id)
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

    def _now_shown(self) -> Any:
        return (self.available, self.native_value)


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

    def _now_shown(self) -> Any:
        # State and attributes come from the decoded faults alone.
        return (self.available, self.coordinator.data.faults)


class FaultHistorySensor(HeatPumpCareEntity, SensorEntity):
    """A figure from the fault history (survives restarts)."""

    entity_description: FaultHistorySensorDescription

    def _now_shown(self) -> Any:
        return (self.available, self.native_value, self.extra_state_attributes)

    @property
    def native_value(self) -> StateType:
        """Return the figure as of now."""
        return self.entity_description.value_fn(
            self.coordinator.history.history, dt_util.utcnow()
        )

    @property
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """Return the details of the figure."""
        return self.entity_description.attributes_fn(self.coordinator.history.history)


@dataclass(frozen=True, kw_only=True)
class MaintenanceSensorDescription(SensorEntityDescription):
    """Describes the next-due sensor of one maintenance task."""

    task: TaskPreset


MAINTENANCE_SENSORS: tuple[MaintenanceSensorDescription, ...] = tuple(
    MaintenanceSensorDescription(
        key=f"maintenance_{preset.id}",
        translation_key=preset.id,
        device_class=SensorDeviceClass.TIMESTAMP,
        task=preset,
    )
    for preset in PRESETS
)


class MaintenanceSensor(HeatPumpCareEntity, SensorEntity):
    """When a maintenance task is next due, and why."""

    # Countdowns change with every poll; the recorder needs the due date only.
    _unrecorded_attributes = frozenset({"days_remaining", "run_hours_remaining"})
    entity_description: MaintenanceSensorDescription

    # Worked out once per update, not for the state and again for the attributes.
    _status: TaskStatus | None = None

    @callback
    def _handle_coordinator_update(self) -> None:
        self._status = None
        super()._handle_coordinator_update()

    def _now_shown(self) -> Any:
        # State and attributes are all read from the task's status.
        return (self.available, self._task_status())

    def _task_status(self) -> TaskStatus:
        if self._status is None:
            self._status = self.coordinator.maintenance.status(
                self.entity_description.task
            )
        return self._status

    @property
    def native_value(self) -> datetime:
        """The next due date."""
        return self._task_status().due

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """How the due date came about, for cards and templates."""
        status = self._task_status()
        return {
            "status": status.state,
            "reason": status.reason,
            "last_done": status.last_done.isoformat(),
            "last_note": status.last_note,
            "interval_days": status.settings.interval_days,
            "run_hours_interval": status.settings.run_hours,
            "lead_days": status.settings.lead_days,
            "days_remaining": status.days_remaining,
            "run_hours_remaining": status.run_hours_remaining,
            "fault_code": status.fault_code,
            "technician_required": status.preset.technician,
        }
