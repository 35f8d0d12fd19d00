"""Microsoft.DocumentDB: Cosmos DB for NoSQL accounts, databases, containers and data-plane RBAC.

Secure defaults: local (key) auth off (``disableLocalAuth``), key-based metadata writes off,
TLS 1.2 minimum; access goes through ``CosmosSqlRoleAssignment`` (least privilege: scope a role
to one container). Accounts are serverless by default.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

from ..core.construct import Construct
from ..core.expressions import Expr, concat
from ..core.grants import (
    Grant,
    PrincipalId,
    assignment_name,
    principal_id_of,
    runtime_principal,
    uses_runtime_value,
)
from ..core.resource import Resource
from ..errors import ConfigurationError
from ._common import child_path, identity_block, require_one_of, require_range

__all__ = [
    "API_VERSIONS",
    "BUILT_IN_DATA_ROLES",
    "ConsistencyLevel",
    "ContinuousBackup",
    "CosmosDbAccount",
    "CosmosLocation",
    "CosmosSqlContainer",
    "CosmosSqlContainerThroughputSettings",
    "CosmosSqlDatabase",
    "CosmosSqlDatabaseThroughputSettings",
    "CosmosSqlRoleAssignment",
    "CosmosVirtualNetworkRule",
    "IndexingPolicy",
    "PeriodicBackup",
]

API_VERSIONS: dict[str, str] = {
    "Microsoft.DocumentDB/databaseAccounts": "2026-03-15",
    "Microsoft.DocumentDB/databaseAccounts/sqlDatabases": "2026-03-15",
    "Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers": "2026-03-15",
    "Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments": "2026-03-15",
}

ConsistencyLevel = Literal["Eventual", "Session", "BoundedStaleness", "Strong", "ConsistentPrefix"]
PublicNetworkAccess = Literal["Enabled", "Disabled", "SecuredByPerimeter"]
NetworkAclBypass = Literal["None", "AzureServices"]
BackupRedundancy = Literal["Geo", "Local", "Zone"]
ContinuousTier = Literal["Continuous7Days", "Continuous30Days"]
IndexingMode = Literal["consistent", "none"]
SortOrder = Literal["ascending", "descending"]
DataRole = Literal["reader", "contributor"]

BUILT_IN_DATA_ROLES: dict[str, str] = {
    "reader": "00000000-0000-0000-0000-000000000001",
    "contributor": "00000000-0000-0000-0000-000000000002",
}
"""Cosmos DB built-in data-plane role definitions: Data Reader and Data Contributor."""

_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


_ROLE_LABELS = {role: f"Cosmos DB data {role}" for role in get_args(DataRole)}
"""What a grant of each built-in data role reads as (one string each, not one per assignment)."""


@dataclass(frozen=True)
class CosmosLocation:
    """One region of an account; ``failover_priority`` 0 is the write region. Default: not zone redundant."""

    location_name: str | Expr
    failover_priority: int = 0
    is_zone_redundant: bool = False

    def to_arm(self) -> dict[str, Any]:
        """The ARM ``locations`` entry."""
        return {"locationName": self.location_name, "failoverPriority": self.failover_priority,
                "isZoneRedundant": self.is_zone_redundant}


@dataclass(frozen=True)
class CosmosVirtualNetworkRule:
    """Allow a subnet (its resource id); default: the subnet must have the Cosmos service endpoint."""

    subnet_id: str | Expr
    ignore_missing_vnet_service_endpoint: bool = False

    def to_arm(self) -> dict[str, Any]:
        """The ARM ``virtualNetworkRules`` entry."""
        return {"id": self.subnet_id, "ignoreMissingVNetServiceEndpoint": self.ignore_missing_vnet_service_endpoint}


@dataclass(frozen=True)
class PeriodicBackup:
    """Periodic backup. Defaults (Azure's): every 240 minutes, kept 8 hours, geo-redundant storage."""

    interval_in_minutes: int = 240
    retention_in_hours: int = 8
    storage_redundancy: BackupRedundancy = "Geo"

    def to_arm(self) -> dict[str, Any]:
        """The ARM ``backupPolicy`` object."""
        return {"type": "Periodic", "periodicModeProperties": {
            "backupIntervalInMinutes": self.interval_in_minutes,
            "backupRetentionIntervalInHours": self.retention_in_hours,
            "backupStorageRedundancy": self.storage_redundancy}}


@dataclass(frozen=True)
class ContinuousBackup:
    """Continuous backup with point-in-time restore. Default tier: Continuous7Days (no extra cost)."""

    tier: ContinuousTier = "Continuous7Days"

    def to_arm(self) -> dict[str, Any]:
        """The ARM ``backupPolicy`` object."""
        return {"type": "Continuous", "continuousModeProperties": {"tier": self.tier}}


_POLICIES: dict[IndexingPolicy, IndexingPolicy] = {}
"""Equal policies built from ARM mappings, shared (containers of one schema all get the same one)."""
_CHECKED: set[IndexingPolicy] = set()
"""Shared policies that passed ``check``."""


def _shared_policy(policy: IndexingPolicy) -> IndexingPolicy:
    """The one stored policy equal to ``policy`` (a frozen value); an unhashable one is returned as is."""
    try:
        found = _POLICIES.get(policy)
    except TypeError:  # a path that is not a string (check() reports it)
        return policy
    if found is not None:
        return found
    if len(_POLICIES) >= 1024:
        _POLICIES.clear()
        _CHECKED.clear()
    _POLICIES[policy] = policy
    return policy


@dataclass(frozen=True)
class IndexingPolicy:
    """A container's indexing policy. Default: automatic, consistent, index every path except ``_etag``.

    ``composite_indexes`` is a list of composite indexes, each a list of ``(path, order)`` pairs.
    """

    automatic: bool = True
    indexing_mode: IndexingMode = "consistent"
    included_paths: Sequence[str] = ("/*",)
    excluded_paths: Sequence[str] = ('/"_etag"/?',)
    composite_indexes: Sequence[Sequence[tuple[str, SortOrder]]] = field(default=())

    @classmethod
    def from_arm(cls, policy: Mapping[str, Any]) -> IndexingPolicy:
        """Build from an ARM-shaped mapping (``indexingMode``, ``includedPaths: [{path}]``, ...)."""
        composite = tuple(tuple((p["path"], p.get("order", "ascending")) for p in index)
                          for index in policy.get("compositeIndexes", []))
        built = cls(automatic=policy.get("automatic", True), indexing_mode=policy.get("indexingMode", "consistent"),
                    included_paths=tuple(p["path"] for p in policy.get("includedPaths", [{"path": "/*"}])),
                    excluded_paths=tuple(p["path"] for p in policy.get("excludedPaths", [{"path": '/"_etag"/?'}])),
                    composite_indexes=composite)
        return _shared_policy(built)

    def check(self, path: str) -> None:
        """Raise ConfigurationError when the policy is inconsistent (a shared policy that passed is not checked
        again: it is a frozen value, and ``path`` only goes into the error)."""
        try:
            shared = _POLICIES.get(self) is self
        except TypeError:  # unhashable: a list inside, given directly
            shared = False
        if shared and self in _CHECKED:
            return
        self._check(path)
        if shared:
            _CHECKED.add(self)

    def _check(self, path: str) -> None:
        field_ = "indexing_policy"
        require_one_of(self.indexing_mode, get_args(IndexingMode), field=f"{field_}.indexing_mode", path=path)
        if self.indexing_mode == "none" and (self.automatic or self.included_paths or self.excluded_paths):
            raise ConfigurationError(
                "indexing_policy.indexing_mode 'none' needs automatic=False and no included or excluded paths",
                field=f"{field_}.indexing_mode", path=path,
                fix="use IndexingPolicy(automatic=False, indexing_mode='none', included_paths=(), excluded_paths=())")
        paths = [*self.included_paths, *self.excluded_paths, *(p for c in self.composite_indexes for p, _ in c)]
        for p in paths:
            if not p.startswith("/"):
                raise ConfigurationError(f"indexing_policy path {p!r} does not start with '/'",
                                         field=f"{field_}.paths", path=path, fix="write paths like '/name/?' or '/*'")
        for index in self.composite_indexes:
            if len(index) < 2:
                raise ConfigurationError("a composite index needs at least two paths",
                                         field=f"{field_}.composite_indexes", path=path,
                                         fix="list two or more (path, order) pairs per composite index")
            for _, order in index:
                require_one_of(order, get_args(SortOrder), field=f"{field_}.composite_indexes.order", path=path)

    def to_arm(self) -> dict[str, Any]:
        """The ARM ``indexingPolicy`` object."""
        out: dict[str, Any] = {"automatic": self.automatic, "indexingMode": self.indexing_mode,
                               "includedPaths": [{"path": p} for p in self.included_paths],
                               "excludedPaths": [{"path": p} for p in self.excluded_paths]}
        if self.composite_indexes:
            out["compositeIndexes"] = [[{"path": p, "order": o} for p, o in c] for c in self.composite_indexes]
        return out


def _check_throughput(path: str, throughput: int | None, autoscale_max_throughput: int | None,
                      account: CosmosDbAccount) -> None:
    for field_, value in (("throughput", throughput), ("autoscale_max_throughput", autoscale_max_throughput)):
        if value is not None and account.serverless:
            raise ConfigurationError(
                f"{field_} is not allowed on a serverless Cosmos DB account ({account.node.path})",
                field=field_, path=path,
                fix=f"remove {field_}, or create the account with serverless=False (provisioned throughput)")
    if throughput is not None and autoscale_max_throughput is not None:
        raise ConfigurationError("throughput and autoscale_max_throughput exclude each other", field="throughput",
                                 path=path, fix="set either throughput (manual) or autoscale_max_throughput")
    require_range(throughput, field="throughput", path=path, minimum=400, maximum=1_000_000)
    if isinstance(throughput, int) and throughput % 100:
        raise ConfigurationError(f"throughput is {throughput}, but must be a multiple of 100", field="throughput",
                                 path=path, fix="round throughput to a multiple of 100 RU/s")
    require_range(autoscale_max_throughput, field="autoscale_max_throughput", path=path, minimum=1000,
                  maximum=1_000_000)
    if isinstance(autoscale_max_throughput, int) and autoscale_max_throughput % 1000:
        raise ConfigurationError(f"autoscale_max_throughput is {autoscale_max_throughput}, but must be a multiple "
                                 "of 1000", field="autoscale_max_throughput", path=path,
                                 fix="round autoscale_max_throughput to a multiple of 1000 RU/s")


def _options(throughput: int | None, autoscale_max_throughput: int | None) -> dict[str, Any]:
    """The ``options``/``resource`` throughput members (empty when neither is set)."""
    if throughput is not None:
        return {"throughput": throughput}
    if autoscale_max_throughput is not None:
        return {"autoscaleSettings": {"maxThroughput": autoscale_max_throughput}}
    return {}


def _with_options(props: dict[str, Any], throughput: int | None, autoscale: int | None) -> dict[str, Any]:
    options = _options(throughput, autoscale)
    if options:
        props["options"] = options
    return props


class CosmosDbAccount(Resource):
    """A Cosmos DB for NoSQL account (kind ``GlobalDocumentDB``).

    Defaults: serverless, Session consistency, one region (the account's location, priority 0),
    no automatic failover, single write region, ``disableLocalAuth`` True, key-based metadata writes
    disabled, TLS 1.2, public network access 'Enabled' (set 'Disabled' with private endpoints).
    """

    TYPE = "Microsoft.DocumentDB/databaseAccounts"
    API_VERSION = API_VERSIONS[TYPE]

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        name: str | Expr,
        location: str | Expr | None = None,
        tags: Mapping[str, str] | None = None,
        serverless: bool = True,
        consistency_level: ConsistencyLevel = "Session",
        max_staleness_prefix: int | None = None,
        max_interval_in_seconds: int | None = None,
        locations: Sequence[CosmosLocation] | None = None,
        zone_redundant: bool = False,
        enable_automatic_failover: bool = False,
        enable_multiple_write_locations: bool = False,
        disable_local_auth: bool = True,
        public_network_access: PublicNetworkAccess = "Enabled",
        ip_rules: Sequence[str] = (),
        virtual_network_rules: Sequence[CosmosVirtualNetworkRule | str | Expr] = (),
        is_virtual_network_filter_enabled: bool | None = None,
        network_acl_bypass: NetworkAclBypass | None = None,
        backup_policy: PeriodicBackup | ContinuousBackup | None = None,
        capabilities: Sequence[str] = (),
        key_vault_key_uri: str | Expr | None = None,
        enable_free_tier: bool = False,
        system_assigned_identity: bool = False,
        user_assigned_identities: Sequence[Resource | Expr] = (),
    ) -> None:
        path = child_path(scope, id)
        self._check_staleness(path, consistency_level, max_staleness_prefix, max_interval_in_seconds)
        if locations is not None:
            self._check_locations(path, locations)
        if serverless:
            if locations is not None and len(locations) > 1:
                raise ConfigurationError("a serverless Cosmos DB account runs in one region only", field="locations",
                                         path=path, fix="give one location, or use serverless=False")
            if enable_multiple_write_locations:
                raise ConfigurationError("enable_multiple_write_locations is not supported by serverless accounts",
                                         field="enable_multiple_write_locations", path=path,
                                         fix="remove enable_multiple_write_locations, or use serverless=False")
        super().__init__(scope, id, name=name, location=location, tags=tags, kind="GlobalDocumentDB",
                         identity=identity_block(system_assigned=system_assigned_identity,
                                                 user_assigned=user_assigned_identities))
        self.serverless = serverless
        self.consistency_level = consistency_level
        self.max_staleness_prefix = max_staleness_prefix
        self.max_interval_in_seconds = max_interval_in_seconds
        assert self.location is not None
        self.locations: list[CosmosLocation] = list(locations) if locations is not None else [
            CosmosLocation(self.location, 0, zone_redundant)]
        self.enable_automatic_failover = enable_automatic_failover
        self.enable_multiple_write_locations = enable_multiple_write_locations
        self.disable_local_auth = disable_local_auth
        self.public_network_access = public_network_access
        self.ip_rules: list[str] = list(ip_rules)
        self.virtual_network_rules: list[CosmosVirtualNetworkRule] = [
            r if isinstance(r, CosmosVirtualNetworkRule) else CosmosVirtualNetworkRule(r)
            for r in virtual_network_rules]
        self.is_virtual_network_filter_enabled = is_virtual_network_filter_enabled
        self.network_acl_bypass = network_acl_bypass
        self.backup_policy = backup_policy
        self.capabilities: list[str] = list(capabilities)
        self._data_role_ids: dict[str, Expr] = {}
        self.key_vault_key_uri = key_vault_key_uri
        self.enable_free_tier = enable_free_tier

    @staticmethod
    def _check_staleness(path: str, level: str, prefix: int | None, interval: int | None) -> None:
        if level != "BoundedStaleness":
            for field_, value in (("max_staleness_prefix", prefix), ("max_interval_in_seconds", interval)):
                if value is not None:
                    raise ConfigurationError(f"{field_} applies only to BoundedStaleness consistency", field=field_,
                                             path=path, fix=f"remove {field_}, or use consistency_level="
                                                            "'BoundedStaleness'")
            return
        for field_, value in (("max_staleness_prefix", prefix), ("max_interval_in_seconds", interval)):
            if value is None:
                raise ConfigurationError(f"{field_} is required with BoundedStaleness consistency", field=field_,
                                         path=path, fix="pass max_staleness_prefix=100000, max_interval_in_seconds=300")
        require_range(prefix, field="max_staleness_prefix", path=path, minimum=10, maximum=2_147_483_647)
        require_range(interval, field="max_interval_in_seconds", path=path, minimum=5, maximum=86_400)

    @staticmethod
    def _check_locations(path: str, locations: Sequence[CosmosLocation]) -> None:
        if not locations:
            raise ConfigurationError("locations is empty", field="locations", path=path,
                                     fix="omit locations (the account's region is used) or list at least one")
        priorities = [loc.failover_priority for loc in locations]
        if sorted(priorities) != list(range(len(locations))):
            raise ConfigurationError(f"failover priorities are {priorities}; they must be 0..{len(locations) - 1}, "
                                     "each once", field="locations", path=path,
                                     fix="give the write region priority 0 and the others 1, 2, ...")
        names = [loc.location_name.lower().replace(" ", "") for loc in locations
                 if isinstance(loc.location_name, str)]
        if len(names) != len(set(names)):
            raise ConfigurationError("a region is listed twice in locations", field="locations", path=path,
                                     fix="list each region once")

    @functools.cached_property
    def document_endpoint(self) -> Expr:
        """The account's endpoint (``https://<name>.documents.azure.com:443/``), at deployment time (one
        expression per account)."""
        return self.attribute("documentEndpoint")

    def data_role_id(self, role: DataRole) -> Expr:
        """The id of a built-in data role on this account (one expression per role, whatever the assignments)."""
        found = self._data_role_ids.get(role)
        if found is None:
            found = self._data_role_ids[role] = concat(self.resource_id,
                                                       f"/sqlRoleDefinitions/{BUILT_IN_DATA_ROLES[role]}")
        return found

    def add_capability(self, name: str) -> None:
        """Enable an account capability (for example 'EnableNoSQLVectorSearch'); ignored when present."""
        if name not in self.capabilities:
            self.capabilities.append(name)

    def add_ip_rule(self, ip_address_or_range: str) -> None:
        """Allow an IPv4 address or CIDR range through the firewall."""
        self.ip_rules.append(ip_address_or_range)

    def render_properties(self) -> Mapping[str, Any]:
        """The account's ``properties``, computed from its typed fields."""
        consistency: dict[str, Any] = {"defaultConsistencyLevel": self.consistency_level}
        if self.consistency_level == "BoundedStaleness":
            consistency["maxStalenessPrefix"] = self.max_staleness_prefix
            consistency["maxIntervalInSeconds"] = self.max_interval_in_seconds
        capabilities = (["EnableServerless"] if self.serverless else []) + [
            c for c in self.capabilities if c != "EnableServerless"]
        vnet_filter = self.is_virtual_network_filter_enabled
        if vnet_filter is None:
            vnet_filter = bool(self.virtual_network_rules)
        props: dict[str, Any] = {
            "databaseAccountOfferType": "Standard",
            "consistencyPolicy": consistency,
            "locations": [loc.to_arm() for loc in self.locations],
            "enableAutomaticFailover": self.enable_automatic_failover,
            "enableMultipleWriteLocations": self.enable_multiple_write_locations,
            "disableLocalAuth": self.disable_local_auth,
            "disableKeyBasedMetadataWriteAccess": True,
            "minimalTlsVersion": "Tls12",
            "publicNetworkAccess": self.public_network_access,
            "isVirtualNetworkFilterEnabled": vnet_filter,
            "ipRules": [{"ipAddressOrRange": ip} for ip in self.ip_rules],
            "virtualNetworkRules": [r.to_arm() for r in self.virtual_network_rules],
            "capabilities": [{"name": c} for c in capabilities],
        }
        if self.network_acl_bypass is not None:
            props["networkAclBypass"] = self.network_acl_bypass
        if self.backup_policy is not None:
            props["backupPolicy"] = self.backup_policy.to_arm()
        if self.key_vault_key_uri is not None:
            props["keyVaultKeyUri"] = self.key_vault_key_uri
        if self.enable_free_tier:
            props["enableFreeTier"] = True
        return props


