"""The pure model: clock, weather, compressor, defrost, filter, faults, scenarios."""

from __future__ import annotations

from datetime import UTC, datetime
import json
from pathlib import Path
import time
from typing import Any

import pytest

from simulator.model import (
    CLOG_THRESHOLD,
    CYCLE_SECONDS,
    DEFAULT_DEVICES,
    DeviceConfig,
    ModelError,
    NotFoundError,
    Simulator,
    normalize_code,
    parse_devices,
    parse_duration,
    parse_scenario,
    with_overrides,
)

DAY = 86400.0
DEMO = Path(__file__).resolve().parents[2] / "simulator" / "scenarios" / "demo.json"


def codes(sim: Simulator, device_id: str) -> list[str]:
    return [f.code for f in sim.state(device_id).faults]


def demo_scenario() -> Any:
    return parse_scenario(json.loads(DEMO.read_text(encoding="utf-8")))


# --------------------------------------------------------------------------- parsing


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        (0, 0.0),
        (90, 90.0),
        (1.5, 1.5),
        ("PT2M", 120.0),
        ("PT30S", 30.0),
        ("pt1h30m", 5400.0),
        ("P90D", 90 * DAY),
        ("P1W", 7 * DAY),
        ("P1DT6H", 1.25 * DAY),
        ("PT0.5S", 0.5),
    ],
)
def test_parse_duration(value: object, seconds: float) -> None:
    assert parse_duration(value) == seconds


@pytest.mark.parametrize(
    "value",
    [
        "",
        "P",
        "PT",
        "P1DT",
        "P1Y",
        "P2M",
        "90",
        "-PT1M",
        "PT-1M",
        "soon",
        -1,
        True,
        None,
        [],
        float("nan"),
        float("inf"),
    ],
)
def test_parse_duration_rejects(value: object) -> None:
    with pytest.raises(ModelError) as err:
        parse_duration(value)
    assert err.value.slug == "invalid_duration"


def test_normalize_code_only_strips_and_upper_cases() -> None:
    assert normalize_code("  h15 ") == "H15"
    assert normalize_code("u4-01") == "U4-01"
    assert normalize_code("7h") == "7H"
    for bad in ["", "   ", "H 15", "A\x00", 15, None, "X" * 33]:
        with pytest.raises(ModelError):
            normalize_code(bad)


def test_parse_devices_allows_unknown_brand_and_no_run_hours() -> None:
    configs = parse_devices(
        {
            "devices": [
                {
                    "id": "mystery",
                    "serial": "X-1",
                    "brand": None,
                    "family": None,
                    "run_hours": None,
                    "dhw": False,
                }
            ]
        }
    )
    sim = Simulator(configs, speed=0)
    doc = sim.device_document("mystery")
    assert doc["brand"] is None
    assert doc["family"] is None
    assert doc["name"] is None
    assert doc["state"]["compressor_run_hours"] is None
    assert doc["state"]["dhw_temperature"] is None
    assert doc["state"]["operating_mode"] == "heat"
    sim.advance(10 * DAY)
    assert sim.device_document("mystery")["state"]["compressor_run_hours"] is None


@pytest.mark.parametrize(
    "document",
    [
        None,
        [],
        {"devices": []},
        {"devices": ["aquarea"]},
        {"devices": [{"serial": "S"}]},
        {"devices": [{"id": "bad id", "serial": "S"}]},
        {"devices": [{"id": "a", "serial": ""}]},
        {"devices": [{"id": "a", "serial": "S", "brand": "Panasonic"}]},
        {"devices": [{"id": "a", "serial": "S", "run_hours": "many"}]},
        {"devices": [{"id": "a", "serial": "S", "filter_clog": 2}]},
        {"devices": [{"id": "a", "serial": "S", "dhw": "yes"}]},
        {"devices": [{"id": "a", "serial": "S", "colour": "red"}]},
        {"devices": [{"id": "a", "serial": "S"}, {"id": "a", "serial": "T"}]},
    ],
)
def test_parse_devices_rejects(document: object) -> None:
    with pytest.raises(ModelError) as err:
        parse_devices(document)
    assert err.value.slug == "invalid_devices"


