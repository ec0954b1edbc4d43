"""Command line access to the knowledge base.

Run from the repository root:
    python -m custom_components.heat_pump_care.knowledge lookup --brand panasonic --code H62
    python -m custom_components.heat_pump_care.knowledge list-brands [--json]
    python -m custom_components.heat_pump_care.knowledge validate
    python -m custom_components.heat_pump_care.knowledge generate-docs [--check]
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
import json
from pathlib import Path
import sys

from .catalog import load_catalog
from .errors import KnowledgeError
from .glossary import stale_docs, write_docs
from .models import Catalog, FaultInfo

# knowledge/ -> heat_pump_care/ -> custom_components/ -> repository root
REPO_ROOT = Path(__file__).resolve().parents[3]


def _print_fault(catalog: Catalog, info: FaultInfo) -> None:
    where = catalog.brand_name(info.brand) or "unknown brand"
    if info.family:
        where += f" / {catalog.family_name(info.brand, info.family)}"
    print(f"{info.code}: {info.title}")
    print(f"  {where}{'' if info.found else ' (not in the glossary)'}")
    print(
        f"  severity: {info.severity.value}, component: {info.component}, "
        f"technician: {'yes' if info.technician_required else 'no'}"
    )
    print(f"  {info.meaning}")
    if info.note:
        print(f"  note: {info.note}")
    print("  likely causes:")
    for cause in info.causes:
        print(f"    - {cause}")
    print("  steps:")
    for number, step in enumerate(info.steps, start=1):
        print(f"    {number}. [{step.section_title}] {step.text}")
    print(f"  tell the technician: {info.tell_technician}")
    if info.maintenance_task:
        print(f"  maintenance task: {info.maintenance_task}")
    if info.source:
        print(f"  source: {info.source}")


def _lookup(args: argparse.Namespace) -> int:
    catalog = load_catalog(args.data_dir)
    info = catalog.lookup(args.brand, args.family, args.code)
    if args.json:
        print(json.dumps(info.to_dict(), indent=2, ensure_ascii=False))
    else:
        _print_fault(catalog, info)
    return 0


def _list_brands(args: argparse.Namespace) -> int:
    catalog = load_catalog(args.data_dir)
    brands = catalog.brands()
    if args.json:
        print(
            json.dumps(
                [brand.to_dict() for brand in brands], indent=2, ensure_ascii=False
            )
        )
        return 0
    for brand in brands:
        print(f"{brand.slug} ({brand.name}): {brand.code_count} codes")
        for family in brand.families:
            print(f"  {family.slug} ({family.name}): {family.code_count} codes")
    return 0


def _validate(args: argparse.Namespace) -> int:
    catalog = load_catalog(args.data_dir)
    brands = catalog.brands()
    families = sum(len(brand.families) for brand in brands)
    print(
        f"OK: {len(catalog.guide)} guide sections, {len(brands)} brands, "
        f"{families} families, {catalog.code_count} codes"
    )
    return 0


def _generate_docs(args: argparse.Namespace) -> int:
    catalog = load_catalog(args.data_dir)
    if args.check:
        stale = stale_docs(catalog, args.root)
        for path in stale:
            print(f"out of date: {path}")
        if stale:
            print("run scripts/generate_docs to regenerate them")
        return 1 if stale else 0
    for path in write_docs(catalog, args.root):
        print(f"wrote {path}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser (exposed for tests and --help)."""
    parser = argparse.ArgumentParser(
        prog="python -m custom_components.heat_pump_care.knowledge",
        description="Look up heat pump fault codes and check the knowledge data.",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="data directory (default: the bundled data)",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    lookup = commands.add_parser("lookup", help="decode one fault code")
    lookup.add_argument("--brand", help="brand slug, e.g. panasonic")
    lookup.add_argument("--family", help="model family slug, e.g. aquarea")
    lookup.add_argument("--code", required=True, help="the code as displayed, e.g. H62")
    lookup.add_argument("--json", action="store_true", help="print JSON")
    lookup.set_defaults(handler=_lookup)

    brands = commands.add_parser(
        "list-brands", help="list brands, families and code counts"
    )
    brands.add_argument("--json", action="store_true", help="print JSON")
    brands.set_defaults(handler=_list_brands)

    validate = commands.add_parser("validate", help="load and validate every data file")
    validate.set_defaults(handler=_validate)

    docs = commands.add_parser(
        "generate-docs", help="regenerate docs/glossary and docs/guide.md"
    )
    docs.add_argument(
        "--check", action="store_true", help="only report out-of-date files"
    )
    docs.add_argument("--root", type=Path, default=REPO_ROOT, help="repository root")
    docs.set_defaults(handler=_generate_docs)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (1 on invalid data)."""
    args = build_parser().parse_args(argv)
    try:
        code: int = args.handler(args)
    except KnowledgeError as err:
        print(f"invalid knowledge data: {err}", file=sys.stderr)
        return 1
    return code


if __name__ == "__main__":
    sys.exit(main())
