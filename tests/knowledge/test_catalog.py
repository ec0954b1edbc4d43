"""Lookups: family-specific, brand-wide fallback and unknown codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from custom_components.heat_pump_care.knowledge import (
    Catalog,
    Severity,
    load_catalog,
    load_default_catalog,
)

from .conftest import WriteBrand, brand_file, code_entry

UNKNOWN_SECTIONS = [
    "safety_first",
    "diagnose",
    "know_your_model",
    "call_a_professional",
]


@pytest.fixture(name="two_families")
def two_families_fixture(data_dir: Path, write_brand: WriteBrand) -> Catalog:
    """A brand whose families share one code with different meanings and one alike."""
    write_brand(
        brand_file(
            {
                "beta": {
                    "E1": code_entry(title="Beta meaning", meaning="Beta."),
                    "E2": code_entry(title="Same", meaning="Same."),
                },
                "alpha": {
                    "E-1": code_entry(title="Alpha meaning", meaning="Alpha."),
                    "E2": code_entry(title="Same", meaning="Same."),
                    "A7": code_entry(),
                },
            }
        )
    )
    write_brand(
        brand_file(
            {"series": {"CH05": code_entry(title="Padded code")}},
            brand="padded",
            strip_leading_zeros=True,
        ),
        "padded",
    )
    return load_catalog(data_dir)


def test_family_specific(catalog: Catalog) -> None:
    """A code in the given family is answered from that family."""
    info = catalog.lookup("panasonic", "aquarea", " h-62 ")
    assert info.found
    assert info.code == "H62"
    assert info.brand == "panasonic"
    assert info.family == "aquarea"
    assert not info.family_uncertain
    assert info.note is None
    assert info.severity is Severity.CRITICAL
    assert info.steps[0].section == "safety_first"
    assert info.steps[0].section_title == "Safety first"
    assert info.source


def test_brand_and_family_spelling_is_tolerated(catalog: Catalog) -> None:
    """Gateways send display names or upper case."""
    assert catalog.lookup("Panasonic", "AQUAREA", "H62").family == "aquarea"


def test_brand_wide_without_family(catalog: Catalog) -> None:
    """Without a family the code is found brand-wide and flagged uncertain."""
    info = catalog.lookup("panasonic", None, "h62")
    assert info.found
    assert info.family is None
    assert info.family_uncertain
    assert info.note
    assert "Aquarea" in info.note
    assert info.title == catalog.lookup("panasonic", "aquarea", "H62").title


def test_brand_wide_with_unknown_family(catalog: Catalog) -> None:
    """A family the glossary does not know falls back to brand-wide."""
    info = catalog.lookup("panasonic", "some_new_range", "F95")
    assert info.found
    assert info.family is None
    assert info.family_uncertain


def test_family_differences_are_deterministic_and_said(two_families: Catalog) -> None:
    """A code with different meanings per family: first family by slug, with a note."""
    assert two_families.lookup("testbrand", "beta", "E1").title == "Beta meaning"
    assert two_families.lookup("testbrand", "alpha", "e1").code == "E-1"
    for _ in range(3):
        info = two_families.lookup("testbrand", None, "E1")
        assert info.title == "Alpha meaning"
        assert info.code == "E-1"
        assert info.family_uncertain
        assert info.note
        assert "Beta range" in info.note
    same = two_families.lookup("testbrand", None, "E2")
    assert same.family_uncertain
    assert same.note
    assert "differ" not in same.note.split("may")[0]


def test_known_family_without_the_code_is_unknown(two_families: Catalog) -> None:
    """A code of another family is not borrowed when the family is known."""
    info = two_families.lookup("testbrand", "beta", "A7")
    assert not info.found
    assert info.family == "beta"
    assert "Beta range" in info.meaning


def test_strip_leading_zeros_brand(two_families: Catalog) -> None:
    """Brands with padded displays match with or without the zeros."""
    for raw in ("CH05", "ch5", "CH 005", "ch-05"):
        info = two_families.lookup("padded", "series", raw)
        assert info.found, raw
        assert info.code == "CH05"
    assert not two_families.lookup("testbrand", "alpha", "A07").found


def test_unknown_code(catalog: Catalog) -> None:
    """An unknown code gets a safe generic answer, never an exception."""
    info = catalog.lookup("panasonic", "aquarea", " Z 99 ")
    assert not info.found
    assert info.code == "Z 99"
    assert info.title == "Unknown code Z 99"
    assert "not in the glossary" in info.meaning
    assert "Aquarea" in info.meaning
    assert info.severity is Severity.WARNING
    assert info.component == "other"
    assert [step.section for step in info.steps] == UNKNOWN_SECTIONS
    assert not info.technician_required
    assert "Z 99" in info.tell_technician
    assert info.source is None
    assert not info.family_uncertain


@pytest.mark.parametrize("brand", [None, "", "acme"])
def test_unknown_brand(catalog: Catalog, brand: str | None) -> None:
    """Without a known brand nothing can be decoded."""
    info = catalog.lookup(brand, None, "H62")
    assert not info.found
    assert info.brand is None
    assert [step.section for step in info.steps] == UNKNOWN_SECTIONS


def test_to_dict_is_json_ready(catalog: Catalog) -> None:
    """to_dict round-trips through JSON with steps as dicts."""
    for info in (
        catalog.lookup("panasonic", "aquarea", "H62"),
        catalog.lookup("panasonic", None, "F95"),
        catalog.lookup("panasonic", "aquarea", "nope"),
    ):
        data = json.loads(json.dumps(info.to_dict()))
        assert data["code"] == info.code
        assert data["severity"] == info.severity.value
        assert data["found"] is info.found
        assert data["family_uncertain"] is info.family_uncertain
        assert data["steps"][0] == {
            "section": "safety_first",
            "section_title": "Safety first",
            "text": info.steps[0].text,
        }
        assert isinstance(data["causes"], list)


def test_brands_families_and_guide(catalog: Catalog) -> None:
    """Listing helpers used by the config flow, entities and docs."""
    panasonic = next(b for b in catalog.brands() if b.slug == "panasonic")
    assert panasonic.name == "Panasonic"
    assert [f.slug for f in catalog.families("panasonic")] == ["aquarea"]
    assert panasonic.code_count == len(catalog.codes("panasonic", "aquarea"))
    assert catalog.families("acme") == []
    assert catalog.codes("acme", "x") == []
    assert [b.slug for b in catalog.brands()] == sorted(
        b.slug for b in catalog.brands()
    )
    assert catalog.section("filters").title == "Filters and strainers"
    with pytest.raises(KeyError):
        catalog.section("nope")
    assert catalog.brand_name("panasonic") == "Panasonic"
    assert catalog.brand_name("acme") == "acme"
    assert catalog.brand_name(None) is None
    assert catalog.family_name("panasonic", "aquarea") == "Aquarea air-to-water"
    assert catalog.family_name("panasonic", "other") == "other"
    assert catalog.family_name(None, None) is None
    assert catalog.component_title("water_flow") == "Water flow"
    assert panasonic.to_dict()["families"][0]["code_count"] == panasonic.code_count


def test_default_catalog_is_cached() -> None:
    """The integration loads the data once per process."""
    assert load_default_catalog() is load_default_catalog()
