"""Naming conventions for shared resources: ``{abbreviation}-{backend}-{environment}-{suffix}``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, runtime_checkable

from ..core.naming import generate_name, validate_name
from ..errors import NamingError

__all__ = [
    "ABBREVIATIONS",
    "ARM_TYPES",
    "DefaultNamingConvention",
    "FunctionNamingConvention",
    "NamingConvention",
]

ARM_TYPES: dict[str, str] = {
    "cosmos": "Microsoft.DocumentDB/databaseAccounts",
    "functions": "Microsoft.Web/sites",
    "plan": "Microsoft.Web/serverfarms",
    "storage": "Microsoft.Storage/storageAccounts",
    "workspace": "Microsoft.OperationalInsights/workspaces",
    "appinsights": "Microsoft.Insights/components",
    "servicebus": "Microsoft.ServiceBus/namespaces",
    "keyvault": "Microsoft.KeyVault/vaults",
    "vnet": "Microsoft.Network/virtualNetworks",
    "identity": "Microsoft.ManagedIdentity/userAssignedIdentities",
    "redis": "Microsoft.Cache/redis",
    "frontdoor": "Microsoft.Cdn/profiles",
    "staticsite": "Microsoft.Web/staticSites",
}
"""Backend resource types → the ARM type whose naming rules apply."""

ABBREVIATIONS: dict[str, str] = {
    "cosmos": "cosmos",
    "functions": "func",
    "plan": "asp",
    "storage": "st",
    "workspace": "log",
    "appinsights": "appi",
    "servicebus": "sb",
    "keyvault": "kv",
    "vnet": "vnet",
    "identity": "id",
    "redis": "redis",
    "frontdoor": "afd",
    "staticsite": "stapp",
}
"""Abbreviations after Azure's Cloud Adoption Framework recommendations."""


@runtime_checkable
class NamingConvention(Protocol):
    """Names shared resources. ``resource_type`` is the backend type ('cosmos', 'functions', ...)."""

    def format_resource_name(self, resource_type: str, backend_id: str, suffix: str | None = None) -> str:
        """The resource's name; must be deterministic."""
        ...


class DefaultNamingConvention:
    """``{abbreviation}-{backend}-{environment}[-{suffix}]`` made valid for each type.

    Storage drops hyphens; globally unique types (storage, Cosmos, sites, Key Vault, Service Bus)
    get a short stable hash so two backends with the same names in other subscriptions don't clash.
    """

    def __init__(self, environment: str, *, unique_seed: str = "") -> None:
        self.environment = environment
        self.unique_seed = unique_seed

    def format_resource_name(self, resource_type: str, backend_id: str, suffix: str | None = None) -> str:
        """A valid deterministic name; the environment is always part of it."""
        abbreviation = ABBREVIATIONS.get(resource_type, resource_type)
        arm_type = ARM_TYPES.get(resource_type, resource_type)
        parts = [abbreviation, backend_id, self.environment] + ([suffix] if suffix else [])
        return generate_name(arm_type, parts, seed=f"{self.unique_seed}/{backend_id}/{self.environment}")


class FunctionNamingConvention:
    """Wraps a plain function ``(resource_type, backend_id, suffix) -> str``; its names are validated."""

    def __init__(self, function: Callable[[str, str, str | None], str]) -> None:
        self.function = function

    def format_resource_name(self, resource_type: str, backend_id: str, suffix: str | None = None) -> str:
        """The function's name, checked against the type's naming rules."""
        name = self.function(resource_type, backend_id, suffix)
        arm_type = ARM_TYPES.get(resource_type, resource_type)
        problem = validate_name(arm_type, name) if isinstance(name, str) else "the naming function returned no string"
        if problem:
            raise NamingError(f"the naming convention gave an invalid {resource_type} name: {problem}",
                              resource_type=arm_type, name=str(name),
                              fix="change the naming function so that it meets the type's rules")
        return name
