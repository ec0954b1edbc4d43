"""Where each heat pump's maintenance history is kept, and recovery when it is unreadable."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .const import DOMAIN, LOGGER
from .maintenance import (
    MaintenanceDataError,
    MaintenanceTracker,
    TaskId,
    TaskSettings,
)
from .markup import escape_markdown

# 1.1: task records only. 1.2: snoozes and run hours counted from the compressor state.
STORAGE_VERSION = 1
STORAGE_MINOR_VERSION = 2
ISSUE_STORE_UNREADABLE = "maintenance_store_unreadable"


def storage_key(entry_id: str) -> str:
    """One file per config entry, so removing a heat pump removes only its history."""
    return f"{DOMAIN}.maintenance.{entry_id}"


def issue_id(entry_id: str) -> str:
    """Return the id of the issue raised when this entry's history is unreadable."""
    return f"{ISSUE_STORE_UNREADABLE}_{entry_id}"


class MaintenanceStore(Store[dict[str, Any]]):
    """The maintenance history of one heat pump, with its schema migrations."""

    def __init__(self, hass: HomeAssistant, entry_id: str) -> None:
        """Open the store of one config entry."""
        self.entry_id = entry_id
        super().__init__(
            hass,
            STORAGE_VERSION,
            storage_key(entry_id),
            minor_version=STORAGE_MINOR_VERSION,
        )

    async def _async_migrate_func(
        self,
        old_major_version: int,
        old_minor_version: int,
        old_data: dict[str, Any],
    ) -> dict[str, Any]:
        """Bring older layouts up to date; refuse what a newer release wrote."""
        if old_major_version > STORAGE_VERSION:
            raise MaintenanceDataError(
                f"written by a newer release (schema {old_major_version}.{old_minor_version})"
            )
        if old_minor_version >= STORAGE_MINOR_VERSION:
            # A newer minor version only adds fields; this release ignores them.
            return old_data
        try:
            return {
                **old_data,
                "counted_run_hours": 0.0,
                "tasks": {
                    task_id: {**history, "snoozed_until": None}
                    for task_id, history in old_data["tasks"].items()
                },
            }
        except (KeyError, TypeError, AttributeError) as err:
            raise MaintenanceDataError(f"unreadable 1.1 data: {err!r}") from err


def move_aside(path: Path, now: datetime) -> Path:
    """Rename an unreadable file so a fresh one can be written; return where it is now."""
    target = path.with_name(f"{path.name}.unreadable.{now.strftime('%Y%m%dT%H%M%S')}")
    try:
        path.rename(target)
    except FileNotFoundError:
        return path
    except OSError as err:
        LOGGER.warning("Could not move %s aside: %s", path, err)
        return path
    return target


async def async_set_aside(
    hass: HomeAssistant,
    store: Store[Any],
    *,
    issue_id: str,
    translation_key: str,
    title: str,
    error: str,
) -> None:
    """Move an unreadable store file aside and raise a repair issue saying where it went.

    Not fixable: there is only a backup to restore. The error may quote the file, whose
    codes came from a device, so every placeholder is escaped.
    """
    moved_to = await hass.async_add_executor_job(
        move_aside, Path(store.path), dt_util.utcnow()
    )
    ir.async_create_issue(
        hass,
        DOMAIN,
        issue_id,
        is_fixable=False,
        severity=ir.IssueSeverity.WARNING,
        translation_key=translation_key,
        translation_placeholders={
            "title": escape_markdown(title),
            "error": escape_markdown(error),
            "moved_to": escape_markdown(str(moved_to)),
        },
    )


async def async_load_tracker(
    hass: HomeAssistant,
    store: MaintenanceStore,
    settings: Mapping[TaskId, TaskSettings],
    title: str,
) -> MaintenanceTracker:
    """Load the history; if it cannot be read, keep it aside, tell the user, carry on.

    Only this heat pump's maintenance history is affected: it starts again from today.
    (A file that is not even JSON is moved aside by Home Assistant itself, which raises
    its own repair issue and hands us nothing.)
    """
    try:
        return MaintenanceTracker.from_dict(settings, await store.async_load())
    except (HomeAssistantError, MaintenanceDataError) as err:
        LOGGER.error("Maintenance history of %s is unreadable: %s", title, err)
        await async_set_aside(
            hass,
            store,
            issue_id=issue_id(store.entry_id),
            translation_key=ISSUE_STORE_UNREADABLE,
            title=title,
            error=str(err),
        )
        return MaintenanceTracker(settings=settings)
