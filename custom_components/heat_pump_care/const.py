"""Constants for Heat Pump Care."""

from datetime import timedelta
import logging
from typing import Final

DOMAIN: Final = "heat_pump_care"
LOGGER = logging.getLogger(__package__)

CONF_DEVICE_ID: Final = "device_id"
CONF_PROTOCOL: Final = "protocol"
CONF_BRAND: Final = "brand"
CONF_FAMILY: Final = "family"
CONF_MODEL: Final = "model"

DEFAULT_PORT: Final = 80
# Faults are what owners care about; a local gateway copes with a poll every 15 s.
SCAN_INTERVAL: Final = timedelta(seconds=15)

EVENT_FAULT_RAISED: Final = "fault_raised"
EVENT_FAULT_CLEARED: Final = "fault_cleared"
EVENT_MAINTENANCE_DUE: Final = "maintenance_due"
