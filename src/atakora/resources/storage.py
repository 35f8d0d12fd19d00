"""Microsoft.Storage: storage accounts, blob/queue/table services and their children, lifecycle rules.

Secure defaults: HTTPS only, TLS 1.2, no anonymous blob access, shared keys off (identity-based
access, Entra ID by default in the portal), no cross-tenant replication, network rules that deny
by default and let trusted Azure services through, soft delete for blobs and containers.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any, Literal, TypeVar, get_args

from ..arguments import validated
from ..core.construct import Construct
from ..core.expressions import Expr
from ..core.resource import Resource
from ..errors import ConfigurationError
from ._common import child_path, identity_block, require_one_of, require_range

__all__ = [
    "API_VERSIONS",
    "BlobContainer",
    "BlobService",
    "LifecycleRule",
    "ManagementPolicy",
    "QueueService",
    "StorageAccount",
    "StorageQueue",
    "StorageSku",
    "StorageTable",
    "TableService",
]

_V = "2026-04-01"
API_VERSIONS: dict[str, str] = {
    "Microsoft.Storage/storageAccounts": _V,
    "Microsoft.Storage/storageAccounts/blobServices": _V,
    "Microsoft.Storage/storageAccounts/blobServices/containers": _V,
    "Microsoft.Storage/storageAccounts/queueServices": _V,
    "Microsoft.Storage/storageAccounts/queueServices/queues": _V,
    "Microsoft.Storage/storageAccounts/tableServices": _V,
    "Microsoft.Storage/storageAccounts/tableServices/tables": _V,
    "Microsoft.Storage/storageAccounts/managementPolicies": _V,
}

StorageSku = Literal["Standard_LRS", "Standard_ZRS", "Standard_GRS", "Standard_RAGRS", "Standard_GZRS",
                     "Standard_RAGZRS", "Premium_LRS", "Premium_ZRS"]
StorageKind = Literal["StorageV2", "BlockBlobStorage", "FileStorage"]
AccessTier = Literal["Hot", "Cool", "Cold"]
PublicNetworkAccess = Literal["Enabled", "Disabled", "SecuredByPerimeter"]
DefaultAction = Literal["Allow", "Deny"]
Bypass = Literal["None", "Logging", "Metrics", "AzureServices"]
BlobType = Literal["blockBlob", "appendBlob"]
_S = TypeVar("_S", bound="_Service")


class StorageAccount(Resource):
    """A storage account.

    Defaults: StorageV2, Standard_GRS (geo-replicated), Hot tier, HTTPS only, TLS 1.2, no public
    blob access, shared-key access off (use managed identities), OAuth default in the portal, no
    cross-tenant replication, network rules ``Deny`` with ``AzureServices`` bypass, public network
    access not set (network rules decide). Set ``network_default_action='Allow'`` for clients that
    are not in a virtual network, for example a Function App without VNet integration.
    """

    TYPE = "Microsoft.Storage/storageAccounts"
    API_VERSION = API_VERSIONS[TYPE]

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        name: str | Expr,
        location: str | Expr | None = None,
        tags: Mapping[str, str] | None = None,
        sku: StorageSku = "Standard_GRS",
        kind: StorageKind = "StorageV2",
        access_tier: AccessTier | None = "Hot",
        allow_shared_key_access: bool = False,
        public_network_access: PublicNetworkAccess | None = None,
        network_default_action: DefaultAction = "Deny",
        network_bypass: Sequence[Bypass] = ("AzureServices",),
        ip_rules: Sequence[str] = (),
        virtual_network_rules: Sequence[str | Expr] = (),
        require_infrastructure_encryption: bool = False,
        system_assigned_identity: bool = False,
        user_assigned_identities: Sequence[Resource | Expr] = (),
    ) -> None:
        path = child_path(scope, id)
        if isinstance(network_bypass, str):
            raise ConfigurationError("network_bypass must be a sequence", field="network_bypass", path=path,
                                     fix=f"pass network_bypass=[{network_bypass!r}]")
        for item in network_bypass:
            require_one_of(item, get_args(Bypass), field="network_bypass", path=path)
        if kind != "StorageV2" and sku.startswith("Standard"):
            raise ConfigurationError(f"kind {kind!r} needs a Premium sku, not {sku!r}", field="sku", path=path,
                                     fix="use sku='Premium_LRS' or 'Premium_ZRS', or kind='StorageV2'")
        super().__init__(scope, id, name=name, location=location, tags=tags, sku={"name": sku}, kind=kind,
                         identity=identity_block(system_assigned=system_assigned_identity,
                                                 user_assigned=user_assigned_identities))
        self.sku_name = sku
        self.access_tier = access_tier if kind != "FileStorage" else None
        self.allow_shared_key_access = allow_shared_key_access
        self.public_network_access = public_network_access
        self.network_default_action = network_default_action
        self.network_bypass = list(network_bypass)
        self.ip_rules: list[str] = list(ip_rules)
        self.virtual_network_rules: list[str | Expr] = list(virtual_network_rules)
        self.require_infrastructure_encryption = require_infrastructure_encryption

    # ----- attributes --------------------------------------------------------------------
    @property
    def primary_blob_endpoint(self) -> Expr:
        """``https://<name>.blob.core.windows.net/`` (at deployment time)."""
        return self.attribute("primaryEndpoints", "blob")

    @property
    def primary_queue_endpoint(self) -> Expr:
        """``https://<name>.queue.core.windows.net/`` (at deployment time)."""
        return self.attribute("primaryEndpoints", "queue")

    @property
    def primary_web_endpoint(self) -> Expr:
        """``https://<name>.z<nn>.web.core.windows.net/``, the static website (see :meth:`enable_static_website`)."""
        return self.attribute("primaryEndpoints", "web")

    @validated
    def enable_static_website(self, *, index_document: str = "index.html", error_document: str | None = None) -> None:
        """Turn the static website on (in the blob service, see :meth:`BlobService.enable_static_website`)."""
        self.blob_service().enable_static_website(index_document=index_document, error_document=error_document)

    @property
    def static_website_enabled(self) -> bool:
        """Whether :meth:`enable_static_website` was called."""
        service = self._find(BlobService)
        return service is not None and service.static_website is not None

    @property
    def primary_table_endpoint(self) -> Expr:
        """``https://<name>.table.core.windows.net/`` (at deployment time)."""
        return self.attribute("primaryEndpoints", "table")

    # ----- mutation ----------------------------------------------------------------------
    def add_ip_rule(self, ip_address_or_range: str) -> None:
        """Allow an IPv4 address or CIDR range through the firewall."""
        self.ip_rules.append(ip_address_or_range)

    def add_virtual_network_rule(self, subnet_id: str | Expr) -> None:
        """Allow a subnet (it needs the Microsoft.Storage service endpoint)."""
        self.virtual_network_rules.append(subnet_id)

    def _find(self, kind: type[_S]) -> _S | None:
        return next((c for c in self.node.children if isinstance(c, kind)), None)

    def blob_service(self) -> BlobService:
        """The account's blob service: the one created already, or a new one with default settings."""
        return self._find(BlobService) or BlobService(self)

    def queue_service(self) -> QueueService:
        """The account's queue service: the one created already, or a new one."""
        return self._find(QueueService) or QueueService(self)

    def table_service(self) -> TableService:
        """The account's table service: the one created already, or a new one."""
        return self._find(TableService) or TableService(self)

    def render_properties(self) -> Mapping[str, Any]:
        """The account's ``properties``, computed from its typed fields."""
        props: dict[str, Any] = {}
        if self.access_tier is not None:
            props["accessTier"] = self.access_tier
        props.update({
            "supportsHttpsTrafficOnly": True,
            "minimumTlsVersion": "TLS1_2",
            "allowBlobPublicAccess": False,
            "allowSharedKeyAccess": self.allow_shared_key_access,
            "defaultToOAuthAuthentication": True,
            "allowCrossTenantReplication": False,
            "networkAcls": {
                "defaultAction": self.network_default_action,
                "bypass": ", ".join(self.network_bypass) if self.network_bypass else "None",
                "ipRules": [{"value": ip, "action": "Allow"} for ip in self.ip_rules],
                "virtualNetworkRules": [{"id": v, "action": "Allow"} for v in self.virtual_network_rules],
            },
        })
        if self.public_network_access is not None:
            props["publicNetworkAccess"] = self.public_network_access
        if self.require_infrastructure_encryption:
            props["encryption"] = {"keySource": "Microsoft.Storage", "requireInfrastructureEncryption": True,
                                   "services": {"blob": {"enabled": True, "keyType": "Account"},
                                                "file": {"enabled": True, "keyType": "Account"}}}
        return props


