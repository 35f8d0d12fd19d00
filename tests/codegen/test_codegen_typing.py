"""The code generator itself is mypy --strict and ruff clean."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).parents[2] / "src" / "atakora" / "components" / "codegen"


def test_the_codegen_package_is_mypy_strict_clean() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--follow-imports=silent", str(PACKAGE)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=PACKAGE.parents[3],
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_codegen_package_is_ruff_clean() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", str(PACKAGE)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=PACKAGE.parents[3],
    )
    assert result.returncode == 0, result.stdout + result.stderr
