"""Gets a heat pump's snapshots (polled or pushed) and turns each into decoded faults."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_HOST, CONF_PORT, CONF_TOKEN
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed

from .client import (
    GatewayAuthenticationError,
    GatewayError,
    GatewayNotFoundError,
    GatewayUnsupportedError,
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
    FIRST_MESSAGE_TIMEOUT,
    LOGGER,
    SCAN_INTERVAL,
)
from .faults import DecodedFault, FaultChanges, FaultTracker
from .history_store import FaultHistoryManager
from .knowledge import Catalog
from .maintenance_manager import MaintenanceManager
from .sources import PushSource, create_push_source

type HeatPumpCareConfigEntry = ConfigEntry[HeatPumpCareCoordinator]

# A pushed source's first burst has ended once nothing new came for PUSH_SETTLE seconds.
PUSH_SETTLE = 0.05
PUSH_SETTLE_MAX = 1.0


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
        """Set up the entry's source: a polled gateway, or a push source."""
        self.push: PushSource | None = create_push_source(
            hass, dict(entry.data), entry.title
        )
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=f"{DOMAIN}_{entry.data[CONF_DEVICE_ID]}"
            if CONF_DEVICE_ID in entry.data
            else entry.title,
            # Pushed snapshots arrive by themselves; only a gateway is polled.
            update_interval=None if self.push else SCAN_INTERVAL,
        )
        self.client: HeatPumpGatewayClient | None = None
        self.device_id: str | None = entry.data.get(CONF_DEVICE_ID)
        self.protocol = Protocol(entry.data[CONF_PROTOCOL])
        if self.push is None:
            self.client = HeatPumpGatewayClient(
                host=entry.data[CONF_HOST],
                port=entry.data[CONF_PORT],
                token=entry.data.get(CONF_TOKEN),
                session=async_get_clientsession(hass),
            )
        self._pushed: HeatPumpSnapshot | None = None
        self._push_error: str | None = None
        # The first pushed snapshot, which the first refresh waits for.
        self._first_push: asyncio.Future[HeatPumpSnapshot] = hass.loop.create_future()
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
        """Read the stored history, then start listening to a push source."""
        await self.history.async_load()
        self.config_entry.async_on_unload(self.history.async_flush)
        await self.maintenance.async_load()
        self.config_entry.async_on_unload(self.maintenance.async_flush)
        if self.push is not None:
            self.config_entry.async_on_unload(
                await self.push.async_start(self._async_pushed, self._async_push_error)
            )

    @callback
    def _async_pushed(self, snapshot: HeatPumpSnapshot) -> None:
        """Decode a pushed snapshot at once: a fault must not wait for a poll."""
        self._pushed = snapshot
        if not self._first_push.done():
            # The first refresh is waiting for this and does the decoding.
            self._first_push.set_result(snapshot)
            return
        self.async_set_updated_data(self._process(snapshot))

    @callback
    def _async_push_error(self, error: str) -> None:
        """Mark the entities unavailable; the coordinator logs once until data is back."""
        if self._pushed is None:
            # Keep waiting: a garbled retained topic may come before a good one.
            self._push_error = error
            return
        self.async_set_update_error(
            UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="bad_message",
                translation_placeholders={"error": error},
            )
        )

    async def _async_update_data(self) -> HeatPumpCareData:
        """Fetch (or, for a push source, wait for) a snapshot and decode it."""
        if self.client is None or self.device_id is None:
            return self._process(await self._async_first_push())
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
        return self._process(snapshot)

    async def _async_first_push(self) -> HeatPumpSnapshot:
        """Wait for the first pushed snapshot; without one, set-up is retried later."""
        try:
            async with asyncio.timeout(FIRST_MESSAGE_TIMEOUT):
                latest = await self._first_push
        except TimeoutError as err:
            if self._push_error is not None:
                raise UpdateFailed(
                    translation_domain=DOMAIN,
                    translation_key="bad_message",
                    translation_placeholders={"error": self._push_error},
                ) from err
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="no_message",
                translation_placeholders={
                    "source": self.push.description if self.push else ""
                },
            ) from err
        # Retained topics arrive as a burst, one value each (HeishaMon): let it end, so the
        # entities are made knowing every value the gateway has.
        loop = asyncio.get_running_loop()
        deadline = loop.time() + PUSH_SETTLE_MAX
        while loop.time() < deadline:
            await asyncio.sleep(PUSH_SETTLE)
            current = self._pushed
            if current is None or current == latest:
                break
            latest = current
        return latest

    def _process(self, snapshot: HeatPumpSnapshot) -> HeatPumpCareData:
        faults, changes = self.tracker.update(snapshot.state.faults)
        self.history.update(faults)
        self.maintenance.async_update(snapshot.state, faults)
        return HeatPumpCareData(snapshot=snapshot, faults=faults, changes=changes)

    async def async_reset_device(self) -> None:
        """Press the heat pump's reset through its gateway."""
        if self.client is None or self.device_id is None:
            raise GatewayUnsupportedError(
                f"a {self.protocol} source cannot reset faults"
            )
        await self.client.async_reset(self.device_id, self.protocol)
