"""The provider protocol (seed 000 §4, seed 003 example 1): providers merge and create shared resources."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from ...core.construct import Construct
from ...errors import ProviderError
from ..merge import FieldRule, MergeOutcome, merge_requirement_configs
from ..requirements import ResourceRequirement
from ..validation import ValidationResult

if TYPE_CHECKING:
    from ...core.stack import Stack
    from ..config import BackendConfig, ResourceLimits
    from ..naming import NamingConvention
    from ..plan import SharedResourcePlan

__all__ = ["BaseProvider", "Compatibility", "MergeReport", "ProviderContext", "ProviderRegistry", "typed_config"]

T = TypeVar("T")


def typed_config(requirement: ResourceRequirement, kind: type[T]) -> T:
    """The requirement's config as ``kind``: a plain mapping is converted (lists become tuples)."""
    config = requirement.config
    if isinstance(config, kind):
        return config
    if isinstance(config, Mapping):
        try:
            return kind(**{k: tuple(v) if isinstance(v, list) else v for k, v in config.items()})
        except TypeError as error:
            raise ProviderError(f"the {requirement.resource_type!r} requirement of {requirement.component_id!r} has "
                                f"an invalid config: {error}", path=requirement.component_id,
                                fix=f"use the fields of {kind.__name__}") from None
    raise ProviderError(f"the {requirement.resource_type!r} requirement of {requirement.component_id!r} needs a "
                        f"{kind.__name__} config, not {type(config).__name__}", path=requirement.component_id,
                        fix=f"pass {kind.__name__}(...) or a mapping of its fields")


@dataclass(frozen=True)
class Compatibility:
    """Requirements with different ``signature`` cannot share one resource; ``label`` names the group."""

    signature: Hashable
    label: str
    reason: str


@dataclass
class ProviderContext:
    """What a provider gets while it creates a resource."""

    backend: Any
    naming: NamingConvention
    tags: dict[str, str]
    location: str
    environment: str
    existing_resources: Mapping[str, Any]
    config: BackendConfig
    stack: Stack
    plan_entry: SharedResourcePlan
    resource_lookup: Callable[[str, str], Any] = field(repr=False, default=lambda component, key: None)

    @property
    def resource_name(self) -> str:
        """The name the plan chose for this resource."""
        return self.plan_entry.name

    def resource_for(self, component_id: str, key: str) -> Any:
        """The already provided resource that serves ``component_id``'s requirement ``key`` ('type:key')."""
        return self.resource_lookup(component_id, key)


class BaseProvider:
    """Creates one kind of shared resource. Subclass and set ``provider_id`` and ``supported_types``.

    Override ``provide_resource``; optionally ``merge_requirements`` (default: merge by
    ``merge_rules()``), ``validate_merged``, ``compatibility`` and the capacity hooks.
    """

    provider_id: str = ""
    supported_types: Sequence[str] = ()
    provision_order: int = 50
    """Lower provides first; resources that others reference (storage, monitoring) come early."""
    limit_field: str | None = None
    """The ResourceLimits field that caps how many of these resources a backend may create."""
    display_name: str = ""
    exclusive: bool = False
    """True: a resource serves one component only; two components on one requirement key are an error."""

    def can_provide(self, requirement: ResourceRequirement) -> bool:
        """True when this provider serves the requirement's type."""
        return requirement.resource_type in self.supported_types

    def provide_resource(self, requirement: ResourceRequirement, scope: Construct, context: ProviderContext) -> Any:
        """Create the shared resource for a merged requirement and return what components get injected."""
        raise NotImplementedError(f"{type(self).__name__} must implement provide_resource")

    def merge_rules(self) -> Mapping[str, FieldRule]:
        """Per-field merge strategies for the default ``merge_requirements`` (unlisted fields: priority)."""
        return {}

    def merge_requirements(self, requirements: Sequence[ResourceRequirement]) -> ResourceRequirement:
        """Merge requirements of the same type and key into one (default: by ``merge_rules()``)."""
        return self.merge_with_report(requirements).requirement

    def merge_with_report(self, requirements: Sequence[ResourceRequirement]) -> MergeReport:
        """Merge and say which strategy each field used, with the warnings merging produced."""
        first = requirements[0]
        if type(self).merge_requirements is not BaseProvider.merge_requirements:
            merged = self.merge_requirements(requirements)
            return MergeReport(merged, {"*": f"{self.provider_id}.merge_requirements"}, [])
        label = f"{self.display_name or first.resource_type} {first.requirement_key!r}"
        outcome: MergeOutcome = merge_requirement_configs(label, requirements, self.merge_rules())
        merged = ResourceRequirement(first.resource_type, first.requirement_key, outcome.config,
                                     max(r.priority for r in requirements),
                                     tuple(v for r in requirements for v in r.validators),
                                     ",".join(sorted({r.component_id for r in requirements})))
        return MergeReport(merged, outcome.strategies, outcome.warnings)

    def validate_merged(self, requirement: ResourceRequirement) -> ValidationResult:
        """Check a merged requirement (runs its validators); errors stop synthesis."""
        errors: list[str] = []
        for validator in requirement.validators:
            errors.extend(validator(requirement))
        return ValidationResult.of(errors)

    def compatibility(self, requirement: ResourceRequirement) -> Compatibility | None:
        """Hard incompatibilities: requirements whose signatures differ get separate resources."""
        return None

    def exclusive_values(self, requirement: ResourceRequirement) -> Mapping[str, object]:
        """Values that every member of one resource must agree on (for example an environment variable's).

        Requirements that disagree on a key get separate resources. Default: none.
        """
        return {}

    def check_limits(self, requirement: ResourceRequirement, limits: ResourceLimits,
                     backend_config: BackendConfig | None = None) -> None:
        """Raise ResourceLimitError when a merged requirement exceeds a configured limit (default: none)."""

    def resource_name(self, default: str, config: BackendConfig | None) -> str:
        """The planned name of a resource; default: the naming convention's ``default``."""
        return default

    def capacity_units(self, requirement: ResourceRequirement) -> int:
        """How much of a resource's capacity one requirement uses (default 0: no capacity limit)."""
        return 0

    def capacity_limit(self, limits: ResourceLimits) -> int | None:
        """How much one resource holds (None: unlimited)."""
        return None


@dataclass(frozen=True)
class MergeReport:
    """A merged requirement with the strategy applied per field and the warnings merging produced."""

    requirement: ResourceRequirement
    strategies: dict[str, str]
    warnings: list[str]


class ProviderRegistry:
    """The providers of a backend: defaults first, then those from the configuration."""

    def __init__(self, providers: Sequence[BaseProvider]) -> None:
        seen: dict[str, BaseProvider] = {}
        for provider in providers:
            if provider.provider_id in seen and seen[provider.provider_id] is not provider:
                raise ProviderError(f"two providers share the id {provider.provider_id!r}",
                                    fix="give each provider a distinct provider_id")
            seen[provider.provider_id] = provider
        self.providers = list(providers)

    def for_requirement(self, requirement: ResourceRequirement) -> BaseProvider:
        """The provider that serves ``requirement``; the last registered wins, so config overrides defaults."""
        for provider in reversed(self.providers):
            if provider.can_provide(requirement):
                return provider
        known = ", ".join(f"{p.provider_id} ({', '.join(p.supported_types)})" for p in self.providers)
        raise ProviderError(
            f"no provider can serve the {requirement.resource_type!r} requirement {requirement.requirement_key!r} "
            f"of component {requirement.component_id!r}; registered providers: {known}",
            path=requirement.component_id,
            fix="add a provider for this type to the backend config: providers=[MyProvider()]",
        )
