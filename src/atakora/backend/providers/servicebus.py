"""The Service Bus provider: one namespace per requirement key holding every member's queues and topics."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from ...core.construct import Construct
from ...core.expressions import Expr
from ...core.naming import short_hash
from ...core.resource import Resource
from ...errors import ProviderError
from ...resources.authorization import BuiltInRole, RoleAssignment
from ...resources.servicebus import (
    ServiceBusNamespace,
    ServiceBusQueue,
    ServiceBusSubscription,
    ServiceBusTopic,
)
from ..merge import FieldRule
from ..requirements import ResourceRequirement
from ..validation import ValidationResult
from .base import BaseProvider, MergeReport, ProviderContext

__all__ = [
    "SERVICE_BUS_SKUS",
    "QueueSpec",
    "ServiceBusProvider",
    "ServiceBusRequirementConfig",
    "SharedServiceBus",
    "SubscriptionSpec",
    "TopicSpec",
]

SERVICE_BUS_SKUS: tuple[str, ...] = ("Basic", "Standard", "Premium")
"""Service Bus tiers from least to most capable, for the maximum strategy."""

_STANDARD_SIZES = (1024, 2048, 3072, 4096, 5120)
_PREMIUM_SIZES = (1024, 2048, 3072, 4096, 5120, 10240, 20480, 40960, 81920)


@dataclass(frozen=True)
class QueueSpec:
    """A queue. Defaults: 1024 MB, lock PT1M, 10 deliveries before dead-lettering, no sessions,
    expired messages dead-lettered, Azure's default time to live, no duplicate detection."""

    name: str
    max_size_in_megabytes: int = 1024
    lock_duration: str = "PT1M"
    max_delivery_count: int = 10
    requires_session: bool = False
    dead_lettering_on_message_expiration: bool = True
    default_message_time_to_live: str | None = None
    requires_duplicate_detection: bool = False


@dataclass(frozen=True)
class SubscriptionSpec:
    """A topic subscription. Defaults: lock PT1M, 10 deliveries, no sessions, expired messages dead-lettered."""

    name: str
    lock_duration: str = "PT1M"
    max_delivery_count: int = 10
    requires_session: bool = False
    dead_lettering_on_message_expiration: bool = True
    default_message_time_to_live: str | None = None


@dataclass(frozen=True)
class TopicSpec:
    """A topic and its subscriptions. Defaults: 1024 MB, no duplicate detection, no ordering guarantee."""

    name: str
    max_size_in_megabytes: int = 1024
    default_message_time_to_live: str | None = None
    requires_duplicate_detection: bool = False
    support_ordering: bool = False
    subscriptions: tuple[SubscriptionSpec, ...] = ()


@dataclass(frozen=True)
class ServiceBusRequirementConfig:
    """Needs of one component from a Service Bus namespace (type ``'servicebus'``).

    Merging: ``queues`` and ``topics`` union by name (same name, different settings: the higher
    priority wins with a warning; equal priorities are an error; a topic's subscriptions merge by
    union), ``sku`` maximum (Basic < Standard < Premium).
    """

    sku: Literal["Basic", "Standard", "Premium"] = "Standard"
    queues: tuple[QueueSpec, ...] = ()
    topics: tuple[TopicSpec, ...] = ()


def _entity(value: Any, kind: type[Any]) -> Any:
    if isinstance(value, kind):
        return value
    if isinstance(value, Mapping):
        values = dict(value)
        if "subscriptions" in values:
            values["subscriptions"] = tuple(_entity(s, SubscriptionSpec) for s in values["subscriptions"])
        if "max_size" in values or "maxSize" in values:
            values["max_size_in_megabytes"] = values.pop("max_size", values.pop("maxSize", 1024))
        return kind(**values)
    raise TypeError(f"expected a {kind.__name__} or a mapping, not {type(value).__name__}")


def servicebus_config(requirement: ResourceRequirement) -> ServiceBusRequirementConfig:
    """The requirement's config as a ``ServiceBusRequirementConfig`` (plain mappings are accepted)."""
    config = requirement.config
    if isinstance(config, ServiceBusRequirementConfig):
        return config
    if isinstance(config, Mapping):
        return ServiceBusRequirementConfig(
            sku=config.get("sku") or "Standard",
            queues=tuple(_entity(q, QueueSpec) for q in config.get("queues") or ()),
            topics=tuple(_entity(t, TopicSpec) for t in config.get("topics") or ()))
    raise TypeError(f"a servicebus requirement needs a ServiceBusRequirementConfig, not {type(config).__name__}")


@dataclass
class SharedServiceBus:
    """What components get for ``servicebus:<key>``: the namespace and its queues, topics and subscriptions."""

    namespace: ServiceBusNamespace
    queues: dict[str, ServiceBusQueue] = field(default_factory=dict)
    topics: dict[str, ServiceBusTopic] = field(default_factory=dict)
    subscriptions: dict[str, ServiceBusSubscription] = field(default_factory=dict)
    """Keyed ``'<topic>/<subscription>'``."""

    @property
    def primary_resource(self) -> ServiceBusNamespace:
        """The namespace itself: what ``backend.get_resource(...)`` returns, to pass to typed resources."""
        return self.namespace

    @property
    def endpoint(self) -> Expr:
        """``https://<namespace>.servicebus.windows.net:443/``."""
        return self.namespace.endpoint

    def entity(self, name: str) -> ServiceBusQueue | ServiceBusTopic | ServiceBusSubscription:
        """The queue, topic or ``'topic/subscription'`` called ``name``."""
        found = self.queues.get(name) or self.topics.get(name) or self.subscriptions.get(name)
        if found is None:
            known = sorted([*self.queues, *self.topics, *self.subscriptions])
            raise ProviderError(f"the Service Bus namespace has no queue, topic or subscription {name!r}",
                                fix=f"use one of {', '.join(known) or '(none)'}")
        return found

    def grant(self, scope: Construct, principal: Resource | Expr | str, role: BuiltInRole,
              target: Resource | None = None) -> RoleAssignment:
        """A role assignment of ``role`` on ``target`` (default: the namespace), created once per pair."""
        target = self.namespace if target is None else target
        # Expressions have no stable text before rendering: they are told apart by creation order.
        who = (principal.node.path if isinstance(principal, Resource) else principal if isinstance(principal, str)
               else f"expression-{len(scope.node.children)}")
        construct_id = f"Grant-{role.name.title().replace('_', '')}-{short_hash(who, target.node.path, length=10)}"
        existing = scope.node.try_find_child(construct_id)
        if isinstance(existing, RoleAssignment):
            return existing
        return RoleAssignment(scope, construct_id, role=role, principal=principal, target=target)