# --------------------------------------------------------------------------- clock and model


def test_defaults() -> None:
    sim = Simulator(speed=0)
    assert sim.devices_document() == {
        "devices": [
            {"id": "aquarea", "serial": "SIM-AQ-0001", "brand": "panasonic", "family": "aquarea",
             "model": "WH-MDC05J3E5", "firmware": "1.4.2", "name": "Aquarea"},
            {"id": "altherma", "serial": "SIM-DK-0001", "brand": "daikin", "family": "altherma",
             "model": "ERGA04EV", "firmware": "2.1.0", "name": "Altherma"},
        ]
    }  # fmt: skip
    doc = sim.device_document("aquarea")
    assert doc["time"] == "2026-01-15T06:00:00+00:00"
    assert doc["state"]["faults"] == []
    assert doc["simulation"]["filter_clog"] == DEFAULT_DEVICES[0].filter_clog


def test_same_seed_and_jumps_give_the_same_documents() -> None:
    first, second = Simulator(seed=7, speed=0), Simulator(seed=7, speed=0)
    for jump in (60, 3600, 5 * DAY, 17.5):
        first.advance(jump)
        second.advance(jump)
        for device_id in first.devices:
            assert first.device_document(device_id) == second.device_document(device_id)


def test_other_seed_gives_other_weather() -> None:
    temperatures = {
        seed: [
            Simulator(seed=seed, speed=0)
            .devices["aquarea"]
            .outdoor_temperature(h * 3600.0)
            for h in range(48)
        ]
        for seed in (1, 2)
    }
    assert temperatures[1] != temperatures[2]


def test_result_does_not_depend_on_how_time_is_chopped() -> None:
    whole, chopped = Simulator(seed=3, speed=0), Simulator(seed=3, speed=0)
    whole.advance(2 * DAY)
    for _ in range(2 * 24 * 6):
        chopped.advance(600)
    a, b = whole.device_document("aquarea"), chopped.device_document("aquarea")
    assert a["time"] == b["time"]
    assert a["state"]["compressor_run_hours"] == pytest.approx(
        b["state"]["compressor_run_hours"], abs=0.01
    )
    assert a["simulation"]["filter_clog"] == pytest.approx(
        b["simulation"]["filter_clog"], abs=1e-4
    )
    assert a["state"]["outdoor_temperature"] == b["state"]["outdoor_temperature"]


def test_steps_cut_at_cycle_boundaries_give_exactly_the_figures_of_one_jump() -> None:
    # Either way each cycle's run is counted in one piece: not even the rounding differs.
    whole, stepped = Simulator(seed=3, speed=0), Simulator(seed=3, speed=0)
    whole.advance(10 * DAY)
    for _ in range(10 * 48):
        stepped.advance(CYCLE_SECONDS)
    for device_id, device in whole.devices.items():
        assert stepped.devices[device_id].run_hours == device.run_hours
        assert stepped.devices[device_id].filter_clog == device.filter_clog
    assert whole.devices["aquarea"].run_hours == 1709.8565615294092


def test_minute_steps_give_the_exact_figures_of_the_model() -> None:
    # Pinned from the model as it was before its short cuts for short steps, so that they
    # stay short cuts: a minute's run is counted as the cycle loop counted it.
    jump, minutes = Simulator(speed=0), Simulator(speed=0)
    jump.advance(7 * DAY)
    for _ in range(7 * 24 * 60):
        minutes.advance(60)
    aquarea = minutes.devices["aquarea"]
    assert aquarea.run_hours == jump.devices["aquarea"].run_hours == 1663.3397366843715
    assert aquarea.filter_clog == 0.4594497805701551
    # Counted in other pieces, the clog differs from one jump's in the last digits only.
    assert jump.devices["aquarea"].filter_clog == 0.45944978057030955
    assert minutes.devices["altherma"].filter_clog == 0.20196427451697907


