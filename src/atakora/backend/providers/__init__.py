"""Resource providers: the defaults (Monitoring, Storage, Cosmos, Functions, Static Web Apps, Front Door,
Service Bus) and the provider protocol.

Names load on first use: importing ``providers.base`` (for example from the backend configuration)
does not import every provider.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..._lazy import lazy_attributes
from .base import BaseProvider

if TYPE_CHECKING:
    from .base import BaseProvider, Compatibility, ProviderContext, ProviderRegistry
    from .cosmos import CosmosProvider, SharedCosmos
    from .cosmos_existing import ExistingCosmos
    from .functions import FunctionsProvider, SharedFunctionApp
    from .monitoring import MonitoringProvider, SharedMonitoring
    from .network import BackendNetwork, network_for
    from .servicebus import ServiceBusProvider, SharedServiceBus
    from .static_sites import FrontDoorProvider, SharedFrontDoor, StaticSitesProvider
    from .storage import SharedStorage, StorageProvider

_MODULES = {
    "BackendNetwork": ".network",
    "BaseProvider": ".base",
    "Compatibility": ".base",
    "CosmosProvider": ".cosmos",
    "ExistingCosmos": ".cosmos_existing",
    "FrontDoorProvider": ".static_sites",
    "FunctionsProvider": ".functions",
    "MonitoringProvider": ".monitoring",
    "ProviderContext": ".base",
    "ProviderRegistry": ".base",
    "ServiceBusProvider": ".servicebus",
    "SharedCosmos": ".cosmos",
    "SharedFrontDoor": ".static_sites",
    "SharedFunctionApp": ".functions",
    "SharedMonitoring": ".monitoring",
    "SharedServiceBus": ".servicebus",
    "SharedStorage": ".storage",
    "StaticSitesProvider": ".static_sites",
    "StorageProvider": ".storage",
    "network_for": ".network",
}


__getattr__ = lazy_attributes(__name__, _MODULES)

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
    from .cosmos import CosmosProvider
    from .functions import FunctionsProvider
    from .monitoring import MonitoringProvider
    from .servicebus import ServiceBusProvider
    from .static_sites import FrontDoorProvider, StaticSitesProvider
    from .storage import StorageProvider

    return [MonitoringProvider(), StorageProvider(), CosmosProvider(), FunctionsProvider(), StaticSitesProvider(),
            FrontDoorProvider(), ServiceBusProvider()]
