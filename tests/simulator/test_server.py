"""The HTTP face: gateway protocol, HeishaMon /json, control API, errors and the token."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import ClientSession
from aiohttp.test_utils import TestClient
import pytest

from simulator import Simulator, start_simulator
from simulator.model import parse_devices

from .conftest import MakeClient

type Client = TestClient[Any, Any]

TOKEN = "s3cret"

IDENTITY_KEYS = {"id", "serial", "brand", "family", "model", "firmware", "name"}
STATE_KEYS = {
    "operating_mode",
    "outdoor_temperature",
    "flow_temperature",
    "return_temperature",
    "dhw_temperature",
    "compressor_running",
    "compressor_frequency",
    "compressor_run_hours",
    "defrosting",
    "faults",
}


async def expect_error(response: Any, status: int, slug: str) -> None:
    assert response.status == status, await response.text()
    body = await response.json()
    assert body["error"] == slug
    assert isinstance(body["message"], str)
    assert body["message"]


# --------------------------------------------------------------------------- gateway protocol


async def test_health(client: Client) -> None:
    response = await client.get("/api/v1/health")
    assert response.status == 200
    assert await response.json() == {"status": "ok"}


async def test_devices(client: Client) -> None:
    response = await client.get("/api/v1/devices")
    assert response.status == 200
    assert response.content_type == "application/json"
    devices = (await response.json())["devices"]
    assert [d["id"] for d in devices] == ["aquarea", "altherma"]
    assert all(set(d) == IDENTITY_KEYS for d in devices)


async def test_device_document(client: Client) -> None:
    response = await client.get("/api/v1/devices/aquarea")
    assert response.status == 200
    doc = await response.json()
    assert IDENTITY_KEYS | {"time", "state", "simulation"} == set(doc)
    assert set(doc["state"]) == STATE_KEYS
    assert doc["serial"] == "SIM-AQ-0001"
    assert doc["time"] == "2026-01-15T06:00:00+00:00"
    state = doc["state"]
    assert state["operating_mode"] == "heat_dhw"
    assert isinstance(state["compressor_running"], bool)
    assert isinstance(state["defrosting"], bool)
    assert isinstance(state["compressor_run_hours"], float)
    assert state["faults"] == []
    assert doc["simulation"]["filter_clog_threshold"] == 0.9


async def test_unknown_device(client: Client) -> None:
    await expect_error(await client.get("/api/v1/devices/ghost"), 404, "unknown_device")
    await expect_error(
        await client.post("/api/v1/devices/ghost/reset"), 404, "unknown_device"
    )
    await expect_error(
        await client.post("/api/v1/devices/ghost/faults", json={"code": "H15"}),
        404,
        "unknown_device",
    )
    await expect_error(
        await client.delete("/api/v1/devices/ghost/faults/H15"), 404, "unknown_device"
    )
    await expect_error(
        await client.post("/api/v1/devices/ghost/filter/clean"), 404, "unknown_device"
    )
    await expect_error(await client.get("/json?device=ghost"), 404, "unknown_device")


async def test_unknown_route_and_method(client: Client) -> None:
    await expect_error(await client.get("/api/v2/devices"), 404, "not_found")
    await expect_error(await client.get("/"), 404, "not_found")
    response = await client.put("/api/v1/clock")
    await expect_error(response, 405, "method_not_allowed")
    assert "POST" in response.headers["Allow"]


# --------------------------------------------------------------------------- faults


async def test_raise_clear_and_reset_faults(client: Client, sim: Simulator) -> None:
    response = await client.post(
        "/api/v1/devices/aquarea/faults",
        json={"code": " h15 ", "description": "<b>Sensor</b>"},
    )
    assert response.status == 201
    doc = await response.json()
    assert doc["state"]["faults"] == [
        {
            "code": "H15",
            "description": "<b>Sensor</b>",
            "since": "2026-01-15T06:00:00+00:00",
        }
    ]
    # Raising an active fault again changes nothing.
    again = await client.post("/api/v1/devices/aquarea/faults", json={"code": "H15"})
    assert again.status == 200
    assert (await again.json())["state"]["faults"] == doc["state"]["faults"]

    sim.advance(60)
    await client.post("/api/v1/devices/aquarea/faults", json={"code": "F12"})
    response = await client.delete("/api/v1/devices/aquarea/faults/h15")
    assert response.status == 200
    assert [f["code"] for f in (await response.json())["state"]["faults"]] == ["F12"]
    await expect_error(
        await client.delete("/api/v1/devices/aquarea/faults/H15"),
        404,
        "fault_not_active",
    )

    response = await client.post("/api/v1/devices/aquarea/reset")
    assert response.status == 200
    assert (await response.json())["state"]["faults"] == []
    # Reset with nothing active is fine too.
    assert (await client.post("/api/v1/devices/aquarea/reset")).status == 200


async def test_codes_with_odd_characters_round_trip(client: Client) -> None:
    await client.post("/api/v1/devices/altherma/faults", json={"code": "u4-01"})
    response = await client.delete("/api/v1/devices/altherma/faults/U4-01")
    assert response.status == 200


@pytest.mark.parametrize(
    ("body", "slug"),
    [
        ("not json", "invalid_json"),
        ("", "invalid_json"),
        ('{"code": NaN}', "invalid_json"),
        ("[1, 2]", "invalid_body"),
        ('"H15"', "invalid_body"),
        ("{}", "invalid_code"),
        ('{"code": 15}', "invalid_code"),
        ('{"code": ""}', "invalid_code"),
        ('{"code": "H 15"}', "invalid_code"),
        ('{"code": "H15", "description": 3}', "invalid_description"),
        ('{"code": "H15", "severity": "high"}', "unknown_field"),
    ],
)
async def test_raise_fault_bad_requests(client: Client, body: str, slug: str) -> None:
    response = await client.post("/api/v1/devices/aquarea/faults", data=body)
    await expect_error(response, 400, slug)


async def test_body_that_is_not_utf8(client: Client) -> None:
    response = await client.post(
        "/api/v1/devices/aquarea/faults",
        data=b"\xff\xfe{",
        headers={"Content-Type": "application/json; charset=utf-8"},
    )
    await expect_error(response, 400, "invalid_json")


async def test_filter_clean(client: Client, sim: Simulator) -> None:
    sim.advance(10 * 86400)
    before = (await (await client.get("/api/v1/devices/aquarea")).json())["simulation"][
        "filter_clog"
    ]
    assert before > 0
    response = await client.post("/api/v1/devices/aquarea/filter/clean")
    assert response.status == 200
    assert (await response.json())["simulation"]["filter_clog"] == 0


# --------------------------------------------------------------------------- clock and scenario


async def test_clock(client: Client) -> None:
    response = await client.get("/api/v1/clock")
    assert await response.json() == {
        "start": "2026-01-15T06:00:00+00:00",
        "time": "2026-01-15T06:00:00+00:00",
        "elapsed_seconds": 0.0,
        "speed": 0.0,
    }
    for body, time in [
        ({"seconds": 30}, "2026-01-15T06:00:30+00:00"),
        ({"minutes": 1.5}, "2026-01-15T06:02:00+00:00"),
        ({"hours": 1}, "2026-01-15T07:02:00+00:00"),
        ({"days": 1}, "2026-01-16T07:02:00+00:00"),
        ({"duration": "P90D"}, "2026-04-16T07:02:00+00:00"),
        ({"duration": "PT58M"}, "2026-04-16T08:00:00+00:00"),
    ]:
        response = await client.post("/api/v1/clock", json=body)
        assert response.status == 200
        assert (await response.json())["time"] == time
    doc = await (await client.get("/api/v1/devices/aquarea")).json()
    assert doc["time"] == "2026-04-16T08:00:00+00:00"


@pytest.mark.parametrize(
    ("body", "slug"),
    [
        ({}, "invalid_duration"),
        ({"seconds": 1, "days": 1}, "invalid_duration"),
        ({"seconds": -5}, "invalid_duration"),
        ({"seconds": "30"}, "invalid_duration"),
        ({"seconds": True}, "invalid_duration"),
        ({"seconds": None}, "invalid_duration"),
        ({"duration": 30}, "invalid_duration"),
        ({"duration": "P1Y"}, "invalid_duration"),
        ({"duration": "tomorrow"}, "invalid_duration"),
        ({"days": 5000}, "jump_too_large"),
        ({"weeks": 1}, "unknown_field"),
    ],
)
async def test_clock_bad_requests(
    client: Client, body: dict[str, Any], slug: str
) -> None:
    await expect_error(await client.post("/api/v1/clock", json=body), 400, slug)


async def test_clock_bad_json(client: Client) -> None:
    await expect_error(
        await client.post("/api/v1/clock", data="{"), 400, "invalid_json"
    )
    await expect_error(
        await client.post("/api/v1/clock", data='{"seconds": Infinity}'),
        400,
        "invalid_json",
    )


async def test_scenario_loaded_at_runtime_fires_on_clock_jump(client: Client) -> None:
    assert (await (await client.get("/api/v1/scenario")).json())["loaded"] is False
    scenario = {
        "events": [
            {"at": "PT30S", "device": "aquarea", "raise": "H15"},
            {
                "at": 60,
                "device": "altherma",
                "raise": "U4",
                "description": "Communication",
            },
            {"at": 150, "device": "aquarea", "clear": "H15"},
        ]
    }
    response = await client.post("/api/v1/scenario", json=scenario)
    assert response.status == 200
    assert (await response.json())["events"] == 3
    await client.post("/api/v1/clock", json={"seconds": 90})
    aquarea = await (await client.get("/api/v1/devices/aquarea")).json()
    altherma = await (await client.get("/api/v1/devices/altherma")).json()
    assert [f["code"] for f in aquarea["state"]["faults"]] == ["H15"]
    assert altherma["state"]["faults"] == [
        {
            "code": "U4",
            "description": "Communication",
            "since": "2026-01-15T06:01:00+00:00",
        }
    ]
    await client.post("/api/v1/clock", json={"seconds": 90})
    aquarea = await (await client.get("/api/v1/devices/aquarea")).json()
    assert aquarea["state"]["faults"] == []
    recent = (await (await client.get("/api/v1/scenario")).json())["recent"]
    assert [(e["device"], e["action"], e["code"]) for e in recent] == [
        ("aquarea", "raise", "H15"),
        ("altherma", "raise", "U4"),
        ("aquarea", "clear", "H15"),
    ]


@pytest.mark.parametrize(
    "body",
    [
        {"events": [{"at": 1, "device": "ghost", "raise": "H15"}]},
        {"events": [{"at": "whenever", "device": "aquarea", "raise": "H15"}]},
        {"nothing": []},
        [],
    ],
)
async def test_scenario_bad_requests(client: Client, body: Any) -> None:
    await expect_error(
        await client.post("/api/v1/scenario", json=body),
        400,
        "invalid_scenario" if isinstance(body, dict) else "invalid_body",
    )


# --------------------------------------------------------------------------- HeishaMon


async def test_heishamon_json_shape(client: Client, sim: Simulator) -> None:
    sim.raise_fault("aquarea", "H15")
    response = await client.get("/json")
    assert response.status == 200
    topics = (await response.json())["heatpump"]
    assert all(set(t) == {"Topic", "Name", "Value", "Description"} for t in topics)
    by_name = {t["Name"]: t for t in topics}
    expected_numbers = {
        "Heatpump_State": 0,
        "Operating_Mode_State": 4,
        "Main_Inlet_Temp": 5,
        "Main_Outlet_Temp": 6,
        "Compressor_Freq": 8,
        "DHW_Temp": 10,
        "Operations_Hours": 11,
        "Outside_Temp": 14,
        "Defrosting_State": 26,
        "Error": 44,
    }
    for name, number in expected_numbers.items():
        assert by_name[name]["Topic"] == f"TOP{number}"
    numbers = [int(t["Topic"].removeprefix("TOP")) for t in topics]
    assert numbers == sorted(numbers)
    assert by_name["Heatpump_State"]["Value"] == 1
    assert by_name["Heatpump_State"]["Description"] == "On"
    assert by_name["Operating_Mode_State"]["Description"] == "Heat+DHW"
    assert by_name["Error"] == {
        "Topic": "TOP44",
        "Name": "Error",
        "Value": "H15",
        "Description": "Error",
    }
    assert by_name["Heat_Pump_Model"]["Value"] == "WH-MDC05J3E5"
    assert by_name["Main_Outlet_Temp"]["Description"] == "°C"
    state = sim.state("aquarea")
    assert by_name["Operations_Hours"]["Value"] == int(state.compressor_run_hours or 0)
    assert (by_name["Compressor_Freq"]["Value"] > 0) == state.compressor_running
    assert by_name["Defrosting_State"]["Value"] == int(state.defrosting)
    assert abs(by_name["Main_Outlet_Temp"]["Value"] - state.flow_temperature) <= 0.125
    assert (by_name["Main_Outlet_Temp"]["Value"] * 4) % 1 == 0  # quarter degrees
    assert isinstance(by_name["Outside_Temp"]["Value"], int)


async def test_heishamon_without_error_and_legacy_strings(client: Client) -> None:
    topics = (await (await client.get("/json?device=aquarea&style=legacy")).json())[
        "heatpump"
    ]
    assert all(isinstance(t["Value"], str) for t in topics)
    by_name = {t["Name"]: t for t in topics}
    assert by_name["Error"]["Value"] == "No error"
    assert by_name["Heatpump_State"]["Value"] == "1"
    assert by_name["Outside_Temp"]["Description"] == "&deg;C"
    float(by_name["Main_Inlet_Temp"]["Value"])
    await expect_error(await client.get("/json?style=fancy"), 400, "invalid_style")


async def test_heishamon_style_default_can_be_legacy(make_client: MakeClient) -> None:
    client = await make_client(heishamon_style="legacy")
    topics = (await (await client.get("/json")).json())["heatpump"]
    assert all(isinstance(t["Value"], str) for t in topics)


async def test_heishamon_needs_a_panasonic_or_a_device(make_client: MakeClient) -> None:
    configs = parse_devices(
        {"devices": [{"id": "plain", "serial": "P-1", "run_hours": None, "dhw": False}]}
    )
    client = await make_client(Simulator(configs, speed=0))
    await expect_error(await client.get("/json"), 404, "no_heishamon_device")
    topics = (await (await client.get("/json?device=plain")).json())["heatpump"]
    names = {t["Name"] for t in topics}
    assert "Operations_Hours" not in names  # the pump does not count run time
    assert "DHW_Temp" not in names
    assert "Heat_Pump_Model" not in names


# --------------------------------------------------------------------------- token


async def test_token_required_when_set(make_client: MakeClient) -> None:
    client = await make_client(token=TOKEN)
    for method, path in [
        ("GET", "/api/v1/devices"),
        ("GET", "/api/v1/devices/aquarea"),
        ("POST", "/api/v1/devices/aquarea/reset"),
        ("GET", "/api/v1/clock"),
        ("GET", "/json"),
        ("GET", "/api/v1/devices/ghost"),  # no hint whether a device exists
    ]:
        for headers in (
            {},
            {"Authorization": "Bearer wrong"},
            {"Authorization": TOKEN},
        ):
            response = await client.request(method, path, headers=headers)
            await expect_error(response, 401, "unauthorized")
            assert response.headers["WWW-Authenticate"] == "Bearer"
    ok = {"Authorization": f"Bearer {TOKEN}"}
    assert (await client.get("/api/v1/devices", headers=ok)).status == 200
    assert (await client.get("/json", headers=ok)).status == 200
    assert (await client.get("/api/v1/health")).status == 200


# --------------------------------------------------------------------------- helper for other suites


async def test_start_simulator_helper() -> None:
    runner, base_url, sim = await start_simulator(speed=0, seed=5, token=TOKEN)
    try:
        assert base_url.startswith("http://127.0.0.1:")
        assert sim.seed == 5
        async with ClientSession() as session:
            async with session.get(f"{base_url}/api/v1/health") as response:
                assert response.status == 200
            async with session.get(
                f"{base_url}/api/v1/devices/aquarea",
                headers={"Authorization": f"Bearer {TOKEN}"},
            ) as response:
                doc = json.loads(await response.text())
        assert doc["id"] == "aquarea"
    finally:
        await runner.cleanup()


async def test_start_simulator_refuses_sim_and_options() -> None:
    with pytest.raises(TypeError):
        await start_simulator(sim=Simulator(speed=0), seed=1)
