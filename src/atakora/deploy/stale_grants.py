"""Role assignments the last deployment made and the program no longer has: removed before the stack deploys.

Azure allows one assignment of a role to a principal on a scope (a second one, under another name, fails
with ``RoleAssignmentExists``: https://learn.microsoft.com/azure/role-based-access-control/troubleshooting),
and an incremental deployment leaves removed resources in place. So when assignment names change (an
upgrade of atakora, a component renamed), the old assignments must go before the new ones are created.
Only Azure RBAC ``roleAssignments`` and Cosmos DB ``sqlRoleAssignments`` recorded under
``.atakora-deployed/`` are touched: they hold no data.

Their names are ARM expressions (``guid(resourceId(...), ...)``); the subset atakora writes (string
literals, ``resourceId``, ``subscriptionResourceId``, ``concat``, ``format``, ``guid``, ``resourceGroup().id``,
``subscription()``) is evaluated here. ``guid(a, b, ...)`` is deterministic
(https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-string#guid): a
version-5 UUID of the arguments joined by ``-`` in ARM's namespace ``11fb06fb-712d-4ddd-98c7-e71bbd588830``.
An assignment whose id cannot be worked out (one using ``parameters()``) is reported, not guessed.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .clients import ArmClients
from .errors import DeployError

__all__ = ["ASSIGNMENT_TYPES", "GrantRecord", "StaleAssignment", "assignment_id", "remove_stale", "stale_assignments"]

ASSIGNMENT_TYPES = frozenset({"microsoft.authorization/roleassignments",
                              "microsoft.documentdb/databaseaccounts/sqlroleassignments"})
_GUID_NAMESPACE = uuid.UUID("11fb06fb-712d-4ddd-98c7-e71bbd588830")
_TOKEN = re.compile(r"\s*(?:('(?:[^']|'')*')|([A-Za-z_][A-Za-z0-9_]*)|(-?\d+)|(.))")


@dataclass(frozen=True)
class StaleAssignment:
    """A recorded role assignment the program no longer has: its template entry and its id (None: unknown)."""

    type: str
    name: str
    api_version: str
    id: str | None


@dataclass(frozen=True)
class GrantRecord:
    """One stack's resources as last deployed (``before``, from the record) and as now (``after``, every part)."""

    before: tuple[Mapping[str, Any], ...]
    after: tuple[Mapping[str, Any], ...]


class _Unresolved(Exception):
    """The expression uses something only ARM knows (a parameter, a reference)."""


class _Eval:
    """Evaluates one ARM template expression of the subset atakora writes in assignment names and scopes."""

    def __init__(self, text: str, subscription: str, resource_group: str | None) -> None:
        self.tokens = [m.group(0).strip() for m in _TOKEN.finditer(text) if m.group(0).strip()]
        self.pos = 0
        self.subscription = subscription
        self.resource_group = resource_group

    def _next(self) -> str:
        if self.pos >= len(self.tokens):
            raise _Unresolved("unexpected end")
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def _expect(self, token: str) -> None:
        if self._next() != token:
            raise _Unresolved(f"expected {token}")

    def run(self) -> str:
        value = self._value()
        if self.pos != len(self.tokens):
            raise _Unresolved("trailing text")
        if not isinstance(value, str):
            raise _Unresolved("not a string")
        return value

    def _value(self) -> Any:
        token = self._next()
        if token.startswith("'"):
            return token[1:-1].replace("''", "'")
        if not (token[0].isalpha() or token[0] == "_"):
            raise _Unresolved(f"unexpected {token}")
        self._expect("(")
        args: list[Any] = []
        while self.tokens[self.pos:self.pos + 1] != [")"]:
            args.append(self._value())
            if self.tokens[self.pos:self.pos + 1] == [","]:
                self.pos += 1
        self._expect(")")
        value = self._call(token.lower(), args)
        while self.tokens[self.pos:self.pos + 1] == ["."]:
            self.pos += 1
            field = self._next()
            if not isinstance(value, Mapping) or field not in value:
                raise _Unresolved(f"no property {field}")
            value = value[field]
        return value

    def _call(self, name: str, args: list[Any]) -> Any:
        if not all(isinstance(a, str) for a in args):
            raise _Unresolved(f"{name}() of a non-string")
        sub = f"/subscriptions/{self.subscription}"
        if name == "concat":
            return "".join(args)
        if name == "format" and args:
            return re.sub(r"\{(\d+)\}", lambda m: str(args[1 + int(m.group(1))]), args[0])
        if name == "guid" and args:
            return str(uuid.uuid5(_GUID_NAMESPACE, "-".join(args)))
        if name == "subscription" and not args:
            return {"id": sub, "subscriptionId": self.subscription}
        if name == "resourcegroup" and not args and self.resource_group:
            return {"id": f"{sub}/resourceGroups/{self.resource_group}", "name": self.resource_group}
        if name == "subscriptionresourceid" and args:
            return sub + _provider_path(args[0], args[1:])
        if name == "resourceid":
            at = next((i for i, a in enumerate(args) if "/" in a), None)
            if at is None or at > 2:
                raise _Unresolved("resourceId() without a type")
            sub = f"/subscriptions/{args[0]}" if at >= 1 else sub
            group = args[1] if at == 2 else args[0] if at == 1 else self.resource_group
            base = f"{sub}/resourceGroups/{group}" if group else sub
            return base + _provider_path(args[at], args[at + 1:])
        raise _Unresolved(f"{name}() is not evaluated")


