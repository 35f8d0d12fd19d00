"""The access rules of a CRUD API as data, checked at synthesis and at run time (no HTTP imports).

See :mod:`.authorization` for what the rules mean and how requests are checked.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal, get_args

from .partition import PartitionKeyPath

Authentication = Literal["function", "anonymous", "entra"]
AUTHENTICATIONS: tuple[Authentication, ...] = get_args(Authentication)
DEFAULT_OWNER_FIELD = "ownerId"


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
