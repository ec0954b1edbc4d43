"""Fault history of one heat pump: how often each code was raised, when, and for how long.

Plain Python on decoded faults and times, so it can be tested alone and stored as JSON. It works
out raises and clears itself, from the active faults it is given and those it remembers, so a
fault that cleared while Home Assistant was stopped is still closed on the next start.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from .faults import DecodedFault

# Bounds so the history cannot grow without limit: the codes seen most recently, and raise
# times within a year (enough for "how often this winter") with a cap for a flapping sensor.
MAX_CODES = 50
RETENTION = timedelta(days=365)
MAX_OCCURRENCES = 500


def _time(value: str) -> datetime:
    time = datetime.fromisoformat(value)
    # A naive time would only fail later, when compared with an aware one.
    if time.tzinfo is None:
        raise ValueError(f"{value} has no time zone")
    return time


def _optional_time(value: str | None) -> datetime | None:
    return None if value is None else _time(value)


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


@dataclass(kw_only=True)
class FaultRecord:
    """Everything remembered about one code."""

    code: str
    title: str
    severity: str
    count: int
    first_seen: datetime
    last_raised: datetime
    last_seen: datetime
    last_cleared: datetime | None = None
    active_since: datetime | None = None
    acknowledged_at: datetime | None = None
    """When the owner acknowledged the current occurrence; reset by the next raise."""
    cleared_seconds: float = 0.0
    """Active time of the occurrences that have ended."""
    occurrences: list[datetime] = field(default_factory=list)
    """Raise times within the retention period, oldest first."""

    @property
    def active(self) -> bool:
        """Whether the fault is active now."""
        return self.active_since is not None

    def active_duration(self, now: datetime) -> timedelta:
        """Total time the fault has been active, including a running occurrence."""
        running = now - self.active_since if self.active_since else timedelta()
        return timedelta(seconds=self.cleared_seconds) + running

    def to_dict(self, now: datetime) -> dict[str, Any]:
        """Return a JSON-ready dict; the duration is also given for readers."""
        return {
            "code": self.code,
            "title": self.title,
            "severity": self.severity,
            "count": self.count,
            "first_seen": self.first_seen.isoformat(),
            "last_raised": self.last_raised.isoformat(),
            "last_seen": self.last_seen.isoformat(),
            "last_cleared": _iso(self.last_cleared),
            "active_since": _iso(self.active_since),
            "acknowledged_at": _iso(self.acknowledged_at),
            "cleared_seconds": self.cleared_seconds,
            "total_active_seconds": self.active_duration(now).total_seconds(),
            "occurrences": [time.isoformat() for time in self.occurrences],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FaultRecord:
        """Rebuild a record; raises KeyError, TypeError or ValueError on a damaged one."""
        return cls(
            code=str(data["code"]),
            title=str(data["title"]),
            severity=str(data["severity"]),
            count=int(data["count"]),
            first_seen=_time(data["first_seen"]),
            last_raised=_time(data["last_raised"]),
            last_seen=_time(data["last_seen"]),
            last_cleared=_optional_time(data["last_cleared"]),
            active_since=_optional_time(data["active_since"]),
            acknowledged_at=_optional_time(data["acknowledged_at"]),
            cleared_seconds=float(data["cleared_seconds"]),
            occurrences=sorted(_time(time) for time in data["occurrences"]),
        )


class FaultHistory:
    """Per-code records of one heat pump, bounded in codes and in time."""

    def __init__(self, records: Iterable[FaultRecord] = ()) -> None:
        """Start from stored records (or none)."""
        self._records = {record.code: record for record in records}

    @property
    def records(self) -> list[FaultRecord]:
        """The records, most recently raised first."""
        return sorted(
            self._records.values(), key=lambda record: record.last_raised, reverse=True
        )

    def get(self, code: str) -> FaultRecord | None:
        """Return the record of one code, if it was ever seen."""
        return self._records.get(code)

    @property
    def last(self) -> FaultRecord | None:
        """The most recently raised fault."""
        return max(
            self._records.values(),
            key=lambda record: record.last_raised,
            default=None,
        )

    def count_since(self, since: datetime) -> int:
        """How many faults were raised since a moment."""
        return sum(
            len(record.occurrences) - bisect_left(record.occurrences, since)
            for record in self._records.values()
        )

    def update(self, faults: Iterable[DecodedFault], now: datetime) -> bool:
        """Record the active faults of one poll; tell whether a fault was raised or cleared."""
        active = {item.code: item for item in faults}
        changed = False
        for code, item in active.items():
            record = self._records.get(code)
            if record is None or not record.active:
                self._raise(item, now)
                changed = True
            else:
                record.last_seen = now
        for record in self._records.values():
            if record.active_since is not None and record.code not in active:
                record.cleared_seconds += (now - record.active_since).total_seconds()
                record.active_since = None
                record.last_cleared = now
                changed = True
        if changed:
            self._prune(now)
        return changed

    def acknowledge(self, code: str, now: datetime) -> bool:
        """Mark an active fault as seen by the owner; False if it is not active."""
        record = self._records.get(code)
        if record is None or not record.active:
            return False
        record.acknowledged_at = now
        return True

    def is_acknowledged(self, code: str) -> bool:
        """Whether the current occurrence of a fault was acknowledged."""
        record = self._records.get(code)
        return record is not None and record.acknowledged_at is not None

    def _raise(self, item: DecodedFault, now: datetime) -> None:
        record = self._records.get(item.code)
        if record is None:
            record = self._records[item.code] = FaultRecord(
                code=item.code,
                title=item.info.title,
                severity=item.info.severity.value,
                count=0,
                first_seen=now,
                last_raised=now,
                last_seen=now,
            )
        # The knowledge base may have improved since the code was first seen.
        record.title, record.severity = item.info.title, item.info.severity.value
        record.count += 1
        record.last_raised = record.last_seen = record.active_since = now
        record.acknowledged_at = None
        # Kept in order even if the clock was set back, for count_since's bisection.
        insort(record.occurrences, now)

    def _prune(self, now: datetime) -> None:
        horizon = now - RETENTION
        for record in self._records.values():
            recent = [time for time in record.occurrences if time >= horizon]
            record.occurrences = recent[-MAX_OCCURRENCES:]
        # Active faults are never forgotten, whatever their age.
        keep = [record for record in self.records if record.active]
        keep += [record for record in self.records if not record.active]
        self._records = {record.code: record for record in keep[:MAX_CODES]}

    def to_dict(self, now: datetime) -> dict[str, Any]:
        """Return a JSON-ready dict (storage and diagnostics)."""
        return {"records": [record.to_dict(now) for record in self.records]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FaultHistory:
        """Rebuild from storage; raises KeyError, TypeError or ValueError on damage."""
        return cls(FaultRecord.from_dict(record) for record in data["records"])
