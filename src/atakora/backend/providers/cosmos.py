"""The default Cosmos DB provider: one account per compatible group, with every database and container."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from ...core.construct import Construct
from ...core.expressions import Expr
from ...core.resource import Resource
from ...errors import ConfigurationError, ResourceLimitError
from ...resources.documentdb import (
    CosmosDbAccount,
    CosmosLocation,
    CosmosSqlContainer,
    CosmosSqlDatabase,
    CosmosSqlRoleAssignment,
    IndexingPolicy,
)
from ...runtime.settings import PREFERRED_LOCATIONS_SETTING
from ..config import AutoScaleConfig, BackendConfig, CosmosConfig, ResourceLimits
from ..merge import FieldRule
from ..requirements import (
    ContainerRequirement,
    CosmosRequirementConfig,
    DatabaseRequirement,
    ResourceRequirement,
)
from ..validation import ValidationResult
from .base import BaseProvider, Compatibility, ProviderContext, typed_config
from .network import network_for

__all__ = ["PREFERRED_LOCATIONS_SETTING", "CosmosProvider", "SharedCosmos", "add_databases", "preferred_locations"]

CONTAINERS_PER_ACCOUNT = 500
"""Azure's default limit of databases plus containers per account."""


@dataclass
class SharedCosmos:
    """What components get for ``cosmos:<key>``: the account and its databases and containers."""

    account: CosmosDbAccount
    databases: dict[str, CosmosSqlDatabase] = field(default_factory=dict)
    containers: dict[tuple[str, str], CosmosSqlContainer] = field(default_factory=dict)
    grants: dict[tuple[Resource, str, CosmosSqlContainer], CosmosSqlRoleAssignment] = field(default_factory=dict)
    """(principal, role, container) → its data-plane role assignment."""
    placements: dict[str, str] = field(default_factory=dict)
    """component id → the shared-throughput database its container was placed in."""

    def database_of(self, component_id: str, asked: str) -> str:
        """The database holding ``component_id``'s container: its shared-throughput one, else ``asked``."""
        return self.placements.get(component_id, asked)

    @property
    def primary_resource(self) -> CosmosDbAccount:
        """The account itself: what ``backend.get_resource(...)`` returns, to pass to typed resources."""
        return self.account

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
        key = (principal, role, container)  # the constructs: a leaf joins its path when read
        if key not in self.grants:
            self.grants[key] = CosmosSqlRoleAssignment(
                self.account, f"Access-{principal.node.id}-{container.database.node.id}-{container.node.id}-{role}",
                principal_id=principal, role_definition=role, scope=container)
        return self.grants[key]


def _cosmos(requirement: ResourceRequirement) -> CosmosRequirementConfig:
    return typed_config(requirement, CosmosRequirementConfig)

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

    def check_limits(self, requirement: ResourceRequirement, limits: ResourceLimits,
                     backend_config: BackendConfig | None = None) -> None:
        """``max_throughput_per_database``: a database's throughput, or the sum of its containers'."""
        cap = limits.max_throughput_per_database
        if cap is None:
            return
        config = _cosmos(requirement)
        for db in config.databases:
            own = db.throughput or db.autoscale_max_throughput
            autoscale = backend_config.auto_scale if backend_config is not None else None
            total = own or sum(sum(t or 0 for t in _container_throughput(c, db, config, autoscale))
                               for c in db.containers)
            if total > cap:
                raise ResourceLimitError(
                    f"Maximum throughput per database exceeded: database {db.name!r} of components "
                    f"{requirement.component_id} needs {total} RU/s", limit_name="max_throughput_per_database",
                    limit=cap, requested=total,
                    solutions=["Increase max_throughput_per_database in backend config",
                               "Lower the throughput of the components in this database",
                               "Give components separate databases (database_name)"])

    def resource_name(self, default: str, config: BackendConfig | None) -> str:
        """An existing account (``cosmos_config.use_existing``) keeps its own name."""
        existing = config.cosmos_config if config is not None else None
        if existing is not None and existing.use_existing and existing.account_name:
            return existing.account_name
        return default

    def capacity_units(self, requirement: ResourceRequirement) -> int:
        """Each database and each container counts against the account's limit of 500 (a database shared
        by several components is counted with each of them, which keeps the split on the safe side)."""
        return sum(1 + len(db.containers) for db in _cosmos(requirement).databases)

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
        """The account (or the existing one of ``cosmos_config``), then its databases and containers."""
        config = _cosmos(requirement)
        cosmos_config = context.config.cosmos_config
        if cosmos_config is not None and cosmos_config.use_existing:
            from .cosmos_existing import provide_existing

            return provide_existing(config, scope, context, cosmos_config)
        entry = context.plan_entry
        locations, location = _locations(config, cosmos_config, entry.members)
        multi_write = len(locations or ()) > 1 and (
            config.enable_multi_region or (cosmos_config is not None and cosmos_config.enable_multi_region))
        if config.enable_multi_region and len(locations or ()) < 2:
            raise ConfigurationError(
                f"components {', '.join(entry.members)} ask for a multi-region Cosmos DB account, but the backend "
                "names no second region", field="cosmos_config.failover_policies", path=",".join(entry.members),
                fix="set cosmos_config={'failover_policies': [{'location_name': 'eastus', 'priority': 0}, "
                "{'location_name': 'westus2', 'priority': 1}]}")
        consistency = config.consistency or (cosmos_config.consistency_level if cosmos_config else None) or "Session"
        account = CosmosDbAccount(
            scope, f"Cosmos-{entry.construct_suffix}", name=context.resource_name, location=location,
            tags=context.tags, serverless=config.enable_serverless, consistency_level=consistency,
            locations=locations, enable_automatic_failover=bool(cosmos_config and cosmos_config.enable_automatic_failover),
            enable_multiple_write_locations=multi_write, capabilities=config.capabilities,
        )
        network = network_for(scope, context)
        if network is not None:
            network.secure_cosmos(account)
        shared = SharedCosmos(account, placements={m: d for m, d in context.backend.plan().database_placements.items()
                                                   if m in entry.members})
        add_databases(shared, config, context)
        _alert_on_utilization(shared, config, context, scope)
        return shared


