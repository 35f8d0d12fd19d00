"""``atakora deploy --prune``: delete resources no longer in the program, if atakora made them.

Only resources whose top-level resource carries the tag ``managed-by: atakora`` in Azure are
deleted; ones that hold data need ``allow_data_loss``; components marked ``protect`` never lose
theirs. A child whose parent is deleted too goes with the parent.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .clients import ArmClients, plain
from .errors import DeployError

__all__ = ["Orphan", "PruneOutcome", "prune", "resource_id"]

MANAGED_TAG = ("managed-by", "atakora")


@dataclass(frozen=True)
class Orphan:
    """A resource deployed before and no longer in the program."""

    stack: str
    component: str
    type: str
    name: str
    api_version: str
    data_loss: bool
    reason: str = ""

    @property
    def label(self) -> str:
        """``type name``."""
        return f"{self.type} {self.name}"

    def to_json(self) -> dict[str, Any]:
        """As recorded in the deployment record."""
        return {"stack": self.stack, "component": self.component, "type": self.type, "name": self.name,
                "apiVersion": self.api_version, "data_loss": self.data_loss, "reason": self.reason}

    @staticmethod
    def from_json(data: Mapping[str, Any]) -> Orphan:
        """From :meth:`to_json`."""
        return Orphan(str(data["stack"]), str(data.get("component", "")), str(data["type"]), str(data["name"]),
                      str(data.get("apiVersion", "")), bool(data.get("data_loss")), str(data.get("reason", "")))


@dataclass(frozen=True)
class PruneOutcome:
    """One orphan: ``deleted``, ``kept`` (with why) or ``gone`` (already deleted)."""

    orphan: Orphan
    status: str
    detail: str = ""


def resource_id(subscription: str, resource_group: str, resource_type: str, name: str) -> str | None:
    """The ARM id of a resource-group resource (None when the name is an expression or does not fit the type)."""
    if name.startswith("["):
        return None
    namespace, *types = resource_type.split("/")
    names = name.split("/")
    if not types or len(types) != len(names):
        return None
    path = "/".join(f"{t}/{n}" for t, n in zip(types, names, strict=True))
    return f"/subscriptions/{subscription}/resourceGroups/{resource_group}/providers/{namespace}/{path}"


def _top(resource_type: str, name: str) -> tuple[str, str]:
    namespace, first = resource_type.split("/")[:2]
    return f"{namespace}/{first}", name.split("/")[0]


def _is_covered(orphan: Orphan, chosen: Sequence[Orphan]) -> bool:
    return any(o is not orphan and orphan.type.lower().startswith(o.type.lower() + "/")
               and orphan.name.startswith(o.name + "/") for o in chosen)


def prune(clients: ArmClients, resource_group: str, orphans: Sequence[Orphan], *, allow_data_loss: bool,
          protected: frozenset[str], top_api_versions: Mapping[str, str]) -> list[PruneOutcome]:
    """Delete the deletable ``orphans`` of one resource group; say for every one what happened.

    ``top_api_versions`` gives the API version to read a top-level type with (its tags), by lower-case type.
    """
    if clients.resources is None:
        raise DeployError("these Azure clients cannot delete resources", fix="use the Azure SDK session")
    api = clients.resources
    outcomes: list[PruneOutcome] = []
    chosen: list[Orphan] = []
    for orphan in orphans:
        rid = resource_id(clients.subscription_id, resource_group, orphan.type, orphan.name)
        owners = set(orphan.component.split(",")) if orphan.component else set()
        if rid is None:
            outcomes.append(PruneOutcome(orphan, "kept", "its name is an ARM expression: delete it in the portal"))
        elif owners & protected:
            outcomes.append(PruneOutcome(orphan, "kept", f"component {orphan.component} has protect=True"))
        elif orphan.data_loss and not allow_data_loss:
            outcomes.append(PruneOutcome(orphan, "kept", f"it holds data ({orphan.reason}); pass --allow-data-loss"))
        else:
            chosen.append(orphan)
    tags: dict[str, Any] = {}
    for orphan in chosen:
        top_type, top_name = _top(orphan.type, orphan.name)
        top_id = resource_id(clients.subscription_id, resource_group, top_type, top_name)
        assert top_id is not None
        if top_id not in tags:
            tags[top_id] = _tags(api, top_id, top_api_versions.get(top_type.lower()) or orphan.api_version)
        found = tags[top_id]
        if found is None:
            outcomes.append(PruneOutcome(orphan, "gone", "not found in Azure"))
        elif found.get(MANAGED_TAG[0]) != MANAGED_TAG[1]:
            outcomes.append(PruneOutcome(orphan, "kept", f"{top_type} {top_name} is not tagged managed-by=atakora"))
        elif _is_covered(orphan, chosen):
            outcomes.append(PruneOutcome(orphan, "deleted", "with its parent"))
        else:
            rid = resource_id(clients.subscription_id, resource_group, orphan.type, orphan.name)
            assert rid is not None
            _delete(api, rid, orphan.api_version)
            outcomes.append(PruneOutcome(orphan, "deleted"))
    return outcomes


def _tags(api: Any, rid: str, api_version: str) -> dict[str, Any] | None:
    from azure.core.exceptions import HttpResponseError, ResourceNotFoundError

    try:
        data = plain(api.get_by_id(rid, api_version=api_version)) or {}
    except ResourceNotFoundError:
        return None
    except HttpResponseError as error:
        raise DeployError(f"could not read {rid}: {error.message}", fix="check your access to the resource group"
                          ) from error
    found = data.get("tags") if isinstance(data, Mapping) else None
    return dict(found) if isinstance(found, Mapping) else {}


def _delete(api: Any, rid: str, api_version: str) -> None:
    from azure.core.exceptions import HttpResponseError

    try:
        api.begin_delete_by_id(rid, api_version=api_version).result()
    except HttpResponseError as error:
        raise DeployError(f"deleting {rid} failed: {error.message}",
                          fix="delete it in the portal, or fix the access and run --prune again") from error
