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


def normalize_code(raw: str | int, *, strip_leading_zeros: bool = False) -> str:
    """Return the lookup key for a fault code.

    Upper case, without whitespace, dashes, dots and underscores; with ``strip_leading_zeros``
    the leading zeros of every digit run are dropped too (for brands whose displays pad codes).
    The key is only for comparing: the code shown to users stays as stored in the data.
    """
    key = _SEPARATORS.sub("", str(raw)).upper()
    if strip_leading_zeros:
        key = _LEADING_ZEROS.sub("", key)
    return key


def is_no_fault(raw: str | int | None) -> bool:
    """Return True when a gateway's error value means "no fault".

    Gateways report the idle state as an empty string, zeros or words such as "No error";
    treating those as a fault would raise a spurious alarm.
    """
    if raw is None:
        return True
    text = " ".join(str(raw).split()).lower()
    return text in _NO_FAULT_TEXTS or _ALL_ZEROS.fullmatch(text) is not None
