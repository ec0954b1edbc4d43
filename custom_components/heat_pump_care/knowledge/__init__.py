"""Fault-code knowledge for Heat Pump Care: decoded meanings, severity and repair steps.

Plain Python: this package never imports Home Assistant, so it can be tested and used alone.
"""

from __future__ import annotations

from .catalog import load_catalog, load_default_catalog
from .errors import KnowledgeError
from .models import (
    BrandInfo,
    Catalog,
    FamilyInfo,
    FaultInfo,
    GuideSection,
    RepairStep,
    Severity,
    slugify,
)
from .normalize import is_no_fault, normalize_code

__all__ = [
    "BrandInfo",
    "Catalog",
    "FamilyInfo",
    "FaultInfo",
    "GuideSection",
    "KnowledgeError",
    "RepairStep",
    "Severity",
    "is_no_fault",
    "load_catalog",
    "load_default_catalog",
    "normalize_code",
    "slugify",
]
