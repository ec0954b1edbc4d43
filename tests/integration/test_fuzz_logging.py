"""Garbage from the gateway, poll after poll: unavailable, one clear log line, no traceback.

The parsers refuse bad payloads with GatewayResponseError (tests/client/test_fuzz.py checks
that nothing else escapes them). Here the refusals come from the real parsers, each poll a
different kind of garbage, and the log must not grow a line (or a stack trace) per poll.
Complements test_sensor.test_unavailable_and_back (unreachable gateway) and
test_reliability (outages through the real client).
"""

from __future__ import annotations

from collections.abc import Iterator
import logging
import math
from typing import Any
from unittest.mock import MagicMock

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.heat_pump_care.client import (
    GatewayResponseError,
    HeatPumpSnapshot,
)
from custom_components.heat_pump_care.client.heishamon import parse_heishamon
from custom_components.heat_pump_care.client.models import parse_snapshot
from custom_components.heat_pump_care.const import LOGGER
from tests.helpers import load_payload, poll, state_of

FAULT = "sensor.aquarea_fault"
OUTDOOR = "sensor.aquarea_outdoor_temperature"


def _document(**state: Any) -> dict[str, Any]:
    """The captured device document with some state fields replaced."""
    document: dict[str, Any] = load_payload("device_aquarea.json")
    document["state"].update(state)
    return document


# Each poll answers with other garbage; the real parsers refuse every one of them.
GARBAGE: list[tuple[Any, str]] = [
    (_document(outdoor_temperature=math.nan), "outdoor_temperature"),
    (_document(outdoor_temperature=10**400), "outdoor_temperature"),
    (_document(faults=[{"code": 5}]), "'code' is not a string"),
    (_document(operating_mode="\u202e\x00"), "unknown operating mode"),
    ({**_document(), "id": "aquarea\n"}, "'id'"),
    ({**_document(), "time": "2026-01-15T06:00:00"}, "UTC offset"),
    ([[[[]]]], "not a JSON object"),
    ("\ud7ff" * 5000, "not a JSON object"),
]


def _refusals() -> Iterator[GatewayResponseError]:
    """The errors the parsers raise for GARBAGE, in order."""
    for payload, reason in GARBAGE:
        with pytest.raises(GatewayResponseError, match=reason) as refused:
            parse_snapshot(payload)
        yield refused.value
    with pytest.raises(GatewayResponseError) as refused:
        parse_heishamon({"heatpump": [{"Name": "Error", "Value": 10**400}]})
    yield refused.value


def _integration_lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    """What the integration logged at INFO or above."""
    return [
        record
        for record in caplog.records
        if record.name.startswith(LOGGER.name) and record.levelno >= logging.INFO
    ]


def _coordinator_entities(hass: HomeAssistant, entry: MockConfigEntry) -> list[str]:
    """The entry's sensors and binary sensors: all of them follow the polls."""
    return [
        entity.entity_id
        for entity in er.async_entries_for_config_entry(
            er.async_get(hass), entry.entry_id
        )
        if entity.domain in ("sensor", "binary_sensor")
        and hass.states.get(entity.entity_id) is not None
    ]


async def test_garbage_polls_log_once_then_recover(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    mock_gateway: MagicMock,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Nine polls of different garbage: unavailable, one error line, no traceback; one
    good answer brings every entity back with one recovery line."""
    entities = _coordinator_entities(hass, init_integration)
    assert FAULT in entities
    assert OUTDOOR in entities
    good: HeatPumpSnapshot = mock_gateway.async_snapshot.return_value
    refusals = list(_refusals())
    mock_gateway.async_snapshot.side_effect = refusals
    caplog.clear()

    for polls in range(1, len(refusals) + 1):
        await poll(hass, freezer)
        assert mock_gateway.async_snapshot.await_count == polls + 1
        unavailable = [
            entity_id
            for entity_id in entities
            if state_of(hass, entity_id).state == STATE_UNAVAILABLE
        ]
        assert unavailable == entities

    lost = _integration_lines(caplog)
    assert len(lost) == 1, [record.getMessage() for record in lost]
    assert lost[0].levelno == logging.ERROR
    assert "outdoor_temperature" in lost[0].getMessage()
    assert not [record for record in caplog.records if record.exc_info], caplog.text
    assert "Traceback" not in caplog.text

    mock_gateway.async_snapshot.side_effect = None
    mock_gateway.async_snapshot.return_value = good
    caplog.clear()
    await poll(hass, freezer)
    await poll(hass, freezer)
    assert state_of(hass, FAULT).state == "no_fault"
    assert not [
        entity_id
        for entity_id in entities
        if state_of(hass, entity_id).state == STATE_UNAVAILABLE
    ]
    back = _integration_lines(caplog)
    assert len(back) == 1, [record.getMessage() for record in back]
    assert "recovered" in back[0].getMessage()
    assert "Traceback" not in caplog.text
