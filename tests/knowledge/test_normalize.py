"""Code normalisation and "no fault" recognition."""

from __future__ import annotations

import pytest

from custom_components.heat_pump_care.knowledge import is_no_fault, normalize_code


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("h15", "H15"),
        (" H-15 ", "H15"),
        ("F.685", "F685"),
        ("F685", "F685"),
        ("f 685", "F685"),
        ("E-101", "E101"),
        ("E101", "E101"),
        ("u_4", "U4"),
        ("CH 05", "CH05"),
        (163, "163"),
        ("", ""),
    ],
)
def test_normalize_code(raw: str | int, expected: str) -> None:
    """Case and separators do not matter; zeros stay without the option."""
    assert normalize_code(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("CH 05", "CH5"),
        ("CH05", "CH5"),
        ("ch-5", "CH5"),
        ("E101", "E101"),
        ("E-0101", "E101"),
        ("100", "100"),
        ("007", "7"),
        ("0", "0"),
    ],
)
def test_normalize_code_strip_leading_zeros(raw: str, expected: str) -> None:
    """Leading zeros of every digit run go; zeros inside a number stay."""
    assert normalize_code(raw, strip_leading_zeros=True) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "0",
        "00",
        "000",
        0,
        "No error",
        "no ERROR",
        "  Normal ",
        "none",
        "OK",
        "ok",
        None,
        "No  fault",
        "-",
        "\tnull\n",
    ],
)
def test_is_no_fault(raw: str | int | None) -> None:
    """Idle values gateways send are not faults."""
    assert is_no_fault(raw)


@pytest.mark.parametrize(
    "raw", ["H62", "E1", "U4", "01", "10", "Error", "no", "F.685", 163]
)
def test_is_a_fault(raw: str | int) -> None:
    """Real codes are never mistaken for "no fault"."""
    assert not is_no_fault(raw)
