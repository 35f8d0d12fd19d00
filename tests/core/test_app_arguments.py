"""App(...) checks its own arguments: a wrong one is a ConfigurationError naming it, never a raw exception."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from atakora import App
from atakora.errors import ConfigurationError


@pytest.mark.parametrize(("arguments", "field"), [
    ({"outdir": 0}, "outdir"),
    ({"outdir": b"out"}, "outdir"),
    ({"outdir": "out\x00"}, "outdir"),
    ({"outdir": "out\ud800"}, "outdir"),
    ({"context": 5}, "context"),
    ({"context": {1: "x"}}, "context"),
    ({"rules": None}, "rules"),
    ({"rules": "AZ-1"}, "rules"),
    ({"rules": [1]}, "rules"),
    ({"project_id": 1}, "project_id"),
    ({"project_id": " "}, "project_id"),
    ({"project_id": "shop\x00"}, "project_id"),
    ({"project_id": "\ud800"}, "project_id"),
])
def test_a_wrong_app_argument_is_a_configuration_error_naming_it(arguments: dict[str, Any], field: str) -> None:
    with pytest.raises(ConfigurationError) as raised:
        App(**arguments)
    assert raised.value.field == field and raised.value.fix


def test_a_project_id_from_the_context_is_checked_when_read() -> None:
    app = App(context={"atakora:projectId": "\x00"})
    with pytest.raises(ConfigurationError, match="project id"):
        _ = app.project_id


def test_well_formed_arguments_are_kept_as_given(tmp_path: Path) -> None:
    app = App(outdir=tmp_path / "out", context={"k": 1}, rules=[], project_id="shop-7f3k2a")
    assert app.outdir == tmp_path / "out" and app.project_id == "shop-7f3k2a"
    assert app.node.try_get_context("k") == 1
