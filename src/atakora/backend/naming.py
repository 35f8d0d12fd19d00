"""Naming conventions for shared resources: ``{abbreviation}-{backend}-{environment}-{suffix}``."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from ..core.naming import generate_name, validate_name
from ..errors import NamingError

__all__ = [
    "ABBREVIATIONS",
    "ARM_TYPES",
    "CustomNamingConvention",
    "DefaultNamingConvention",
    "FunctionNamingConvention",
    "NameAdaptation",
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
    "nsg": "Microsoft.Network/networkSecurityGroups",
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
    "nsg": "nsg",
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


@dataclass(frozen=True)
class NameAdaptation:
    """A name a custom convention gave that its type cannot use, and the name atakora used instead."""

    resource_type: str
    given: str
    name: str
    reason: str

    def describe(self) -> str:
        """``'storage-myapp-prod' → 'stmyappprod...' (reason)`` for ``atakora plan``."""
        return f"{self.given!r} adapted to {self.name!r}: {self.reason}"


class CustomNamingConvention:
    """Your naming function (or object) with atakora's adaptation to each type's naming rules.

    The function is called as ``function(type, backend_id, suffix)`` with the short type names
    ``cosmos``, ``func``, ``st``, ``asp``, ``log``, ``appi``, ``sb``, ``kv``, ``vnet``, ``nsg``,
    ``id``, ``redis``, ``afd`` and ``stapp`` (see ``ABBREVIATIONS``). A name the type cannot use
    is adapted (characters, case, length, and a stable hash for globally unique types) and the
    adaptation is recorded for ``atakora plan``; only an unusable result (not a string, empty, or
    the function raising) is a :class:`NamingError` naming the function.
    """

    def __init__(self, function: Callable[[str, str, str | None], Any], *, label: str | None = None) -> None:
        self.function = function
        self.label = label or _function_label(function)
        self.adaptations: dict[str, NameAdaptation] = {}
        """Adapted name → its adaptation."""

    def format_resource_name(self, resource_type: str, backend_id: str, suffix: str | None = None) -> str:
        """The function's name for ``resource_type``, adapted to the type's rules when it must be."""
        short = ABBREVIATIONS.get(resource_type, resource_type)
        arm_type = ARM_TYPES.get(resource_type, resource_type)
        try:
            name = self.function(short, backend_id, suffix)
        except Exception as error:
            raise NamingError(
                f"naming function {self.label} raised {type(error).__name__}: {error} "
                f"(called with {short!r}, {backend_id!r}, {suffix!r})", resource_type=arm_type, name="",
                fix="make the function return a name for every type it is called with", field="naming") from error
        if not isinstance(name, str) or not name.strip():
            raise NamingError(
                f"naming function {self.label} returned {name!r} for {short!r} (backend {backend_id!r}, "
                f"suffix {suffix!r}), which cannot be a name", resource_type=arm_type, name=str(name),
                fix="return a non-empty string", field="naming")
        problem = validate_name(arm_type, name)
        if problem is None:
            return name
        adapted = generate_name(arm_type, [name], seed=f"{backend_id}/{name}") if re.search("[A-Za-z0-9]", name) else ""
        if not adapted or validate_name(arm_type, adapted) is not None:
            raise NamingError(f"naming function {self.label} gave {name!r} for {short!r}, which cannot be adapted "
                              f"to the type's rules: {problem}", resource_type=arm_type, name=name,
                              fix="return a name with some letters or digits", field="naming")
        self.adaptations[adapted] = NameAdaptation(short, name, adapted, problem)
        return adapted


FunctionNamingConvention = CustomNamingConvention
"""The former name of :class:`CustomNamingConvention`."""


def _function_label(function: Any) -> str:
    name = getattr(function, "__qualname__", None) or type(function).__name__
    code = getattr(function, "__code__", None)
    where = f" ({code.co_filename.rsplit('/', 1)[-1]}, line {code.co_firstlineno})" if code is not None else ""
    return f"{name!r}{where}"
