"""The default Cosmos DB provider: one account per compatible group, with every database and container."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from ...core.construct import Construct
from ...core.expressions import Expr
from ...core.resource import Resource
from ...resources.documentdb import (
    CosmosDbAccount,
    CosmosLocation,
    CosmosSqlContainer,
    CosmosSqlDatabase,
    CosmosSqlRoleAssignment,
    IndexingPolicy,
)
from ..config import ResourceLimits
from ..merge import FieldRule
from ..requirements import CosmosRequirementConfig, ResourceRequirement
from ..validation import ValidationResult
from .base import BaseProvider, Compatibility, ProviderContext

__all__ = ["CosmosProvider", "SharedCosmos"]

CONTAINERS_PER_ACCOUNT = 500
"""Azure's default limit of databases plus containers per account."""


@dataclass
class SharedCosmos:
    """What components get for ``cosmos:<key>``: the account and its databases and containers."""

    account: CosmosDbAccount
    databases: dict[str, CosmosSqlDatabase] = field(default_factory=dict)
    containers: dict[tuple[str, str], CosmosSqlContainer] = field(default_factory=dict)
    grants: dict[tuple[int, str, int], CosmosSqlRoleAssignment] = field(default_factory=dict)

    @property
    def endpoint(self) -> Expr:
        """The account's document endpoint (``https://<name>.documents.azure.com:443/``)."""
        return self.account.document_endpoint

    def container(self, database: str, name: str) -> CosmosSqlContainer:
        """One container; KeyError names the ones that exist."""
        try:
            return self.containers[(database, name)]
        except KeyError:
            known = ", ".join(f"{d}/{c}" for d, c in self.containers)
            raise KeyError(f"no container {database}/{name} (containers: {known})") from None


    def grant_data_access(self, principal: Resource, role: Literal["reader", "contributor"],
                          container: CosmosSqlContainer) -> CosmosSqlRoleAssignment:
        """A data-plane role for ``principal``'s identity on one container; one assignment per combination."""
        key = (id(principal), role, id(container))
        if key not in self.grants:
            self.grants[key] = CosmosSqlRoleAssignment(
                self.account, f"Access-{principal.node.id}-{container.node.id}-{role}", principal_id=principal,
                role_definition=role, scope=container)
        return self.grants[key]


def _cosmos(requirement: ResourceRequirement) -> CosmosRequirementConfig:
    config = requirement.config
    if isinstance(config, Mapping):
        return CosmosRequirementConfig(**config)
    if not isinstance(config, CosmosRequirementConfig):
        raise TypeError(f"a cosmos requirement needs a CosmosRequirementConfig, not {type(config).__name__}")
    return config


