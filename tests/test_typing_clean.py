"""The package type-checks under mypy --strict (pyproject's [tool.mypy])."""

from __future__ import annotations

from pathlib import Path

from mypy import api

ROOT = Path(__file__).resolve().parents[1]


def test_the_package_is_mypy_strict_clean() -> None:
    out, err, status = api.run(["--config-file", str(ROOT / "pyproject.toml"),
                                "--cache-dir", str(ROOT / ".mypy_cache" / "package"), str(ROOT / "src" / "atakora")])
    assert status == 0, out + err
