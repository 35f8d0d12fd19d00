"""Merge strategies for requirements that share one resource (design §4).

union: mappings and collections are combined (same-named entries must agree);
maximum: the highest value wins (numbers, booleans, or a ranked scale such as SKU tiers);
intersection: only what every member allows is kept (network rules, allowed origins);
priority: the higher-priority requirement wins, with a warning; equal priorities that differ are an error.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from ..core.expressions import Expr
from ..errors import MergeConflictError
from .requirements import ResourceRequirement

__all__ = ["FieldRule", "MergeOutcome", "Strategy", "merge_requirement_configs", "same_value"]

Strategy = Literal["union", "maximum", "intersection", "priority"]


@dataclass(frozen=True)
class FieldRule:
    """How one config field merges; ``scale`` ranks values for ``maximum`` (lowest first)."""

    strategy: Strategy
    scale: tuple[Any, ...] = ()


_PRIORITY = FieldRule("priority")
"""The rule of fields without one."""


@dataclass
class MergeOutcome:
    """The merged config, the strategy applied per field, and the warnings merging produced."""

    config: Any
    strategies: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def same_value(a: Any, b: Any) -> bool:
    """Whether two config values are the same: expressions only when they are one object, the rest by ==."""
    if type(a) is str and type(b) is str:  # the common case, exactly as below
        return a == b
    if isinstance(a, Expr) or isinstance(b, Expr):
        return a is b
    return bool(a == b)


_FIELD_NAMES: dict[type, tuple[str, ...] | None] = {}
"""Per config type: its dataclass field names, or None when it is not a dataclass (looked up once)."""


def _field_names(kind: type) -> tuple[str, ...] | None:
    if kind not in _FIELD_NAMES:
        _FIELD_NAMES[kind] = tuple(f.name for f in dataclasses.fields(kind)) if dataclasses.is_dataclass(kind) else None
    return _FIELD_NAMES[kind]


def _fields(config: Any) -> dict[str, Any]:
    names = _field_names(type(config))
    if names is not None:
        return {name: getattr(config, name) for name in names}
    if isinstance(config, Mapping):
        return dict(config)
    raise TypeError(f"cannot merge a config of type {type(config).__name__}; use a dataclass or a mapping")


def _rebuild(template: Any, values: dict[str, Any]) -> Any:
    if dataclasses.is_dataclass(template) and not isinstance(template, type):
        return dataclasses.replace(template, **values)
    return values


class _Merger:
    def __init__(self, label: str, members: Sequence[ResourceRequirement]) -> None:
        self.label = label
        self.members = members
        self.warnings: list[str] = []

    @property
    def kind(self) -> str:
        """The resource kind of the label ("Function App 'shared'" → 'Function App')."""
        return self.label.rsplit(" '", 1)[0] if " '" in self.label else self.label

    def conflict(self, where: str, a: tuple[ResourceRequirement, Any], b: tuple[ResourceRequirement, Any]) -> Any:
        (ra, va), (rb, vb) = a, b
        if ra.priority == rb.priority:
            raise MergeConflictError(
                f"{self.label}: components {ra.component_id!r} and {rb.component_id!r} need different values for "
                f"{where} ({_show(va)} vs {_show(vb)}) with the same priority {ra.priority}",
                fix=f"make the values agree, give one requirement a higher priority, or give one of them another "
                f"requirement_key so that each gets its own {self.kind}",
            )
        winner, loser = (a, b) if ra.priority > rb.priority else (b, a)
        self.warnings.append(
            f"{self.label}: {where}: {winner[0].component_id!r} (priority {winner[0].priority}) sets "
            f"{_show(winner[1])}, which wins over {_show(loser[1])} from {loser[0].component_id!r} "
            f"(priority {loser[0].priority})")
        return winner

    def priority(self, where: str, values: list[tuple[ResourceRequirement, Any]]) -> Any:
        """The value of the highest priority; a tie at the top with different values is an error."""
        top = max(req.priority for req, _ in values)
        leaders = [pair for pair in values if pair[0].priority == top]
        chosen = leaders[0]
        for candidate in leaders[1:]:
            if not same_value(candidate[1], chosen[1]):
                self.conflict(where, chosen, candidate)  # raises: equal priorities
        for candidate in values:
            if candidate[0].priority < top and not same_value(candidate[1], chosen[1]):
                self.conflict(where, chosen, candidate)  # records the warning
        return chosen[1]

    def maximum(self, where: str, values: list[tuple[ResourceRequirement, Any]], scale: tuple[Any, ...]) -> Any:
        def rank(value: Any) -> Any:
            if scale:
                if value not in scale:
                    raise MergeConflictError(f"{self.label}: {where} value {value!r} is not one of {list(scale)}")
                return scale.index(value)
            return value

        return max((v for _, v in values), key=rank)

    def intersection(self, where: str, values: list[tuple[ResourceRequirement, Any]]) -> Any:
        kept = list(values[0][1])
        for _, value in values[1:]:
            kept = [item for item in kept if item in value]
        if not kept and any(v for _, v in values):
            who = ", ".join(repr(r.component_id) for r, _ in values)
            self.warnings.append(f"{self.label}: {where}: the values of {who} have nothing in common, so none is kept")
        return tuple(kept)

    def union(self, where: str, values: list[tuple[ResourceRequirement, Any]]) -> Any:
        first = values[0][1]
        if isinstance(first, Mapping):
            by_key: dict[str, list[tuple[ResourceRequirement, Any]]] = {}
            for req, mapping in values:
                for key, item in mapping.items():
                    by_key.setdefault(key, []).append((req, item))
            return {k: self.priority(f"{where}[{k!r}]", found) for k, found in by_key.items()}
        by_name: dict[Any, list[tuple[ResourceRequirement, Any]]] = {}
        for req, sequence in values:
            for item in sequence:
                by_name.setdefault(_element_name(item), []).append((req, item))
        merged: list[Any] = []
        for name, found in by_name.items():
            if all(_mergeable(found[0][1], item) for _, item in found[1:]):
                entry = found[0]
                for other in found[1:]:
                    if not same_value(entry[1], other[1]):
                        entry = (entry[0], self.nested(f"{where}[{name!r}]", entry, other))
                merged.append(entry[1])
            else:
                merged.append(self.priority(f"{where}[{name!r}]", found))
        return tuple(merged)

    def nested(self, where: str, a: tuple[ResourceRequirement, Any], b: tuple[ResourceRequirement, Any]) -> Any:
        """Same-named structured entries (a database in two components) merge field by field."""
        fa, fb = _fields(a[1]), _fields(b[1])
        out: dict[str, Any] = {}
        for key in [*fa, *(k for k in fb if k not in fa)]:
            va, vb = fa.get(key), fb.get(key)
            if same_value(va, vb):
                out[key] = va
            elif isinstance(va, (tuple, list)) and isinstance(vb, (tuple, list)):
                out[key] = self.union(f"{where}.{key}", [(a[0], va), (b[0], vb)])
            elif va is None or vb is None:
                out[key] = va if vb is None else vb
            else:
                out[key] = self.conflict(f"{where}.{key}", (a[0], va), (b[0], vb))[1]
        return _rebuild(a[1], out)


def _element_name(item: Any) -> Any:
    if isinstance(item, Mapping) and "name" in item:
        return item["name"]
    name = getattr(item, "name", None)
    if isinstance(name, str):
        return name
    return item if not isinstance(item, (dict, list)) else repr(item)


def _mergeable(a: Any, b: Any) -> bool:
    return type(a) is type(b) and (dataclasses.is_dataclass(a) or isinstance(a, Mapping)) and any(
        isinstance(v, (tuple, list)) for v in _fields(a).values())


def _show(value: Any) -> str:
    if isinstance(value, Expr):
        return "an ARM expression"
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def merge_requirement_configs(label: str, members: Sequence[ResourceRequirement],
                              rules: Mapping[str, FieldRule]) -> MergeOutcome:
    """Merge the configs of ``members`` (sorted by component for order independence).

    Fields without a rule use ``priority``. ``None`` means "not stated" and never conflicts.
    """
    ordered = sorted(members, key=lambda r: (r.component_id, -r.priority))
    merger = _Merger(label, ordered)
    per_member = [(req, _fields(req.config)) for req in ordered]
    names = list(per_member[0][1])
    for _, fields_ in per_member[1:]:
        names.extend(n for n in fields_ if n not in names)
    result: dict[str, Any] = {}
    strategies: dict[str, str] = {}
    for name in names:
        stated = [(req, f[name]) for req, f in per_member if f.get(name) is not None]
        if not stated:
            result[name] = per_member[0][1].get(name)
            continue
        rule = rules.get(name, _PRIORITY)
        strategies[name] = rule.strategy
        if len(stated) == 1:
            result[name] = stated[0][1]
        elif rule.strategy == "union":
            result[name] = merger.union(name, stated)
        elif rule.strategy == "maximum":
            result[name] = merger.maximum(name, stated, rule.scale)
        elif rule.strategy == "intersection":
            result[name] = merger.intersection(name, stated)
        else:
            result[name] = merger.priority(name, stated)
    return MergeOutcome(config=_rebuild(ordered[0].config, result), strategies=strategies,
                        warnings=merger.warnings)
