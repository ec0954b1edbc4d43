"""Fixtures for the knowledge tests."""

from __future__ import annotations

import json
from pathlib import Path
import shutil
from typing import Any, Protocol

import pytest

from custom_components.heat_pump_care.knowledge import Catalog, load_default_catalog
from custom_components.heat_pump_care.knowledge.catalog import DATA_DIR

REPO_ROOT = Path(__file__).resolve().parents[2]


class WriteBrand(Protocol):
    """Signature of the write_brand fixture."""

    def __call__(
        self, content: dict[str, Any] | str, name: str = "testbrand"
    ) -> Path: ...


@pytest.fixture(name="catalog")
def catalog_fixture() -> Catalog:
    """The bundled catalog (cached per process)."""
    return load_default_catalog()


def code_entry(**overrides: Any) -> dict[str, Any]:
    """A valid code entry; keyword arguments replace or (with None) drop fields."""
    entry: dict[str, Any] = {
        "title": "Test sensor fault",
        "meaning": "A test meaning in our own words.",
        "severity": "warning",
        "component": "sensor",
        "causes": ["Sensor failed"],
        "technician": True,
        "tell_technician": "Error T1 on my test heat pump.",
        "maintenance_task": None,
        "source": "https://example.org/manual",
    }
    for key, value in overrides.items():
        if value is None and key != "maintenance_task":
            entry.pop(key, None)
        else:
            entry[key] = value
    return entry


def brand_file(
    families: dict[str, dict[str, dict[str, Any]]],
    *,
    brand: str = "testbrand",
    strip_leading_zeros: bool = False,
) -> dict[str, Any]:
    """A brand document with the given family -> code -> entry mapping."""
    return {
        "brand": brand,
        "name": brand.title(),
        "strip_leading_zeros": strip_leading_zeros,
        "families": {
            slug: {"name": f"{slug.title()} range", "codes": codes}
            for slug, codes in families.items()
        },
    }


@pytest.fixture(name="data_dir")
def data_dir_fixture(tmp_path: Path) -> Path:
    """A data directory with the real guide and components but no brand files."""
    root = tmp_path / "data"
    (root / "brands").mkdir(parents=True)
    shutil.copy(DATA_DIR / "guide.json", root / "guide.json")
    shutil.copy(DATA_DIR / "components.json", root / "components.json")
    return root


@pytest.fixture(name="write_brand")
def write_brand_fixture(data_dir: Path) -> WriteBrand:
    """Write a brand file (a dict as JSON, or raw text) into the temporary data dir."""

    def write(content: dict[str, Any] | str, name: str = "testbrand") -> Path:
        path = data_dir / "brands" / f"{name}.json"
        text = content if isinstance(content, str) else json.dumps(content)
        path.write_text(text, encoding="utf-8")
        return path

    return write
