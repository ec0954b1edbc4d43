"""Voluptuous schemas for the knowledge data files (see docs/knowledge-format.md)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import Any

import voluptuous as vol

from .errors import KnowledgeError
from .models import (
    COMPONENTS,
    MAINTENANCE_TASKS,
    SECTION_IDS,
    TECHNICIAN_COMPONENTS,
    Severity,
)
from .normalize import normalize_code

SLUG_PATTERN = r"^[a-z0-9_]+$"
# A URL, or "owner/repo:path" for a file in a public repository.
SOURCE_PATTERN = r"^(https?://\S+|[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+:\S+)$"


def _comment_key(key: Any) -> str:
    """Allow keys starting with "_" as notes for data authors; others are typos."""
    if isinstance(key, str) and key.startswith("_"):
        return key
    raise vol.Invalid("unknown field (only keys starting with _ may be added as notes)")


COMMENT_KEY = _comment_key

Validator = Callable[[Any], Any]


def _text(value: Any) -> str:
    """Accept a non-empty string (surrounding whitespace does not count)."""
    if not isinstance(value, str):
        raise vol.Invalid("expected a string")
    if not value.strip():
        raise vol.Invalid("must not be empty")
    return value


def _title(value: Any) -> str:
    """Short, sentence case, no trailing full stop."""
    text = _text(value)
    if text.rstrip().endswith("."):
        raise vol.Invalid("a title has no trailing full stop")
    if text[0].islower():
        raise vol.Invalid("a title starts with a capital letter (sentence case)")
    return text


SLUG = vol.All(str, vol.Match(SLUG_PATTERN, msg="must be a slug of a-z, 0-9 and _"))
SOURCE = vol.All(
    _text,
    vol.Match(
        SOURCE_PATTERN, msg="must be a URL or owner/repo:path of the public document"
    ),
)


def steps_schema(section_ids: Collection[str]) -> Validator:
    """Build the schema of a step list: first a safety_first step, known sections."""
    step = vol.Schema(
        {
            vol.Required("section"): vol.In(
                sorted(section_ids), msg="unknown guide section (see guide.json)"
            ),
            vol.Required("text"): _text,
            COMMENT_KEY: object,
        }
    )

    def first_is_safety(steps: list[dict[str, str]]) -> list[dict[str, str]]:
        if steps[0]["section"] != "safety_first":
            raise vol.Invalid(
                "the first step must be a safety_first step", path=[0, "section"]
            )
        return steps

    return vol.All(
        [step], vol.Length(min=1, msg="needs at least one step"), first_is_safety
    )


def _technician_rule(entry: dict[str, Any]) -> dict[str, Any]:
    """Codes on parts an owner must not touch always send the owner to a technician."""
    if entry["component"] in TECHNICIAN_COMPONENTS and entry["technician"] is not True:
        raise vol.Invalid(
            f"technician must be true for component '{entry['component']}'",
            path=["technician"],
        )
    return entry


def code_schema(section_ids: Collection[str]) -> Validator:
    """One code entry of a brand file."""
    return vol.All(
        vol.Schema(
            {
                vol.Required("title"): _title,
                vol.Required("meaning"): _text,
                vol.Required("severity"): vol.In([s.value for s in Severity]),
                vol.Required("component"): vol.In(COMPONENTS),
                vol.Required("causes"): vol.All(
                    [_text], vol.Length(min=1, msg="needs at least one cause")
                ),
                vol.Optional("steps"): steps_schema(section_ids),
                vol.Required("technician"): bool,
                vol.Required("tell_technician"): _text,
                vol.Optional("maintenance_task", default=None): vol.Any(
                    None, vol.In(MAINTENANCE_TASKS)
                ),
                vol.Required("source"): SOURCE,
                COMMENT_KEY: object,
            }
        ),
        _technician_rule,
    )


def _unique_keys(strip_leading_zeros: bool, codes: dict[str, Any]) -> None:
    """Two spellings of one code in a family would make lookups ambiguous."""
    seen: dict[str, str] = {}
    for code in codes:
        key = normalize_code(code, strip_leading_zeros=strip_leading_zeros)
        if not key:
            raise vol.Invalid("code key is empty after normalisation", path=[code])
        if key in seen:
            raise vol.Invalid(
                f"same normalised code as '{seen[key]}' ({key})", path=[code]
            )
        seen[key] = code


def brand_schema(section_ids: Collection[str]) -> Validator:
    """Build the schema of a whole brand file."""
    family = vol.Schema(
        {
            vol.Required("name"): _text,
            vol.Required("codes"): vol.All(
                {vol.All(str, _text): code_schema(section_ids)},
                vol.Length(min=1, msg="needs at least one code"),
            ),
            COMMENT_KEY: object,
        }
    )

    def unique_codes(brand: dict[str, Any]) -> dict[str, Any]:
        for slug, fam in brand["families"].items():
            try:
                _unique_keys(brand["strip_leading_zeros"], fam["codes"])
            except vol.Invalid as err:
                err.prepend(["families", slug, "codes"])
                raise
        return brand

    return vol.All(
        vol.Schema(
            {
                vol.Required("brand"): SLUG,
                vol.Required("name"): _text,
                vol.Optional("strip_leading_zeros", default=False): bool,
                vol.Required("families"): vol.All(
                    {SLUG: family}, vol.Length(min=1, msg="needs at least one family")
                ),
                COMMENT_KEY: object,
            }
        ),
        unique_codes,
    )


def _all_sections(data: dict[str, Any]) -> dict[str, Any]:
    ids = [section["id"] for section in data["sections"]]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise vol.Invalid(
            f"duplicate section ids: {', '.join(duplicates)}", path=["sections"]
        )
    missing = [i for i in SECTION_IDS if i not in ids]
    if missing:
        raise vol.Invalid(
            f"missing section ids: {', '.join(missing)}", path=["sections"]
        )
    return data


GUIDE_SCHEMA = vol.All(
    vol.Schema(
        {
            vol.Required("sections"): [
                {
                    vol.Required("id"): SLUG,
                    vol.Required("title"): _title,
                    vol.Required("text"): _text,
                    COMMENT_KEY: object,
                }
            ],
            COMMENT_KEY: object,
        }
    ),
    _all_sections,
)


def components_schema(section_ids: Collection[str]) -> Validator:
    """Build the schema of the components file (title and steps for each)."""

    def all_components(data: dict[str, Any]) -> dict[str, Any]:
        missing = [c for c in COMPONENTS if c not in data["components"]]
        if missing:
            raise vol.Invalid(
                f"missing components: {', '.join(missing)}", path=["components"]
            )
        return data

    return vol.All(
        vol.Schema(
            {
                vol.Required("components"): {
                    vol.In(COMPONENTS, msg="unknown component"): {
                        vol.Required("title"): _title,
                        vol.Required("steps"): steps_schema(section_ids),
                        COMMENT_KEY: object,
                    }
                },
                COMMENT_KEY: object,
            }
        ),
        all_components,
    )


def _describe_path(path: Sequence[Any]) -> str:
    """Say where in a file an error is, naming family and code for brand files."""
    parts: list[str] = []
    rest = list(path)
    if len(rest) >= 2 and rest[0] == "families":
        parts.append(f"family '{rest[1]}'")
        rest = rest[2:]
        if len(rest) >= 2 and rest[0] == "codes":
            parts.append(f"code '{rest[1]}'")
            rest = rest[2:]
    elif len(rest) >= 2 and rest[0] == "components":
        parts.append(f"component '{rest[1]}'")
        rest = rest[2:]
    if rest:
        field = "".join(
            f"[{p}]" if isinstance(p, int) else f".{p}" for p in rest
        ).lstrip(".")
        parts.append(f"field '{field}'")
    return ", ".join(parts)


def validate(schema: Validator, data: Any, file_name: str) -> Any:
    """Validate data against a schema, turning voluptuous errors into one KnowledgeError."""
    try:
        return schema(data)
    except vol.MultipleInvalid as err:
        messages = sorted(
            {f"{_describe_path(e.path) or 'top level'}: {e.msg}" for e in err.errors}
        )
        shown = "; ".join(messages[:5])
        more = f" (and {len(messages) - 5} more)" if len(messages) > 5 else ""
        raise KnowledgeError(f"{file_name}: {shown}{more}") from err
    except vol.Invalid as err:
        where = _describe_path(err.path) or "top level"
        raise KnowledgeError(f"{file_name}: {where}: {err.msg}") from err
