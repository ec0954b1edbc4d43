"""Combined display codes (``A11/1010``) and codes made of zeros (IVT Rego alarm 0)."""

from __future__ import annotations

from pathlib import Path

import pytest

from custom_components.heat_pump_care.knowledge import (
    Catalog,
    is_no_fault,
    load_catalog,
)
from custom_components.heat_pump_care.knowledge.normalize import split_combined_code

from .conftest import WriteBrand, brand_file, code_entry


@pytest.fixture(name="combined")
def combined_fixture(data_dir: Path, write_brand: WriteBrand) -> Catalog:
    """A brand with cause codes, a display code and one stored combined code."""
    write_brand(
        brand_file(
            {
                "ems": {
                    "1010": code_entry(title="Cause 1010"),
                    "808": code_entry(title="Cause 808"),
                    "A11": code_entry(title="Display A11"),
                    "A01/808": code_entry(title="Combined A01/808"),
                },
                "other": {"1010": code_entry(title="Other 1010")},
            }
        )
    )
    write_brand(
        brand_file(
            {"series": {"A01": code_entry(title="Padded A01")}},
            brand="padded",
            strip_leading_zeros=True,
        ),
        "padded",
    )
    return load_catalog(data_dir)


def test_stored_combined_code_wins(combined: Catalog) -> None:
    """A combined code that is in the table is answered as it is, without a note."""
    info = combined.lookup("testbrand", "ems", " a01 / 808 ")
    assert info.found
    assert info.title == "Combined A01/808"
    assert info.note is None


def test_combined_code_uses_the_part_after_the_slash(combined: Catalog) -> None:
    """The cause code after the slash explains a combined code the table lacks."""
    info = combined.lookup("testbrand", "ems", "A11/1010")
    assert info.found
    assert info.code == "1010"
    assert info.title == "Cause 1010"
    assert info.family == "ems"
    assert info.note
    assert "A11/1010" in info.note
    assert "after the separator" in info.note
    # The stored entry is not changed by the answer.
    assert combined.lookup("testbrand", "ems", "1010").note is None


def test_combined_code_falls_back_to_the_part_before(combined: Catalog) -> None:
    """Without the cause code, the display code before the slash explains it."""
    info = combined.lookup("testbrand", "ems", "A11/9999")
    assert info.found
    assert info.title == "Display A11"
    assert info.note
    assert "before the separator" in info.note


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("A11/1010", ("A11", "1010")),
        (" A11 / 1010 ", ("A11", "1010")),
        ("A21(806)", ("A21", "806")),
        ("A21 (806)", ("A21", "806")),
        ("A11-3071", ("A11", "3071")),
        ("H11/1021", ("H11", "1021")),
        ("H-15", None),
        ("E-101", None),
        ("U4-01", None),
        ("E101", None),
        ("A11/", None),
        ("/1010", None),
        ("A/B/C", None),
        (163, None),
    ],
)
def test_split_combined_code(raw: str | int, expected: tuple[str, str] | None) -> None:
    """Slash, bracket and (display + cause number) dash forms split; plain codes do not."""
    assert split_combined_code(raw) == expected


@pytest.mark.parametrize("raw", ["A11-1010", "A11 (1010)", "a11/1010"])
def test_combined_code_other_spellings(combined: Catalog, raw: str) -> None:
    """EMS-ESP and displays write the pair with a dash or brackets too."""
    info = combined.lookup("testbrand", "ems", raw)
    assert info.found
    assert info.title == "Cause 1010"


def test_combined_code_stays_in_its_family(combined: Catalog) -> None:
    """The fallback only looks in the given family; unknown parts give an unknown code."""
    info = combined.lookup("testbrand", "other", "A11/808")
    assert not info.found
    assert info.code == "A11/808"
    assert info.family == "other"
    assert not combined.lookup("testbrand", "ems", "B22/9999").found
    assert not combined.lookup("testbrand", "ems", "/").found