class _Service(Resource):
    """A storage service (blob, queue, table): a singleton child named 'default'."""

    def __init__(self, account: StorageAccount, id: str) -> None:
        if not isinstance(account, StorageAccount):
            raise ConfigurationError(f"{type(self).__name__} needs a StorageAccount as its scope", field="scope",
                                     path=child_path(account, id), fix="pass the storage account as the scope")
        super().__init__(account, id, name="default")
        self.account = account


class BlobService(_Service):
    """The blob service of an account (named 'default').

    Defaults: soft delete for blobs and for containers, 7 days each (None turns it off);
    versioning off.
    """

    TYPE = "Microsoft.Storage/storageAccounts/blobServices"
    API_VERSION = API_VERSIONS[TYPE]

    def __init__(self, account: StorageAccount, id: str = "BlobService", *, delete_retention_days: int | None = 7,
                 container_delete_retention_days: int | None = 7, versioning: bool = False) -> None:
        path = child_path(account, id)
        require_range(delete_retention_days, field="delete_retention_days", path=path, minimum=1, maximum=365)
        require_range(container_delete_retention_days, field="container_delete_retention_days", path=path,
                      minimum=1, maximum=365)
        super().__init__(account, id)
        self.delete_retention_days = delete_retention_days
        self.container_delete_retention_days = container_delete_retention_days
        self.versioning = versioning
        self.static_website: dict[str, Any] | None = None

    @validated
    def enable_static_website(self, *, index_document: str = "index.html", error_document: str | None = None) -> None:
        """Serve the ``$web`` container as a static website at ``primaryEndpoints.web``
        (``properties.staticWebsite``, an ARM setting since storage API 2025-08-01).

        ``index_document`` (default 'index.html') answers a directory; ``error_document`` (default none)
        is the page served with 404, a path such as '404.html'.
        """
        path = self.node.path
        for field_name, value in (("index_document", index_document), ("error_document", error_document)):
            if value is not None and (not value.strip() or value.startswith("/") or "://" in value):
                raise ConfigurationError(f"{field_name} {value!r} must be a file path in the $web container",
                                         field=field_name, path=path, fix="pass e.g. 'index.html' or '404.html'")
        website: dict[str, Any] = {"enabled": True, "indexDocument": index_document}
        if error_document is not None:
            website["errorDocument404Path"] = error_document
        self.static_website = website

    def render_properties(self) -> Mapping[str, Any]:
        """Retention policies, versioning and the static website (when enabled)."""
        def policy(days: int | None) -> dict[str, Any]:
            return {"enabled": True, "days": days} if days is not None else {"enabled": False}

        props: dict[str, Any] = {"deleteRetentionPolicy": policy(self.delete_retention_days),
                                 "containerDeleteRetentionPolicy": policy(self.container_delete_retention_days),
                                 "isVersioningEnabled": self.versioning}
        if self.static_website is not None:
            props["staticWebsite"] = dict(self.static_website)
        return props


