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
CONF_SOURCE: Final = "source"
CONF_PROFILE: Final = "profile"
CONF_TOPIC: Final = "topic"
CONF_CODE_KEY: Final = "code_key"
CONF_RUN_HOURS_KEY: Final = "run_hours_key"
CONF_COMPRESSOR_KEY: Final = "compressor_key"
CONF_ENTITY: Final = "entity"

SOURCE_HTTP: Final = "http"
SOURCE_MQTT: Final = "mqtt"
SOURCE_ENTITY: Final = "entity"

DEFAULT_PORT: Final = 80
# Faults are what owners care about; a local gateway copes with a poll every 15 s.
SCAN_INTERVAL: Final = timedelta(seconds=15)
# How long set-up waits for a pushed source's first message (retained ones come at once).
FIRST_MESSAGE_TIMEOUT: Final = 10.0

EVENT_FAULT_RAISED: Final = "fault_raised"
EVENT_FAULT_CLEARED: Final = "fault_cleared"
EVENT_MAINTENANCE_DUE: Final = "maintenance_due"
