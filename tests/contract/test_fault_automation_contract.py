"""The owner's path against the real simulator: notified, guided through the fix, recorded."""

from __future__ import annotations

from pathlib import Path
import shutil
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (
    async_mock_service,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.heat_pump_care.const import DOMAIN
from tests.helpers import poll, state_of

from .conftest import RunningSimulator, setup_simulated_aquarea

pytestmark = pytest.mark.usefixtures("enable_custom_integrations")

BLUEPRINTS = Path(__file__).parents[2] / "blueprints"


async def _fix(client: Any, issue_id: str) -> dict[str, Any]:
    """Go through a repair's fix flow as the frontend does, submitting every step."""
    response = await client.post(
        "/api/repairs/issues/fix", json={"handler": DOMAIN, "issue_id": issue_id}
    )
    result: dict[str, Any] = await response.json()
    while result["type"] == "form":
        response = await client.post(
            f"/api/repairs/issues/fix/{result['flow_id']}", json={}
        )
        result = await response.json()
    return result


async def test_notify_fix_and_record(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
    tmp_path: Path,
) -> None:
    """A simulator fault notifies with its meaning; its repair resets it; history has it."""
    hass.config.config_dir = str(tmp_path)
    shutil.copytree(BLUEPRINTS, tmp_path / "blueprints")
    notifications = async_mock_service(hass, "notify", "phone")
    assert await async_setup_component(hass, "repairs", {})
    entry = await setup_simulated_aquarea(hass, simulator)
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "use_blueprint": {
                    "path": "heat_pump_care/notify_fault.yaml",
                    "input": {
                        "fault_event": "event.aquarea_fault",
                        "notify_action": "notify.phone",
                    },
                }
            }
        },
    )

    await simulator.control("POST", "/api/v1/devices/aquarea/faults", {"code": "H62"})
    await poll(hass, freezer)
    assert len(notifications) == 1
    assert (
        "water flow switch has reported too little"
        in (notifications[0].data["message"])
    )

    issue_id = f"fault_{entry.entry_id}_H62"
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is not None
    result = await _fix(await hass_client(), issue_id)
    assert result["type"] == "create_entry"
    await hass.async_block_till_done(wait_background_tasks=True)

    device = await simulator.control("GET", "/api/v1/devices/aquarea")
    assert device["state"]["faults"] == []
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None
    assert state_of(hass, "sensor.aquarea_fault").state == "no_fault"
    last = state_of(hass, "sensor.aquarea_last_fault")
    assert last.state == "H62"
    assert last.attributes["cleared_at"] is not None
    assert state_of(hass, "sensor.aquarea_faults_in_the_last_30_days").state == "1"
