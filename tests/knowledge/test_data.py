"""The bundled data files follow docs/knowledge-format.md."""

from __future__ import annotations

import json
from pathlib import Path
import shutil
from typing import Any

import pytest

from custom_components.heat_pump_care.knowledge import (
    Catalog,
    KnowledgeError,
    load_catalog,
)
from custom_components.heat_pump_care.knowledge.catalog import DATA_DIR
from custom_components.heat_pump_care.knowledge.models import (
    SECTION_IDS,
    TECHNICIAN_COMPONENTS,
)
from custom_components.heat_pump_care.knowledge.normalize import normalize_code


def _brand_files() -> list[Path]:
    # Read at call time: other brand files may be added while the suite runs.
    return sorted((DATA_DIR / "brands").glob("*.json"))


BRAND_FILES = _brand_files()


def _load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _all_steps() -> list[tuple[str, dict[str, str]]]:
    """Every step in the data, with where it comes from."""
    found = [
        (f"components.json:{name}", step)
        for name, component in _load(DATA_DIR / "components.json")["components"].items()
        for step in component["steps"]
    ]
    for path in _brand_files():
        for family in _load(path)["families"].values():
            for code, entry in family["codes"].items():
                found += [
                    (f"{path.name}:{code}", step) for step in entry.get("steps", [])
                ]
    return found


def test_bundled_data_validates() -> None:
    """Every data file loads and validates."""
    expected = {p.stem for p in _brand_files()}
    catalog = load_catalog()
    assert {brand.slug for brand in catalog.brands()} >= expected
    assert catalog.code_count > 0


def test_guide_has_the_stable_sections(catalog: Catalog) -> None:
    """Steps in other engineers' files refer to these ids."""
    assert [section.id for section in catalog.guide] == list(SECTION_IDS)
    for section in catalog.guide:
        assert section.title
        assert len(section.text) > 100


def test_every_step_references_an_existing_section() -> None:
    """No step points to a guide section that does not exist."""
    for where, step in _all_steps():
        assert step["section"] in SECTION_IDS, where


def test_every_step_list_starts_with_safety_first(catalog: Catalog) -> None:
    """Owners are always told to switch off first, whatever the code."""
    for brand in catalog.brands():
        for family in brand.families:
            for info in catalog.codes(brand.slug, family.slug):
                assert info.steps, info.code
                assert info.steps[0].section == "safety_first", info.code


def test_every_code_has_a_source() -> None:
    """Meanings are read from a public document, never invented."""
    for path in _brand_files():
        for slug, family in _load(path)["families"].items():
            for code, entry in family["codes"].items():
                assert entry.get("source", "").strip(), f"{path.name} {slug} {code}"


@pytest.mark.parametrize("path", BRAND_FILES, ids=lambda p: p.stem)
def test_no_duplicate_normalised_code_within_a_family(path: Path) -> None:
    """Two spellings of one code in a family would make lookups ambiguous."""

    def no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        keys = [key for key, _ in pairs]
        assert len(keys) == len(set(keys)), f"duplicate JSON key in {path.name}"
        return dict(pairs)

    data = json.loads(
        path.read_text(encoding="utf-8"), object_pairs_hook=no_duplicate_keys
    )
    strip = data.get("strip_leading_zeros", False)
    for slug, family in data["families"].items():
        keys = [normalize_code(c, strip_leading_zeros=strip) for c in family["codes"]]
        assert len(keys) == len(set(keys)), f"{path.name} family {slug}"


def test_technician_rule(catalog: Catalog) -> None:
    """Refrigerant, compressor and board faults always need a technician."""
    for brand in catalog.brands():
        for family in brand.families:
            for info in catalog.codes(brand.slug, family.slug):
                if info.component in TECHNICIAN_COMPONENTS:
                    assert info.technician_required, f"{brand.slug} {info.code}"


def test_technician_components_steps_are_owner_safe() -> None:
    """Default steps for technician-only parts send the owner to a professional."""
    components = _load(DATA_DIR / "components.json")["components"]
    for name in TECHNICIAN_COMPONENTS:
        sections = [step["section"] for step in components[name]["steps"]]
        assert sections[-1] == "call_a_professional", name
        assert not {"filters", "cleaning", "replacing_parts"} & set(sections), name


PANASONIC_CODES = [
    "H00",
    "H12",
    "H15",
    "H20",
    "H23",
    "H27",
    "H28",
    "H31",
    "H36",
    "H38",
    "H42",
    "H43",
    "H44",
    "H62",
    "H63",
    "H64",
    "H65",
    "H67",
    "H68",
    "H70",
    "H72",
    "H74",
    "H75",
    "H76",
    "H90",
    "H91",
    "H95",
    "H98",
    "H99",
    "F12",
    "F14",
    "F15",
    "F16",
    "F20",
    "F22",
    "F23",
    "F24",
    "F25",
    "F27",
    "F29",
    "F30",
    "F32",
    "F36",
    "F37",
    "F40",
    "F41",
    "F42",
    "F43",
    "F45",
    "F46",
    "F48",
    "F49",
    "F95",
]


def test_panasonic_aquarea_codes(catalog: Catalog) -> None:
    """The Aquarea H and F codes from the public lists are all present."""
    codes = {info.code for info in catalog.codes("panasonic", "aquarea")}
    assert codes == set(PANASONIC_CODES)
    h62 = catalog.lookup("panasonic", "aquarea", "H62")
    assert h62.maintenance_task == "clean_strainer"
    assert h62.component == "water_flow"
    assert (
        catalog.lookup("panasonic", "aquarea", "F95").maintenance_task == "clean_coil"
    )
    assert catalog.lookup("panasonic", "aquarea", "H00").severity == "info"


def test_unchecked_load_matches_validated_load() -> None:
    """Home Assistant skips the schema pass for speed; the result must be identical."""
    checked = load_catalog()
    unchecked = load_catalog(check_schema=False)
    assert [b.to_dict() for b in unchecked.brands()] == [
        b.to_dict() for b in checked.brands()
    ]
    for brand in checked.brands():
        for family in brand.families:
            fast = unchecked.codes(brand.slug, family.slug)
            assert [i.to_dict() for i in fast] == [
                i.to_dict() for i in checked.codes(brand.slug, family.slug)
            ]


def test_unchecked_load_reports_malformed_data(tmp_path: Path) -> None:
    """Without the schema pass, broken data is still a KnowledgeError, not a crash.

    The unchecked load builds a family's answers on its first lookup, so that is where a
    broken family shows; the checked load builds them all at once.
    """
    shutil.copytree(DATA_DIR, tmp_path / "data")
    (tmp_path / "data" / "brands" / "zz.json").write_text(
        '{"brand": "zz", "name": "Z", "families": {"f": {"name": "F", "codes": {"A1": {}}}}}'
    )
    catalog = load_catalog(tmp_path / "data", check_schema=False)
    assert catalog.lookup("panasonic", "aquarea", "H62").found
    with pytest.raises(KnowledgeError, match=r"zz\.json: family 'f'.*validate"):
        catalog.lookup("zz", "f", "A1")
    (tmp_path / "data" / "brands" / "zz.json").write_text(
        '{"brand": "zz", "name": "Z", "families": {"f": {"name": "F", "codes": {"A1": 1}}}}'
    )
    with pytest.raises(KnowledgeError, match="validate"):
        load_catalog(tmp_path / "data", check_schema=False).lookup("zz", None, "A1")