def test_clog_fault_is_dated_by_the_step_or_run_that_passed_the_threshold() -> None:
    jump, minutes = Simulator(speed=0), Simulator(speed=0)
    jump.advance(40 * DAY)
    for _ in range(40 * 24 * 60):
        minutes.advance(60)
    # The minute the clog passed 0.9 in; one jump can only tell the run it passed it in.
    assert [f.as_dict() for f in minutes.devices["aquarea"].faults.values()] == [
        {
            "code": "H62",
            "description": "Low water flow: filter clogged",
            "since": "2026-02-22T12:01:00+00:00",
        }
    ]
    assert jump.device_document("aquarea")["state"]["faults"][0]["since"] == (
        "2026-02-22T12:15:56+00:00"
    )
    assert codes(minutes, "altherma") == codes(jump, "altherma") == []


def test_clock_advance_moves_run_hours_and_filter_clog() -> None:
    sim = Simulator(speed=0)
    before = sim.device_document("aquarea")
    sim.advance(7 * DAY)
    after = sim.device_document("aquarea")
    assert after["time"] == "2026-01-22T06:00:00+00:00"
    gained = (
        after["state"]["compressor_run_hours"] - before["state"]["compressor_run_hours"]
    )
    # January: the compressor runs most of the time, but never more than the wall of time.
    assert 7 * 24 * 0.4 < gained <= 7 * 24
    assert after["simulation"]["filter_clog"] > before["simulation"]["filter_clog"]


def test_months_are_simulated_quickly() -> None:
    sim = Simulator(speed=0, scenario=demo_scenario())
    began = time.perf_counter()
    sim.advance(180 * DAY)
    assert time.perf_counter() - began < 2.0
    assert sim.clock_document()["time"] == "2026-07-14T06:00:00+00:00"


def test_jump_limits() -> None:
    sim = Simulator(speed=0)
    with pytest.raises(ModelError):
        sim.advance(-1)
    with pytest.raises(ModelError) as err:
        sim.advance(4000 * DAY)
    assert err.value.slug == "jump_too_large"


def test_wall_clock_times_speed() -> None:
    wall = [100.0]
    sim = Simulator(speed=60, monotonic=lambda: wall[0])
    wall[0] += 2.0
    assert sim.clock_document()["elapsed_seconds"] == 120
    sim.advance(30)  # the jump adds to where the wall clock had got
    assert sim.clock_document()["elapsed_seconds"] == 150
    wall[0] += 1.0
    assert sim.clock_document()["elapsed_seconds"] == 210


def test_frozen_clock_does_not_move() -> None:
    wall = [0.0]
    sim = Simulator(speed=0, monotonic=lambda: wall[0])
    wall[0] += 1000
    assert sim.clock_document()["elapsed_seconds"] == 0


def test_compressor_cycles_and_defrosts_in_cold_weather() -> None:
    sim = Simulator(speed=0)
    samples = []
    for _ in range(24 * 60):
        sim.advance(60)
        samples.append(sim.state("aquarea"))
    assert any(s.compressor_running for s in samples)
    assert any(not s.compressor_running for s in samples)
    defrosts = [s for s in samples if s.defrosting]
    assert defrosts, "a cold January day must bring defrost cycles"
    assert all(s.compressor_running and s.outdoor_temperature < 6 for s in defrosts)
    for s in samples:
        assert (s.compressor_frequency > 0) == s.compressor_running
        if s.compressor_running and not s.defrosting:
            assert s.flow_temperature > s.return_temperature


def test_no_defrost_in_summer() -> None:
    sim = Simulator(speed=0, start=datetime(2026, 7, 15, 0, 0, tzinfo=UTC))
    for _ in range(24 * 12):
        sim.advance(300)
        assert not sim.state("aquarea").defrosting


