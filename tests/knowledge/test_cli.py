"""The command line: lookup, list-brands, validate, generate-docs."""

from __future__ import annotations

import json
from pathlib import Path
import subprocess
import sys

import pytest

from custom_components.heat_pump_care.knowledge.__main__ import main

from .conftest import REPO_ROOT, WriteBrand, brand_file, code_entry

MODULE = "custom_components.heat_pump_care.knowledge"


def test_lookup_text(capsys: pytest.CaptureFixture[str]) -> None:
    """A found code is printed with its steps and guide sections."""
    assert (
        main(["lookup", "--brand", "panasonic", "--family", "aquarea", "--code", "h62"])
        == 0
    )
    out = capsys.readouterr().out
    assert out.startswith("H62: Water flow switch fault")
    assert "1. [Safety first]" in out
    assert "maintenance task: clean_strainer" in out


def test_lookup_json(capsys: pytest.CaptureFixture[str]) -> None:
    """--json prints the FaultInfo dict."""
    assert main(["lookup", "--brand", "panasonic", "--code", "F95", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["found"] is True
    assert data["code"] == "F95"
    assert data["family_uncertain"] is True


def test_lookup_unknown_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    """Unknown codes are an answer, not an error."""
    assert main(["lookup", "--brand", "nobrand", "--code", "U4", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["found"] is False
    assert data["title"] == "Unknown code U4"


def test_list_brands(capsys: pytest.CaptureFixture[str]) -> None:
    """Brands, families and counts, as text and JSON."""
    assert main(["list-brands"]) == 0
    assert "aquarea (Aquarea air-to-water): " in capsys.readouterr().out
    assert main(["list-brands", "--json"]) == 0
    brands = {b["slug"]: b for b in json.loads(capsys.readouterr().out)}
    assert brands["panasonic"]["families"][0]["slug"] == "aquarea"
    assert brands["panasonic"]["code_count"] > 50


def test_validate_ok(capsys: pytest.CaptureFixture[str]) -> None:
    """Valid data prints counts and exits 0."""
    assert main(["validate"]) == 0
    assert capsys.readouterr().out.startswith("OK: 12 guide sections, ")


def test_validate_invalid(
    capsys: pytest.CaptureFixture[str], data_dir: Path, write_brand: WriteBrand
) -> None:
    """Invalid data exits 1 with the message naming file and code."""
    write_brand(brand_file({"range": {"T1": code_entry(severity="bad")}}))
    assert main(["--data-dir", str(data_dir), "validate"]) == 1
    err = capsys.readouterr().err
    assert "brands/testbrand.json: family 'range', code 'T1', field 'severity'" in err


def test_generate_docs_check_and_write(
    capsys: pytest.CaptureFixture[str],
    data_dir: Path,
    write_brand: WriteBrand,
    tmp_path: Path,
) -> None:
    """--check reports stale files; without it they are written."""
    write_brand(brand_file({"range": {"T1": code_entry()}}))
    root = tmp_path / "repo"
    args = ["--data-dir", str(data_dir), "generate-docs", "--root", str(root)]
    assert main([*args, "--check"]) == 1
    assert "run scripts/generate_docs" in capsys.readouterr().out
    assert main(args) == 0
    assert "wrote docs/glossary/testbrand.md" in capsys.readouterr().out
    assert main([*args, "--check"]) == 0
    (root / "docs/glossary/gone.md").write_text("old", encoding="utf-8")
    assert main([*args, "--check"]) == 1
    assert main(args) == 0
    assert not (root / "docs/glossary/gone.md").exists()


def test_module_runs_as_script() -> None:
    """python -m works from the repository root (imports the parent package first)."""
    # Fixed argv of this interpreter, no shell: nothing untrusted is executed.
    result = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-m",
            MODULE,
            "lookup",
            "--brand",
            "panasonic",
            "--code",
            "H62",
            "--json",
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["found"] is True
