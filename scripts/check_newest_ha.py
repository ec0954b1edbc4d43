"""Check the integration against the newest Home Assistant release on PyPI.

Users run the newest release, which may need a newer Python than the tests run on. This
downloads its wheel (without installing it) and checks that every `homeassistant` name the
integration imports still exists there and is not marked deprecated, and that the integration
avoids patterns announced as deprecated. Exit 1 on a finding; exit 0 with a SKIPPED line when
the wheel cannot be downloaded.

Run: .venv/test-2026.2/bin/python scripts/check_newest_ha.py [--wheel PATH]
"""

from __future__ import annotations

import argparse
import ast
from dataclasses import dataclass
import json
from pathlib import Path
import re
import subprocess
import sys
import tempfile
import urllib.request
import zipfile

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "custom_components" / "heat_pump_care"
PYPI_JSON = "https://pypi.org/pypi/homeassistant/json"


@dataclass(frozen=True)
class Import:
    """One `from homeassistant.x import name` in the integration."""

    module: str
    name: str | None
    where: str


def integration_imports() -> list[Import]:
    """Every homeassistant module and name the integration imports."""
    found: list[Import] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            where = f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.ImportFrom):
                if (node.module or "").startswith("homeassistant"):
                    module = str(node.module)
                    found.extend(Import(module, a.name, where) for a in node.names)
            elif isinstance(node, ast.Import):  # plain "import homeassistant.x"
                found.extend(
                    Import(a.name, None, where)
                    for a in node.names
                    if a.name.startswith("homeassistant")
                )
    return found


def _module_source(wheel: zipfile.ZipFile, module: str) -> str | None:
    base = module.replace(".", "/")
    for candidate in (f"{base}.py", f"{base}/__init__.py"):
        try:
            return wheel.read(candidate).decode("utf-8")
        except KeyError:
            continue
    return None


_GUARDS = ("if ", "elif ", "else:", "try:", "except", "finally:", "with ")
_DEFINITION = re.compile(r"(?:async\s+def|def|class|type)\s+(\w+)")
_ASSIGNMENT = re.compile(r"(\w+)\s*(?::[^=]*)?=(?!=)|(\w+)\s*:\s*\S")
_IMPORT_LIST = re.compile(r"from\s+[\w.]+\s+import\s*\(([^)]*)\)", re.DOTALL)


def _top_level_lines(source: str) -> list[str]:
    """Module-level lines, including those under if/try guards (TYPE_CHECKING etc.).

    Read as text, not with ast: the newest release may use syntax newer than the Python
    running this check.
    """
    source = _IMPORT_LIST.sub(
        lambda m: "from x import " + " ".join(m.group(1).split()), source
    )
    lines, guarded = [], False
    for line in source.splitlines():
        if line and not line[0].isspace():
            guarded = line.startswith(_GUARDS)
            lines.append(line)
        elif guarded and line.startswith("    ") and not line[4].isspace():
            lines.append(line[4:])
    return lines


def _defined_names(source: str) -> set[str]:
    """Top-level names a module defines or re-exports."""
    names: set[str] = set()
    for line in _top_level_lines(source):
        if line.startswith(("from ", "import ")):
            imported = line.split(" import ", 1)[-1] if " import " in line else line[7:]
            for part in imported.replace(",", " , ").split(","):
                words = part.split()
                if words:
                    names.add(words[-1].split(".")[0])
        elif match := _DEFINITION.match(line):
            names.add(match.group(1))
        elif match := _ASSIGNMENT.match(line):
            names.add(match.group(1) or match.group(2))
    return names


def _is_deprecated(source: str, name: str) -> bool:
    """Home Assistant marks deprecations with _DEPRECATED_ constants or decorators."""
    if f"_DEPRECATED_{name}" in source:
        return True
    lines = source.splitlines()
    for index, line in enumerate(lines):
        match = _DEFINITION.match(line)
        if match and match.group(1) == name:
            decorators = []
            for previous in reversed(lines[:index]):
                if not previous.startswith("@"):
                    break
                decorators.append(previous)
            return any("deprecat" in d.lower() for d in decorators)
    return False


