"""The backend pattern: components declare requirements, the planner shares resources, providers create them."""

from .backend import Backend, BackendScope, define_backend
from .builder import BackendBuilder
from .component import BackendComponent, ComponentDefinition, ResourceMap
from .components import Components, DynamicComponents
from .config import (
    AlertingConfig,
    AutoScaleConfig,
    BackendConfig,
    CosmosConfig,
    FailoverPolicy,
    MonitoringConfig,
    NetworkingConfig,
    ResourceLimits,
)
from .merge import FieldRule
from .naming import DefaultNamingConvention, NamingConvention
from .plan import SharedResourcePlan, SharingPlan
from .providers import BaseProvider, Compatibility, ProviderContext
from .requirements import (
    ContainerRequirement,
    CosmosRequirementConfig,
    DatabaseRequirement,
    FunctionsRequirementConfig,
    MonitoringRequirementConfig,
    ResourceRequirement,
    StorageRequirementConfig,
)
from .validation import ValidationResult

__all__ = [
    "AlertingConfig",
    "AutoScaleConfig",
    "Backend",
    "BackendBuilder",
    "BackendComponent",
    "BackendConfig",
    "BackendScope",
    "BaseProvider",
    "Compatibility",
    "ComponentDefinition",
    "Components",
    "ContainerRequirement",
    "CosmosConfig",
    "CosmosRequirementConfig",
    "DatabaseRequirement",
    "DefaultNamingConvention",
    "DynamicComponents",
    "FailoverPolicy",
    "FieldRule",
    "FunctionsRequirementConfig",
    "MonitoringConfig",
    "MonitoringRequirementConfig",
    "NamingConvention",
    "NetworkingConfig",
    "ProviderContext",
    "ResourceLimits",
    "ResourceMap",
    "ResourceRequirement",
    "SharedResourcePlan",
    "SharingPlan",
    "StorageRequirementConfig",
    "ValidationResult",
    "define_backend",
]