class CosmosSqlDatabase(Resource):
    """A NoSQL database of an account. Default: no own throughput (serverless, or containers' own)."""

    TYPE = "Microsoft.DocumentDB/databaseAccounts/sqlDatabases"
    API_VERSION = API_VERSIONS[TYPE]

    def __init__(self, account: CosmosDbAccount, id: str, *, name: str | Expr, throughput: int | None = None,
                 autoscale_max_throughput: int | None = None) -> None:
        _check_throughput(child_path(account, id), throughput, autoscale_max_throughput, account)
        super().__init__(account, id, name=name)
        self.account = account
        self.throughput = throughput
        self.autoscale_max_throughput = autoscale_max_throughput

    def render_properties(self) -> Mapping[str, Any]:
        """``resource.id`` and the throughput ``options``."""
        return _with_options({"resource": {"id": self.resource_name}}, self.throughput, self.autoscale_max_throughput)

    def grant_data_access(self, id: str, *, principal_id: str | Expr | Resource,
                          role: DataRole | Expr = "reader") -> CosmosSqlRoleAssignment:
        """Give ``principal_id`` a data-plane role on this database only. Default role: reader."""
        return CosmosSqlRoleAssignment(self.account, id, principal_id=principal_id, role_definition=role, scope=self)


@functools.lru_cache(maxsize=1024)
def _partition_paths(path: str) -> tuple[str, ...]:
    """The paths of a one-path partition key, one tuple per distinct path (most containers use '/id')."""
    return (path,)