def check_imports(wheel: zipfile.ZipFile) -> list[str]:
    """Names missing from, or deprecated in, the newest release."""
    problems = []
    cache: dict[str, str | None] = {}
    for item in integration_imports():
        if item.module not in cache:
            cache[item.module] = _module_source(wheel, item.module)
        source = cache[item.module]
        if source is None:
            if (
                item.name is None
                or _module_source(wheel, f"{item.module}.{item.name}") is None
            ):
                problems.append(f"{item.where}: module {item.module} is gone")
            continue
        if item.name is None or _module_source(wheel, f"{item.module}.{item.name}"):
            continue
        if item.name not in _defined_names(source):
            problems.append(f"{item.where}: {item.module}.{item.name} is gone")
        elif _is_deprecated(source, item.name):
            problems.append(f"{item.where}: {item.module}.{item.name} is deprecated")
    return problems


def check_patterns() -> list[str]:
    """Patterns Home Assistant announced as deprecated for current releases."""
    sources = {
        path.relative_to(ROOT): path.read_text(encoding="utf-8")
        for path in PACKAGE.rglob("*.py")
    }
    code = "\n".join(sources.values())
    problems = []
    # Deprecated in 2026.6, an error in 2026.12: a config flow that reloads the entry
    # (async_update_reload_and_abort) together with an update listener reloads twice.
    if "add_update_listener" in code and "async_update_reload_and_abort" in code:
        problems.append(
            "update listener combined with async_update_reload_and_abort "
            "(deprecated in 2026.6, an error in 2026.12)"
        )
    for path, source in sources.items():
        if "hass.data[DOMAIN]" in source:
            problems.append(f"{path}: per-entry state in hass.data; use runtime_data")
        if "AddEntitiesCallback" in source.replace(
            "AddConfigEntryEntitiesCallback", ""
        ):
            problems.append(
                f"{path}: AddEntitiesCallback; use AddConfigEntryEntitiesCallback"
            )
    return problems


def download_newest(target: Path) -> tuple[str, Path]:
    """Download the newest homeassistant wheel; return its version and path."""
    with urllib.request.urlopen(PYPI_JSON, timeout=30) as response:
        version = json.load(response)["info"]["version"]
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--no-deps",
            "--only-binary=:all:",
            "--python-version",
            "3.14.2",
            "--dest",
            str(target),
            f"homeassistant=={version}",
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return version, next(target.glob("homeassistant-*.whl"))


def main() -> int:
    """Run the checks; print findings."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--wheel", type=Path, help="use this wheel instead of downloading"
    )
    args = parser.parse_args()
    problems = check_patterns()
    with tempfile.TemporaryDirectory() as folder:
        if args.wheel:
            version, wheel_path = args.wheel.name.split("-")[1], args.wheel
        else:
            try:
                version, wheel_path = download_newest(Path(folder))
            except (
                OSError,
                subprocess.CalledProcessError,
                StopIteration,
                KeyError,
            ) as err:
                detail = (getattr(err, "stderr", None) or str(err)).strip()
                reason = detail.splitlines()[-1] if detail else type(err).__name__
                print(
                    f"SKIPPED newest-release check: cannot download the wheel: {reason}"
                )
                for problem in problems:
                    print(f"  {problem}")
                return 1 if problems else 0
        with zipfile.ZipFile(wheel_path) as wheel:
            problems += check_imports(wheel)
    count = len({(i.module, i.name) for i in integration_imports()})
    if problems:
        print(f"newest Home Assistant ({version}): {len(problems)} problem(s)")
        for problem in problems:
            print(f"  {problem}")
        return 1
    print(
        f"newest Home Assistant ({version}): all {count} imported names present, "
        "none deprecated; no deprecated patterns"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
