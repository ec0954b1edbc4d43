"""Normalisation of fault codes as gateways and displays report them."""

from __future__ import annotations

import re

# Separators that displays and gateways put into codes inconsistently ("F.685", "H-15", "CH 05").
_SEPARATORS = re.compile(r"[\s\-._]+")
# A run of zeros that starts a digit run and is followed by another digit ("CH05" -> "CH5",
# "007" -> "7"); a lone "0" or zeros inside a number ("E101", "100") are kept.
_LEADING_ZEROS = re.compile(r"(?<!\d)0+(?=\d)")
# Texts gateways send when nothing is wrong; compared after lower-casing and collapsing spaces.
_NO_FAULT_TEXTS = frozenset(
    {
        "",
        "-",
        "--",
        "none",
        "null",
        "ok",
        "normal",
        "no error",
        "no errors",
        "no fault",
        "no faults",
        "no alarm",
        "no abnormality",
    }
)
_ALL_ZEROS = re.compile(r"0+")
# Combined display codes: "A11/1010", "A21(806)" (display code and cause code, as Bosch/Buderus
# EMS displays and EMS-ESP show them) and, only in the shape display code + 3-4 digit cause
# code, "A11-3071" (a dash is otherwise just a separator: "H-15" is H15).
_COMBINED_SLASH = re.compile(r"^([^/()]+)/([^/()]+)$")
_COMBINED_PAREN = re.compile(r"^([^/()]+)\(([^/()]+)\)$")
_COMBINED_DASH = re.compile(r"^([A-Za-z]{1,2}\d{1,3})-(\d{3,4})$")


# Shown instead of a whole number too long for Python to turn into text (over 4300 digits).
TOO_LONG_NUMBER = "(number too long)"


def code_text(raw: str | int) -> str:
    """Return a code as text; never raises, even for a whole number of thousands of digits."""
    try:
        return str(raw)
    except ValueError:
        return TOO_LONG_NUMBER


def normalize_code(raw: str | int, *, strip_leading_zeros: bool = False) -> str:
    """Return the lookup key for a fault code.

    Upper case, without whitespace, dashes, dots and underscores; with ``strip_leading_zeros``
    the leading zeros of every digit run are dropped too (for brands whose displays pad codes).
    The key is only for comparing: the code shown to users stays as stored in the data.
    """
    key = _SEPARATORS.sub("", code_text(raw)).upper()
    if strip_leading_zeros:
        key = _LEADING_ZEROS.sub("", key)
    return key


def split_combined_code(raw: str | int) -> tuple[str, str] | None:
    """Split a combined display code into (display part, cause part), or return None.

    ``"A11/1010"``, ``"A21 (806)"`` and ``"A11-3071"`` give ``("A11", "1010")``,
    ``("A21", "806")`` and ``("A11", "3071")``; anything else (``"H-15"``, ``"E101"``) None.
    """
    text = "".join(code_text(raw).split())
    for pattern in (_COMBINED_SLASH, _COMBINED_PAREN, _COMBINED_DASH):
        match = pattern.match(text)
        if match:
            return match.group(1), match.group(2)
    return None


def is_all_zeros(raw: str | int) -> bool:
    """Return True for a value made of zeros only ("0", "00", 0), ignoring whitespace."""
    return _ALL_ZEROS.fullmatch("".join(code_text(raw).split())) is not None


def is_no_fault(raw: str | int | None, *, zero_is_code: bool = False) -> bool:
    """Return True when a gateway's error value means "no fault".

    Gateways report the idle state as an empty string, zeros or words such as "No error";
    treating those as a fault would raise a spurious alarm. A few controllers number a real
    alarm 0 (the IVT Rego 600 series: alarm 0 is the GT1 sensor); pass ``zero_is_code=True``
    for them and zeros are a code, not "no fault". :meth:`Catalog.is_no_fault` decides this
    from the data for a brand and family.
    """
    if raw is None:
        return True
    text = " ".join(code_text(raw).split()).lower()
    if text in _NO_FAULT_TEXTS:
        return True
    return not zero_is_code and _ALL_ZEROS.fullmatch(text) is not None
