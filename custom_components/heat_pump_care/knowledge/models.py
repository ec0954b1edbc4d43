"""Typed models of the fault knowledge base and the catalog that answers lookups."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
import dataclasses
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final

from .normalize import (
    code_text,
    is_all_zeros,
    is_no_fault,
    normalize_code,
    split_combined_code,
)

# Guide section ids that steps refer to; the data format promises them to brand-file authors.
SECTION_IDS: Final = (
    "safety_first",
    "diagnose",
    "know_your_model",
    "filters",
    "coils",
    "compressor_refrigerant",
    "power_belts",
    "wiring",
    "replacing_parts",
    "cleaning",
    "recheck",
    "call_a_professional",
)
COMPONENTS: Final = (
    "water_flow",
    "water_pressure",
    "refrigerant_circuit",
    "compressor",
    "fan",
    "sensor",
    "communication",
    "power",
    "control_board",
    "defrost",
    "hot_water",
    "backup_heater",
    "valve",
    "configuration",
    "protection",
    "status",
    "maintenance",
    "other",
)
# A homeowner must never be told to fix these parts, so codes on them always need a technician.
TECHNICIAN_COMPONENTS: Final = frozenset(
    {"refrigerant_circuit", "compressor", "control_board"}
)
MAINTENANCE_TASKS: Final = (
    "clean_filters",
    "clean_coil",
    "clean_strainer",
    "check_condensate",
    "inspect_wiring",
    "check_water_pressure",
    "professional_service",
)
# Most combined display-code answers kept (see Catalog.lookup).
_COMBINED_CACHE_SIZE: Final = 256
# Component whose steps an unknown code gets: safe, generic diagnosis only.
UNKNOWN_COMPONENT: Final = "other"


class Severity(StrEnum):
    """How urgent a fault is for the homeowner."""

    INFO = "info"
    WARNING = "warning"
    CRITICAL = "critical"


@dataclass(frozen=True, slots=True, kw_only=True)
class GuideSection:
    """One section of the project's servicing guide."""

    id: str
    title: str
    text: str

    def to_dict(self) -> dict[str, str]:
        """Return a JSON-ready dict."""
        return {"id": self.id, "title": self.title, "text": self.text}