def _alert_on_utilization(shared: SharedCosmos, config: CosmosRequirementConfig, context: ProviderContext,
                          scope: Construct) -> None:
    """With auto_scale and monitoring on, alert when normalized RU consumption passes the target."""
    from ...resources.insights import MetricAlert, MetricCriterion
    from .monitoring import SharedMonitoring

    autoscale = context.config.auto_scale
    monitoring = context.resource_for(context.plan_entry.members[0], "monitoring:shared")
    if autoscale is None or config.enable_serverless or not isinstance(monitoring, SharedMonitoring):
        return
    account = shared.account
    MetricAlert(
        scope, f"{account.node.id}-Utilization", name=f"alert-{account.resource_name}-ru-utilization",
        scopes=[account], tags=context.tags, severity=2, window_size="PT15M", actions=monitoring.action_groups,
        criteria=[MetricCriterion(name="NormalizedRU", metric_name="NormalizedRUConsumption", operator="GreaterThan",
                                  threshold=autoscale.target_utilization, time_aggregation="Maximum",
                                  metric_namespace="Microsoft.DocumentDB/databaseAccounts")],
        description=f"Normalized RU consumption above {autoscale.target_utilization}%: raise "
        "auto_scale.max_throughput")


def _locations(config: CosmosRequirementConfig, cosmos_config: CosmosConfig | None,
               members: Sequence[str]) -> tuple[list[CosmosLocation] | None, str | None]:
    """The account's regions from ``failover_policies`` (None: the account's own) and its home region."""
    if cosmos_config is None or not cosmos_config.failover_policies:
        return None, config.location
    policies = sorted(cosmos_config.failover_policies, key=lambda p: p.priority)
    if len(policies) > 1 and config.enable_serverless:
        raise ConfigurationError(
            f"cosmos_config.failover_policies lists {len(policies)} regions, but components "
            f"{', '.join(members)} use a serverless Cosmos DB account, which runs in one region",
            field="cosmos_config.failover_policies", path=",".join(members),
            fix="set enable_serverless=False on those components (provisioned throughput; auto_scale=True "
            "keeps it elastic), or list one region")
    return [CosmosLocation(p.location_name, p.priority) for p in policies], policies[0].location_name


def add_databases(shared: SharedCosmos, config: CosmosRequirementConfig, context: ProviderContext) -> None:
    """One database per name and one container per (database, name) in ``shared.account``."""
    autoscale = context.config.auto_scale
    account = shared.account
    for db in config.databases:
        database = CosmosSqlDatabase(account, _construct_id("Db", db.name), name=db.name,
                                     throughput=db.throughput, autoscale_max_throughput=db.autoscale_max_throughput)
        shared.databases[db.name] = database
        for c in db.containers:
            throughput, autoscale_max = _container_throughput(c, db, config, autoscale)
            shared.containers[(db.name, c.name)] = CosmosSqlContainer(
                database, _construct_id("Container", c.name), name=c.name, partition_key=c.partition_key,
                default_ttl=c.ttl, unique_keys=[list(k) for k in c.unique_keys],
                indexing_policy=_indexing(c.indexing_policy), throughput=throughput,
                autoscale_max_throughput=autoscale_max)


def _container_throughput(container: ContainerRequirement, db: DatabaseRequirement, config: CosmosRequirementConfig,
                          autoscale: AutoScaleConfig | None) -> tuple[int | None, int | None]:
    """(fixed RU/s, autoscale maximum) of a container; backend auto_scale fills provisioned ones without any."""
    throughput, autoscale_max = container.throughput, container.autoscale_max_throughput
    if (not config.enable_serverless and autoscale is not None and throughput is None and autoscale_max is None
            and db.throughput is None and db.autoscale_max_throughput is None):
        autoscale_max = autoscale.max_throughput
    return throughput, autoscale_max


def preferred_locations(context: ProviderContext) -> list[str]:
    """Regions the backend's apps read Cosmos DB from, in order (empty: the SDK's default).

    ``cosmos_config.read_location`` first; with several ``failover_policies`` the backend's own
    region first, then the others by priority.
    """
    cosmos_config = context.config.cosmos_config
    if cosmos_config is None or not any(e.resource_type == "cosmos" for e in context.backend.plan().resources):
        return []
    if cosmos_config.read_location:
        regions = [cosmos_config.read_location]
    elif len(cosmos_config.failover_policies) > 1:
        ordered = sorted(cosmos_config.failover_policies, key=lambda p: p.priority)
        regions = [context.location, *(p.location_name for p in ordered)]
    else:
        return []
    seen: set[str] = set()
    out: list[str] = []
    for region in regions:
        key = region.replace(" ", "").lower()
        if key not in seen:
            seen.add(key)
            out.append(region)
    return out


def _indexing(policy: Mapping[str, Any] | None) -> IndexingPolicy | None:
    if policy is None or isinstance(policy, IndexingPolicy):
        return policy
    return IndexingPolicy.from_arm(policy)


_PLAIN_ID = re.compile(r"[A-Za-z0-9_-]*")


def _construct_id(prefix: str, key: str) -> str:
    if _PLAIN_ID.fullmatch(key):  # nothing to replace (the usual name)
        return f"{prefix}-{key}"
    cleaned = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in key)
    return f"{prefix}-{cleaned}"