class QueueService(_Service):
    """The queue service of an account (named 'default')."""

    TYPE = "Microsoft.Storage/storageAccounts/queueServices"
    API_VERSION = API_VERSIONS[TYPE]

    def __init__(self, account: StorageAccount, id: str = "QueueService") -> None:
        super().__init__(account, id)


class TableService(_Service):
    """The table service of an account (named 'default')."""

    TYPE = "Microsoft.Storage/storageAccounts/tableServices"
    API_VERSION = API_VERSIONS[TYPE]

    def __init__(self, account: StorageAccount, id: str = "TableService") -> None:
        super().__init__(account, id)


def _service_for(scope: Resource, kind: type[_S], field: str, id: str) -> _S:
    if isinstance(scope, kind):
        return scope
    if isinstance(scope, StorageAccount):
        getter = {BlobService: scope.blob_service, QueueService: scope.queue_service,
                  TableService: scope.table_service}[kind]
        service = getter()
        assert isinstance(service, kind)
        return service
    raise ConfigurationError(f"a {field} needs a {kind.__name__} or a StorageAccount as its scope", field="scope",
                             path=child_path(scope, id), fix="pass the storage account (or its service)")


class BlobContainer(Resource):
    """A private blob container. ``scope``: the blob service, or the account (its blob service is used)."""

    TYPE = "Microsoft.Storage/storageAccounts/blobServices/containers"
    API_VERSION = API_VERSIONS[TYPE]

    def __init__(self, scope: BlobService | StorageAccount, id: str, *, name: str | Expr,
                 metadata: Mapping[str, str] | None = None) -> None:
        service = _service_for(scope, BlobService, "blob container", id)
        super().__init__(service, id, name=name, properties={"publicAccess": "None", **(
            {"metadata": dict(metadata)} if metadata else {})})
        self.account = service.account

    @property
    def url(self) -> Expr:
        """``https://<account>.blob.core.windows.net/<container>`` (at deployment time)."""
        from ..core.expressions import concat

        return concat(self.account.primary_blob_endpoint, self.resource_name)


