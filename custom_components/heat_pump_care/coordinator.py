"""Polls a heat pump gateway and turns each answer into decoded faults."""

from __future__ import annotations

from dataclasses import dataclass

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_HOST, CONF_PORT, CONF_TOKEN
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed

from .client import (
    GatewayAuthenticationError,
    GatewayError,
    GatewayNotFoundError,
    HeatPumpGatewayClient,
    HeatPumpSnapshot,
    Protocol,
)
from .const import (
    CONF_BRAND,
    CONF_DEVICE_ID,
    CONF_FAMILY,
    CONF_PROTOCOL,
    DOMAIN,
    LOGGER,
    SCAN_INTERVAL,
)
from .faults import DecodedFault, FaultChanges, FaultTracker
from .history_store import FaultHistoryManager
from .knowledge import Catalog
from .maintenance_manager import MaintenanceManager

type HeatPumpCareConfigEntry = ConfigEntry[HeatPumpCareCoordinator]


@dataclass(frozen=True, kw_only=True)
class HeatPumpCareData:
    """One successful poll: the snapshot and its decoded faults."""

    snapshot: HeatPumpSnapshot
    faults: tuple[DecodedFault, ...]
    changes: FaultChanges


class HeatPumpCareCoordinator(DataUpdateCoordinator[HeatPumpCareData]):
    """Fetch one heat pump's snapshot from its gateway."""

    config_entry: HeatPumpCareConfigEntry

    def __init__(
        self, hass: HomeAssistant, entry: HeatPumpCareConfigEntry, catalog: Catalog
    ) -> None:
        """Set up the client for the entry's gateway."""
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=f"{DOMAIN}_{entry.data[CONF_DEVICE_ID]}",
            update_interval=SCAN_INTERVAL,
        )
        self.client = HeatPumpGatewayClient(
            host=entry.data[CONF_HOST],
            port=entry.data[CONF_PORT],
            token=entry.data.get(CONF_TOKEN),
            session=async_get_clientsession(hass),
        )
        self.device_id: str = entry.data[CONF_DEVICE_ID]
        self.protocol = Protocol(entry.data[CONF_PROTOCOL])
        self.brand: str | None = entry.data.get(CONF_BRAND)
        self.family: str | None = entry.data.get(CONF_FAMILY)
        self.catalog = catalog
        self.tracker = FaultTracker(
            catalog=catalog, brand=self.brand, family=self.family
        )
        self.history = FaultHistoryManager(hass, entry.entry_id, entry.title)
        self.maintenance = MaintenanceManager(
            hass,
            entry.entry_id,
            entry.title,
            dict(entry.options),
            self.async_update_listeners,
        )

    async def _async_setup(self) -> None:
        """Read the fault history before the first poll adds to it."""
        await self.history.async_load()
        self.config_entry.async_on_unload(self.history.async_flush)
        await self.maintenance.async_load()
        self.config_entry.async_on_unload(self.maintenance.async_flush)

    async def _async_update_data(self) -> HeatPumpCareData:
        """Fetch and decode; map each client error to one Home Assistant error."""
        try:
            snapshot = await self.client.async_snapshot(self.device_id, self.protocol)
        except GatewayAuthenticationError as err:
            raise ConfigEntryAuthFailed(
                translation_domain=DOMAIN, translation_key="invalid_auth"
            ) from err
        except GatewayNotFoundError as err:
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="device_not_found",
                translation_placeholders={"device": self.device_id},
            ) from err
        except GatewayError as err:
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="update_failed",
                translation_placeholders={"error": str(err)},
            ) from err
        faults, changes = self.tracker.update(snapshot.state.faults)
        self.history.update(faults)
        self.maintenance.async_update(snapshot.state, faults)
        return HeatPumpCareData(snapshot=snapshot, faults=faults, changes=changes)
