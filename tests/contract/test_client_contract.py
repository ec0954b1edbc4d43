"""The integration's client against the real simulator: the two meet only here."""

from __future__ import annotations

import aiohttp
import pytest

from custom_components.heat_pump_care.client import (
    GatewayAuthenticationError,
    GatewayNotFoundError,
    GatewayUnsupportedError,
    HeatPumpGatewayClient,
    OperatingMode,
    Protocol,
)
from custom_components.heat_pump_care.client.heishamon import parse_heishamon
from custom_components.heat_pump_care.knowledge import load_default_catalog

from .conftest import TOKEN, RunningSimulator


def _client(
    simulator: RunningSimulator, token: str | None = TOKEN
) -> HeatPumpGatewayClient:
    return HeatPumpGatewayClient(
        host="127.0.0.1", port=simulator.port, token=token, session=simulator.session
    )


async def test_every_device_parses(simulator: RunningSimulator) -> None:
    """Each simulated pump parses, reports its identity, and its brand is in the glossary."""
    client = _client(simulator)
    devices = await client.async_devices()
    assert {device.id for device in devices} == {"aquarea", "altherma"}
    catalog = load_default_catalog()
    for device in devices:
        assert device.serial
        assert device.family in {
            family.slug for family in catalog.families(device.brand or "")
        }
        snapshot = await client.async_snapshot(device.id)
        assert snapshot.device == device
        state = snapshot.state
        assert isinstance(state.operating_mode, OperatingMode)
        for value in (
            state.outdoor_temperature,
            state.flow_temperature,
            state.return_temperature,
            state.compressor_frequency,
            state.compressor_run_hours,
        ):
            assert isinstance(value, float)
        assert isinstance(state.compressor_running, bool)
        assert isinstance(state.defrosting, bool)


async def test_faults_raise_clear_reset(simulator: RunningSimulator) -> None:
    """Faults raised through the control API show up, decode, and clear."""
    client = _client(simulator)
    catalog = load_default_catalog()
    await simulator.control("POST", "/api/v1/devices/aquarea/faults", {"code": "h15"})
    await simulator.control("POST", "/api/v1/devices/altherma/faults", {"code": "U4"})

    aquarea = await client.async_snapshot("aquarea")
    assert [fault.code for fault in aquarea.state.faults] == ["H15"]
    assert catalog.lookup("panasonic", "aquarea", aquarea.state.faults[0].code).found
    altherma = await client.async_snapshot("altherma")
    assert catalog.lookup("daikin", "altherma", altherma.state.faults[0].code).found

    await simulator.control("DELETE", "/api/v1/devices/aquarea/faults/H15")
    assert (await client.async_snapshot("aquarea")).state.faults == ()
    await simulator.control("POST", "/api/v1/devices/altherma/reset")
    assert (await client.async_snapshot("altherma")).state.faults == ()


async def test_clock_moves_run_hours(simulator: RunningSimulator) -> None:
    """Advancing the simulated clock adds compressor run time."""
    client = _client(simulator)
    before = (await client.async_snapshot("aquarea")).state.compressor_run_hours
    await simulator.control("POST", "/api/v1/clock", {"days": 30})
    after = (await client.async_snapshot("aquarea")).state.compressor_run_hours
    assert before is not None
    assert after is not None
    assert after > before


@pytest.mark.parametrize("style", ["current", "legacy"])
async def test_heishamon_shape(simulator: RunningSimulator, style: str) -> None:
    """The HeishaMon endpoint parses in both value styles and carries the fault."""
    await simulator.control("POST", "/api/v1/devices/aquarea/faults", {"code": "H62"})
    snapshot = parse_heishamon(await simulator.control("GET", f"/json?style={style}"))
    assert [fault.code for fault in snapshot.state.faults] == ["H62"]
    assert snapshot.state.outdoor_temperature is not None
    assert snapshot.state.compressor_run_hours is not None


async def test_heishamon_protocol_end_to_end(simulator: RunningSimulator) -> None:
    """Through the public calls: the simulator's /json is read as a HeishaMon pump."""
    client = _client(simulator)
    snapshot = await client.async_snapshot("heishamon", Protocol.HEISHAMON)
    assert snapshot.device.brand == "panasonic"
    # Passed on as shown; the knowledge base reads it as no fault.
    assert [fault.code for fault in snapshot.state.faults] == ["No error"]
    assert load_default_catalog().is_no_fault("panasonic", "aquarea", "No error")


async def test_token_is_enforced(simulator: RunningSimulator) -> None:
    """A wrong or missing token is an authentication error; the right one works."""
    for token in ("wrong", None):
        with pytest.raises(GatewayAuthenticationError):
            await _client(simulator, token).async_devices()
    assert await _client(simulator).async_devices()


async def test_unknown_device(simulator: RunningSimulator) -> None:
    """A device the gateway does not serve."""
    with pytest.raises(GatewayNotFoundError):
        await _client(simulator).async_snapshot("nope")


async def test_bad_control_requests_are_4xx(simulator: RunningSimulator) -> None:
    """The simulator answers bad requests with a 4xx and a message."""
    async with simulator.session.post(
        simulator.base_url + "/api/v1/devices/aquarea/faults",
        data="{not json",
        headers={"Authorization": f"Bearer {TOKEN}"},
    ) as response:
        assert response.status == 400
        body = await response.json()
        assert body["error"]
        assert body["message"]
    with pytest.raises(aiohttp.ClientResponseError):
        await simulator.control("DELETE", "/api/v1/devices/aquarea/faults/H99")


async def test_reset_clears_faults(simulator: RunningSimulator) -> None:
    """The client's reset clears the simulator's faults; HeishaMon has none to offer."""
    client = _client(simulator)
    await simulator.control("POST", "/api/v1/devices/aquarea/faults", {"code": "H62"})
    assert (await client.async_snapshot("aquarea")).state.faults

    after = await client.async_reset("aquarea")
    assert after.state.faults == ()
    assert (await client.async_snapshot("aquarea")).state.faults == ()
    with pytest.raises(GatewayNotFoundError):
        await client.async_reset("nope")
    with pytest.raises(GatewayUnsupportedError):
        await client.async_reset("heishamon", Protocol.HEISHAMON)