@dataclass(frozen=True, slots=True, kw_only=True)
class RepairStep:
    """One homeowner step, tied to the guide section that explains it."""

    section: str
    section_title: str
    text: str

    def to_dict(self) -> dict[str, str]:
        """Return a JSON-ready dict."""
        return {
            "section": self.section,
            "section_title": self.section_title,
            "text": self.text,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class FaultInfo:
    """The decoded meaning of one fault code, ready to show to a homeowner."""

    code: str
    """The code as the display shows it (canonical spelling from the data when found)."""
    brand: str | None
    family: str | None
    """Family slug; None when the answer was resolved brand-wide or the family is unknown."""
    title: str
    meaning: str
    severity: Severity
    component: str
    causes: tuple[str, ...]
    steps: tuple[RepairStep, ...]
    technician_required: bool
    tell_technician: str
    maintenance_task: str | None
    source: str | None
    found: bool
    family_uncertain: bool
    """True when the code was matched brand-wide without knowing the family: it may mean
    something else on the owner's model range."""
    note: str | None = None
    """Why the answer may be uncertain (which family the meaning was taken from)."""

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict (diagnostics, event data, CLI output)."""
        return {
            "code": self.code,
            "brand": self.brand,
            "family": self.family,
            "title": self.title,
            "meaning": self.meaning,
            "severity": self.severity.value,
            "component": self.component,
            "causes": list(self.causes),
            "steps": [step.to_dict() for step in self.steps],
            "technician_required": self.technician_required,
            "tell_technician": self.tell_technician,
            "maintenance_task": self.maintenance_task,
            "source": self.source,
            "found": self.found,
            "family_uncertain": self.family_uncertain,
            "note": self.note,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class FamilyInfo:
    """A model family of a brand, as listed to users."""

    slug: str
    name: str
    code_count: int

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {"slug": self.slug, "name": self.name, "code_count": self.code_count}


@dataclass(frozen=True, slots=True, kw_only=True)
class BrandInfo:
    """A brand with its families, as listed to users."""

    slug: str
    name: str
    strip_leading_zeros: bool
    families: tuple[FamilyInfo, ...]

    @property
    def code_count(self) -> int:
        """Number of codes over all families."""
        return sum(family.code_count for family in self.families)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {
            "slug": self.slug,
            "name": self.name,
            "code_count": self.code_count,
            "families": [family.to_dict() for family in self.families],
        }


def slugify(value: str) -> str:
    """Turn a brand or family name as a gateway may send it into our slug form."""
    return "_".join(value.strip().lower().replace("-", " ").split())


type FamilyTable = Mapping[str, FaultInfo]
"""One family's answers by normalised code, in data order."""


class Catalog:
    """All fault knowledge, indexed for fast lookups.

    Built once by :func:`load_catalog` (blocking I/O, run it in an executor); after that every
    lookup is a few dict accesses on precomputed normalised keys, safe to call from the event loop.
    A family's table is built on its first lookup: an installation uses one of twenty.
    """

    __slots__ = (
        "_brand_wide",
        "_brands",
        "_combined_cache",
        "_component_titles",
        "_guide",
        "_table_builders",
        "_tables",
        "_unknown_steps",
    )

    def __init__(
        self,
        *,
        guide: Iterable[GuideSection],
        brands: Iterable[BrandInfo],
        codes: Mapping[str, Mapping[str, Callable[[], FamilyTable]]],
        unknown_steps: tuple[RepairStep, ...],
        component_titles: Mapping[str, str] | None = None,
    ) -> None:
        """Index the validated data.

        ``codes`` maps brand slug -> family slug -> a function building that family's table
        (normalised code -> family-resolved answer, in data order).
        """
        self._guide = {section.id: section for section in guide}
        self._brands = {
            brand.slug: brand for brand in sorted(brands, key=lambda b: b.slug)
        }
        self._table_builders = {
            (brand, family): build
            for brand, families in codes.items()
            for family, build in families.items()
        }
        self._tables: dict[tuple[str, str], FamilyTable] = {}
        self._unknown_steps = unknown_steps
        self._component_titles = dict(component_titles or {})
        # Built per brand on first use: it is a third of the load time and most
        # installations always know their family.
        self._brand_wide: dict[str, dict[str, FaultInfo]] = {}
        # Answers for combined display codes ("A11/1010"), which need a copied entry with a
        # note; kept small because the keys come from gateways.
        self._combined_cache: dict[tuple[int, str], FaultInfo] = {}

    @staticmethod
    def _index_brand_wide(
        brand: BrandInfo, families: Mapping[str, Mapping[str, FaultInfo]]
    ) -> dict[str, FaultInfo]:
        """Precompute the answers for lookups that do not know the family.

        The family picked is the first in alphabetical slug order that has the code, so the
        answer is deterministic; the note says which one was used and whether others differ.
        """
        names = {family.slug: family.name for family in brand.families}
        candidates: dict[str, list[FaultInfo]] = {}
        for family in sorted(families):
            for key, info in families[family].items():
                candidates.setdefault(key, []).append(info)
        index: dict[str, FaultInfo] = {}
        for key, infos in candidates.items():
            chosen = infos[0]
            chosen_name = names.get(chosen.family or "", chosen.family or "")
            meanings = {(info.title, info.meaning) for info in infos}
            if len(meanings) > 1:
                others = ", ".join(names.get(i.family or "", "") for i in infos[1:])
                note = (
                    f"The model family is not known and code {chosen.code} means different "
                    f"things in different {brand.name} families; shown is the meaning for "
                    f"{chosen_name} (it differs on {others}). Set the model family for the "
                    "right answer."
                )
            else:
                note = (
                    f"The model family is not known; this is the meaning the glossary has for "
                    f"{brand.name} {chosen_name} and it may differ on other {brand.name} ranges."
                )
            index[key] = dataclasses.replace(
                chosen, family=None, family_uncertain=True, note=note
            )
        return index

    def _table(self, brand: str, family: str) -> FamilyTable | None:
        """Return one family's table by slugs, building it on first use; None if unknown."""
        key = (brand, family)
        table = self._tables.get(key)
        if table is None:
            build = self._table_builders.get(key)
            if build is None:
                return None
            table = self._tables[key] = build()
        return table

    @property
    def guide(self) -> tuple[GuideSection, ...]:
        """The servicing guide's sections in order."""
        return tuple(self._guide.values())

    def section(self, section_id: str) -> GuideSection:
        """Return one guide section; raises KeyError for an unknown id."""
        return self._guide[section_id]

    def component_title(self, component: str) -> str:
        """Display title of a component; the slug itself when it has none."""
        return self._component_titles.get(component, component)

    def brands(self) -> list[BrandInfo]:
        """All brands, sorted by slug, with their families and code counts."""
        return list(self._brands.values())

    def brand(self, brand: str) -> BrandInfo | None:
        """Return one brand by slug or display name, or None."""
        return self._brands.get(slugify(brand))

    def brand_name(self, brand: str | None) -> str | None:
        """Display name of a brand; the value itself when unknown, None for None."""
        if brand is None:
            return None
        info = self.brand(brand)
        return info.name if info else brand

    def family_name(self, brand: str | None, family: str | None) -> str | None:
        """Display name of a family; the value itself when unknown, None for None."""
        if family is None:
            return None
        info = self.brand(brand) if brand else None
        slug = slugify(family)
        for known in info.families if info else ():
            if known.slug == slug:
                return known.name
        return family

    def families(self, brand: str) -> list[FamilyInfo]:
        """Return the families of a brand in data order; empty when unknown."""
        info = self.brand(brand)
        return list(info.families) if info else []

    def codes(self, brand: str, family: str) -> list[FaultInfo]:
        """Every code of one family in data order; empty when brand or family is unknown."""
        return list((self._table(slugify(brand), slugify(family)) or {}).values())

    @property
    def code_count(self) -> int:
        """Number of codes over all brands and families."""
        return sum(brand.code_count for brand in self._brands.values())

    def lookup(
        self, brand: str | None, family: str | None, code: str | int
    ) -> FaultInfo:
        """Decode a fault code; never raises for unknown input.

        Order: the code in the given family; when the family is None or not known for the
        brand, the code anywhere in the brand (``family_uncertain=True``); otherwise an
        unknown-code answer (``found=False``) with generic safe steps. A combined display
        code such as Bosch/Buderus ``A11/1010``, ``A11-1010`` or ``A21(806)`` (display code and
        cause code, see :func:`split_combined_code`) that is not stored as such is answered by
        its cause part, else by its display part, in the same scope, with a ``note`` saying so.
        """
        brand_slug = slugify(brand) if brand else None
        brand_info = self._brands.get(brand_slug) if brand_slug else None
        if brand_info is None:
            return self._unknown(code, brand, brand_info, None)
        key = normalize_code(code, strip_leading_zeros=brand_info.strip_leading_zeros)
        family_slug = slugify(family) if family else None
        table = self._table(brand_info.slug, family_slug) if family_slug else None
        if table is None:
            family_slug = None
            table = self._brand_wide_index(brand_info)
        found = table.get(key)
        if found is not None:
            return found
        parts = split_combined_code(code)
        if parts is not None:
            cache_key = (id(table), " ".join(code_text(code).split()))
            found = self._combined_cache.get(cache_key)
            if found is None:
                found = self._combined(
                    table, parts, code, brand_info.strip_leading_zeros
                )
                if found is not None:
                    if len(self._combined_cache) >= _COMBINED_CACHE_SIZE:
                        self._combined_cache.clear()
                    self._combined_cache[cache_key] = found
            if found is not None:
                return found
        return self._unknown(code, brand, brand_info, family_slug)

    def _brand_wide_index(self, brand_info: BrandInfo) -> dict[str, FaultInfo]:
        """Return the brand-wide answers of one brand, building them on first use."""
        slug = brand_info.slug
        index = self._brand_wide.get(slug)
        if index is None:
            families = {
                family.slug: self._table(slug, family.slug) or {}
                for family in brand_info.families
            }
            index = self._index_brand_wide(brand_info, families)
            self._brand_wide[slug] = index
        return index

    @staticmethod
    def _combined(
        table: Mapping[str, FaultInfo],
        parts: tuple[str, str],
        code: str | int,
        strip_leading_zeros: bool,
    ) -> FaultInfo | None:
        """Answer ``DISPLAY/CAUSE`` by its cause part, else by its display part."""
        before, after = parts
        shown = " ".join(code_text(code).split())
        for part, role in ((after, "after"), (before, "before")):
            info = table.get(
                normalize_code(part, strip_leading_zeros=strip_leading_zeros)
            )
            if info is None:
                continue
            note = (
                f"The display shows {shown}; the glossary has no entry for the combined "
                f"code, so this is the meaning of {info.code}, the part {role} the "
                "separator."
            )
            if info.note:
                note = f"{note} {info.note}"
            return dataclasses.replace(info, note=note)
        return None

    def is_no_fault(
        self, brand: str | None, family: str | None, raw: str | int | None
    ) -> bool:
        """Return True when a gateway's error value means "no fault" for this heat pump.

        Like :func:`is_no_fault`, except that a value of zeros only ("0", "00") is a code
        where the family defines that code (IVT Rego 600 alarm 0 is the GT1 sensor). When
        the family is not known, zeros are a code only if every family of the brand defines
        them: otherwise a "0" is far more likely the idle value than that alarm.
        """
        if raw is None or not is_all_zeros(raw):
            return is_no_fault(raw)
        return is_no_fault(raw, zero_is_code=self._defines(brand, family, raw))

    def _defines(self, brand: str | None, family: str | None, raw: str | int) -> bool:
        """Return whether the family (without a known family: every family) has the code."""
        brand_info = self._brands.get(slugify(brand)) if brand else None
        if brand_info is None:
            return False
        key = normalize_code(raw, strip_leading_zeros=brand_info.strip_leading_zeros)
        if family:
            table = self._table(brand_info.slug, slugify(family))
            if table is not None:
                return key in table
        return all(
            key in (self._table(brand_info.slug, known.slug) or {})
            for known in brand_info.families
        )

    def _unknown(
        self,
        code: str | int,
        brand: str | None,
        brand_info: BrandInfo | None,
        family: str | None,
    ) -> FaultInfo:
        """Build the answer for a code the glossary does not have."""
        shown = " ".join(code_text(code).split()) or "(empty)"
        if brand_info is None:
            where = f"the brand '{brand}'" if brand else "an unknown brand"
            meaning = (
                f"Code {shown} cannot be decoded: the glossary has no entries for {where}. "
                "Its meaning depends on the maker and model."
            )
            owner = "my heat pump"
        else:
            family_name = next(
                (f.name for f in brand_info.families if f.slug == family), None
            )
            scope = (
                f"{brand_info.name} {family_name}" if family_name else brand_info.name
            )
            meaning = (
                f"Code {shown} is not in the glossary for {scope}. It may be a rare or newer "
                "code; the model's manual or a technician can tell what it means."
            )
            owner = f"my {scope} heat pump"
        return FaultInfo(
            code=shown,
            brand=brand_info.slug if brand_info else None,
            family=family,
            title=f"Unknown code {shown}",
            meaning=meaning,
            severity=Severity.WARNING,
            component=UNKNOWN_COMPONENT,
            causes=(
                "The glossary does not cover this code yet",
                "The code may belong to another model range",
            ),
            steps=self._unknown_steps,
            technician_required=False,
            tell_technician=(
                f"Code {shown} is shown on {owner}; I could not find its meaning, "
                "please look it up in the service manual."
            ),
            maintenance_task=None,
            source=None,
            found=False,
            family_uncertain=False,
        )
