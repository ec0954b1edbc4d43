"""The fault tracker decides, per brand, which gateway values mean "no fault"."""

from __future__ import annotations

import pytest

from custom_components.heat_pump_care.client import ActiveFault
from custom_components.heat_pump_care.faults import FaultTracker
from custom_components.heat_pump_care.knowledge import load_default_catalog


@pytest.mark.parametrize(
    ("brand", "family", "values", "expected"),
    [
        ("panasonic", "aquarea", ["No error"], []),
        ("panasonic", "aquarea", ["0", "", "H62", "h62"], ["H62"]),
        ("daikin", "altherma", ["0", "U4"], ["U4"]),
        # IVT Rego 600 numbers its alarms from 0: there "0" is the GT1 sensor.
        ("bosch", "ivt_rego6xx", ["0"], ["0"]),
        ("bosch", "compress_ems", ["0"], []),
    ],
)
def test_no_fault_values_dropped(
    brand: str, family: str, values: list[str], expected: list[str]
) -> None:
    """Idle values are dropped; a real code survives, once."""
    tracker = FaultTracker(catalog=load_default_catalog(), brand=brand, family=family)
    faults, _ = tracker.update(ActiveFault(code=value) for value in values)
    assert [item.fault.code for item in faults] == expected
