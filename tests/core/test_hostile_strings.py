"""Strings no file system or encoder accepts are errors that name them, never raw OSError or UnicodeError."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from atakora import App, ResourceGroupStack
from atakora.backend import define_backend
from atakora.components import CrudApi, FunctionsApp, StaticSite
from atakora.core.paths import is_directory, is_file
from atakora.errors import ConfigurationError, SynthesisError

UNNAMEABLE = ["x" * 5000, "dir\x00", "\ud800"]


@pytest.mark.parametrize("path", UNNAMEABLE)
def test_a_path_no_file_system_can_name_is_neither_directory_nor_file(path: str) -> None:
    assert not is_directory(Path(path)) and not is_file(Path(path))


@pytest.mark.parametrize("path", UNNAMEABLE)
def test_an_unnameable_source_directory_is_a_configuration_error(path: str) -> None:
    handlers: dict[str, Any] = {"charge": {"trigger": "http"}}
    makers: list[Callable[[], object]] = [lambda: FunctionsApp.define("Pay", source_directory=path, functions=handlers),
                                          lambda: StaticSite.define("Web", source_directory=path)]
    for make in makers:
        with pytest.raises(ConfigurationError, match="does not exist") as raised:
            make()
        assert raised.value.field == "source_directory" and len(str(raised.value)) < 1000


@pytest.mark.parametrize("field", ["index_document", "error_document"])
def test_a_document_name_too_long_for_a_file_is_a_configuration_error(tmp_path: Path, field: str) -> None:
    (tmp_path / "index.html").write_text("hi", encoding="utf-8")
    with pytest.raises(ConfigurationError, match="is not in") as raised:
        StaticSite.define("Web", source_directory=str(tmp_path), **{field: "x" * 5000})
    assert raised.value.field == field


def test_function_methods_that_are_no_list_are_a_configuration_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="methods"):
        FunctionsApp.define("Pay", source_directory=str(tmp_path), functions={"charge": {"trigger": "http",
                                                                                           "methods": 1}})


@pytest.mark.parametrize(("api", "stack", "subscription"), [
    ({"database_name": "orders\ud800"}, "Shop", None),
    ({}, "Shop\ud800", None),
    ({}, "Shop", "\ud800"),
])
def test_half_a_surrogate_pair_anywhere_is_one_synthesis_error_showing_where(
        tmp_path: Path, api: dict[str, Any], stack: str, subscription: str | None) -> None:
    app = App(outdir=tmp_path / "out")
    backend = define_backend({"u": CrudApi.define("UserApi", entity_name="User", schema={"id": "string"}, **api)})
    extra = {"subscription_id": subscription} if subscription else {}
    backend.add_to_stack(ResourceGroupStack(app, stack, resource_group_name="rg-shop", location="eastus", **extra))
    with pytest.raises(SynthesisError, match="not valid Unicode") as raised:
        app.synth()
    assert "\\ud800" in str(raised.value)
    assert not (tmp_path / "out").exists() and [p.name for p in tmp_path.iterdir()] == []


def _deep(levels: int) -> dict[str, Any]:
    root: dict[str, Any] = {}
    current = root
    for _ in range(levels):
        current["a"] = {}
        current = current["a"]
    return root


def test_an_argument_nested_past_the_recursion_limit_is_a_configuration_error() -> None:
    levels = sys.getrecursionlimit() + 500  # whatever the limit: a check that recursed this deep would exhaust it
    with pytest.raises(ConfigurationError):
        CrudApi.define("UserApi", entity_name="User", schema={"id": "string", "extra": _deep(levels)})
    with pytest.raises(ConfigurationError):
        define_backend({"u": CrudApi.define("UserApi", entity_name="User", schema={"id": "string"})},
                       secrets=[_deep(levels)])


def test_a_recursion_error_on_a_deeply_nested_argument_names_the_nesting() -> None:
    from atakora.arguments import validated

    @validated
    def walk(value: Any) -> int:
        return 1 + walk(value["a"]) if value else 0

    assert walk(_deep(5)) == 5
    with pytest.raises(ConfigurationError, match="more than 200 levels deep"):
        walk(_deep(sys.getrecursionlimit() + 500))


def test_a_program_s_own_endless_recursion_stays_a_recursion_error() -> None:
    from atakora.arguments import validated

    @validated
    def endless(depth: int) -> int:
        return endless(depth + 1)

    with pytest.raises(RecursionError):
        endless(0)


@pytest.mark.parametrize("value", ["a\x00b", "a\r\nSet-Cookie: x=1", "bell\x07"])
def test_a_header_value_with_control_characters_is_refused(tmp_path: Path, value: str) -> None:
    (tmp_path / "index.html").write_text("hi", encoding="utf-8")
    with pytest.raises(ConfigurationError, match="is not a valid header") as raised:
        StaticSite.define("Web", source_directory=str(tmp_path), error_document=None, headers={"X-Note": value})
    assert raised.value.field == "headers"
