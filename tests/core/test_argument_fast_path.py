"""The quick test in front of strict validation accepts nothing strict validation would refuse."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError, model_validator

from atakora.arguments import _exact_types, _fast_check, _predicate, strict_test
from atakora.core.assembly_files import PlanBackend, TemplateFile
from atakora.core.expressions import Expr, parameter


@dataclasses.dataclass(frozen=True)
class Point:
    x: int
    y: str = "a"


class Point3(Point):
    pass


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)
    level: int = 1


class CheckedSettings(BaseModel):
    level: int = 1

    @model_validator(mode="before")
    @classmethod
    def _checked(cls, value: Any) -> Any:
        return value


class RevalidatedSettings(BaseModel):
    model_config = ConfigDict(revalidate_instances="always")
    level: int = 1


ANNOTATIONS: list[Any] = [
    Point, Point | Mapping[str, Any] | None, tuple[Point, ...], Settings, Settings | Literal["a"] | None,
    CheckedSettings | None, RevalidatedSettings,
    str, int, float, bool, str | None, int | None, Literal["a", "b", 1], Literal[True, 2], Sequence[str],
    Sequence[int] | None, list[str], tuple[str, ...], Mapping[str, str], Mapping[str, Any] | None, dict[str, int],
    str | Path, str | Expr, Mapping[str, str | Expr] | None, Sequence[Sequence[str]], Callable[..., Any] | None, Any,
]
VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.floats(allow_nan=False), st.sampled_from(
        ["a", "b", "", "x y"]), st.just(Path("p")), st.just(parameter("p")), st.just(b"b"), st.just(len),
        st.just(Point(1)), st.just(Point3(2)), st.just(Point("bad", 3)),  # type: ignore[arg-type]
        st.just(Settings()), st.just(Settings.model_construct(level="bad")), st.just(CheckedSettings()),
        st.just(RevalidatedSettings.model_construct(level="bad")), st.just({"x": 1}), st.just({"level": 2})),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.tuples(inner, inner),
                            st.dictionaries(st.one_of(st.sampled_from(["k", "v"]), st.integers(0, 2)), inner,
                                            max_size=2)),
    max_leaves=6)


def strict_accepts(annotation: Any, value: Any) -> bool:
    try:
        # In a one-item tuple: a model or dataclass alone cannot take the adapter's config.
        TypeAdapter(tuple[annotation], config=ConfigDict(strict=True, arbitrary_types_allowed=True)).validate_python(
            (value,))
    except ValidationError:
        return False
    return True


@settings(max_examples=400, deadline=None, derandomize=True, database=None)
@given(st.sampled_from(ANNOTATIONS), VALUES)
def test_what_the_quick_test_accepts_strict_validation_accepts(annotation: Any, value: Any) -> None:
    predicate = _predicate(annotation)
    if predicate is not None and predicate(value):
        assert strict_accepts(annotation, value), (annotation, value)


@settings(max_examples=400, deadline=None, derandomize=True, database=None)
@given(st.sampled_from(ANNOTATIONS), VALUES)
def test_a_value_of_an_exact_type_is_one_the_quick_test_and_strict_validation_accept(annotation: Any,
                                                                                    value: Any) -> None:
    if type(value) in _exact_types(annotation):
        predicate = _predicate(annotation)
        assert predicate is None or predicate(value), (annotation, value)
        assert strict_accepts(annotation, value), (annotation, value)


def test_the_everyday_types_are_exact_and_the_lookalikes_are_not() -> None:
    assert _exact_types(int | None) == {int, type(None)}
    assert _exact_types(float) == {float, int}
    assert bool not in _exact_types(int) and _exact_types(Literal["a"]) == frozenset()
    assert _exact_types(Point | Mapping[str, Any]) == {Point}


def test_the_quick_test_accepts_the_everyday_values() -> None:
    for annotation, value in [(str | Expr, "x"), (Mapping[str, Any] | None, {"a": [1]}), (Sequence[str], ["a"]),
                              (Literal["a", "b", 1], 1), (float, 2), (str | Path, Path("p"))]:
        predicate = _predicate(annotation)
        assert predicate is not None and predicate(value), (annotation, value)
    assert not _predicate(int)(True)  # type: ignore[misc]
    assert not _predicate(Literal[1])(True)  # type: ignore[misc]


def test_dataclass_and_model_instances_pass_the_quick_test_and_others_go_to_pydantic() -> None:
    assert _predicate(Point | Mapping[str, Any] | None)(Point3(1))  # type: ignore[misc]
    assert _predicate(tuple[Point, ...])((Point(1), Point(2)))  # type: ignore[misc]
    assert _predicate(Settings | None)(Settings())  # type: ignore[misc]
    assert not _predicate(Point)({"x": 1})  # type: ignore[misc]
    assert _predicate(CheckedSettings) is None
    assert _predicate(RevalidatedSettings) is None
    for annotation, value in [(Point, Point("bad", 3)), (Point, Point3(1)), (Settings, Settings.model_construct(
            level="bad"))]:  # type: ignore[arg-type]
        assert _predicate(annotation)(value) and strict_accepts(annotation, value)  # type: ignore[misc]
    assert not strict_accepts(RevalidatedSettings, RevalidatedSettings.model_construct(level="bad"))


def _entry(scope: Any, name: str, /, kind: str, *, size: int, label: str | None = None, extra: Any = None) -> None:
    """An entry point's shape: positional-only, positional, keyword-only, optional and untyped parameters."""


