"""Microsoft.Authorization: Azure RBAC role assignments and the built-in roles atakora uses."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Literal

from ..core.construct import Construct
from ..core.expressions import Expr, ExprArg, resource_group, subscription, subscription_resource_id
from ..core.grants import (
    Grant,
    PrincipalId,
    assignment_name,
    principal_id_of,
    runtime_principal,
    uses_runtime_value,
)
from ..core.resource import Resource
from ..core.stack import Stack
from ..errors import ConfigurationError
from ._common import child_path, resource_ref
from .managedidentity import UserAssignedIdentity

__all__ = ["API_VERSIONS", "BuiltInRole", "PrincipalType", "RoleAssignment", "role_definition_id"]

API_VERSIONS: dict[str, str] = {
    "Microsoft.Authorization/roleAssignments": "2022-04-01",
}

PrincipalType = Literal["ServicePrincipal", "User", "Group", "ForeignGroup", "Device"]
_PRINCIPAL_TYPES = ("ServicePrincipal", "User", "Group", "ForeignGroup", "Device")
_GUID = re.compile(r"^[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$")


class BuiltInRole(StrEnum):
    """Azure built-in role definition ids (the same GUID in every subscription)."""

    STORAGE_BLOB_DATA_OWNER = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b"
    STORAGE_BLOB_DATA_CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe"
    STORAGE_BLOB_DATA_READER = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1"
    STORAGE_QUEUE_DATA_CONTRIBUTOR = "974c5e8b-45b9-4653-ba55-5f855dd0fb88"
    STORAGE_TABLE_DATA_CONTRIBUTOR = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3"
    STORAGE_ACCOUNT_CONTRIBUTOR = "17d1049b-9a84-46fb-8f53-869881c3d3ab"
    KEY_VAULT_SECRETS_USER = "4633458b-17de-408a-b874-0445c86b69e6"
    KEY_VAULT_SECRETS_OFFICER = "b86a8fe4-44ce-4948-aee5-eccb2c155cd7"
    AZURE_SERVICE_BUS_DATA_SENDER = "69a216fc-b8fb-44d8-bc22-1f3c2cd27a39"
    AZURE_SERVICE_BUS_DATA_RECEIVER = "4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0"
    AZURE_SERVICE_BUS_DATA_OWNER = "090c5cfd-751d-490a-894a-3ce6f1109419"
    MONITORING_METRICS_PUBLISHER = "3913510d-42f4-4e42-8a64-420c390055eb"
    READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7"
    CONTRIBUTOR = "b24988ac-6180-42a0-ab88-20f7382dd24c"
    COSMOS_DB_ACCOUNT_READER_ROLE = "fbdf93bf-df7d-467e-a4d2-9458aa1360c8"
    DOCUMENTDB_ACCOUNT_CONTRIBUTOR = "5bd9cd88-fe45-4216-938b-f97437e15450"

    @property
    def display_name(self) -> str:
        """The role's name as Azure shows it, e.g. ``Key Vault Secrets User``."""
        return _DISPLAY_NAMES[self]

    @classmethod
    def from_display_name(cls, name: str) -> BuiltInRole:
        """The role with this display name (case-insensitive); KeyError when it is not in the table."""
        for role, display in _DISPLAY_NAMES.items():
            if display.lower() == name.lower():
                return role
        raise KeyError(name)


_DISPLAY_NAMES: dict[BuiltInRole, str] = {
    BuiltInRole.STORAGE_BLOB_DATA_OWNER: "Storage Blob Data Owner",
    BuiltInRole.STORAGE_BLOB_DATA_CONTRIBUTOR: "Storage Blob Data Contributor",
    BuiltInRole.STORAGE_BLOB_DATA_READER: "Storage Blob Data Reader",
    BuiltInRole.STORAGE_QUEUE_DATA_CONTRIBUTOR: "Storage Queue Data Contributor",
    BuiltInRole.STORAGE_TABLE_DATA_CONTRIBUTOR: "Storage Table Data Contributor",
    BuiltInRole.STORAGE_ACCOUNT_CONTRIBUTOR: "Storage Account Contributor",
    BuiltInRole.KEY_VAULT_SECRETS_USER: "Key Vault Secrets User",
    BuiltInRole.KEY_VAULT_SECRETS_OFFICER: "Key Vault Secrets Officer",
    BuiltInRole.AZURE_SERVICE_BUS_DATA_SENDER: "Azure Service Bus Data Sender",
    BuiltInRole.AZURE_SERVICE_BUS_DATA_RECEIVER: "Azure Service Bus Data Receiver",
    BuiltInRole.AZURE_SERVICE_BUS_DATA_OWNER: "Azure Service Bus Data Owner",
    BuiltInRole.MONITORING_METRICS_PUBLISHER: "Monitoring Metrics Publisher",
    BuiltInRole.READER: "Reader",
    BuiltInRole.CONTRIBUTOR: "Contributor",
    BuiltInRole.COSMOS_DB_ACCOUNT_READER_ROLE: "Cosmos DB Account Reader Role",
    BuiltInRole.DOCUMENTDB_ACCOUNT_CONTRIBUTOR: "DocumentDB Account Contributor",
}


def role_definition_id(role: BuiltInRole | str) -> Expr:
    """``subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '<guid>')`` of a role GUID."""
    return subscription_resource_id("Microsoft.Authorization/roleDefinitions", str(role))


