"""Resource providers: the defaults (Cosmos, Functions, Storage, Monitoring) and the provider protocol."""

from .base import BaseProvider, Compatibility, ProviderContext, ProviderRegistry
from .cosmos import CosmosProvider, SharedCosmos
from .cosmos_existing import ExistingCosmos
from .functions import FunctionsProvider, SharedFunctionApp
from .monitoring import MonitoringProvider, SharedMonitoring
from .network import BackendNetwork, network_for
from .storage import SharedStorage, StorageProvider

__all__ = [
    "BackendNetwork",
    "BaseProvider",
    "Compatibility",
    "CosmosProvider",
    "ExistingCosmos",
    "FunctionsProvider",
    "MonitoringProvider",
    "ProviderContext",
    "ProviderRegistry",
    "SharedCosmos",
    "SharedFunctionApp",
    "SharedMonitoring",
    "SharedStorage",
    "StorageProvider",
    "default_providers",
    "network_for",
]


def default_providers() -> list[BaseProvider]:
    """Fresh instances of the built-in providers."""
    return [MonitoringProvider(), StorageProvider(), CosmosProvider(), FunctionsProvider()]
