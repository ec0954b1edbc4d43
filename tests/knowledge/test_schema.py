"""Invalid data files are rejected with one clear KnowledgeError."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from custom_components.heat_pump_care.knowledge import KnowledgeError, load_catalog

from .conftest import WriteBrand, brand_file, code_entry


def _error(data_dir: Path) -> str:
    with pytest.raises(KnowledgeError) as err:
        load_catalog(data_dir)
    return str(err.value)


def test_valid_minimal_brand(data_dir: Path, write_brand: WriteBrand) -> None:
    """The helpers produce a valid file (so the failures below are meaningful)."""
    write_brand(brand_file({"range": {"T1": code_entry()}}))
    assert load_catalog(data_dir).lookup("testbrand", "range", "t1").found


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        (code_entry(source=None), "field 'source': required key not provided"),
        (code_entry(source="  "), "field 'source': must not be empty"),
        (code_entry(source="somewhere"), "field 'source': must be a URL"),
        (code_entry(severity="fatal"), "field 'severity': value must be one of"),
        (code_entry(component="engine"), "field 'component': value must be one of"),
        (code_entry(title="Ends with a stop."), "no trailing full stop"),
        (code_entry(causes=[]), "field 'causes': needs at least one cause"),
        (code_entry(meaning=""), "field 'meaning': must not be empty"),
        (code_entry(maintenance_task="polish"), "field 'maintenance_task'"),
        (code_entry(technician="yes"), "field 'technician'"),
        (code_entry(typo_field=1), "field 'typo_field': unknown field"),
        (
            code_entry(component="compressor", technician=False),
            "field 'technician': technician must be true for component 'compressor'",
        ),
        (
            code_entry(steps=[{"section": "nowhere", "text": "Do it."}]),
            "field 'steps[0].section': unknown guide section",
        ),
        (
            code_entry(steps=[{"section": "filters", "text": "Clean it."}]),
            "the first step must be a safety_first step",
        ),
        (code_entry(steps=[]), "needs at least one step"),
    ],
)
def test_bad_code_entry(
    data_dir: Path, write_brand: WriteBrand, entry: dict[str, Any], expected: str
) -> None:
    """The message names the file, family, code and what is wrong."""
    write_brand(brand_file({"range": {"T1": code_entry(), "T2": entry}}))
    message = _error(data_dir)
    assert message.startswith("brands/testbrand.json: family 'range', code 'T2'"), (
        message
    )
    assert expected in message


def test_comment_keys_are_allowed(data_dir: Path, write_brand: WriteBrand) -> None:
    """Keys starting with an underscore are notes for data authors."""
    data = brand_file({"range": {"T1": code_entry(_note="checked twice")}})
    data["_comment"] = "sources: ..."
    write_brand(data)
    assert load_catalog(data_dir).code_count == 1


def test_invalid_json(data_dir: Path, write_brand: WriteBrand) -> None:
    """Broken JSON is reported with file and position."""
    write_brand('{"brand": "testbrand",\n  "name": }')
    message = _error(data_dir)
    assert message.startswith("brands/testbrand.json: invalid JSON at line 2 column")


def test_duplicate_json_key(data_dir: Path, write_brand: WriteBrand) -> None:
    """json.load would silently keep the second of two equal codes."""
    entry = json.dumps(code_entry())
    write_brand(
        '{"brand": "testbrand", "name": "Test", "families": {"range": {"name": "R", '
        f'"codes": {{"T1": {entry}, "T1": {entry}}}}}}}}}'
    )
    assert "duplicate key 'T1'" in _error(data_dir)


def test_duplicate_normalised_code(data_dir: Path, write_brand: WriteBrand) -> None:
    """Two spellings of one code in a family are rejected."""
    write_brand(brand_file({"range": {"F.685": code_entry(), "F-685": code_entry()}}))
    message = _error(data_dir)
    assert "family 'range', code 'F-685'" in message
    assert "same normalised code as 'F.685'" in message


def test_duplicate_after_zero_stripping(
    data_dir: Path, write_brand: WriteBrand
) -> None:
    """With strip_leading_zeros, CH05 and CH5 are the same code."""
    write_brand(
        brand_file(
            {"range": {"CH05": code_entry(), "CH5": code_entry()}},
            strip_leading_zeros=True,
        )
    )
    assert "same normalised code" in _error(data_dir)


def test_brand_slug_must_match_file(data_dir: Path, write_brand: WriteBrand) -> None:
    """The file name is the brand's slug."""
    write_brand(brand_file({"range": {"T1": code_entry()}}), "otherbrand")
    assert "brands/otherbrand.json: brand 'testbrand' does not match" in _error(
        data_dir
    )


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: d.update(brand="Test Brand"), "field 'brand': must be a slug"),
        (
            lambda d: d["families"].update({"Bad-Slug": d["families"]["range"]}),
            "must be a slug",
        ),
        (lambda d: d.update(families={}), "needs at least one family"),
        (lambda d: d["families"]["range"].update(codes={}), "needs at least one code"),
        (lambda d: d.pop("name"), "field 'name': required key not provided"),
    ],
)
def test_bad_brand_structure(
    data_dir: Path, write_brand: WriteBrand, mutate: Any, expected: str
) -> None:
    """Structural problems are reported too."""
    data = brand_file({"range": {"T1": code_entry()}})
    mutate(data)
    write_brand(data)
    message = _error(data_dir)
    assert message.startswith("brands/testbrand.json:")
    assert expected in message


def test_guide_missing_section(data_dir: Path) -> None:
    """Every stable section id must exist."""
    guide = json.loads((data_dir / "guide.json").read_text(encoding="utf-8"))
    guide["sections"] = [s for s in guide["sections"] if s["id"] != "wiring"]
    (data_dir / "guide.json").write_text(json.dumps(guide), encoding="utf-8")
    assert (
        _error(data_dir) == "guide.json: field 'sections': missing section ids: wiring"
    )


def test_components_first_step_and_known_sections(data_dir: Path) -> None:
    """Component steps follow the same rules as code steps."""
    path = data_dir / "components.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["components"]["fan"]["steps"] = [{"section": "coils", "text": "Look."}]
    path.write_text(json.dumps(data), encoding="utf-8")
    message = _error(data_dir)
    assert message.startswith("components.json: component 'fan'")
    assert "safety_first" in message


def test_components_missing(data_dir: Path) -> None:
    """Every component needs default steps, or codes without steps would have none."""
    path = data_dir / "components.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    del data["components"]["valve"]
    path.write_text(json.dumps(data), encoding="utf-8")
    assert "missing components: valve" in _error(data_dir)


def test_missing_file(tmp_path: Path) -> None:
    """A missing data file is a KnowledgeError too."""
    assert _error(tmp_path).startswith("guide.json: cannot read")
