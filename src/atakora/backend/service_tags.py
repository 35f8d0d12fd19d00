"""Azure service tags for NSG rules: the known names and how user spellings map onto them."""

from __future__ import annotations

__all__ = ["KNOWN_SERVICE_TAGS", "normalize_service_tag"]

KNOWN_SERVICE_TAGS = frozenset({
    "ActionGroup", "ApiManagement", "AppConfiguration", "AppService", "AppServiceManagement",
    "AzureActiveDirectory", "AzureBackup", "AzureBotService", "AzureCloud", "AzureCognitiveSearch",
    "AzureConnectors", "AzureContainerRegistry", "AzureCosmosDB", "AzureDataLake", "AzureDatabricks",
    "AzureEventGrid", "AzureFrontDoor.Backend", "AzureFrontDoor.Frontend", "AzureFrontDoor.FirstParty",
    "AzureKeyVault", "AzureLoadBalancer", "AzureMachineLearning", "AzureMonitor", "AzurePlatformDNS",
    "AzureResourceManager", "AzureSignalR", "AzureSiteRecovery", "AzureTrafficManager", "AzureUpdateDelivery",
    "BatchNodeManagement", "CognitiveServicesManagement", "DataFactory", "EventHub", "GatewayManager",
    "GuestAndHybridManagement", "Internet", "MicrosoftContainerRegistry", "PowerBI", "ServiceBus",
    "ServiceFabric", "Sql", "SqlManagement", "Storage", "StorageSyncService", "VirtualNetwork",
})
"""Azure service tags usable in NSG rules (regional forms such as ``Storage.EastUS`` are accepted too)."""

_TAG_ALIASES = {
    "azurefunctions": "AppService", "functions": "AppService", "cosmosdb": "AzureCosmosDB",
    "azurestorage": "Storage", "keyvault": "AzureKeyVault", "servicebus": "ServiceBus",
}


def normalize_service_tag(tag: str) -> str:
    """The NSG service tag for ``tag``: known tags as Azure spells them; 'AzureFunctions' → 'AppService'.

    Raises ValueError for names that are not service tags.
    """
    base, _, region = tag.partition(".")
    alias = _TAG_ALIASES.get(tag.lower())
    if alias is not None:
        return alias
    by_lower = {t.lower(): t for t in KNOWN_SERVICE_TAGS}
    if tag.lower() in by_lower:
        return by_lower[tag.lower()]
    if region and base.lower() in by_lower and region.isalnum():
        return f"{by_lower[base.lower()]}.{region}"
    raise ValueError(f"{tag!r} is not an Azure service tag; use names such as 'AzureCosmosDB', 'Storage', "
                     "'AppService' (Functions), 'AzureMonitor' or a regional form like 'Storage.EastUS'")
