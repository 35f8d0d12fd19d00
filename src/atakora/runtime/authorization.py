"""Who may do what in a generated CRUD API: authentication mode, tenant and owner isolation, roles.

With ``authentication='entra'`` App Service Authentication validates the token and passes the
caller in ``X-MS-CLIENT-PRINCIPAL``; every operation then needs a well-formed principal (401
otherwise).  ``tenant_claim`` (e.g. ``tid``) makes the claim's value the only partition the
caller can touch; ``owner_claim`` (e.g. ``oid``) stamps items with their owner in
``owner_field`` and hides other owners' items; ``roles`` maps operations to the app roles that
may run them; ``allowed_tenants`` restricts which directories may call at all (App Service does
not check the tenant of multi-tenant tokens itself).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import azure.functions as func

from .access import AccessPolicy
from .errors import NotFoundError
from .identity import Principal, PrincipalError, principal_from_headers
from .partition import MISSING, PartitionKeyPath, PartitionValue
from .stores.base import Item, Page

OWNER_FILTER_ROUNDS = 5
"""Store pages read at most per listing to fill a page with the caller's own items."""


class AccessDenied(Exception):
    """The caller is not authenticated (401) or not allowed (403); ``code`` names the reason."""

    def __init__(self, status: Literal[401, 403], code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code


@dataclass(frozen=True)
class Caller:
    """The authenticated caller of one request (all None when the API does not use Entra ID)."""

    principal: Principal | None = None
    tenant: str | None = None
    owner: str | None = None

    @property
    def object_id(self) -> str | None:
        """The caller's ``oid`` claim, for logs."""
        return self.principal.object_id if self.principal is not None else None

    @property
    def tenant_id(self) -> str | None:
        """The caller's ``tid`` claim, for logs."""
        return self.principal.tenant_id if self.principal is not None else None


ANONYMOUS_CALLER = Caller()


class AccessControl:
    """Applies an :class:`AccessPolicy` to requests and items of one CRUD API."""

    def __init__(self, policy: AccessPolicy, pk: PartitionKeyPath) -> None:
        self.policy = policy
        self._pk = pk

    @property
    def isolates_tenants(self) -> bool:
        """True when the tenant claim selects the partition."""
        return self.policy.tenant_claim is not None

    @property
    def isolates_owners(self) -> bool:
        """True when items belong to the caller named by the owner claim."""
        return self.policy.owner_claim is not None

    def authenticate(self, operation: str, req: func.HttpRequest) -> Caller:
        """The caller of ``req`` allowed to run ``operation``; raises AccessDenied (401/403)."""
        policy = self.policy
        if not policy.uses_identity:
            return ANONYMOUS_CALLER
        try:
            principal = principal_from_headers(req.headers)
        except PrincipalError as exc:
            raise AccessDenied(401, "unauthenticated", f"invalid caller identity: {exc}") from None
        if principal is None:
            raise AccessDenied(401, "unauthenticated", "a bearer token from Microsoft Entra ID is required")
        if policy.allowed_tenants and principal.tenant_id not in policy.allowed_tenants:
            raise AccessDenied(403, "tenant_not_allowed", "the caller's tenant may not use this API")
        tenant = self._required_claim(principal, policy.tenant_claim)
        owner = self._required_claim(principal, policy.owner_claim)
        required = policy.roles.get(operation)
        if required and not set(principal.roles) & set(required):
            raise AccessDenied(403, "forbidden", f"{operation} needs one of the app roles {list(required)}")
        return Caller(principal, tenant, owner)

    @staticmethod
    def _required_claim(principal: Principal, claim: str | None) -> str | None:
        if claim is None:
            return None
        value = principal.claim(claim)
        if not value:
            raise AccessDenied(403, "forbidden", f"the caller's token has no {claim!r} claim")
        return value

    def partition(self, caller: Caller, requested: PartitionValue | None, *, listing: bool = False) -> \
            PartitionValue | None:
        """The partition the caller may address: its tenant (another tenant's item is not found)."""
        if caller.tenant is None:
            return requested
        if not listing and requested is not None and requested != caller.tenant:
            raise NotFoundError("the item is in another tenant's partition")
        return caller.tenant

    def claim_payload(self, caller: Caller, payload: Any) -> Any:
        """Stamp a create or replace body with the caller's tenant and owner; another one answers 403."""
        if not isinstance(payload, dict):
            return payload
        payload = dict(payload)
        if caller.tenant is not None and self._pk.field_name is not None:
            value = self._pk.value_of(payload)
            if value is MISSING or payload.get(self._pk.field_name) is None:
                payload[self._pk.field_name] = caller.tenant
            elif value != caller.tenant:
                raise AccessDenied(403, "forbidden", f"{self._pk.path} must be the caller's tenant")
        if caller.owner is not None:
            field_name = self.policy.owner_field
            current = payload.get(field_name)
            if current is None:
                payload[field_name] = caller.owner
            elif current != caller.owner:
                raise AccessDenied(403, "forbidden", f"{field_name} must be the caller's own id")
        return payload

    def visible(self, caller: Caller, item: Item) -> bool:
        """True when the caller may see ``item`` (its tenant and owner)."""
        if caller.tenant is not None and self._pk.value_of(item) != caller.tenant:
            return False
        return caller.owner is None or item.get(self.policy.owner_field) == caller.owner

    def check_visible(self, caller: Caller, item: Item) -> None:
        """Raise NotFoundError (404, no existence leak) when the caller may not see ``item``."""
        if not self.visible(caller, item):
            raise NotFoundError("the item belongs to another caller")

    def cache_scope(self, caller: Caller, partition: PartitionValue | None) -> object:
        """The read-cache partition of this caller: owners never share cached responses."""
        return partition if caller.owner is None else (partition, "owner", caller.owner)

    def list_page(self, caller: Caller, fetch: Callable[[str | None], Page], continuation: str | None) -> Page:
        """One page of the caller's items: store pages filtered by owner (a page may hold fewer
        items than asked, but is empty only at the end or after several foreign pages)."""
        page = fetch(continuation)
        if caller.owner is None and caller.tenant is None:
            return page
        items = [item for item in page.items if self.visible(caller, item)]
        rounds = 1
        while not items and page.continuation is not None and rounds < OWNER_FILTER_ROUNDS:
            page = fetch(page.continuation)
            items = [item for item in page.items if self.visible(caller, item)]
            rounds += 1
        return Page(items, page.continuation)