class CosmosProvider(BaseProvider):
    """Creates Cosmos DB accounts (serverless by default), their databases and containers."""

    provider_id = "cosmos"
    supported_types = ("cosmos",)
    provision_order = 30
    limit_field = "max_cosmos_accounts"
    display_name = "Cosmos DB account"

    def merge_rules(self) -> Mapping[str, FieldRule]:
        """Databases and capabilities: union; multi-region and data access: maximum; others: priority."""
        return {
            "databases": FieldRule("union"),
            "capabilities": FieldRule("union"),
            "enable_multi_region": FieldRule("maximum"),
            "data_access": FieldRule("maximum", ("read", "write")),
        }

    def compatibility(self, requirement: ResourceRequirement) -> Compatibility:
        """Serverless and provisioned accounts, consistency levels and regions cannot mix."""
        config = _cosmos(requirement)
        mode = "serverless" if config.enable_serverless else "provisioned"
        consistency = config.consistency or "Session"
        region = config.location or ""
        label = "-".join(p for p in (mode if mode != "serverless" else "", consistency.lower()
                                     if consistency != "Session" else "", region) if p)
        return Compatibility(signature=(mode, consistency, region), label=label or mode,
                             reason=f"{mode}, {consistency} consistency{', ' + region if region else ''}")

    def capacity_units(self, requirement: ResourceRequirement) -> int:
        """Each container counts against the account's limit."""
        return sum(len(db.containers) for db in _cosmos(requirement).databases)

    def capacity_limit(self, limits: ResourceLimits) -> int | None:
        """Azure's 500 databases and containers per account."""
        return CONTAINERS_PER_ACCOUNT

    def validate_merged(self, requirement: ResourceRequirement) -> ValidationResult:
        """Throughput settings fit the account mode; unique container names per database."""
        config = _cosmos(requirement)
        errors: list[str] = []
        for db in config.databases:
            names = [c.name for c in db.containers]
            for name in sorted({n for n in names if names.count(n) > 1}):
                errors.append(f"database {db.name!r} has two containers named {name!r}")
            if config.enable_serverless:
                throughputs = [db.throughput, db.autoscale_max_throughput] + [
                    t for c in db.containers for t in (c.throughput, c.autoscale_max_throughput)]
                if any(t is not None for t in throughputs):
                    errors.append(f"database {db.name!r} sets throughput on a serverless account; set "
                                  "enable_serverless=False for provisioned throughput")
        return ValidationResult.of(errors) + super().validate_merged(requirement)

    def provide_resource(self, requirement: ResourceRequirement, scope: Construct,
                         context: ProviderContext) -> SharedCosmos:
        """The account, then one database per name and one container per (database, name)."""
        config = _cosmos(requirement)
        cosmos_config = context.config.cosmos_config
        isolated = context.config.networking.mode == "isolated"
        locations = None
        failover = False
        if cosmos_config is not None and cosmos_config.failover_policies:
            locations = [CosmosLocation(p.location_name, p.priority) for p in
                         sorted(cosmos_config.failover_policies, key=lambda p: p.priority)]
            failover = cosmos_config.enable_automatic_failover
        elif cosmos_config is not None:
            failover = cosmos_config.enable_automatic_failover
        consistency = config.consistency or (cosmos_config.consistency_level if cosmos_config else None) or "Session"
        entry = context.plan_entry
        account = CosmosDbAccount(
            scope, _construct_id("Cosmos", entry.key), name=context.resource_name, location=config.location,
            tags=context.tags, serverless=config.enable_serverless, consistency_level=consistency,
            locations=locations, enable_automatic_failover=failover,
            public_network_access="Disabled" if isolated else "Enabled",
            capabilities=config.capabilities,
        )
        shared = SharedCosmos(account)
        autoscale = context.config.auto_scale
        for db in config.databases:
            database = CosmosSqlDatabase(account, _construct_id("Db", db.name), name=db.name,
                                         throughput=db.throughput, autoscale_max_throughput=db.autoscale_max_throughput)
            shared.databases[db.name] = database
            for c in db.containers:
                throughput, autoscale_max = c.throughput, c.autoscale_max_throughput
                if (not config.enable_serverless and autoscale is not None and throughput is None
                        and autoscale_max is None and db.throughput is None and db.autoscale_max_throughput is None):
                    autoscale_max = autoscale.max_throughput
                shared.containers[(db.name, c.name)] = CosmosSqlContainer(
                    database, _construct_id("Container", c.name), name=c.name, partition_key=c.partition_key,
                    default_ttl=c.ttl, unique_keys=[list(k) for k in c.unique_keys],
                    indexing_policy=_indexing(c.indexing_policy), throughput=throughput,
                    autoscale_max_throughput=autoscale_max)
        return shared


def _indexing(policy: Mapping[str, Any] | None) -> IndexingPolicy | None:
    if policy is None or isinstance(policy, IndexingPolicy):
        return policy
    return IndexingPolicy.from_arm(policy)


def _construct_id(prefix: str, key: str) -> str:
    cleaned = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in key)
    return f"{prefix}-{cleaned}"
