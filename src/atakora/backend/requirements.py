"""Resource requirements: what a component needs, as frozen values the planner can merge."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from ..arguments import validated

__all__ = [
    "ContainerRequirement",
    "CosmosRequirementConfig",
    "DatabaseRequirement",
    "FunctionsRequirementConfig",
    "MonitoringRequirementConfig",
    "ResourceRequirement",
    "StorageRequirementConfig",
    "Validator",
]

Validator = Callable[["ResourceRequirement"], list[str]]
"""A check on the merged requirement; returns error messages (empty when it is fine)."""


@dataclass(frozen=True, slots=True)
class ContainerRequirement:
    """A Cosmos SQL container: partition key, TTL (None off, -1 on without default), unique keys, indexing."""

    name: str
    partition_key: str = "/id"
    ttl: int | None = None
    unique_keys: tuple[tuple[str, ...], ...] = ()
    indexing_policy: Mapping[str, Any] | None = None
    throughput: int | None = None
    autoscale_max_throughput: int | None = None


@dataclass(frozen=True, slots=True)
class DatabaseRequirement:
    """A Cosmos SQL database and its containers."""

    name: str
    containers: tuple[ContainerRequirement, ...] = ()
    throughput: int | None = None
    autoscale_max_throughput: int | None = None


@dataclass(frozen=True, slots=True)
class CosmosRequirementConfig:
    """Needs of one component from a Cosmos DB account (seed 000 ICosmosRequirement)."""

    consistency: Literal["Eventual", "ConsistentPrefix", "Session", "BoundedStaleness", "Strong"] | None = None
    enable_serverless: bool = True
    enable_multi_region: bool = False
    capabilities: tuple[str, ...] = ()
    databases: tuple[DatabaseRequirement, ...] = ()
    location: str | None = None


@dataclass(frozen=True, slots=True)
class FunctionsRequirementConfig:
    """Needs of one component from a Function App (seed 000 IFunctionAppRequirement)."""

    runtime: Literal["python", "node", "dotnet-isolated", "java", "powershell"] = "python"
    version: str = "3.11"
    sku: Literal["FC1", "EP1", "EP2", "EP3", "B1", "B2", "B3", "S1", "S2", "S3", "P1v3", "P2v3", "P3v3"] = "FC1"
    always_on: bool = False
    environment_variables: Mapping[str, Any] = field(default_factory=dict)
    extensions: tuple[str, ...] = ()
    function_count: int = 0
    routes: tuple[str, ...] = ()
    allowed_origins: tuple[str, ...] | None = None
    health_check_paths: tuple[str, ...] = ()
    """Health routes members configured a health check on; the app probes the first."""
    health_routes: tuple[str, ...] = ()
    """Health routes members offer; the app probes the first when no member configured one."""
    health_check_max_ping_failures: int | None = None
    """Failed probes before an instance is replaced (2-10; WEBSITE_HEALTHCHECK_MAXPINGFAILURES)."""
    maximum_instance_count: int = 100
    instance_memory_mb: Literal[512, 2048, 4096] = 2048
    auth: Any = None
    """The component's ``AuthSetting`` override (None: the backend's ``auth``); members of one app agree."""
    secret_owner: str | None = None
    """The component id when it has its own ``secrets=``: such components get separate apps."""
    cors: Any = None
    """The component's ``CorsPolicy`` (None: the backend's ``cors``); members of one app agree."""


@dataclass(frozen=True, slots=True)
class StorageRequirementConfig:
    """Needs of one component from a Storage account."""

    sku: Literal["Standard_LRS", "Standard_ZRS", "Standard_GRS", "Standard_RAGRS", "Standard_GZRS",
                 "Standard_RAGZRS", "Premium_LRS", "Premium_ZRS"] = "Standard_GRS"
    """Default Standard_GRS: geo-replicated, available in every region."""
    containers: tuple[str, ...] = ()
    queues: tuple[str, ...] = ()
    tables: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class MonitoringRequirementConfig:
    """Needs from the shared Log Analytics workspace + Application Insights."""

    retention_days: int = 30
    sampling_percentage: float = 100
    workspace_name: str | None = None


@dataclass(frozen=True, slots=True)
class ResourceRequirement:
    """One component's need for a resource. Same ``resource_type`` and ``requirement_key`` = one resource."""

    resource_type: str
    requirement_key: str
    config: Any
    """A typed config (for the built-in types) or a plain mapping (for custom types)."""
    priority: int = 10
    validators: tuple[Validator, ...] = ()
    component_id: str = ""
    shares_throughput: bool = False
    """Cosmos only: the container may move into a shared-throughput database (see ``cosmos_sharing``)."""

    @property
    def key(self) -> str:
        """``type:key``, as in the backend's resource map."""
        return f"{self.resource_type}:{self.requirement_key}"


# Requirements built directly (custom components) check their fields like every entry point.
for _kind in (ContainerRequirement, DatabaseRequirement, CosmosRequirementConfig, FunctionsRequirementConfig,
              StorageRequirementConfig, MonitoringRequirementConfig, ResourceRequirement):
    setattr(_kind, "__init__", validated(_kind.__init__))  # noqa: B010
