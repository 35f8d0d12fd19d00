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

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal, get_args

import azure.functions as func

from .errors import NotFoundError
from .identity import Principal, PrincipalError, principal_from_headers
from .partition import MISSING, PartitionKeyPath, PartitionValue
from .stores.base import Item, Page

Authentication = Literal["function", "anonymous", "entra"]
AUTHENTICATIONS: tuple[Authentication, ...] = get_args(Authentication)
DEFAULT_OWNER_FIELD = "ownerId"
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


@dataclass(frozen=True)
class AccessPolicy:
    """The access rules of one CrudApi (see the module docstring); checked by :func:`policy_problems`."""

    authentication: Authentication = "function"
    tenant_claim: str | None = None
    owner_claim: str | None = None
    owner_field: str = DEFAULT_OWNER_FIELD
    roles: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    allowed_tenants: tuple[str, ...] = ()

    @property
    def uses_identity(self) -> bool:
        """True when the API reads the caller from Easy Auth."""
        return self.authentication == "entra"


def normalize_roles(roles: Any) -> Mapping[str, tuple[str, ...]]:
    """``roles`` as a read-only ``{operation: (role, ...)}``; raises ValueError for another shape."""
    if roles is None:
        return MappingProxyType({})
    if not isinstance(roles, Mapping):
        raise ValueError(f"roles must map operations to lists of app roles, not {roles!r}")  # noqa: TRY004
    out: dict[str, tuple[str, ...]] = {}
    for operation, names in roles.items():
        listed = (names,) if isinstance(names, str) else names
        if not isinstance(listed, (list, tuple)) or not listed or not all(isinstance(n, str) and n for n in listed):
            raise ValueError(f"roles[{operation!r}] must be a non-empty list of app role names, not {names!r}")
        out[str(operation)] = tuple(listed)
    return MappingProxyType(out)


def policy_problems(
    policy: AccessPolicy, pk: PartitionKeyPath, field_types: Mapping[str, str], operations: Sequence[str]
) -> list[tuple[str, str]]:
    """``(field, message)`` for each rule that cannot work with this partition key, schema and operations."""
    problems: list[tuple[str, str]] = []

    def add(field_name: str, message: str) -> None:
        problems.append((field_name, message))

    if policy.authentication not in AUTHENTICATIONS:
        add("authentication", f"authentication {policy.authentication!r} must be one of {list(AUTHENTICATIONS)}")
        return problems
    needs = [name for name, value in (("tenant_claim", policy.tenant_claim), ("owner_claim", policy.owner_claim),
                                      ("roles", policy.roles), ("allowed_tenants", policy.allowed_tenants)) if value]
    if needs and not policy.uses_identity:
        add(needs[0], f"{needs[0]} needs a caller identity, which only authentication='entra' provides "
            f"(authentication is {policy.authentication!r})")
    if policy.tenant_claim is not None:
        if not isinstance(policy.tenant_claim, str) or not policy.tenant_claim:
            add("tenant_claim", "tenant_claim must name a claim such as 'tid'")
        elif pk.is_id or pk.field_name is None:
            add("tenant_claim", f"tenant_claim needs a top-level partition key field such as '/tenantId', "
                f"not {pk.path!r}")
        elif field_types.get(pk.field_name) != "string":
            add("tenant_claim", f"the partition key field {pk.field_name!r} holds the tenant and must be a "
                "'string' field of the schema")
    if policy.owner_claim is not None:
        if not isinstance(policy.owner_claim, str) or not policy.owner_claim:
            add("owner_claim", "owner_claim must name a claim such as 'oid'")
        elif field_types.get(policy.owner_field) != "string":
            add("owner_field", f"owner_claim stores the owner in {policy.owner_field!r}, which must be a "
                "'string' field of the schema")
        elif policy.owner_field == pk.field_name and policy.tenant_claim is not None:
            add("owner_field", "owner_field cannot be the partition key field that holds the tenant")
    unknown = sorted(set(policy.roles) - set(operations))
    if unknown:
        add("roles", f"roles name operations {unknown} that the API does not offer (operations: {list(operations)})")
    if not all(isinstance(t, str) and t for t in policy.allowed_tenants):
        add("allowed_tenants", "allowed_tenants must be tenant ids (strings)")
    return problems


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
