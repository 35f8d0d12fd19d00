"""Microsoft.ManagedIdentity: user-assigned managed identities."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from ..core.construct import Construct
from ..core.expressions import Expr
from ..core.resource import Resource

__all__ = ["API_VERSIONS", "UserAssignedIdentity"]

API_VERSIONS: dict[str, str] = {
    "Microsoft.ManagedIdentity/userAssignedIdentities": "2024-11-30",
}

IsolationScope = Literal["None", "Regional"]


class UserAssignedIdentity(Resource):
    """A user-assigned managed identity; give it roles with ``RoleAssignment(principal=identity, ...)``.

    Default: no isolation scope.
    """

    TYPE = "Microsoft.ManagedIdentity/userAssignedIdentities"
    API_VERSION = API_VERSIONS[TYPE]

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        name: str | Expr,
        location: str | Expr | None = None,
        tags: Mapping[str, str] | None = None,
        isolation_scope: IsolationScope | None = None,
    ) -> None:
        properties: dict[str, Any] = {}
        if isolation_scope is not None:
            properties["isolationScope"] = isolation_scope
        super().__init__(scope, id, name=name, location=location, tags=tags, properties=properties)

    @property
    def principal_id(self) -> Expr:
        """The identity's service principal object id (a plain property of this resource)."""
        return self.attribute("principalId")

    @property
    def client_id(self) -> Expr:
        """The identity's client (application) id, for ``AZURE_CLIENT_ID`` and ``__clientId`` settings."""
        return self.attribute("clientId")

    @property
    def tenant_id(self) -> Expr:
        """The identity's tenant id."""
        return self.attribute("tenantId")
