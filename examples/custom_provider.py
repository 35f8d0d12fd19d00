"""Seed 003, example 1: a custom resource provider for Service Bus, used by a custom component.

Two ``EventDrivenComponent`` components each ask for a Service Bus namespace with queues and a
topic. The ``ServiceBusProvider`` merges their requirements into one namespace (highest SKU,
queues and topics deduplicated by name), checks the result, and creates the namespace, queues and
topics. It is registered with ``providers=[ServiceBusProvider()]``: the default providers stay.

    python examples/custom_provider.py          # writes ./atakora.out
    atakora synth examples/custom_provider.py --out out
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

from atakora import App, ResourceGroupStack
from atakora.backend import (
    BaseProvider,
    ComponentDefinition,
    ProviderContext,
    ResourceMap,
    ResourceRequirement,
    ValidationResult,
    define_backend,
)
from atakora.core.construct import Construct
from atakora.resources.servicebus import ServiceBusNamespace, ServiceBusQueue, ServiceBusTopic

Sku = Literal["Basic", "Standard", "Premium"]
SKU_PRIORITY: dict[str, int] = {"Basic": 1, "Standard": 2, "Premium": 3}
BASIC_QUEUE_LIMIT = 10


def _entities(config: Mapping[str, Any], kind: str) -> list[Mapping[str, Any]]:
    """The queues or topics of a config: ``[{"name": ..., "max_size": ...}]`` (``maxSize`` is accepted too)."""
    return [dict(entry) for entry in config.get(kind) or ()]


def _max_size(entry: Mapping[str, Any]) -> int:
    return int(entry.get("max_size", entry.get("maxSize", 1024)))


class ServiceBusProvider(BaseProvider):
    """Provides ``servicebus`` requirements: one namespace per requirement key, with its queues and topics.

    Config (a mapping): ``sku`` ('Basic' | 'Standard' | 'Premium', default 'Standard'), ``queues`` and
    ``topics`` (lists of ``{"name": str, "max_size": int}``, max_size in MB, default 1024).
    """

    provider_id = "servicebus-provider"
    supported_types = ("servicebus",)
    display_name = "Service Bus namespace"

    def can_provide(self, requirement: ResourceRequirement) -> bool:
        """Serves every 'servicebus' requirement."""
        return requirement.resource_type == "servicebus"

    def provide_resource(self, requirement: ResourceRequirement, scope: Construct,
                         context: ProviderContext) -> ServiceBusNamespace:
        """The namespace (named by the plan through the backend's naming convention), then queues and topics."""
        config: Mapping[str, Any] = requirement.config
        namespace = ServiceBusNamespace(
            scope, f"ServiceBus-{requirement.requirement_key}",
            # The plan's name: context.naming.format_resource_name('servicebus', backend_id, suffix).
            name=context.resource_name,
            location=context.location,
            sku=config.get("sku") or "Standard",
            tags=context.tags,
        )
        for queue in _entities(config, "queues"):
            ServiceBusQueue(namespace, f"Queue-{queue['name']}", name=queue["name"],
                            max_size_in_megabytes=_max_size(queue))
        for topic in _entities(config, "topics"):
            ServiceBusTopic(namespace, f"Topic-{topic['name']}", name=topic["name"],
                            max_size_in_megabytes=_max_size(topic))
        return namespace

    def merge_requirements(self, requirements: Sequence[ResourceRequirement]) -> ResourceRequirement:
        """Highest SKU; queues and topics from every member, deduplicated by name (last by component id wins)."""
        ordered = sorted(requirements, key=lambda r: r.component_id)
        queues: dict[str, Mapping[str, Any]] = {}
        topics: dict[str, Mapping[str, Any]] = {}
        highest: Sku = "Basic"
        for requirement in ordered:
            config: Mapping[str, Any] = requirement.config
            queues.update((q["name"], q) for q in _entities(config, "queues"))
            topics.update((t["name"], t) for t in _entities(config, "topics"))
            sku = config.get("sku")
            if sku and SKU_PRIORITY[sku] > SKU_PRIORITY[highest]:
                highest = sku
        first = ordered[0]
        return ResourceRequirement(
            first.resource_type, first.requirement_key,
            {"sku": highest, "queues": list(queues.values()), "topics": list(topics.values())},
            priority=max(r.priority for r in requirements),
            component_id=",".join(r.component_id for r in ordered),
        )

    def validate_merged(self, requirement: ResourceRequirement) -> ValidationResult:
        """Basic has no topics and at most 10 queues (warning); queue and topic names are unique."""
        config: Mapping[str, Any] = requirement.config
        queues, topics = _entities(config, "queues"), _entities(config, "topics")
        errors: list[str] = []
        warnings: list[str] = []
        if config.get("sku") == "Basic":
            if topics:
                errors.append("Basic SKU does not support topics. Use Standard or Premium.")
            if len(queues) > BASIC_QUEUE_LIMIT:
                warnings.append("Basic SKU limited to 10 queues. Consider Standard SKU.")
        names = [e["name"] for e in (*queues, *topics)]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            errors.append(f"Duplicate queue/topic names: {', '.join(duplicates)}")
        return ValidationResult.of(errors, warnings) + super().validate_merged(requirement)


class EventDrivenComponent:
    """A custom component that needs Service Bus queues and a topic (the component protocol, no base class)."""

    component_type = "EventDrivenComponent"

    def __init__(self, component_id: str, config: Mapping[str, Any]) -> None:
        self.component_id = component_id
        self.config = config
        self.namespace: ServiceBusNamespace | None = None

    @classmethod
    def define(cls, component_id: str, config: Mapping[str, Any] | None = None
               ) -> ComponentDefinition[EventDrivenComponent]:
        """A definition for ``define_backend``; the factory creates the component instance."""
        def factory(scope: Construct, cid: str, component_config: Any, resources: ResourceMap
                    ) -> EventDrivenComponent:
            return cls(cid, component_config)

        return ComponentDefinition(component_id, cls.component_type, dict(config or {}), factory)

    def get_requirements(self) -> Sequence[ResourceRequirement]:
        """One Service Bus namespace (key 'shared': every EventDrivenComponent shares it), priority 20."""
        return [ResourceRequirement("servicebus", "shared", {
            "sku": self.config.get("sku", "Standard"),
            "queues": [{"name": "orders-queue", "max_size": 2048}, {"name": "notifications-queue", "max_size": 1024}],
            "topics": [{"name": "events-topic", "max_size": 2048}],
        }, priority=20, component_id=self.component_id)]

    def initialize(self, resources: ResourceMap, scope: Construct) -> None:
        """Keep the injected namespace."""
        self.namespace = resources["servicebus:shared"]

    def validate_resources(self, resources: ResourceMap) -> ValidationResult:
        """The namespace was injected."""
        if isinstance(resources.get("servicebus:shared"), ServiceBusNamespace):
            return ValidationResult.of()
        return ValidationResult.of([f"{self.component_id} got no Service Bus namespace"])

    def get_outputs(self) -> Mapping[str, Any]:
        """The namespace endpoint."""
        return {"endpoint": self.namespace.endpoint} if self.namespace is not None else {}


app = App()

backend = define_backend(
    {
        "order_processor": EventDrivenComponent.define("OrderProcessor"),
        "notification_service": EventDrivenComponent.define("NotificationService"),
    },
    environment="production",
    location="eastus",
    providers=[ServiceBusProvider()],  # added to the default providers
)

stack = ResourceGroupStack(app, "EventDrivenStack", resource_group_name="rg-eventdriven-prod", location="eastus")
backend.add_to_stack(stack)

app.synth()
