"""The generated glossary and guide in docs/ match the data."""

from __future__ import annotations

from custom_components.heat_pump_care.knowledge import Catalog
from custom_components.heat_pump_care.knowledge.glossary import render_docs, stale_docs

from .conftest import REPO_ROOT


def test_generated_docs_are_up_to_date(catalog: Catalog) -> None:
    """Fails when data changed without regenerating the Markdown."""
    stale = stale_docs(catalog, REPO_ROOT)
    assert not stale, (
        f"generated docs are out of date: {', '.join(stale)}; run scripts/generate_docs"
    )


def test_render_is_deterministic(catalog: Catalog) -> None:
    """Same data, same text: the comparison above is meaningful."""
    first = render_docs(catalog)
    assert first == render_docs(catalog)
    assert {
        "docs/glossary/README.md",
        "docs/guide.md",
        "docs/glossary/panasonic.md",
    } <= set(first)
    panasonic = first["docs/glossary/panasonic.md"]
    assert "### H62: Water flow switch fault" in panasonic
    assert "(../guide.md#safety_first)" in panasonic
    assert '<a id="safety_first"></a>' in first["docs/guide.md"]
    assert "[Panasonic](panasonic.md)" in first["docs/glossary/README.md"]