class StorageQueue(Resource):
    """A storage queue. ``scope``: the queue service, or the account (its queue service is used)."""

    TYPE = "Microsoft.Storage/storageAccounts/queueServices/queues"
    API_VERSION = API_VERSIONS[TYPE]

    def __init__(self, scope: QueueService | StorageAccount, id: str, *, name: str | Expr,
                 metadata: Mapping[str, str] | None = None) -> None:
        service = _service_for(scope, QueueService, "queue", id)
        super().__init__(service, id, name=name, properties={"metadata": dict(metadata)} if metadata else {})
        self.account = service.account


class StorageTable(Resource):
    """A storage table. ``scope``: the table service, or the account (its table service is used)."""

    TYPE = "Microsoft.Storage/storageAccounts/tableServices/tables"
    API_VERSION = API_VERSIONS[TYPE]

    def __init__(self, scope: TableService | StorageAccount, id: str, *, name: str | Expr) -> None:
        service = _service_for(scope, TableService, "table", id)
        super().__init__(service, id, name=name, properties={})
        self.account = service.account


@dataclass(frozen=True)
class LifecycleRule:
    """A lifecycle rule for block blobs whose names start with one of ``prefix_match`` (``container/path``).

    Each ``*_after_days`` counts days since the blob's last modification; None (default) leaves that
    action out. ``delete_previous_versions_after_days`` and ``delete_snapshots_after_days`` count
    from creation.
    """

    name: str
    prefix_match: Sequence[str] = ()
    tier_to_cool_after_days: int | None = None
    tier_to_cold_after_days: int | None = None
    tier_to_archive_after_days: int | None = None
    delete_after_days: int | None = None
    delete_previous_versions_after_days: int | None = None
    delete_snapshots_after_days: int | None = None
    blob_types: Sequence[BlobType] = ("blockBlob",)
    enabled: bool = True

    def check(self, path: str) -> None:
        """Raise ConfigurationError when the rule cannot be deployed."""
        if not re.fullmatch(r"[A-Za-z0-9]{1,256}", self.name or ""):
            raise ConfigurationError(f"lifecycle rule name {self.name!r} must be 1-256 letters and digits",
                                     field="rules.name", path=path, fix="use a name like 'expireLogs'")
        days = {"tier_to_cool_after_days": self.tier_to_cool_after_days,
                "tier_to_cold_after_days": self.tier_to_cold_after_days,
                "tier_to_archive_after_days": self.tier_to_archive_after_days,
                "delete_after_days": self.delete_after_days,
                "delete_previous_versions_after_days": self.delete_previous_versions_after_days,
                "delete_snapshots_after_days": self.delete_snapshots_after_days}
        if all(v is None for v in days.values()):
            raise ConfigurationError(f"lifecycle rule {self.name!r} has no action", field="rules", path=path,
                                     fix="set delete_after_days or a tier_to_*_after_days value")
        for field_, value in days.items():
            require_range(value, field=f"rules.{field_}", path=path, minimum=0)
        ordered = [(f, v) for f, v in list(days.items())[:4] if v is not None]
        for (f1, v1), (f2, v2) in pairwise(ordered):
            if v1 is not None and v2 is not None and v1 >= v2:
                raise ConfigurationError(f"lifecycle rule {self.name!r}: {f2} ({v2}) must be later than {f1} ({v1})",
                                         field=f"rules.{f2}", path=path,
                                         fix="order the actions cool < cold < archive < delete")
        for prefix in self.prefix_match:
            if prefix.startswith("/") or not prefix:
                raise ConfigurationError(f"prefix {prefix!r} must start with a container name, not '/'",
                                         field="rules.prefix_match", path=path, fix="write 'container/path'")
        for blob_type in self.blob_types:
            require_one_of(blob_type, get_args(BlobType), field="rules.blob_types", path=path)

    def to_arm(self) -> dict[str, Any]:
        """The ARM rule object."""
        def after(days: int | None, key: str = "daysAfterModificationGreaterThan") -> dict[str, Any] | None:
            return None if days is None else {key: days}

        base = {"tierToCool": after(self.tier_to_cool_after_days), "tierToCold": after(self.tier_to_cold_after_days),
                "tierToArchive": after(self.tier_to_archive_after_days), "delete": after(self.delete_after_days)}
        actions: dict[str, Any] = {}
        if any(v is not None for v in base.values()):
            actions["baseBlob"] = {k: v for k, v in base.items() if v is not None}
        if self.delete_previous_versions_after_days is not None:
            actions["version"] = {"delete": after(self.delete_previous_versions_after_days,
                                                  "daysAfterCreationGreaterThan")}
        if self.delete_snapshots_after_days is not None:
            actions["snapshot"] = {"delete": after(self.delete_snapshots_after_days, "daysAfterCreationGreaterThan")}
        filters: dict[str, Any] = {"blobTypes": list(self.blob_types)}
        if self.prefix_match:
            filters["prefixMatch"] = list(self.prefix_match)
        return {"name": self.name, "enabled": self.enabled, "type": "Lifecycle",
                "definition": {"actions": actions, "filters": filters}}