def test_clogged_filter_raises_its_fault_once_and_cleaning_rearms() -> None:
    sim = Simulator(speed=0)
    sim.advance(90 * DAY)
    doc = sim.device_document("aquarea")
    assert doc["simulation"]["filter_clog"] >= CLOG_THRESHOLD
    assert doc["simulation"]["filter_clogged"] is True
    assert [f["code"] for f in doc["state"]["faults"]] == ["H62"]
    assert codes(sim, "altherma") == ["7H"]
    sim.reset("aquarea")
    sim.advance(DAY)
    assert codes(sim, "aquarea") == []  # still clogged, but raised once per clogging
    sim.clean_filter("aquarea")
    assert sim.device_document("aquarea")["simulation"]["filter_clog"] == 0
    sim.advance(300 * DAY)  # through summer into the next heating season
    assert codes(sim, "aquarea") == ["H62"]


def test_no_clog_fault_when_none_configured() -> None:
    config = with_overrides(DEFAULT_DEVICES[0], clog_fault=None, filter_clog=0.89)
    sim = Simulator([config], speed=0)
    sim.advance(30 * DAY)
    assert sim.device_document("aquarea")["simulation"]["filter_clogged"] is True
    assert codes(sim, "aquarea") == []


def test_faults_raise_clear_reset() -> None:
    sim = Simulator(speed=0)
    assert sim.raise_fault("aquarea", " h15 ", "Sensor") is True
    sim.advance(60)
    assert sim.raise_fault("aquarea", "H15") is False  # already active: since is kept
    sim.raise_fault("aquarea", "F12")
    faults = sim.device_document("aquarea")["state"]["faults"]
    assert faults == [
        {"code": "H15", "description": "Sensor", "since": "2026-01-15T06:00:00+00:00"},
        {"code": "F12", "since": "2026-01-15T06:01:00+00:00"},
    ]
    sim.clear_fault("aquarea", "h15")
    assert codes(sim, "aquarea") == ["F12"]
    with pytest.raises(NotFoundError):
        sim.clear_fault("aquarea", "H15")
    assert sim.reset("aquarea") == 1
    assert codes(sim, "aquarea") == []
    with pytest.raises(NotFoundError):
        sim.raise_fault("nope", "H15")
    with pytest.raises(ModelError):
        sim.raise_fault("aquarea", "H15", 42)


# --------------------------------------------------------------------------- scenarios


def test_demo_scenario_fires_as_time_passes() -> None:
    sim = Simulator(speed=0, scenario=demo_scenario())
    sim.advance(29)
    assert codes(sim, "aquarea") == []
    sim.advance(2)
    faults = sim.device_document("aquarea")["state"]["faults"]
    assert faults == [
        {
            "code": "H15",
            "description": "Outdoor compressor temperature sensor",
            "since": "2026-01-15T06:00:30+00:00",
        }
    ]
    sim.advance(30)
    assert codes(sim, "altherma") == ["U4"]
    sim.advance(120)  # 181 s
    assert codes(sim, "aquarea") == []
    assert codes(sim, "altherma") == ["U4"]
    sim.advance(60)  # 241 s
    assert codes(sim, "aquarea") == ["F12"]
    assert codes(sim, "altherma") == []


def test_events_fire_across_a_jump_with_their_own_times() -> None:
    scenario = parse_scenario(
        {"events": [
            {"at": "PT1M", "device": "aquarea", "raise": "H15"},
            {"at": 120, "device": "altherma", "raise": "U4"},
            {"at": 180, "device": "aquarea", "clear": "H15"},
        ]}
    )  # fmt: skip
    sim = Simulator(speed=0, scenario=scenario)
    sim.advance(DAY)
    assert codes(sim, "aquarea") == []
    assert sim.device_document("altherma")["state"]["faults"] == [
        {"code": "U4", "since": "2026-01-15T06:02:00+00:00"}
    ]
    assert [(f.action, f.code) for f in sim.fired] == [
        ("raise", "H15"),
        ("raise", "U4"),
        ("clear", "H15"),
    ]


