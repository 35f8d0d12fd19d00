"""Resource providers: the defaults (Monitoring, Storage, Cosmos, Functions, Static Web Apps, Front Door,
Service Bus) and the provider protocol."""

from .base import BaseProvider, Compatibility, ProviderContext, ProviderRegistry
from .cosmos import CosmosProvider, SharedCosmos
from .cosmos_existing import ExistingCosmos
from .functions import FunctionsProvider, SharedFunctionApp
from .monitoring import MonitoringProvider, SharedMonitoring
from .network import BackendNetwork, network_for
from .servicebus import ServiceBusProvider, SharedServiceBus
from .static_sites import FrontDoorProvider, SharedFrontDoor, StaticSitesProvider
from .storage import SharedStorage, StorageProvider

__all__ = [
    "BackendNetwork",
    "BaseProvider",
    "Compatibility",
    "CosmosProvider",
    "ExistingCosmos",
    "FrontDoorProvider",
    "FunctionsProvider",
    "MonitoringProvider",
    "ProviderContext",
    "ProviderRegistry",
    "ServiceBusProvider",
    "SharedCosmos",
    "SharedFrontDoor",
    "SharedFunctionApp",
    "SharedMonitoring",
    "SharedServiceBus",
    "SharedStorage",
    "StaticSitesProvider",
    "StorageProvider",
    "default_providers",
    "network_for",
]


def default_providers() -> list[BaseProvider]:
    """Fresh instances of the built-in providers."""
    return [MonitoringProvider(), StorageProvider(), CosmosProvider(), FunctionsProvider(), StaticSitesProvider(),
            FrontDoorProvider(), ServiceBusProvider()]