class CosmosSqlContainer(Resource):
    """A NoSQL container. ``partition_key``: one path (Hash) or up to three (hierarchical, MultiHash).

    ``default_ttl``: None (default) turns TTL off, -1 turns it on without a default expiry, N > 0
    expires items N seconds after their last write. ``unique_keys``: a list of unique keys, each a
    list of paths. Default indexing: Azure's (everything indexed).
    """

    TYPE = "Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers"
    API_VERSION = API_VERSIONS[TYPE]

    def __init__(self, database: CosmosSqlDatabase, id: str, *, name: str | Expr, partition_key: str | Sequence[str],
                 default_ttl: int | None = None, unique_keys: Sequence[Sequence[str]] = (),
                 indexing_policy: IndexingPolicy | None = None, throughput: int | None = None,
                 autoscale_max_throughput: int | None = None) -> None:
        path = child_path(database, id)
        paths = _partition_paths(partition_key) if isinstance(partition_key, str) else tuple(partition_key)
        if not paths or len(paths) > 3:
            raise ConfigurationError(f"partition_key has {len(paths)} paths; it needs 1 to 3", field="partition_key",
                                     path=path, fix="pass partition_key='/id' or up to three paths (hierarchical)")
        for p in paths:
            if not isinstance(p, str) or not re.fullmatch(r"/[^/\s]+(/[^/\s]+)*", p):
                raise ConfigurationError(f"partition_key path {p!r} is not a path like '/category'",
                                         field="partition_key", path=path, fix="start each path with '/'")
        if default_ttl is not None and (isinstance(default_ttl, bool) or default_ttl == 0 or default_ttl < -1):
            raise ConfigurationError(f"default_ttl is {default_ttl!r}; use None (off), -1 (on, no default) or "
                                     "seconds > 0", field="default_ttl", path=path, fix="set default_ttl=-1 or 3600")
        for key in unique_keys:
            if isinstance(key, str) or not key or any(not str(k).startswith("/") for k in key):
                raise ConfigurationError(f"unique key {key!r} must be a non-empty list of paths like ['/email']",
                                         field="unique_keys", path=path, fix="pass unique_keys=[['/email']]")
        if indexing_policy is not None:
            indexing_policy.check(path)
        _check_throughput(path, throughput, autoscale_max_throughput, database.account)
        super().__init__(database, id, name=name)
        self.database = database
        self.account = database.account
        self.partition_key_paths = paths
        self.default_ttl = default_ttl
        self.unique_keys: Sequence[list[str]] = [list(k) for k in unique_keys] if unique_keys else ()
        self.indexing_policy = indexing_policy
        self.throughput = throughput
        self.autoscale_max_throughput = autoscale_max_throughput

    def render_properties(self) -> Mapping[str, Any]:
        """``resource`` (id, partition key, TTL, unique keys, indexing) and throughput ``options``."""
        kind = "Hash" if len(self.partition_key_paths) == 1 else "MultiHash"
        resource: dict[str, Any] = {"id": self.resource_name,
                                    "partitionKey": {"paths": self.partition_key_paths, "kind": kind, "version": 2}}
        if self.default_ttl is not None:
            resource["defaultTtl"] = self.default_ttl
        if self.unique_keys:
            resource["uniqueKeyPolicy"] = {"uniqueKeys": [{"paths": k} for k in self.unique_keys]}
        if self.indexing_policy is not None:
            resource["indexingPolicy"] = self.indexing_policy.to_arm()
        return _with_options({"resource": resource}, self.throughput, self.autoscale_max_throughput)

    def grant_data_access(self, id: str, *, principal_id: str | Expr | Resource,
                          role: DataRole | Expr = "reader") -> CosmosSqlRoleAssignment:
        """Give ``principal_id`` a data-plane role on this container only. Default role: reader."""
        return CosmosSqlRoleAssignment(self.account, id, principal_id=principal_id, role_definition=role, scope=self)


