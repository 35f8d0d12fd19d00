"""What Azure does with a change: the table of rules (each with the documentation behind it).

A changed property listed here forces a *replace* (Azure cannot change it in place: the resource
must be deleted and created again) and may lose data; a resource type listed in :data:`DATA_TYPES`
holds data, so deleting or replacing it loses that data; :data:`RENAMES` are names whose change only
moves something users reach (a new URL). Everything else is an in-place ``update``.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from typing import Literal

__all__ = ["DATA_TYPES", "IMMUTABLE", "RENAMES", "DataRule", "ImmutableRule", "RenameRule", "data_rule",
           "immutable_rule", "rename_rule"]

COSMOS_ACCOUNT = "Microsoft.DocumentDB/databaseAccounts"
COSMOS_DATABASE = "Microsoft.DocumentDB/databaseAccounts/sqlDatabases"
COSMOS_CONTAINER = "Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers"
STORAGE_ACCOUNT = "Microsoft.Storage/storageAccounts"

_PARTITION_DOC = "https://learn.microsoft.com/azure/cosmos-db/nosql/change-partition-key"
_UNIQUE_DOC = "https://learn.microsoft.com/azure/cosmos-db/unique-keys"
_CAPACITY_DOC = "https://learn.microsoft.com/azure/cosmos-db/nosql/how-to-change-capacity-mode"
_SERVERLESS_DOC = "https://learn.microsoft.com/azure/cosmos-db/throughput-serverless"
_COSMOS_DOC = "https://learn.microsoft.com/azure/cosmos-db/resource-model"
_STORAGE_KIND_DOC = "https://learn.microsoft.com/azure/storage/common/storage-account-upgrade"
_STORAGE_DOC = "https://learn.microsoft.com/azure/storage/common/storage-account-overview"
_KEYVAULT_DOC = "https://learn.microsoft.com/azure/key-vault/general/soft-delete-overview"
_SERVICEBUS_DOC = "https://learn.microsoft.com/azure/service-bus-messaging/service-bus-queues-topics-subscriptions"
_SITE_DOC = "https://learn.microsoft.com/azure/app-service/reference-dangling-subdomain-prevention"

Effect = Literal["replace", "update"]


@dataclass(frozen=True)
class ImmutableRule:
    """A property of ``resource_type`` at ``path`` (``*`` matches any segment) that Azure cannot change in place."""

    resource_type: str
    path: str
    data_loss: bool
    reason: str
    doc: str

    def matches(self, resource_type: str, path: str) -> bool:
        """Whether a change of ``path`` on ``resource_type`` falls under this rule (the path or below it)."""
        if resource_type.lower() != self.resource_type.lower():
            return False
        return fnmatch.fnmatchcase(path, self.path) or fnmatch.fnmatchcase(path, self.path + ".*") \
            or fnmatch.fnmatchcase(path, self.path + "[[]*")


@dataclass(frozen=True)
class DataRule:
    """A resource type that holds data: deleting or replacing it loses ``what``."""

    resource_type: str
    what: str
    doc: str


@dataclass(frozen=True)
class RenameRule:
    """A resource type whose name is part of an address users reach."""

    resource_type: str
    reason: str
    doc: str


IMMUTABLE: tuple[ImmutableRule, ...] = (
    ImmutableRule(COSMOS_CONTAINER, "properties.resource.partitionKey", True,
                  "a container's partition key cannot change; changing it means a new container and copying "
                  "the items over", _PARTITION_DOC),
    ImmutableRule(COSMOS_CONTAINER, "properties.resource.uniqueKeyPolicy", True,
                  "unique keys are set when a container is created and cannot be changed afterwards", _UNIQUE_DOC),
    ImmutableRule(COSMOS_ACCOUNT, "properties.capabilities", True,
                  "the capacity mode (serverless or provisioned throughput) is chosen at creation; provisioned "
                  "accounts cannot become serverless, and serverless to provisioned is a one-way migration done "
                  "outside the template", _CAPACITY_DOC),
    ImmutableRule(COSMOS_ACCOUNT, "properties.capacityMode", True,
                  "the capacity mode is chosen at creation; a provisioned account cannot become serverless",
                  _SERVERLESS_DOC),
    ImmutableRule(COSMOS_ACCOUNT, "kind", True,
                  "an account's API (kind) is chosen at creation and cannot change", _COSMOS_DOC),
    ImmutableRule(STORAGE_ACCOUNT, "kind", True,
                  "a storage account's kind cannot change in place, except an upgrade to StorageV2 (which "
                  "cannot be undone)", _STORAGE_KIND_DOC),
)
"""Properties that force a replace."""

DATA_TYPES: tuple[DataRule, ...] = (
    DataRule(COSMOS_ACCOUNT, "every database, container and item of the account", _COSMOS_DOC),
    DataRule(COSMOS_DATABASE, "every container and item of the database", _COSMOS_DOC),
    DataRule(COSMOS_CONTAINER, "every item of the container", _COSMOS_DOC),
    DataRule(STORAGE_ACCOUNT, "every blob, file, queue message and table entity of the account", _STORAGE_DOC),
    DataRule("Microsoft.Storage/storageAccounts/blobServices/containers", "every blob of the container",
             _STORAGE_DOC),
    DataRule("Microsoft.KeyVault/vaults", "its keys, secrets and certificates (kept soft-deleted for the "
             "retention period, then purged; the name stays taken until then)", _KEYVAULT_DOC),
    DataRule("Microsoft.KeyVault/vaults/secrets", "the secret's value (soft-deleted for the retention period)",
             _KEYVAULT_DOC),
    DataRule("Microsoft.ServiceBus/namespaces", "every queue and topic and the messages they hold",
             _SERVICEBUS_DOC),
    DataRule("Microsoft.ServiceBus/namespaces/queues", "the messages the queue holds", _SERVICEBUS_DOC),
    DataRule("Microsoft.ServiceBus/namespaces/topics", "the messages its subscriptions hold", _SERVICEBUS_DOC),
)
"""Resource types whose deletion (or replacement) loses data."""

RENAMES: tuple[RenameRule, ...] = (
    RenameRule("Microsoft.Web/sites", "a new name is a new app at a new default host name (<name>.azurewebsites.net, "
               "or <name>-<hash>.<region>.azurewebsites.net); clients of the old URL break", _SITE_DOC),
)
"""Names that are addresses."""

def immutable_rule(resource_type: str, path: str) -> ImmutableRule | None:
    """The rule that makes a change of ``path`` force a replace, if any."""
    return next((r for r in IMMUTABLE if r.matches(resource_type, path)), None)


def data_rule(resource_type: str) -> DataRule | None:
    """The data a resource of ``resource_type`` holds, if any."""
    lowered = resource_type.lower()
    return next((r for r in DATA_TYPES if r.resource_type.lower() == lowered), None)


def rename_rule(resource_type: str) -> RenameRule | None:
    """Whether a resource's name is an address users reach."""
    lowered = resource_type.lower()
    return next((r for r in RENAMES if r.resource_type.lower() == lowered), None)
