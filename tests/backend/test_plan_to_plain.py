"""The plan's configs become plain JSON: the same data the generic conversion gave, by each value's exact type."""

from __future__ import annotations

import dataclasses
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from atakora.backend.plan import to_plain
from atakora.backend.requirements import ContainerRequirement, CosmosRequirementConfig, DatabaseRequirement
from atakora.core.expressions import Expr, parameter


def _reference(value: Any) -> Any:
    """The conversion as it was written first: every value walked generically."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _reference(getattr(value, f.name)) for f in dataclasses.fields(value)
                if getattr(value, f.name) not in (None, (), {})}
    if isinstance(value, Mapping):
        return {str(k): _reference(v) for k, v in value.items()}
    dump = getattr(value, "model_dump", None)
    if callable(dump):
        return {k: _reference(v) for k, v in dump(mode="json").items() if v not in (None, [], {})}
    if isinstance(value, (list, tuple)):
        return [_reference(v) for v in value]
    if isinstance(value, Expr):
        return "<ARM expression>"
    return value


class _Auth(BaseModel):
    kind: str = "entra"
    audiences: list[str] = []
    tenant: str | None = None


class _Name(str):
    pass


@dataclass(frozen=True)
class _Custom:
    label: _Name
    flags: list[bool] = field(default_factory=list)
    extra: Mapping[Any, Any] = field(default_factory=dict)
    auth: _Auth | None = None
    when: Expr | None = None
    nested: tuple[Any, ...] = ()
    zero: int = 0
    off: bool = False


@dataclass(frozen=True)
class _Derived(_Custom):
    more: float | None = 1.5


def _samples() -> list[Any]:
    cosmos = CosmosRequirementConfig(databases=(DatabaseRequirement("db", (ContainerRequirement(
        "c", unique_keys=(("/a", "/b"),), indexing_policy={"compositeIndexes": [[{"path": "/x", "order": "ascending"}]]}),
    )),), capabilities=("EnableServerless",))
    custom = _Custom(_Name("n"), [True], OrderedDict([(1, (2, 3)), (_Name("k"), {None: parameter("p")})]),
                     _Auth(audiences=["api"]), parameter("q"), (cosmos, [], {}, ()))
    return [cosmos, custom, _Derived(_Name("d"), nested=(custom,)), {"a": (1, {"b": [None]})}, [custom, 2.5],
            "text", 3, None, parameter("r"), _Custom]


def test_each_config_converts_to_what_the_generic_conversion_gave() -> None:
    for sample in _samples():
        assert to_plain(sample) == _reference(sample)
        assert type(to_plain(sample)) is type(_reference(sample))


def test_a_converted_config_holds_no_tuples_and_leaves_empty_fields_out() -> None:
    plain = to_plain(_Custom(_Name("n"), nested=((1, 2),)))
    assert plain == {"label": "n", "flags": [], "nested": [[1, 2]], "zero": 0, "off": False}
    assert type(plain["nested"][0]) is list


def test_a_dict_the_config_holds_twice_is_converted_once_into_one_copy() -> None:
    policy = {"compositeIndexes": [[{"path": "/a", "order": "ascending"}, {"path": "/id", "order": "ascending"}]]}
    config = CosmosRequirementConfig(databases=(DatabaseRequirement("db", (
        ContainerRequirement("a", indexing_policy=policy), ContainerRequirement("b", indexing_policy=policy))),))
    plain = to_plain(config)
    first, second = (c["indexing_policy"] for c in plain["databases"][0]["containers"])
    assert first == second == policy
    assert first is second and first is not policy
    assert plain == _reference(config)
    assert to_plain(config)["databases"][0]["containers"][0]["indexing_policy"] is not first  # one memo per call