def test_looping_jump_matches_stepping_through() -> None:
    scenario = parse_scenario(
        {"loop": 600, "events": [
            {"at": 10, "device": "aquarea", "raise": "H15"},
            {"at": 100, "device": "altherma", "raise": "A5"},
            {"at": 200, "device": "aquarea", "clear": "H15"},
            {"at": 300, "device": "aquarea", "raise": "F12"},
            {"at": 400, "device": "altherma", "reset": True},
            {"at": 500, "device": "aquarea", "raise": "H15"},
        ]}
    )  # fmt: skip
    jumped = Simulator(speed=0, scenario=scenario)
    stepped = Simulator(speed=0, scenario=scenario)
    jumped.advance(18 * 600 + 150)  # 150 s into the 19th pass
    for _ in range((18 * 600 + 150) // 50):
        stepped.advance(50)
    for device_id in ("aquarea", "altherma"):
        a, b = jumped.device_document(device_id), stepped.device_document(device_id)
        assert a["state"]["faults"] == b["state"]["faults"]
    # F12 stays from the first pass; H15 is raised again in every pass.
    assert jumped.device_document("aquarea")["state"]["faults"] == [
        {"code": "F12", "since": "2026-01-15T06:05:00+00:00"},
        {"code": "H15", "since": "2026-01-15T08:58:20+00:00"},
    ]


def test_scenario_loaded_later_counts_from_then() -> None:
    sim = Simulator(speed=0)
    sim.advance(1000)
    sim.load_scenario(parse_scenario({"events": [{"at": 0, "device": "aquarea", "raise": "H15"},
                                                 {"at": 5, "device": "aquarea", "clean_filter": True}]}))  # fmt: skip
    assert (
        sim.device_document("aquarea")["state"]["faults"][0]["since"]
        == "2026-01-15T06:16:40+00:00"
    )
    sim.advance(5)
    assert sim.device_document("aquarea")["simulation"]["filter_clog"] == 0
    assert sim.scenario_document()["loaded"] is True


@pytest.mark.parametrize(
    "document",
    [
        None,
        {"events": {}},
        {"events": [], "extra": 1},
        {"events": ["x"]},
        {"events": [{"at": 1, "device": "aquarea"}]},
        {"events": [{"at": 1, "device": "aquarea", "raise": "H15", "clear": "H15"}]},
        {"events": [{"device": "aquarea", "raise": "H15"}]},
        {"events": [{"at": "soon", "device": "aquarea", "raise": "H15"}]},
        {"events": [{"at": 1, "device": 5, "raise": "H15"}]},
        {"events": [{"at": 1, "device": "aquarea", "raise": ""}]},
        {"events": [{"at": 1, "device": "aquarea", "reset": "yes"}]},
        {"events": [{"at": 1, "device": "aquarea", "raise": "H15", "when": 2}]},
        {"events": [{"at": 700, "device": "aquarea", "raise": "H15"}], "loop": 600},
        {"events": [], "loop": "P1Y"},
        {"events": [], "loop": 0},
    ],
)
def test_parse_scenario_rejects(document: object) -> None:
    with pytest.raises(ModelError) as err:
        parse_scenario(document)
    assert err.value.slug == "invalid_scenario"


def test_scenario_with_unknown_device_is_refused() -> None:
    scenario = parse_scenario(
        {"events": [{"at": 1, "device": "ghost", "raise": "H15"}]}
    )
    with pytest.raises(ModelError) as err:
        Simulator(speed=0, scenario=scenario)
    assert err.value.slug == "invalid_scenario"


def test_device_config_defaults() -> None:
    config = DeviceConfig(id="x", serial="S")
    assert config.brand is None
    assert config.run_hours == 0.0
