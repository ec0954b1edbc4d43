"""Decode the faults of successive snapshots and tell which were raised or cleared.

Works on snapshots only, so every source (HTTP gateway, MQTT, another entity) shares it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .client import ActiveFault
from .knowledge import Catalog, FaultInfo, normalize_code

_SEVERITY_RANK = {"critical": 0, "warning": 1, "info": 2}


@dataclass(frozen=True, kw_only=True)
class DecodedFault:
    """An active fault with what the knowledge base says about it."""

    fault: ActiveFault
    info: FaultInfo

    @property
    def code(self) -> str:
        """The code as the knowledge base spells it (or as the device sent it)."""
        return self.info.code


@dataclass(frozen=True, kw_only=True)
class FaultChanges:
    """Faults that appeared and disappeared between two snapshots."""

    raised: tuple[DecodedFault, ...] = ()
    cleared: tuple[DecodedFault, ...] = ()


@dataclass(kw_only=True)
class FaultTracker:
    """Remember the active faults of one heat pump across snapshots."""

    catalog: Catalog
    brand: str | None
    family: str | None
    _active: dict[str, DecodedFault] | None = field(default=None, init=False)

    def decode(self, fault: ActiveFault) -> DecodedFault:
        """Decode one fault for this heat pump's brand and family."""
        return DecodedFault(
            fault=fault, info=self.catalog.lookup(self.brand, self.family, fault.code)
        )

    def update(
        self, faults: Iterable[ActiveFault]
    ) -> tuple[tuple[DecodedFault, ...], FaultChanges]:
        """Decode the active faults, most severe first, and diff them with the last call.

        Values meaning "no fault" for this pump ("No error", usually "0") are dropped.
        The first call only sets the baseline: faults already active when Home Assistant
        starts are shown but not announced again as raised.
        """
        active: dict[str, DecodedFault] = {}
        for fault in faults:
            if not self.catalog.is_no_fault(self.brand, self.family, fault.code):
                active.setdefault(normalize_code(fault.code), self.decode(fault))
        previous, self._active = self._active, active
        ordered = tuple(
            sorted(
                active.values(),
                key=lambda item: _SEVERITY_RANK.get(
                    item.info.severity, len(_SEVERITY_RANK)
                ),
            )
        )
        if previous is None:
            return ordered, FaultChanges()
        return ordered, FaultChanges(
            raised=tuple(item for key, item in active.items() if key not in previous),
            cleared=tuple(item for key, item in previous.items() if key not in active),
        )
