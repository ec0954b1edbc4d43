"""Keep one heat pump's fault history in Home Assistant's storage."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .const import DOMAIN, LOGGER
from .faults import DecodedFault
from .history import FaultHistory
from .maintenance_store import async_set_aside

STORAGE_VERSION = 1
ISSUE_HISTORY_UNREADABLE = "fault_history_unreadable"
# A raise and a clear in the same minute are written once.
SAVE_DELAY = 10


class _FaultHistoryStore(Store[dict[str, Any]]):
    """The stored history, versioned so a later format can migrate it."""

    async def _async_migrate_func(
        self, old_major_version: int, old_minor_version: int, old_data: dict[str, Any]
    ) -> dict[str, Any]:
        # Minor versions only add fields with defaults; a major change would convert here.
        if old_major_version > STORAGE_VERSION:
            raise ValueError(f"fault history format {old_major_version} is too new")
        return old_data


def _store_key(entry_id: str) -> str:
    return f"{DOMAIN}.fault_history.{entry_id}"


class FaultHistoryManager:
    """The history of one config entry: loaded at set-up, saved after each change."""

    def __init__(self, hass: HomeAssistant, entry_id: str, title: str) -> None:
        """Prepare the store; nothing is read until async_load."""
        self._hass = hass
        self._entry_id = entry_id
        self._title = title
        self._store = _FaultHistoryStore(hass, STORAGE_VERSION, _store_key(entry_id))
        self.history = FaultHistory()

    async def async_load(self) -> None:
        """Read the stored history; if it cannot be read, keep it aside and start empty.

        Only the fault history is lost, so set-up carries on; a repair issue (not fixable:
        there is only a backup to restore) says where the damaged file went. A file that is
        not even JSON is moved aside by Home Assistant itself, which hands us nothing.
        """
        try:
            data = await self._store.async_load()
            self.history = (
                FaultHistory() if data is None else FaultHistory.from_dict(data)
            )
        except (KeyError, TypeError, ValueError, AttributeError) as err:
            LOGGER.error("Fault history of %s is unreadable: %r", self._title, err)
            await async_set_aside(
                self._hass,
                self._store,
                issue_id=f"{ISSUE_HISTORY_UNREADABLE}_{self._entry_id}",
                translation_key=ISSUE_HISTORY_UNREADABLE,
                title=self._title,
                error=repr(err),
            )

    def update(self, faults: Iterable[DecodedFault]) -> None:
        """Record one poll's active faults."""
        if self.history.update(faults, dt_util.utcnow()):
            self._schedule_save()

    def acknowledge(self, code: str) -> None:
        """Acknowledge an active fault; an inactive one is left alone."""
        if self.history.acknowledge(code, dt_util.utcnow()):
            self._schedule_save()

    def as_dict(self) -> dict[str, Any]:
        """Return the history as stored and shown in diagnostics."""
        return self.history.to_dict(dt_util.utcnow())

    def _schedule_save(self) -> None:
        self._store.async_delay_save(self.as_dict, SAVE_DELAY)

    async def async_flush(self) -> None:
        """Write now, so a reload reads what this instance knew (last seen times included)."""
        await self._store.async_save(self.as_dict())


async def async_remove_history(hass: HomeAssistant, entry_id: str) -> None:
    """Delete the history of a removed config entry."""
    await Store[dict[str, Any]](
        hass, STORAGE_VERSION, _store_key(entry_id)
    ).async_remove()