def _resolve_role(role: BuiltInRole | str | Expr, path: str) -> tuple[Expr, ExprArg]:
    """The roleDefinitionId expression, and the value that identifies the role in the name's guid()."""
    if isinstance(role, Expr):
        return role, role
    if isinstance(role, BuiltInRole):
        return role_definition_id(role), role.value
    if isinstance(role, str) and _GUID.match(role):
        return role_definition_id(role.lower()), role.lower()
    if isinstance(role, str):
        try:
            found = BuiltInRole.from_display_name(role)
        except KeyError:
            pass
        else:
            return role_definition_id(found), found.value
    known = ", ".join(repr(d) for d in _DISPLAY_NAMES.values())
    raise ConfigurationError(f"role {role!r} is neither a role definition GUID nor a known built-in role", field="role",
                             path=path, fix=f"pass a BuiltInRole member, a role definition GUID, or one of {known}")


def _role_label(role: BuiltInRole | str | Expr) -> str:
    """A readable name of the role: its display name, or what identifies a custom role."""
    if isinstance(role, BuiltInRole):
        return role.display_name
    if isinstance(role, str):
        try:
            return BuiltInRole.from_display_name(role).display_name
        except KeyError:
            found = [r for r in BuiltInRole if r.value == role.lower()]
            return found[0].display_name if found else f"role {role.lower()}"
    return "custom role"


def _resolve_principal(principal: Resource | Expr | str, path: str) -> Expr | str:
    """The principalId value, which the assignment's name includes too.

    A managed identity's object id is known only at deployment: it becomes a :class:`PrincipalId`
    (the assignment then deploys in the stack's role-assignment deployment).
    """
    if not isinstance(principal, (Resource, Expr, str)):
        principal = resource_ref(principal, Resource, field="principal", path=path)
    if isinstance(principal, UserAssignedIdentity):
        return principal_id_of(principal)
    if isinstance(principal, Resource):
        if not principal.identity or "SystemAssigned" not in str(principal.identity.get("type", "")):
            raise ConfigurationError(f"principal {principal.node.path} has no system-assigned managed identity",
                                     field="principal", path=path,
                                     fix="enable the resource's system-assigned identity, or pass a "
                                     "UserAssignedIdentity")
        return principal_id_of(principal)
    if isinstance(principal, Expr):
        return runtime_principal(principal) if uses_runtime_value(principal) else principal
    if isinstance(principal, str) and _GUID.match(principal):
        return principal
    raise ConfigurationError(f"principal {principal!r} is not an object id GUID", field="principal", path=path,
                             fix="pass a UserAssignedIdentity, a resource with a system-assigned identity, an "
                             "expression, or the principal's object id")


class RoleAssignment(Resource):
    """Grant ``role`` to ``principal`` on ``target`` (an extension resource), or on the stack's scope.

    Without ``target`` the assignment covers the stack's resource group, or the subscription in a
    ``SubscriptionStack``. The name defaults to a deterministic ``guid()`` of the scope, the principal's
    object id and the role, so redeploying never duplicates it and a recreated identity gets a new
    assignment (Azure refuses to change an assignment's principal). A managed identity's object id is
    known only at deployment, so such assignments deploy in the stack's role-assignment deployment,
    which passes it in as a parameter. Default ``principal_type``: ``ServicePrincipal``
    (managed identities), which avoids replication delays after the identity is created.
    """

    TYPE = "Microsoft.Authorization/roleAssignments"
    API_VERSION = API_VERSIONS[TYPE]
    LOCATION = "none"
    TAGGABLE = False

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        role: BuiltInRole | str | Expr,
        principal: Resource | Expr | str,
        target: Resource | None = None,
        principal_type: PrincipalType = "ServicePrincipal",
        name: str | Expr | None = None,
        description: str | None = None,
    ) -> None:
        path = child_path(scope, id)
        stack = scope.node.find_ancestor(Stack)
        role_id, role_key = _resolve_role(role, path)
        principal_id = _resolve_principal(principal, path)
        at_subscription = stack is not None and stack.TARGET_SCOPE == "subscription"
        scope_id: Expr
        if target is not None:
            checked = resource_ref(target, Resource, field="target", path=path)
            if not isinstance(checked, Resource):
                raise ConfigurationError("target must be a resource construct of this stack", field="target",
                                         path=path, fix="pass the resource itself (target=<resource>)")
            target = checked
            if at_subscription or target.stack is not stack:
                raise ConfigurationError(f"target {target.node.path} is not in this resource group stack",
                                         field="target", path=path,
                                         fix="create the role assignment in the stack that holds the target")
            scope_id = target.resource_id
        else:
            scope_id = subscription().get("id") if at_subscription else resource_group().get("id")
        properties: dict[str, object] = {
            "roleDefinitionId": role_id,
            "principalId": principal_id,
            "principalType": principal_type,
        }
        if description:
            properties["description"] = description
        super().__init__(scope, id, name=name if name is not None else assignment_name(scope_id, principal_id, role_key),
                         properties=properties, extension_scope=target)
        self.deploys_with_grants = isinstance(principal_id, PrincipalId)
        self.grant = Grant(_role_label(role), principal if isinstance(principal, Resource) else None, target)
        """What this assignment gives: the role's name, the principal's resource and the target."""
        if at_subscription:
            self.TARGET_SCOPE = "subscription"  # type: ignore[misc]
