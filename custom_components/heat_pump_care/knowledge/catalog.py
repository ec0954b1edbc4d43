"""Loading and validating the knowledge data into a :class:`Catalog`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
import functools
import json
from pathlib import Path
from typing import Any

from .errors import KnowledgeError
from .models import (
    UNKNOWN_COMPONENT,
    BrandInfo,
    Catalog,
    FamilyInfo,
    FamilyTable,
    FaultInfo,
    GuideSection,
    RepairStep,
    Severity,
)
from .normalize import normalize_code
from .schema import GUIDE_SCHEMA, brand_schema, components_schema, validate

DATA_DIR = Path(__file__).parent / "data"


def _reject_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """json.load keeps the last of two equal keys silently; a duplicate code must fail."""
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key '{key}'")
        result[key] = value
    return result


def _read_json(path: Path, file_name: str, *, check: bool) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise KnowledgeError(
            f"{file_name}: cannot read: {err.strerror or err}"
        ) from err
    try:
        return json.loads(text, object_pairs_hook=_reject_duplicates if check else None)
    except json.JSONDecodeError as err:
        raise KnowledgeError(
            f"{file_name}: invalid JSON at line {err.lineno} column {err.colno}: {err.msg}"
        ) from err
    except ValueError as err:
        raise KnowledgeError(f"{file_name}: invalid JSON: {err}") from err


def _steps(
    raw: list[dict[str, str]], guide: dict[str, GuideSection]
) -> tuple[RepairStep, ...]:
    return tuple(
        RepairStep(
            section=s["section"],
            section_title=guide[s["section"]].title,
            text=s["text"],
        )
        for s in raw
    )


def load_catalog(data_dir: Path | None = None, *, check_schema: bool = True) -> Catalog:
    """Read (and by default validate) every data file and build the catalog.

    Blocking file I/O: Home Assistant code must run it in an executor. Raises
    :class:`KnowledgeError` naming the file (and family/code) on the first invalid file.
    ``check_schema=False`` skips the voluptuous pass and the duplicate-key check, which are
    most of the load time, and builds each family's answers on its first lookup; only for
    the bundled data, which the test suite validates and builds in full on every run.
    """
    try:
        return _build(DATA_DIR if data_dir is None else data_dir, check_schema)
    except (KeyError, TypeError, AttributeError, ValueError) as err:
        # Only reachable without the schema pass: the data is malformed.
        raise KnowledgeError(
            f"malformed knowledge data ({err!r}); run the validate command"
        ) from err


def _build(root: Path, check_schema: bool) -> Catalog:
    def checked(schema: Any, file_name: str) -> Any:
        data = _read_json(root / file_name, file_name, check=check_schema)
        return validate(schema, data, file_name) if check_schema else data

    guide_data = checked(GUIDE_SCHEMA, "guide.json")
    guide = {
        s["id"]: GuideSection(id=s["id"], title=s["title"], text=s["text"])
        for s in guide_data["sections"]
    }
    section_ids = set(guide)
    components_data = checked(components_schema(section_ids), "components.json")
    component_steps = {
        name: _steps(component["steps"], guide)
        for name, component in components_data["components"].items()
    }

    def family_table(
        brand: str, family: str, codes: Mapping[str, Any], strip: bool
    ) -> FamilyTable:
        try:
            return build_family(brand, family, codes, strip)
        except (KeyError, TypeError, AttributeError, ValueError) as err:
            # Only reachable without the schema pass: the data is malformed.
            raise KnowledgeError(
                f"brands/{brand}.json: family '{family}': malformed knowledge data "
                f"({err!r}); run the validate command"
            ) from err

    def build_family(
        brand: str, family: str, codes: Mapping[str, Any], strip: bool
    ) -> FamilyTable:
        table: dict[str, FaultInfo] = {}
        for code, entry in codes.items():
            steps = entry.get("steps")
            table[normalize_code(code, strip_leading_zeros=strip)] = FaultInfo(
                code=code,
                brand=brand,
                family=family,
                title=entry["title"],
                meaning=entry["meaning"],
                severity=Severity(entry["severity"]),
                component=entry["component"],
                causes=tuple(entry["causes"]),
                steps=_steps(steps, guide)
                if steps
                else component_steps[entry["component"]],
                technician_required=entry["technician"],
                tell_technician=entry["tell_technician"],
                maintenance_task=entry.get("maintenance_task"),
                source=entry["source"],
                found=True,
                family_uncertain=False,
            )
        return table

    brands: list[BrandInfo] = []
    tables: dict[str, dict[str, Callable[[], FamilyTable]]] = {}
    schema = brand_schema(section_ids)
    for path in sorted((root / "brands").glob("*.json")):
        file_name = f"brands/{path.name}"
        data = checked(schema, file_name)
        slug = data["brand"]
        if slug != path.stem:
            raise KnowledgeError(
                f"{file_name}: brand '{slug}' does not match the file name"
            )
        strip = data.get("strip_leading_zeros", False)
        families: list[FamilyInfo] = []
        brand_tables: dict[str, Callable[[], FamilyTable]] = {}
        for family_slug, family in data["families"].items():
            brand_tables[family_slug] = functools.partial(
                family_table, slug, family_slug, family["codes"], strip
            )
            # The schema refuses two codes with the same normalised form.
            families.append(
                FamilyInfo(
                    slug=family_slug,
                    name=family["name"],
                    code_count=len(family["codes"]),
                )
            )
        brands.append(
            BrandInfo(
                slug=slug,
                name=data["name"],
                strip_leading_zeros=strip,
                families=tuple(families),
            )
        )
        tables[slug] = brand_tables

    catalog = Catalog(
        guide=guide.values(),
        brands=brands,
        codes=tables,
        unknown_steps=component_steps[UNKNOWN_COMPONENT],
        component_titles={
            name: component["title"]
            for name, component in components_data["components"].items()
        },
    )
    if check_schema:
        # Validating also builds every answer, so a fault anywhere in the data shows now.
        for brand in catalog.brands():
            for family in brand.families:
                catalog.codes(brand.slug, family.slug)
    return catalog


@functools.cache
def load_default_catalog() -> Catalog:
    """Return the bundled data, loaded once per process (blocking on first call)."""
    return load_catalog(check_schema=False)
