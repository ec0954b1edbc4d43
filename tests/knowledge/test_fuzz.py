"""Property-based fuzzing of code normalisation and catalog lookups: they never raise.

Codes come from gateways and other integrations, so anything can arrive: any text, any
whole number (huge ones too), real codes spelled oddly. Each property runs 10,000 examples
with a fixed seed and no example database.
"""

from __future__ import annotations

import json
import random
import re

from hypothesis import HealthCheck, given, settings, strategies as st

from custom_components.heat_pump_care.knowledge import (
    BrandInfo,
    FaultInfo,
    Severity,
    load_default_catalog,
)
from custom_components.heat_pump_care.knowledge.normalize import (
    is_all_zeros,
    is_no_fault,
    normalize_code,
    split_combined_code,
)

FUZZ = settings(
    max_examples=10_000,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

CATALOG = load_default_catalog()
BRANDS = CATALOG.brands()
# Every (brand, family, code) the catalog knows; drawing one costs Hypothesis one choice.
KNOWN = tuple(
    (brand, family.slug, info.code)
    for brand in BRANDS
    for family in brand.families
    for info in CATALOG.codes(brand.slug, family.slug)
)
REAL_CODES = tuple(sorted({code for _, _, code in KNOWN}))
NAMES = (
    *(
        name
        for brand in BRANDS
        for name in (brand.slug, brand.name, brand.name.upper())
    ),
    *(
        name
        for brand in BRANDS
        for family in brand.families
        for name in (family.slug, family.name)
    ),
)
# Characters that matter to normalisation: separators, zeros, digits of other scripts,
# brackets and slashes of combined codes, case folding surprises (ß, İ, ﬁ), whitespace.
_ODD = (
    " \t\n\r\x0b\x0c\x00\x1b\u00a0\u2003\u3000\u200b\ufeff\u202e-._/()[]{}+0000123456789"
    "\u0660\u0663\u06f0\uff10\uff11\u00b2\u00bd\u00df\u0130\u0131\ufb01\u01c5\u03a3AaEeFfHhUu"
    "\U0001f525\U0010ffff"
)


def _odd_texts() -> tuple[str, ...]:
    rng = random.Random(5)  # noqa: S311 - a fixed test pool, not a secret
    texts = [
        "".join(rng.choice(_ODD) for _ in range(rng.randint(0, 16))) for _ in range(400)
    ]
    return (
        *texts,
        "",
        "0",
        "00",
        "000000",
        "No error",
        "  no   ERROR ",
        "null",
        "A11/1010",
        "A21 (806)",
        "A11-3071",
        "/",
        "()",
        "(/)",
        "a/b/c",
        "A11//1010",
        "x" * 10_000,
        "0" * 10_000,
        "1" * 5_000,
        "A1/" * 2_000,
        "(" * 3_000 + ")" * 3_000,
    )


ODD_TEXTS = _odd_texts()


def _respelled(code: str, how: int, extra: int) -> str:
    """A real code with separators, padding, case or a cause code added."""
    if how == 0:
        return code
    if how == 1:
        return code.lower()
    if how == 2:
        return " - ".join(code)
    if how == 3:
        return re.sub(r"(\d+)", lambda m: m.group(1).zfill(extra % 6 + 1), code)
    if how == 4:
        return f"{code}/{extra}"
    if how == 5:
        return f"{code} ({extra})"
    if how == 6:
        return f"{code}-{extra}"
    return f"{' ' * (extra % 3)}{code}.{extra % 10}"


Case = tuple[str | None, str | None, str | int, bool]


def _known_case(parts: tuple[tuple[BrandInfo, str, str], int, int]) -> Case:
    """A code the catalog has, spelled oddly, with the brand and family as a user may name
    them, or without the family, or with a family of another brand."""
    (brand, family, code), how, extra = parts
    brand_name = (brand.slug, brand.name, brand.name.upper())[extra % 3]
    family_name = (family, None, "unknown-range", KNOWN[extra % len(KNOWN)][1])[how % 4]
    return brand_name, family_name, _respelled(code, how % 8, extra), bool(extra % 2)


known_cases = st.tuples(
    st.sampled_from(KNOWN), st.integers(0, 31), st.integers(0, 99_999)
).map(_known_case)
codes = st.one_of(
    st.sampled_from(REAL_CODES),
    st.sampled_from(ODD_TEXTS),
    st.text(max_size=6),
    st.integers(),
    st.sampled_from((0, -1, True, False, 10**4299, 10**4300, -(10**5000), 2**100_000)),
)
names = st.sampled_from((None, *NAMES, *ODD_TEXTS[:100]))
odd_cases = st.tuples(names, names, codes, st.booleans())


@FUZZ
@given(st.one_of(known_cases, odd_cases))
def test_codes_never_raise(case: Case) -> None:
    """Normalisation helpers and catalog lookups answer for any text or whole number."""
    brand, family, code, flag = case
    key = normalize_code(code, strip_leading_zeros=flag)
    assert isinstance(key, str)
    assert not re.search(r"[\s\-._]", key), key
    parts = split_combined_code(code)
    assert parts is None or (
        len(parts) == 2 and all(isinstance(p, str) and p for p in parts)
    )
    zeros = is_all_zeros(code)
    assert isinstance(zeros, bool)
    assert isinstance(is_no_fault(code, zero_is_code=flag), bool)
    if zeros:
        assert is_no_fault(code), "zeros mean no fault unless they are a code"

    info = CATALOG.lookup(brand, family, code)
    assert isinstance(info, FaultInfo)
    assert isinstance(info.code, str)
    assert info.title
    assert info.meaning
    assert isinstance(info.severity, Severity)
    assert info.steps, "every answer has steps"
    json.dumps(info.to_dict(), allow_nan=False)
    assert isinstance(CATALOG.is_no_fault(brand, family, code), bool)
    for name in (CATALOG.brand_name(brand), CATALOG.family_name(brand, family)):
        assert name is None or isinstance(name, str)


# --- Regressions found by the fuzzing ----------------------------------------------------


def test_huge_number_code_does_not_raise() -> None:
    """A whole number beyond Python's int-to-text limit is an unknown code, not a crash."""
    huge = 10**5000
    assert isinstance(normalize_code(huge), str)
    assert split_combined_code(huge) is None
    assert is_all_zeros(huge) is False
    assert is_no_fault(huge) is False
    info = CATALOG.lookup("panasonic", "aquarea", huge)
    assert info.found is False
    assert CATALOG.is_no_fault("panasonic", None, huge) is False
