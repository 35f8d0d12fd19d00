"""The quick test in front of strict validation accepts nothing strict validation would refuse."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ConfigDict, TypeAdapter, ValidationError

from atakora.arguments import _predicate
from atakora.core.expressions import Expr, parameter

ANNOTATIONS: list[Any] = [
    str, int, float, bool, str | None, int | None, Literal["a", "b", 1], Literal[True, 2], Sequence[str],
    Sequence[int] | None, list[str], tuple[str, ...], Mapping[str, str], Mapping[str, Any] | None, dict[str, int],
    str | Path, str | Expr, Mapping[str, str | Expr] | None, Sequence[Sequence[str]], Callable[..., Any] | None, Any,
]
VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.floats(allow_nan=False), st.sampled_from(
        ["a", "b", "", "x y"]), st.just(Path("p")), st.just(parameter("p")), st.just(b"b"), st.just(len)),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.tuples(inner, inner),
                            st.dictionaries(st.one_of(st.sampled_from(["k", "v"]), st.integers(0, 2)), inner,
                                            max_size=2)),
    max_leaves=6)


def strict_accepts(annotation: Any, value: Any) -> bool:
    try:
        TypeAdapter(annotation, config=ConfigDict(strict=True, arbitrary_types_allowed=True)).validate_python(value)
    except ValidationError:
        return False
    return True


@settings(max_examples=400, deadline=None, derandomize=True, database=None)
@given(st.sampled_from(ANNOTATIONS), VALUES)
def test_what_the_quick_test_accepts_strict_validation_accepts(annotation: Any, value: Any) -> None:
    predicate = _predicate(annotation)
    if predicate is not None and predicate(value):
        assert strict_accepts(annotation, value), (annotation, value)


def test_the_quick_test_accepts_the_everyday_values() -> None:
    for annotation, value in [(str | Expr, "x"), (Mapping[str, Any] | None, {"a": [1]}), (Sequence[str], ["a"]),
                              (Literal["a", "b", 1], 1), (float, 2), (str | Path, Path("p"))]:
        predicate = _predicate(annotation)
        assert predicate is not None and predicate(value), (annotation, value)
    assert not _predicate(int)(True)  # type: ignore[misc]
    assert not _predicate(Literal[1])(True)  # type: ignore[misc]
