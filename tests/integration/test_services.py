"""The lookup_code action."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.setup import async_setup_component
import pytest

from custom_components.heat_pump_care.const import DOMAIN


@pytest.fixture(autouse=True)
async def setup_integration(hass: HomeAssistant) -> None:
    """Actions exist as soon as the integration is loaded, before any heat pump."""
    assert await async_setup_component(hass, DOMAIN, {})


async def _lookup(hass: HomeAssistant, **data: str) -> dict[str, object]:
    response = await hass.services.async_call(
        DOMAIN, "lookup_code", data, blocking=True, return_response=True
    )
    assert response is not None
    return dict(response)


async def test_lookup_known_code(hass: HomeAssistant) -> None:
    """A known code with its family: meaning, severity, steps, technician flag, source."""
    entry = await _lookup(hass, brand="daikin", family="altherma", code="u-4")
    assert entry["found"] is True
    assert entry["code"] == "U4"
    assert entry["family"] == "altherma"
    assert entry["family_uncertain"] is False
    assert entry["title"]
    assert entry["severity"] in {"info", "warning", "critical"}
    assert isinstance(entry["technician_required"], bool)
    assert entry["source"]
    steps = entry["steps"]
    assert isinstance(steps, list)
    assert steps[0]["section"] == "safety_first"


async def test_lookup_without_family(hass: HomeAssistant) -> None:
    """Without a family the code is found brand-wide, flagged as possibly different."""
    entry = await _lookup(hass, brand="Daikin", code="U4")
    assert entry["found"] is True
    assert entry["family_uncertain"] is True


async def test_lookup_unknown_code(hass: HomeAssistant) -> None:
    """An unknown code is still answered, with safe generic steps."""
    entry = await _lookup(hass, brand="panasonic", code="ZZ9")
    assert entry["found"] is False
    assert "ZZ9" in str(entry["title"])
    assert entry["steps"]


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"brand": "acme", "code": "E1"}, "unknown_brand"),
        ({"brand": "daikin", "family": "toaster", "code": "U4"}, "unknown_family"),
    ],
)
async def test_lookup_bad_input(
    hass: HomeAssistant, data: dict[str, str], key: str
) -> None:
    """Unknown brands and families are translated validation errors."""
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN, "lookup_code", data, blocking=True, return_response=True
        )
    assert err.value.translation_key == key
    # The same call with valid input then works.
    assert (await _lookup(hass, brand="daikin", code="U4"))["found"] is True
