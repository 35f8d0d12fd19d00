"""Shared test fixtures: golden files for synthesized JSON."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

GOLDEN_DIR = Path(__file__).parent / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite golden files from current output")


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[str, Any], None]:
    """Compare JSON-able data with tests/golden/<name>.json; --update-golden (or ATAKORA_UPDATE_GOLDEN=1) rewrites."""
    update = request.config.getoption("--update-golden") or os.environ.get("ATAKORA_UPDATE_GOLDEN") == "1"

    def check(name: str, data: Any) -> None:
        path = GOLDEN_DIR / f"{name}.json"
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            return
        if not path.exists():
            pytest.fail(f"golden file {path} is missing; run pytest --update-golden to create it")
        assert json.loads(path.read_text(encoding="utf-8")) == data, (
            f"output differs from {path}; if the change is intended, run pytest --update-golden")

    return check
