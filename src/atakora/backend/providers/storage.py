"""The default Storage provider: one account per performance tier and replication, holding every container."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ...core.construct import Construct
from ...resources.storage import BlobContainer, StorageAccount, StorageQueue, StorageTable
from ..config import ResourceLimits
from ..merge import FieldRule
from ..requirements import ResourceRequirement, StorageRequirementConfig
from .base import BaseProvider, Compatibility, ProviderContext, typed_config
from .network import network_for

__all__ = ["SharedStorage", "StorageProvider"]

CONTAINERS_PER_ACCOUNT = 500
"""The practical limit of containers, queues and tables per shared account (seed 000)."""


@dataclass
class SharedStorage:
    """What components get for ``storage:<key>``: the account and its containers, queues and tables."""

    account: StorageAccount
    containers: dict[str, BlobContainer] = field(default_factory=dict)
    queues: dict[str, StorageQueue] = field(default_factory=dict)
    tables: dict[str, StorageTable] = field(default_factory=dict)

    @property
    def primary_resource(self) -> StorageAccount:
        """The account itself: what ``backend.get_resource(...)`` returns, to pass to typed resources."""
        return self.account

    def container(self, name: str) -> BlobContainer:
        """The blob container ``name``, created on first use."""
        if name not in self.containers:
            self.containers[name] = BlobContainer(self.account, f"Container-{name}", name=name)
        return self.containers[name]


def _storage(requirement: ResourceRequirement) -> StorageRequirementConfig:
    return typed_config(requirement, StorageRequirementConfig)

class StorageProvider(BaseProvider):
    """Creates Storage accounts: HTTPS only, TLS 1.2, no public blobs, no shared keys (identity only)."""

    provider_id = "storage"
    supported_types = ("storage",)
    provision_order = 20
    limit_field = "max_storage_accounts"
    display_name = "Storage account"

    def merge_rules(self) -> Mapping[str, FieldRule]:
        """Containers, queues and tables: union."""
        return {"containers": FieldRule("union"), "queues": FieldRule("union"), "tables": FieldRule("union")}

    def compatibility(self, requirement: ResourceRequirement) -> Compatibility:
        """Performance tier and replication are fixed per account."""
        sku = _storage(requirement).sku
        tier, replication = sku.split("_", 1)
        return Compatibility(signature=sku, label=sku.lower().replace("_", ""),
                             reason=f"{tier} performance, {replication} replication")

    def capacity_units(self, requirement: ResourceRequirement) -> int:
        """Each container, queue and table counts."""
        config = _storage(requirement)
        return len(config.containers) + len(config.queues) + len(config.tables)

    def capacity_limit(self, limits: ResourceLimits) -> int | None:
        """``max_containers_per_storage``, else 500."""
        return limits.max_containers_per_storage or CONTAINERS_PER_ACCOUNT

    def provide_resource(self, requirement: ResourceRequirement, scope: Construct,
                         context: ProviderContext) -> SharedStorage:
        """The account with its containers, queues and tables."""
        config = _storage(requirement)
        account = StorageAccount(
            scope, f"Storage-{context.plan_entry.construct_suffix}",
            name=context.resource_name, tags=context.tags, sku=config.sku,
            # Without a virtual network, Functions reach their host storage over the public endpoint.
            network_default_action="Allow", public_network_access="Enabled",
        )
        network = network_for(scope, context)
        if network is not None:
            network.secure_storage(account)
        shared = SharedStorage(account)
        for name in config.containers:
            shared.container(name)
        for name in config.queues:
            shared.queues[name] = StorageQueue(account, f"Queue-{name}", name=name)
        for name in config.tables:
            shared.tables[name] = StorageTable(account, f"Table-{name}", name=name)
        return shared
