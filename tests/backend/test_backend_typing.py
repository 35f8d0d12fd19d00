"""Static typing: mypy and pyright know backend.components.user_api is a CrudApi and flag a typo."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

TYPING = Path(__file__).parents[1] / "typing"
GOOD = TYPING / "typed_backend.py"
TYPO = TYPING / "typed_backend_typo.py"
CACHE = Path(__file__).parents[2] / ".mypy_cache" / "backend-typing"


def _mypy(path: Path) -> tuple[str, int]:
    from mypy import api

    stdout, stderr, status = api.run(["--strict", "--no-error-summary", "--cache-dir", str(CACHE),
                                      "--python-executable", sys.executable, str(path)])
    return stdout + stderr, status


def test_mypy_accepts_typed_component_access() -> None:
    output, status = _mypy(GOOD)
    assert status == 0, output


def test_mypy_flags_a_typo_in_a_component_name() -> None:
    output, status = _mypy(TYPO)
    assert status == 1, output
    assert "user_ap" in output and "typed_backend_typo.py:14" in output, output
    assert 'maybe "user_api"' in output


def _pyright(*paths: Path) -> dict[str, object]:
    executable = shutil.which("pyright", path=str(Path(sys.executable).parent)) or shutil.which("pyright")
    if executable is None:
        pytest.skip("pyright is not installed")
    try:
        result = subprocess.run([executable, "--outputjson", "--pythonpath", sys.executable, *map(str, paths)],
                                capture_output=True, text=True, timeout=120, check=False)
    except subprocess.TimeoutExpired:
        pytest.skip("pyright did not finish in 120 s (it may be trying to download its runtime without network)")
    try:
        report: dict[str, object] = json.loads(result.stdout)
    except ValueError:
        pytest.skip(f"pyright could not run offline: {(result.stderr or result.stdout).strip()[:300]}")
    return report


def test_pyright_accepts_typed_component_access_and_flags_the_typo() -> None:
    report = _pyright(GOOD, TYPO)
    errors = [d for d in report["generalDiagnostics"] if d["severity"] == "error"]  # type: ignore[attr-defined]
    assert [Path(e["file"]).name for e in errors] == ["typed_backend_typo.py"], errors
    assert '"user_ap"' in errors[0]["message"], errors
