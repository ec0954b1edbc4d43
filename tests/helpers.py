"""Helpers shared by the test suites."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from homeassistant.core import HomeAssistant, State

FIXTURES = Path(__file__).parent / "fixtures"


def load_payload(name: str) -> Any:
    """A gateway payload captured from the simulator (see scripts/capture_fixtures)."""
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def state_of(hass: HomeAssistant, entity_id: str) -> State:
    """The entity's state, which must exist."""
    state = hass.states.get(entity_id)
    assert state is not None, f"{entity_id} has no state"
    return state