class ManagementPolicy(Resource):
    """The account's lifecycle management policy (named 'default'); needs at least one rule."""

    TYPE = "Microsoft.Storage/storageAccounts/managementPolicies"
    API_VERSION = API_VERSIONS[TYPE]

    def __init__(self, account: StorageAccount, id: str = "ManagementPolicy", *,
                 rules: Sequence[LifecycleRule] = ()) -> None:
        path = child_path(account, id)
        for rule in rules:
            rule.check(path)
        super().__init__(account, id, name="default")
        self.rules: list[LifecycleRule] = []
        for rule in rules:
            self.add_rule(rule)
        self.node.add_validation(self._validate)

    def add_rule(self, rule: LifecycleRule) -> None:
        """Add a rule; names must be unique within the policy."""
        rule.check(self.node.path)
        if any(r.name == rule.name for r in self.rules):
            raise ConfigurationError(f"there is already a lifecycle rule named {rule.name!r}", field="rules",
                                     path=self.node.path, fix="give each rule a distinct name")
        self.rules.append(rule)

    def _validate(self) -> list[str]:
        return [] if self.rules else ["a management policy needs at least one rule (rules=[LifecycleRule(...)])"]

    def render_properties(self) -> Mapping[str, Any]:
        """``policy.rules``."""
        return {"policy": {"rules": [r.to_arm() for r in self.rules]}}