def test_the_quick_test_leaves_every_malformed_call_to_strict_validation() -> None:
    accepts = _fast_check(_entry)
    assert accepts is not None
    assert accepts((object(), "n", "k"), {"size": 1})
    assert accepts((object(), "n"), {"kind": "k", "size": 1, "label": None, "extra": object()})
    cases: list[tuple[tuple[Any, ...], dict[str, Any]]] = [
        ((object(), "n"), {"size": 1}),  # kind missing
        ((object(), "n", "k"), {"size": True}),  # a bool is not an int
        ((object(), "n", "k"), {"size": 1, "kind": "k"}),  # kind twice
        ((object(),), {"name": "n", "kind": "k", "size": 1}),  # a positional-only parameter by keyword
        ((object(), "n", "k"), {"size": 1, "colour": "red"}),  # unknown keyword
        ((object(), "n", "k", 1), {"size": 1}),  # too many positional arguments
        ((object(), 5, "k"), {"size": 1}), ((object(), "n", "k"), {"size": 1, "label": 3})]
    for args, kwargs in cases:
        assert not accepts(args, kwargs), (args, kwargs)


def test_a_function_without_a_quick_test_looks_for_one_only_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from atakora import arguments

    looked: list[object] = []
    monkeypatch.setattr(arguments, "_fast_check", lambda func: looked.append(func) or None)

    @arguments.validated
    def take(count: int) -> int:
        return count

    assert [take(1), take(2), take(3)] == [1, 2, 3]
    assert len(looked) == 1


TYPED_VALUES = st.dictionaries(st.sampled_from(["backendId", "environment", "resources", "databasePlacements", "key",
                                                "type", "requirementKey", "members", "extra"]),
                               st.one_of(st.sampled_from(["a", "", 1, True, None]), st.lists(
                                   st.dictionaries(st.sampled_from(["key", "type", "requirementKey", "members"]),
                                                   st.one_of(st.just("a"), st.just(["m"]), st.just(1)), max_size=4),
                                   max_size=2), st.dictionaries(st.sampled_from(["a", "b"]), st.sampled_from(["x", 2]),
                                                                max_size=2)), max_size=5)


@settings(max_examples=400, deadline=None, derandomize=True, database=None)
@given(st.sampled_from([PlanBackend, TemplateFile]), TYPED_VALUES)
def test_a_typed_dict_s_quick_test_accepts_only_what_strict_validation_accepts(shape: Any, value: Any) -> None:
    test = strict_test(shape)
    assert test is not None
    if test(value):
        assert strict_accepts(shape, value), (shape, value)


def test_a_typed_dict_s_quick_test_reads_which_keys_are_not_required() -> None:
    test = strict_test(PlanBackend)
    assert test is not None
    assert test({"backendId": "b", "environment": "dev", "other": [1]})
    assert not test({"backendId": "b"})
    assert not test({"backendId": "b", "environment": "dev", "resources": [{"key": "k"}]})