class _ThroughputSettings(Construct):
    """Sets the throughput of its database or container, which writes it once, as its own ``options``.

    Azure takes a database's or container's throughput from ``options`` at creation and on every
    redeploy (https://learn.microsoft.com/azure/cosmos-db/nosql/manage-with-bicep). A separate
    ``throughputSettings`` resource as well would set the same throughput a second way (two writes per
    deployment, and two values that can disagree), so this construct renders no resource of its own.
    """

    def __init__(self, scope: CosmosSqlDatabase | CosmosSqlContainer, id: str, throughput: int | None,
                 autoscale_max_throughput: int | None) -> None:
        path = child_path(scope, id)
        if throughput is None and autoscale_max_throughput is None:
            raise ConfigurationError("throughput settings need throughput or autoscale_max_throughput",
                                     field="throughput", path=path, fix="pass throughput=400 or "
                                                                        "autoscale_max_throughput=1000")
        if scope.throughput is not None or scope.autoscale_max_throughput is not None:
            given = (f"throughput={scope.throughput}" if scope.throughput is not None
                     else f"autoscale_max_throughput={scope.autoscale_max_throughput}")
            raise ConfigurationError(
                f"{scope.node.path} already sets its throughput ({given}); throughput settings would set it a "
                "second way", field="throughput", path=path,
                fix=f"set the throughput once: either {given} on {scope.node.id}, or these throughput settings")
        _check_throughput(path, throughput, autoscale_max_throughput, scope.account)
        super().__init__(scope, id)
        self.target = scope
        self.throughput = throughput
        self.autoscale_max_throughput = autoscale_max_throughput
        scope.throughput = throughput
        scope.autoscale_max_throughput = autoscale_max_throughput