def test_combined_code_brand_wide(combined: Catalog) -> None:
    """Without a family the brand-wide answer is used and both notes are kept."""
    info = combined.lookup("testbrand", None, "A11/1010")
    assert info.found
    assert info.family_uncertain
    assert info.family is None
    assert info.note
    assert "after the separator" in info.note
    assert "model family is not known" in info.note


def test_combined_code_with_padded_display(combined: Catalog) -> None:
    """Leading zeros are dropped in both parts for brands that pad their codes."""
    info = combined.lookup("padded", "series", "A1/77")
    assert info.found
    assert info.code == "A01"


def test_bundled_bosch_combined_display(catalog: Catalog) -> None:
    """An EMS plus display shows display code and cause code together."""
    info = catalog.lookup("bosch", "compress_ems", "A11/1010")
    assert info.found
    assert info.code == "1010"
    assert info.note
    assert catalog.lookup("bosch", "compress_ems", "A21 / 806").code == "806"


@pytest.mark.parametrize(
    ("raw", "zero_is_code", "expected"),
    [
        ("0", False, True),
        ("000", False, True),
        (0, False, True),
        ("0", True, False),
        (" 00 ", True, False),
        (0, True, False),
        ("", True, True),
        ("No error", True, True),
        (None, True, True),
        ("H62", True, False),
    ],
)
def test_is_no_fault_zero_is_code(
    raw: str | int | None, zero_is_code: bool, expected: bool
) -> None:
    """Zeros are "no fault" unless the caller says the controller numbers an alarm 0."""
    assert is_no_fault(raw, zero_is_code=zero_is_code) is expected


def test_catalog_is_no_fault_for_rego_alarm_zero(catalog: Catalog) -> None:
    """IVT Rego alarm 0 (GT1 sensor) is a fault; other Bosch families keep "0" as idle."""
    assert catalog.lookup("bosch", "ivt_rego6xx", "0").found
    assert not catalog.is_no_fault("bosch", "ivt_rego6xx", "0")
    assert not catalog.is_no_fault("Bosch", "IVT_REGO6XX", 0)
    assert catalog.is_no_fault("bosch", "ivt_rego6xx", "")
    assert catalog.is_no_fault("bosch", "ivt_rego6xx", "No error")
    assert catalog.is_no_fault("bosch", "compress_ems", "0")
    # Family unknown: not every Bosch family has an alarm 0, so "0" stays idle.
    assert catalog.is_no_fault("bosch", None, "0")
    assert catalog.is_no_fault("bosch", "not_a_family", "00")
    assert catalog.is_no_fault("panasonic", "aquarea", "0")
    assert catalog.is_no_fault(None, None, "0")
    assert catalog.is_no_fault("acme", None, "0")
    assert not catalog.is_no_fault("panasonic", "aquarea", "H62")


def test_catalog_is_no_fault_when_every_family_has_zero(
    data_dir: Path, write_brand: WriteBrand
) -> None:
    """Zeros are a code without a known family only if every family defines them."""
    write_brand(
        brand_file(
            {"a": {"0": code_entry()}, "b": {"0": code_entry(), "00": code_entry()}}
        )
    )
    catalog = load_catalog(data_dir)
    assert not catalog.is_no_fault("testbrand", None, "0")
    assert not catalog.is_no_fault("testbrand", "b", "00")
    # "00" is a code of family b only; without the family it stays idle.
    assert catalog.is_no_fault("testbrand", None, "00")
    assert catalog.is_no_fault("testbrand", "a", "00")


def test_combined_answers_are_cached_and_bounded(combined: Catalog) -> None:
    """Repeated combined lookups give equal answers; many distinct ones do not pile up."""
    first = combined.lookup("testbrand", "ems", "A11/1010")
    assert combined.lookup("testbrand", "ems", "A11/1010") is first
    for number in range(600):
        info = combined.lookup("testbrand", "ems", f"B{number}/1010")
        assert info.title == "Cause 1010"
        assert f"B{number}/1010" in (info.note or "")
    assert len(combined._combined_cache) <= 256
    assert combined.lookup("testbrand", "ems", "A11/1010") == first
