#!/usr/bin/env python3
"""Print how fast the knowledge base loads and answers lookups.

Figures only, not a test. Run from the repository root with the test environment's Python:
    python scripts/benchmark_knowledge.py
"""

from __future__ import annotations

from pathlib import Path
import statistics
import sys
import time
import timeit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from custom_components.heat_pump_care.knowledge import load_catalog

LOADS = 7
LOOKUPS = 200_000


def main() -> None:
    """Measure cold loads (no cache) and lookups over every stored code plus misses."""

    def median_load_ms(*, check_schema: bool) -> float:
        times = []
        for _ in range(LOADS):
            start = time.perf_counter()
            load_catalog(check_schema=check_schema)
            times.append(time.perf_counter() - start)
        return statistics.median(times) * 1000

    validated_ms = median_load_ms(check_schema=True)
    runtime_ms = median_load_ms(check_schema=False)
    catalog = load_catalog(check_schema=False)

    queries: list[tuple[str | None, str | None, str]] = []
    for brand in catalog.brands():
        for family in brand.families:
            for info in catalog.codes(brand.slug, family.slug):
                queries.append((brand.slug, family.slug, info.code.lower()))
                queries.append((brand.slug, None, f" {info.code} "))
    queries += [
        ("panasonic", "aquarea", "ZZ99"),
        (None, None, "E1"),
        ("nobrand", None, "E1"),
    ]
    lookup = catalog.lookup
    count = len(queries)

    def run() -> None:
        for brand, family, code in queries:
            lookup(brand, family, code)

    rounds = max(1, LOOKUPS // count)
    best = min(timeit.repeat(run, number=rounds, repeat=5))
    families = sum(len(brand.families) for brand in catalog.brands())
    print(f"load as Home Assistant does it (median of {LOADS}): {runtime_ms:.1f} ms")
    print(
        f"load with full schema validation (median of {LOADS}): {validated_ms:.1f} ms"
    )
    print(
        f"lookup: {best / (rounds * count) * 1e6:.2f} µs per call ({rounds * count} calls)"
    )
    print(
        f"brands: {len(catalog.brands())}, families: {families}, codes: {catalog.code_count}"
    )


if __name__ == "__main__":
    main()