def _provider_path(resource_type: str, names: Sequence[str]) -> str:
    namespace, *types = resource_type.split("/")
    if len(types) != len(names):
        raise _Unresolved("type and names do not fit")
    return f"/providers/{namespace}/" + "/".join(f"{t}/{n}" for t, n in zip(types, names, strict=True))


def _evaluate(value: str, subscription: str, resource_group: str | None) -> str:
    if not (value.startswith("[") and value.endswith("]")) or value.startswith("[["):
        return value
    return _Eval(value[1:-1], subscription, resource_group).run()


def assignment_id(resource: Mapping[str, Any], subscription: str, resource_group: str | None) -> str | None:
    """The ARM id of a role assignment of a template (None when it depends on what only ARM knows)."""
    rtype = str(resource.get("type", ""))
    try:
        name = _evaluate(str(resource.get("name", "")), subscription, resource_group)
        base = f"/subscriptions/{subscription}" + (f"/resourceGroups/{resource_group}" if resource_group else "")
        if rtype.lower() == "microsoft.authorization/roleassignments":
            scope = resource.get("scope")
            if scope is None:
                target = base
            else:
                target = _evaluate(str(scope), subscription, resource_group)
                if not target.startswith("/"):
                    namespace, _, rest = target.partition("/")
                    target = f"{base}/providers/{namespace}/{rest}"
            return f"{target.rstrip('/')}/providers/Microsoft.Authorization/roleAssignments/{name}"
        return base + _provider_path(rtype, name.split("/"))
    except (_Unresolved, IndexError):
        return None


def stale_assignments(before: Sequence[Mapping[str, Any]], after: Sequence[Mapping[str, Any]], *,
                      subscription: str, resource_group: str | None) -> list[StaleAssignment]:
    """The role assignments of ``before`` (the record) that ``after`` (the new templates) no longer has."""
    now = {(str(r.get("type", "")).lower(), str(r.get("name", ""))) for r in after}
    now_ids = {assignment_id(r, subscription, resource_group) for r in after
               if str(r.get("type", "")).lower() in ASSIGNMENT_TYPES}
    found: dict[tuple[str, str], StaleAssignment] = {}
    for resource in before:
        rtype, name = str(resource.get("type", "")), str(resource.get("name", ""))
        if rtype.lower() not in ASSIGNMENT_TYPES or (rtype.lower(), name) in now:
            continue
        rid = assignment_id(resource, subscription, resource_group)
        if rid is not None and rid in now_ids:
            continue
        found.setdefault((rtype.lower(), name), StaleAssignment(rtype, name, str(resource.get("apiVersion", "")), rid))
    return list(found.values())


def remove_stale(clients: ArmClients, stale: Sequence[StaleAssignment], *,
                 dry_run: bool) -> list[tuple[StaleAssignment, str]]:
    """Delete ``stale`` (or, with ``dry_run``, say what would be deleted); one line per assignment."""
    lines: list[tuple[StaleAssignment, str]] = []
    if not stale:
        return lines
    if clients.resources is None and not dry_run:
        raise DeployError("these Azure clients cannot delete role assignments", fix="use the Azure SDK session")
    from azure.core.exceptions import HttpResponseError, ResourceNotFoundError

    for item in stale:
        if item.id is None:
            lines.append((item, (f"role assignment {item.name} is no longer in the program, but its id depends on "
                                 "deployment values: if the deployment fails with RoleAssignmentExists, delete it "
                                 "in the portal")))
        elif dry_run:
            lines.append((item, f"would remove role assignment {item.id} (no longer in the program)"))
        else:
            assert clients.resources is not None
            try:
                clients.resources.begin_delete_by_id(item.id, api_version=item.api_version).result()
            except ResourceNotFoundError:
                lines.append((item, f"role assignment {item.id} is already gone"))
                continue
            except HttpResponseError as error:
                raise DeployError(f"removing the role assignment {item.id}, no longer in the program, failed: "
                                  f"{error.message}", fix="check your access (Microsoft.Authorization/"
                                  "roleAssignments/delete), or delete it in the portal and deploy again") from error
            lines.append((item, f"removed role assignment {item.id} (no longer in the program)"))
    return lines
