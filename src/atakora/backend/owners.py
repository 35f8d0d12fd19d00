"""Which component made each resource: the ``components.json`` artifact that ``atakora diff`` groups by.

Resources a provider creates for a shared entry belong to the entry's members; a Cosmos database or
container belongs to the members that asked for it; resources a component creates itself belong to it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from ..core.app import App
from ..core.construct import Construct
from ..core.resource import Resource
from ..core.synthesis.indented import LazyDict
from .plan import SharedResourcePlan

__all__ = ["OwnerTracker", "owners_artifact", "owners_document"]

_DATABASE = "microsoft.documentdb/databaseaccounts/sqldatabases"
_CONTAINER = "microsoft.documentdb/databaseaccounts/sqldatabases/containers"


_ENTITIES = {"microsoft.servicebus/namespaces/queues": "queues", "microsoft.servicebus/namespaces/topics": "topics"}
"""Service Bus entities by the config field that asks for them."""


def _asked_for(members: list[str], resource: Resource, index: dict[tuple[str, str | None], list[str]]) -> list[str]:
    """The ``members`` of an entry that asked for this Cosmos database or container, or Service Bus queue or
    topic (all of them for any other resource). Lists are shared: owners are read, never changed."""
    kind = resource.resource_type.lower()
    if kind in _ENTITIES:
        return index.get((f"#{_ENTITIES[kind]}", str(resource.name_segments[-1]))) or members
    if kind not in (_DATABASE, _CONTAINER):
        return members
    segments = [str(s) for s in resource.name_segments]
    key = (segments[1], segments[2] if kind == _CONTAINER else None)
    return index.get(key) or members


def _member(value: Any, name: str) -> Any:
    """A member of a config given as a mapping or as a dataclass."""
    if hasattr(type(value), "__dataclass_fields__"):  # the built-in configs: no Mapping check
        return getattr(value, name, None)
    return value.get(name) if isinstance(value, Mapping) else getattr(value, name, None)


def _askers(entry: SharedResourcePlan) -> dict[tuple[str, str | None], list[str]]:
    """``{(database, container or None): sorted members}`` from the entry's requirements (each read once)."""
    found: dict[tuple[str, str | None], set[str]] = {}
    same = {member: member for member in entry.members}  # the entry's strings, not copies split off
    for requirement in entry.requirements:
        members = [same.get(m, m) for m in requirement.component_id.split(",")]
        for db in _member(requirement.config, "databases") or ():
            name = _member(db, "name")
            found.setdefault((name, None), set()).update(members)
            for container in _member(db, "containers") or ():
                found.setdefault((name, _member(container, "name")), set()).update(members)
        for field in _ENTITIES.values():
            for entity in _member(requirement.config, field) or ():
                found.setdefault((f"#{field}", _member(entity, "name")), set()).update(members)
    single = {member: [member] for member in entry.members}  # one list per lone asker, shared by its resources
    out: dict[tuple[str, str | None], list[str]] = {}
    for key, askers in found.items():
        only = single.get(next(iter(askers))) if len(askers) == 1 else None
        out[key] = only if only is not None else sorted(askers)
    return out


class OwnerTracker:
    """Records, for one backend scope, the resources created while a shared entry or a component was built."""

    def __init__(self, scope: Construct) -> None:
        self.scope = scope
        # Two parallel lists, in creation order: a pointer per resource and entry instead of a dict entry, a
        # tuple and an int each (every resource of a backend is recorded once).
        self._resources: list[Resource] = []
        self._members: list[list[str]] = []
        app = scope.node.find_ancestor(App)
        # Every resource of the app in creation order (the App records them): a mark instead of tree walks.
        self._created: list[Resource] = app.created_resources if app is not None else []
        self._mark = len(self._created)
        self._prefix = scope.node.path + "/"

    def _new(self) -> list[Resource]:
        prefix = self._prefix
        fresh = [r for r in self._created[self._mark:] if r.node.path.startswith(prefix)]
        self._mark = len(self._created)
        return fresh

    def entry_built(self, entry: SharedResourcePlan) -> None:
        """Resources created since the last call belong to ``entry``'s members."""
        fresh = self._new()
        index = _askers(entry) if fresh else {}
        members = list(entry.members)
        self._resources.extend(fresh)
        self._members.extend(_asked_for(members, resource, index) for resource in fresh)

    def component_built(self, component_id: str) -> None:
        """Resources created since the last call belong to ``component_id``."""
        fresh = self._new()
        self._resources.extend(fresh)
        self._members.extend([[component_id]] * len(fresh))  # one list, shared

    @property
    def owners(self) -> dict[int, tuple[Resource, list[str]]]:
        """``{id(resource): (resource, member ids)}`` for every resource recorded (a new dict on each call)."""
        return {id(resource): (resource, members) for resource, members in zip(self._resources, self._members)}

    def stacks(self) -> set[str]:
        """The paths of the stacks that hold a resource recorded."""
        return {resource.stack.node.path for resource in self._resources}

    def by_stack(self, only: str | None = None) -> dict[str, dict[str, str]]:
        """``{stack path: {"<type> <name>": "A,B"}}`` for every resource with a literal name (``only``: in that
        stack)."""
        out: dict[str, dict[str, str]] = {}
        for resource, members in zip(self._resources, self._members):
            path = resource.stack.node.path
            if only is not None and path != only:
                continue
            try:
                name = "/".join(resource.name_segments)  # type: ignore[arg-type]
            except TypeError:  # a segment is an expression: no literal name
                continue
            found = out.get(path)
            if found is None:
                found = out[path] = {}
            found[f"{resource.resource_type} {name}"] = ",".join(members)
        return out


def owners_artifact(trackers: Iterable[OwnerTracker], protected: Iterable[str] = ()) -> dict[str, Any]:
    """The ``components.json`` artifact of every backend of an app (``protected``: components with ``protect``)."""
    data = owners_document(list(trackers), protected)
    data["stacks"] = dict(data["stacks"].items())
    return data


def owners_document(trackers: Sequence[OwnerTracker], protected: Iterable[str] = ()) -> dict[str, Any]:
    """:func:`owners_artifact` whose stacks are made one at a time, as the writer reaches each (a ``LazyDict``:
    written once)."""
    holders: dict[str, list[OwnerTracker]] = {}
    for tracker in trackers:
        for stack in tracker.stacks():
            holders.setdefault(stack, []).append(tracker)
    data: dict[str, Any] = {"version": "1.0", "stacks": LazyDict(_stack_owners(holders))}
    if protected:
        data["protected"] = sorted(set(protected))
    return data


def _stack_owners(holders: dict[str, list[OwnerTracker]]) -> Iterator[tuple[str, dict[str, str]]]:
    """Each stack's owners in key order, stacks in path order, from the trackers holding resources there."""
    for stack in sorted(holders):
        owners: dict[str, str] = {}
        for tracker in holders[stack]:
            owners.update(tracker.by_stack(stack).get(stack, {}))
        if owners:  # only resources named by an expression: not listed
            yield stack, dict(sorted(owners.items()))
