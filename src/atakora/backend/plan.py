"""The sharing plan: which requirement went into which shared resource, how, and with what warnings."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..core.expressions import Expr
from .requirements import ResourceRequirement

__all__ = ["SharedResourcePlan", "SharingPlan", "plan_key", "to_plain"]


def plan_key(resource_type: str, requirement_key: str, group: str = "", bucket: int = 0) -> str:
    """``type:key``, with ``#group/n`` for the further resources of a split."""
    base = f"{resource_type}:{requirement_key}"
    tail = "/".join(p for p in (group, str(bucket + 1) if bucket else "") if p)
    return f"{base}#{tail}" if tail else base


_SCALARS: frozenset[type] = frozenset({str, int, float, bool, type(None)})
"""Exact types that are JSON as they are (the common leaves of a config)."""
_EMPTY: tuple[Any, ...] = (None, (), {})
"""Dataclass field values left out of the plan."""


def to_plain(value: Any) -> Any:
    """A JSON-able copy of a config: dataclasses become dicts, expressions a marker, tuples lists.

    Fields of a dataclass that are None or empty (``()``, ``{}``) are left out, and so are such
    members of a pydantic model's dump; a mapping's keys become strings. A dict the config holds
    more than once (one object, such as the indexing policy CrudApis of one schema share) is
    converted once, and its copy is shared the same way.
    """
    kind = type(value)
    return value if kind in _SCALARS else (_CONVERTERS.get(kind) or _converter(kind))(value, {})


_Memo = dict[int, tuple[Any, Any]]
"""The dicts converted so far in one call, by id: (the dict, kept alive so its id stays its own; its copy)."""
_Convert = Callable[[Any, _Memo], Any]
"""A converter: the value and the call's memo."""


def _plain_items(values: Any, memo: _Memo) -> list[Any]:
    return [v if (t := type(v)) in _SCALARS else (_CONVERTERS.get(t) or _converter(t))(v, memo) for v in values]


def _plain_dict(value: dict[Any, Any], memo: _Memo) -> dict[str, Any]:
    found = memo.get(id(value))
    if found is not None:
        done: dict[str, Any] = found[1]
        return done
    done = {k if type(k) is str else str(k): v if (t := type(v)) in _SCALARS else (_CONVERTERS.get(t) or _converter(t))(
        v, memo) for k, v in value.items()}
    memo[id(value)] = (value, done)
    return done


def _dataclass_converter(names: tuple[str, ...]) -> _Convert:
    def convert(value: Any, memo: _Memo) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name in names:
            item = getattr(value, name)
            kind = type(item)
            if kind in _SCALARS:
                if item is not None:
                    out[name] = item
            elif item not in _EMPTY:
                out[name] = (_CONVERTERS.get(kind) or _converter(kind))(item, memo)
        return out

    return convert


def _converter(kind: type) -> _Convert:
    """How to convert every value of exactly this type (found on its first value, then kept)."""
    convert = _CONVERTERS[kind] = _choose(kind)
    return convert


def _choose(kind: type) -> _Convert:
    if kind is dict:
        return _plain_dict
    if kind is list or kind is tuple:
        return _plain_items
    if dataclasses.is_dataclass(kind):
        return _dataclass_converter(tuple(f.name for f in dataclasses.fields(kind)))
    return _other


def _other(value: Any, memo: _Memo) -> Any:
    return _generic(value)