class CosmosSqlDatabaseThroughputSettings(_ThroughputSettings):
    """The throughput of a database (shared by its containers), for a database created without one."""

    def __init__(self, database: CosmosSqlDatabase, id: str, *, throughput: int | None = None,
                 autoscale_max_throughput: int | None = None) -> None:
        super().__init__(database, id, throughput, autoscale_max_throughput)


class CosmosSqlContainerThroughputSettings(_ThroughputSettings):
    """The dedicated throughput of a container, for a container created without one."""

    def __init__(self, container: CosmosSqlContainer, id: str, *, throughput: int | None = None,
                 autoscale_max_throughput: int | None = None) -> None:
        super().__init__(container, id, throughput, autoscale_max_throughput)


class CosmosSqlRoleAssignment(Resource):
    """A data-plane role for a principal on the account, one database, or one container (least privilege).

    ``principal_id``: an object id, an expression, or a resource with a managed identity (its
    ``principal_id`` is used). ``role_definition``: 'reader' (default), 'contributor', or an
    expression with a role definition id. ``scope``: None (the whole account), a database or a
    container. The name is ``guid(account id, principal id, role, scope)``: stable across deployments,
    and new when the identity is recreated (Cosmos DB refuses to change an assignment's principal).
    Assignments on one account deploy one after another (each depends on the one created before it),
    because Cosmos DB takes an exclusive account lock per assignment write.
    """

    TYPE = "Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments"
    API_VERSION = API_VERSIONS[TYPE]

    def __init__(self, account: CosmosDbAccount, id: str, *, principal_id: str | Expr | Resource,
                 role_definition: DataRole | Expr = "reader",
                 scope: CosmosSqlDatabase | CosmosSqlContainer | None = None) -> None:
        path = child_path(account, id)
        if not isinstance(role_definition, Expr):
            require_one_of(role_definition, get_args(DataRole), field="role_definition", path=path)
        principal: str | Expr
        if isinstance(principal_id, Resource):
            own_property = type(principal_id).principal_id is not Resource.principal_id  # e.g. a user identity
            if not own_property and "SystemAssigned" not in str((principal_id.identity or {}).get("type", "")):
                raise ConfigurationError(f"{principal_id.node.path} has no system-assigned managed identity",
                                         field="principal_id", path=path,
                                         fix="enable its system-assigned identity, or pass a UserAssignedIdentity")
            principal = principal_id_of(principal_id)
        elif isinstance(principal_id, Expr):
            principal = runtime_principal(principal_id) if uses_runtime_value(principal_id) else principal_id
        else:
            if not _GUID.match(principal_id or ""):
                raise ConfigurationError(f"principal_id {principal_id!r} is not a GUID (an object id)",
                                         field="principal_id", path=path,
                                         fix="pass the principal's object id, or the resource with the identity")
            principal = principal_id
        if scope is not None and scope.account is not account:
            raise ConfigurationError("scope belongs to another Cosmos DB account", field="scope", path=path,
                                     fix="create the assignment under the account that holds the scope")
        role_id = role_definition if isinstance(role_definition, Expr) else account.data_role_id(role_definition)
        scope_expr = self._scope_expr(account, scope)
        name = assignment_name(account.resource_id, principal, role_id, scope_expr)
        # Cosmos DB locks the account for each assignment write: parallel writes fail with "There is
        # another user operation in progress". Each assignment waits for the one created before it.
        # The last assignment added before this one, found from the end (not by testing every child).
        earlier = next((c for c in reversed(account.node.children) if isinstance(c, CosmosSqlRoleAssignment)), None)
        depends: list[Resource] = [scope] if scope is not None else []
        if earlier is not None:
            depends.append(earlier)
        super().__init__(account, id, name=name, depends_on=depends)
        # A managed identity's object id is known only at deployment: the assignment deploys in the stack's
        # role-assignment deployment. Later assignments on the account follow it there, so the chain of
        # writes never runs back and forth between the two templates.
        self.deploys_with_grants = isinstance(principal, PrincipalId) or bool(
            earlier is not None and earlier.deploys_with_grants)
        self.account = account
        self.principal = principal
        self.role_definition_id = role_id
        self.scope_expr = scope_expr
        self._target: Resource = scope if scope is not None else account
        self._role_label = _ROLE_LABELS[role_definition] if isinstance(role_definition, str) else \
            "Cosmos DB custom data role"
        self._principal_resource = principal_id if isinstance(principal_id, Resource) else None

    @property
    def grant(self) -> Grant:
        """What this assignment gives: the data role, the principal's resource and the database or container."""
        return Grant(self._role_label, self._principal_resource, self._target)

    @staticmethod
    def _scope_expr(account: CosmosDbAccount, scope: CosmosSqlDatabase | CosmosSqlContainer | None) -> Expr:
        if scope is None:
            return account.resource_id
        database = scope.database if isinstance(scope, CosmosSqlContainer) else scope
        parts: list[str | Expr] = ["/dbs/", database.resource_name]
        if isinstance(scope, CosmosSqlContainer):
            parts += ["/colls/", scope.resource_name]
        merged: list[str | Expr] = []
        for part in parts:  # join adjacent literals: concat(id, '/dbs/app/colls/items')
            if isinstance(part, str) and merged and isinstance(merged[-1], str):
                merged[-1] = merged[-1] + part
            else:
                merged.append(part)
        return concat(account.resource_id, *merged)

    def render_properties(self) -> Mapping[str, Any]:
        """``roleDefinitionId``, ``principalId`` and ``scope``."""
        return {"roleDefinitionId": self.role_definition_id, "principalId": self.principal, "scope": self.scope_expr}