class ServiceBusProvider(BaseProvider):
    """Creates Service Bus namespaces (TLS 1.2, local SAS authentication off) with queues, topics and subscriptions."""

    provider_id = "servicebus"
    supported_types = ("servicebus",)
    provision_order = 50
    display_name = "Service Bus namespace"

    def merge_rules(self) -> Mapping[str, FieldRule]:
        """Queues and topics: union by name; sku: maximum."""
        return {"queues": FieldRule("union"), "topics": FieldRule("union"),
                "sku": FieldRule("maximum", SERVICE_BUS_SKUS)}

    def merge_with_report(self, requirements: Sequence[ResourceRequirement]) -> MergeReport:
        """As the base merge, after turning plain-mapping configs into typed ones."""
        typed = [ResourceRequirement(r.resource_type, r.requirement_key, servicebus_config(r), r.priority,
                                     r.validators, r.component_id) for r in requirements]
        return super().merge_with_report(typed)

    def validate_merged(self, requirement: ResourceRequirement) -> ValidationResult:
        """Basic has no topics, sessions or duplicate detection; names are unique; sizes fit the tier."""
        config = servicebus_config(requirement)
        errors: list[str] = []
        if config.sku == "Basic":
            if config.topics:
                errors.append(f"the Basic tier has no topics, but topics {[t.name for t in config.topics]} are "
                              "needed; use sku='Standard' (or 'Premium'), or replace the topics with queues")
            for queue in config.queues:
                if queue.requires_session or queue.requires_duplicate_detection:
                    errors.append(f"queue {queue.name!r} needs sessions or duplicate detection, which the Basic tier "
                                  "lacks; use sku='Standard'")
        names = Counter([q.name.lower() for q in config.queues] + [t.name.lower() for t in config.topics])
        duplicates = sorted(n for n, count in names.items() if count > 1)
        if duplicates:
            errors.append(f"queues and topics share the name(s) {duplicates} in one namespace; rename one of each pair")
        sizes = _PREMIUM_SIZES if config.sku == "Premium" else _STANDARD_SIZES
        entities: list[QueueSpec | TopicSpec] = [*config.queues, *config.topics]
        for entity in entities:
            if entity.max_size_in_megabytes not in sizes:
                errors.append(f"{entity.name!r}: max_size_in_megabytes {entity.max_size_in_megabytes} is not "
                              f"available on {config.sku}; use one of {list(sizes)}")
        for topic in config.topics:
            subs = Counter(s.name.lower() for s in topic.subscriptions)
            twice = sorted(n for n, count in subs.items() if count > 1)
            if twice:
                errors.append(f"topic {topic.name!r} lists subscription(s) {twice} twice")
        return ValidationResult.of(errors) + super().validate_merged(requirement)

    def provide_resource(self, requirement: ResourceRequirement, scope: Construct,
                         context: ProviderContext) -> SharedServiceBus:
        """The namespace (named by the plan), then its queues, topics and subscriptions (sorted by name)."""
        config = servicebus_config(requirement)
        key = requirement.requirement_key
        namespace = ServiceBusNamespace(scope, f"ServiceBus-{key}", name=context.resource_name,
                                        location=context.location, tags=context.tags, sku=config.sku)
        shared = SharedServiceBus(namespace)
        for queue in sorted(config.queues, key=lambda q: q.name):
            shared.queues[queue.name] = ServiceBusQueue(
                namespace, f"Queue-{queue.name}", name=queue.name, max_size_in_megabytes=queue.max_size_in_megabytes,
                lock_duration=queue.lock_duration, max_delivery_count=queue.max_delivery_count,
                requires_session=queue.requires_session,
                dead_lettering_on_message_expiration=queue.dead_lettering_on_message_expiration,
                default_message_time_to_live=queue.default_message_time_to_live,
                requires_duplicate_detection=queue.requires_duplicate_detection)
        for topic in sorted(config.topics, key=lambda t: t.name):
            created = ServiceBusTopic(
                namespace, f"Topic-{topic.name}", name=topic.name, max_size_in_megabytes=topic.max_size_in_megabytes,
                default_message_time_to_live=topic.default_message_time_to_live,
                requires_duplicate_detection=topic.requires_duplicate_detection,
                support_ordering=topic.support_ordering)
            shared.topics[topic.name] = created
            for sub in sorted(topic.subscriptions, key=lambda s: s.name):
                shared.subscriptions[f"{topic.name}/{sub.name}"] = ServiceBusSubscription(
                    created, f"Subscription-{sub.name}", name=sub.name, lock_duration=sub.lock_duration,
                    max_delivery_count=sub.max_delivery_count, requires_session=sub.requires_session,
                    dead_lettering_on_message_expiration=sub.dead_lettering_on_message_expiration,
                    default_message_time_to_live=sub.default_message_time_to_live)
        return shared
