"""Which component made each resource: the ``components.json`` artifact that ``atakora diff`` groups by.

Resources a provider creates for a shared entry belong to the entry's members; a Cosmos database or
container belongs to the members that asked for it; resources a component creates itself belong to it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..core.construct import Construct
from ..core.resource import Resource
from .plan import SharedResourcePlan, to_plain

__all__ = ["OwnerTracker", "owners_artifact"]

_DATABASE = "microsoft.documentdb/databaseaccounts/sqldatabases"
_CONTAINER = "microsoft.documentdb/databaseaccounts/sqldatabases/containers"


def _resources(scope: Construct) -> list[Resource]:
    return [c for c in scope.node.find_all() if isinstance(c, Resource)]


def _literal_name(resource: Resource) -> str | None:
    segments = resource.name_segments
    return "/".join(segments) if all(isinstance(s, str) for s in segments) else None  # type: ignore[arg-type]


def _asked_for(entry: SharedResourcePlan, resource: Resource) -> list[str]:
    """The members of ``entry`` that asked for this Cosmos database or container (all members otherwise)."""
    kind = resource.resource_type.lower()
    if kind not in (_DATABASE, _CONTAINER):
        return list(entry.members)
    segments = [str(s) for s in resource.name_segments]
    database, container = segments[1], segments[2] if kind == _CONTAINER else None
    found: list[str] = []
    for requirement in entry.requirements:
        for db in to_plain(requirement.config).get("databases", []) if isinstance(
                to_plain(requirement.config), Mapping) else []:
            names = [c.get("name") for c in db.get("containers", [])]
            if db.get("name") == database and (container is None or container in names):
                found.extend(requirement.component_id.split(","))
    return sorted(set(found)) or list(entry.members)


class OwnerTracker:
    """Records, for one backend scope, the resources created while a shared entry or a component was built."""

    def __init__(self, scope: Construct) -> None:
        self.scope = scope
        self.owners: dict[int, tuple[Resource, list[str]]] = {}
        self._seen: set[int] = {id(r) for r in _resources(scope)}

    def _new(self) -> list[Resource]:
        fresh = [r for r in _resources(self.scope) if id(r) not in self._seen]
        self._seen.update(id(r) for r in fresh)
        return fresh

    def entry_built(self, entry: SharedResourcePlan) -> None:
        """Resources created since the last call belong to ``entry``'s members."""
        for resource in self._new():
            self.owners[id(resource)] = (resource, _asked_for(entry, resource))

    def component_built(self, component_id: str) -> None:
        """Resources created since the last call belong to ``component_id``."""
        for resource in self._new():
            self.owners[id(resource)] = (resource, [component_id])

    def by_stack(self) -> dict[str, dict[str, str]]:
        """``{stack path: {"<type> <name>": "A,B"}}`` for every resource with a literal name."""
        out: dict[str, dict[str, str]] = {}
        for resource, members in self.owners.values():
            name = _literal_name(resource)
            if name is not None:
                out.setdefault(resource.stack.node.path, {})[f"{resource.resource_type} {name}"] = ",".join(members)
        return out


def owners_artifact(trackers: Iterable[OwnerTracker], protected: Iterable[str] = ()) -> dict[str, Any]:
    """The ``components.json`` artifact of every backend of an app (``protected``: components with ``protect``)."""
    stacks: dict[str, dict[str, str]] = {}
    for tracker in trackers:
        for stack, owners in tracker.by_stack().items():
            stacks.setdefault(stack, {}).update(owners)
    data: dict[str, Any] = {"version": "1.0",
                            "stacks": {k: dict(sorted(v.items())) for k, v in sorted(stacks.items())}}
    if protected:
        data["protected"] = sorted(set(protected))
    return data