def _generic(value: Any) -> Any:
    """Any other value, by what it is (a Mapping, a pydantic model, a sequence, an expression)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_plain(getattr(value, f.name)) for f in dataclasses.fields(value)
                if getattr(value, f.name) not in _EMPTY}
    if isinstance(value, Mapping):
        return {str(k): to_plain(v) for k, v in value.items()}
    dump = getattr(value, "model_dump", None)  # pydantic config models (e.g. an auth setting)
    if callable(dump):
        return {k: to_plain(v) for k, v in dump(mode="json").items() if v not in (None, [], {})}
    if isinstance(value, (list, tuple)):
        return [to_plain(v) for v in value]
    if isinstance(value, Expr):
        return "<ARM expression>"
    return value


_CONVERTERS: dict[type, _Convert] = {}
"""The converter of each exact type met so far."""


@dataclass
class SharedResourcePlan:
    """One shared resource: its type, name, member components, merged config and how it was merged."""

    resource_type: str
    requirement_key: str
    name: str
    provider_id: str
    members: list[str]
    config: Any
    priority: int
    strategies: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """Facts worth knowing that are not problems (e.g. who answers CORS)."""
    group: str = ""
    """Label of the compatibility group when incompatible requirements were split ('' for the main one)."""
    bucket: int = 0
    """Index of the capacity split within the group (0 for the first resource)."""
    name_suffix: str | None = None
    """The suffix the naming convention got (requirement key, group, bucket); None for the main resource."""
    name_adaptation: str | None = None
    """How a custom naming convention's name was adapted to the type's rules (None: used as given)."""
    requirements: list[ResourceRequirement] = field(default_factory=list, repr=False)
    merged: ResourceRequirement | None = field(default=None, repr=False)

    @property
    def key(self) -> str:
        """``type:key``, with ``#group/bucket`` when the requirement key was split into several resources."""
        return plan_key(self.resource_type, self.requirement_key, self.group, self.bucket)

    @property
    def construct_suffix(self) -> str:
        """The key made safe for construct ids (``shared``, ``shared-serverless-2``)."""
        return self.key.split(":", 1)[1].replace("#", "-").replace("/", "-")

    @property
    def merged_requirement(self) -> ResourceRequirement:
        """The merged requirement the provider builds from (with every member's validators)."""
        if self.merged is not None:
            return self.merged
        return ResourceRequirement(self.resource_type, self.requirement_key, self.config, self.priority,
                                   component_id=",".join(self.members))

    def to_json(self) -> dict[str, Any]:
        """The plan entry as plain JSON."""
        return {
            "key": self.key,
            "type": self.resource_type,
            "requirementKey": self.requirement_key,
            "name": self.name,
            "provider": self.provider_id,
            "members": list(self.members),
            "group": self.group or None,
            "bucket": self.bucket,
            "config": to_plain(self.config),
            "strategies": dict(sorted(self.strategies.items())),
            "warnings": list(self.warnings),
            **({"nameAdaptation": self.name_adaptation} if self.name_adaptation else {}),
            **({"notes": list(self.notes)} if self.notes else {}),
        }


@dataclass
class SharingPlan:
    """The plan of one backend, computed before any construct exists."""

    backend_id: str
    environment: str
    components: dict[str, str]
    """component id → component type, in sorted order."""
    resources: list[SharedResourcePlan]
    warnings: list[str]
    traditional_resource_count: int
    """Top-level resources the same components would create built traditionally (one set each)."""
    access: dict[str, Any] | None = None
    """After ``add_to_stack``: the components' identities and how many roles each holds."""
    database_placements: dict[str, str] = field(default_factory=dict)
    """component id → the shared-throughput Cosmos database its container was placed in."""
    shared_throughput_highest: dict[str, int] = field(default_factory=dict)
    """Shared-throughput database → the highest RU/s it was ever given (Azure's minimum is that / 100)."""
    unshared_requirements: dict[str, ResourceRequirement] = field(default_factory=dict, repr=False)
    """The Cosmos requirements of placed components as they asked (what a traditional build creates)."""

    @property
    def shared_resource_count(self) -> int:
        """Top-level shared resources this plan creates."""
        return len(self.resources)

    def resource_for(self, component_id: str, resource_type: str, requirement_key: str) -> SharedResourcePlan:
        """The shared resource that serves ``component_id``'s requirement ``type:key``."""
        for entry in self.resources:
            if (entry.resource_type == resource_type and entry.requirement_key == requirement_key
                    and component_id in entry.members):
                return entry
        raise KeyError(f"{component_id} has no {resource_type}:{requirement_key} in the plan")

    def placements(self) -> dict[str, str]:
        """``type:key:component`` → plan key, for keeping components where they are on the next synth."""
        return {f"{e.resource_type}:{e.requirement_key}:{m}": e.key for e in self.resources for m in e.members}

    def to_json(self) -> dict[str, Any]:
        """The plan as plain JSON (written to ``plan.json``)."""
        return {
            "backendId": self.backend_id,
            "environment": self.environment,
            "components": dict(self.components),
            "resources": [r.to_json() for r in self.resources],
            "warnings": list(self.warnings),
            "summary": {
                "components": len(self.components),
                "sharedResources": self.shared_resource_count,
                "traditionalResources": self.traditional_resource_count,
            },
            **({"access": self.access} if self.access is not None else {}),
            **({"databasePlacements": dict(sorted(self.database_placements.items()))}
               if self.database_placements else {}),
            **({"sharedThroughputHighest": dict(sorted(self.shared_throughput_highest.items()))}
               if self.shared_throughput_highest else {}),
        }
