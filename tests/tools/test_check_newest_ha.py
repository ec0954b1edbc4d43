"""The newest-release check finds removed and deprecated names, and passes today."""

from __future__ import annotations

import io
from pathlib import Path
import zipfile

import homeassistant
import pytest

from scripts import check_newest_ha as check


def _wheel(files: dict[str, str]) -> zipfile.ZipFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return zipfile.ZipFile(buffer)


def test_installed_release_passes() -> None:
    """Against the Home Assistant the tests run on, every imported name is present."""
    root = Path(homeassistant.__file__).parent
    files = {
        f"homeassistant/{path.relative_to(root)}": path.read_text(encoding="utf-8")
        for path in root.rglob("*.py")
        if "/components/" not in str(path)
        or any(
            f"/components/{c}/" in str(path)
            for c in (
                "sensor",
                "binary_sensor",
                "event",
                "diagnostics",
                "repairs",
                "button",
                "calendar",
                "todo",
                "mqtt",
            )
        )
    }
    assert check.check_imports(_wheel(files)) == []


def test_missing_and_deprecated_names_are_reported(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A removed name, a removed module and a deprecated name are each reported."""
    monkeypatch.setattr(
        check,
        "integration_imports",
        lambda: [
            check.Import("homeassistant.core", "HomeAssistant", "a.py:1"),
            check.Import("homeassistant.core", "callback", "a.py:2"),
            check.Import("homeassistant.core", "OldThing", "a.py:3"),
            check.Import("homeassistant.gone", "X", "a.py:4"),
            check.Import("homeassistant.core", "CONST", "a.py:5"),
        ],
    )
    core = (
        "from typing import Any\n"
        "if TYPE_CHECKING:\n    CONST: int = 1\n"
        "class HomeAssistant:\n    def OldThing(self): ...\n"
        "@deprecated_function('use something else')\ndef callback(x): ...\n"
        "try:\n    pass\nexcept KeyError, ValueError:\n    pass\n"
    )
    problems = check.check_imports(_wheel({"homeassistant/core.py": core}))
    assert problems == [
        "a.py:2: homeassistant.core.callback is deprecated",
        "a.py:3: homeassistant.core.OldThing is gone",
        "a.py:4: module homeassistant.gone is gone",
    ]


def test_deprecated_patterns(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """An update listener next to a reloading config flow is flagged."""
    (tmp_path / "__init__.py").write_text("entry.add_update_listener(reload)\n")
    (tmp_path / "config_flow.py").write_text("self.async_update_reload_and_abort(e)\n")
    monkeypatch.setattr(check, "PACKAGE", tmp_path)
    monkeypatch.setattr(check, "ROOT", tmp_path)
    assert any("2026.12" in problem for problem in check.check_patterns())
    (tmp_path / "__init__.py").write_text("pass\n")
    assert check.check_patterns() == []
