"""MessageQueue: Service Bus queues and topics in the backend's shared namespace, with least-privilege grants."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any, Literal

from ..arguments import shown, validated
from ..backend.component import ComponentDefinition, ResourceMap
from ..backend.planner import SHARED_KEY
from ..backend.providers.servicebus import (
    QueueSpec,
    ServiceBusRequirementConfig,
    SharedServiceBus,
    SubscriptionSpec,
    TopicSpec,
)
from ..backend.requirements import ResourceRequirement
from ..backend.validation import ValidationResult
from ..core.construct import Construct
from ..core.expressions import Expr
from ..core.resource import Resource
from ..errors import ConfigurationError
from ..resources.authorization import BuiltInRole, RoleAssignment
from ..resources.servicebus import ServiceBusNamespace
from ._base import Component

__all__ = ["MessageQueue", "MessageQueueConfig", "QueueSpec", "SubscriptionSpec", "TopicSpec"]

Sku = Literal["Basic", "Standard", "Premium"]
_ENTITY_NAME = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9._-]{0,258}[A-Za-z0-9_])?$")
_SUBSCRIPTION_NAME = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9._-]{0,48}[A-Za-z0-9_])?$")
_DURATION = re.compile(r"^P(?!$)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$")
_CAMEL = {"maxSizeInMegabytes": "max_size_in_megabytes", "maxSize": "max_size_in_megabytes",
          "max_size": "max_size_in_megabytes", "lockDuration": "lock_duration",
          "maxDeliveryCount": "max_delivery_count", "requiresSession": "requires_session",
          "deadLetteringOnMessageExpiration": "dead_lettering_on_message_expiration",
          "defaultMessageTimeToLive": "default_message_time_to_live",
          "requiresDuplicateDetection": "requires_duplicate_detection", "supportOrdering": "support_ordering"}


@dataclass(frozen=True)
class MessageQueueConfig:
    """Everything a MessageQueue is configured with (see ``MessageQueue.define``)."""

    queues: tuple[QueueSpec, ...] = ()
    topics: tuple[TopicSpec, ...] = ()
    sku: Sku = "Standard"
    priority: int = 10


_SETTING_TYPES: dict[str, tuple[Callable[[Any], bool], str]] = {
    "int": (lambda v: isinstance(v, int) and not isinstance(v, bool), "a whole number"),
    "bool": (lambda v: isinstance(v, bool), "True or False"),
    "str": (lambda v: isinstance(v, str), "a string"),
    "str | None": (lambda v: v is None or isinstance(v, str), "a string"),
}
"""How each setting of a queue, topic or subscription is checked, by its annotation."""


def _spec(component_id: str, where: str, value: Any, kind: type[Any]) -> Any:
    def fail(message: str, fix: str) -> ConfigurationError:
        return ConfigurationError(message, field=where, path=component_id, fix=fix)

    if isinstance(value, kind):
        spec = value
    elif isinstance(value, str):
        spec = kind(name=value)
    elif isinstance(value, Mapping):
        values: dict[str, Any] = {_CAMEL.get(str(k), str(k)): v for k, v in value.items()}
        known = {f.name for f in fields(kind)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise fail(f"unknown setting(s) {unknown} for {where}", f"use only {sorted(known)}")
        if "name" not in values:
            raise fail(f"{where} needs a name", "pass {'name': 'orders', ...} or just 'orders'")
        if kind is TopicSpec:
            subs = values.get("subscriptions", ())
            subs = () if subs is None else subs
            if not isinstance(subs, (list, tuple)):
                raise fail(f"{where}.subscriptions must be a list", "pass subscriptions=['billing', ...]")
            values["subscriptions"] = tuple(_spec(component_id, f"{where}.subscriptions[{i}]", s, SubscriptionSpec)
                                            for i, s in enumerate(subs))
        try:
            spec = kind(**values)
        except TypeError as error:
            raise fail(f"{where}: {error}", "check the setting names") from None
    else:
        raise fail(f"{where} must be a name or a mapping, not {type(value).__name__}",
                   "pass 'orders' or {'name': 'orders', 'max_size_in_megabytes': 2048}")
    for item in fields(kind):
        expected = _SETTING_TYPES.get(str(item.type))
        value_of = getattr(spec, item.name)
        if expected is not None and item.name != "name" and not expected[0](value_of):
            raise fail(f"{where} {item.name} must be {expected[1]}, got {shown(value_of)}",
                       f"pass {item.name}={item.default!r} or leave it out")
    pattern = _SUBSCRIPTION_NAME if kind is SubscriptionSpec else _ENTITY_NAME
    if not isinstance(spec.name, str) or not pattern.match(spec.name):
        raise fail(f"{where} name {spec.name!r} is not a valid Service Bus name",
                   "use letters, digits, '.', '-' and '_', starting with a letter or digit"
                   + (" (at most 50 characters)" if kind is SubscriptionSpec else ""))
    lock = getattr(spec, "lock_duration", None)
    if lock is not None and not _DURATION.match(lock):
        raise fail(f"{where} lock_duration {lock!r} is not an ISO 8601 duration", "write it like 'PT1M'")
    ttl = getattr(spec, "default_message_time_to_live", None)
    if ttl is not None and not _DURATION.match(ttl):
        raise fail(f"{where} default_message_time_to_live {ttl!r} is not an ISO 8601 duration", "write it like 'P14D'")
    deliveries = getattr(spec, "max_delivery_count", 10)
    if not isinstance(deliveries, int) or not 1 <= deliveries <= 2000:
        raise fail(f"{where} max_delivery_count {deliveries!r} must be 1-2000", "use 10")
    return spec


def _make_config(component_id: str, queues: Sequence[Any], topics: Sequence[Any], sku: str,
                 priority: int) -> MessageQueueConfig:
    def fail(field_name: str, message: str, fix: str) -> ConfigurationError:
        return ConfigurationError(message, field=field_name, path=component_id, fix=fix)

    if sku not in ("Basic", "Standard", "Premium"):
        raise fail("sku", f"sku {sku!r} is not a Service Bus tier", "use 'Basic', 'Standard' or 'Premium'")
    for name, value in (("queues", queues), ("topics", topics)):
        if isinstance(value, (str, Mapping)):
            raise fail(name, f"{name} must be a list", f"pass {name}=[{value!r}]")
    queue_specs = tuple(_spec(component_id, f"queues[{i}]", q, QueueSpec) for i, q in enumerate(queues))
    topic_specs = tuple(_spec(component_id, f"topics[{i}]", t, TopicSpec) for i, t in enumerate(topics))
    if not queue_specs and not topic_specs:
        raise fail("queues", "a MessageQueue needs at least one queue or topic", "pass queues=['orders']")
    seen: dict[str, str] = {}
    for kind, spec in [("queue", q) for q in queue_specs] + [("topic", t) for t in topic_specs]:
        lowered = spec.name.lower()
        if lowered in seen:
            raise fail("topics" if kind == "topic" else "queues", f"{kind} {spec.name!r} has the same name as the "
                       f"{seen[lowered]} {spec.name!r}; queues and topics share one namespace",
                       "give each queue and topic its own name")
        seen[lowered] = kind
    for topic in topic_specs:
        names = [s.name.lower() for s in topic.subscriptions]
        if len(names) != len(set(names)):
            raise fail("topics", f"topic {topic.name!r} lists a subscription twice", "list each subscription once")
    if sku == "Basic":
        if topic_specs:
            raise fail("topics", "the Basic tier has no topics", "use sku='Standard' (or 'Premium'), or use queues")
        if any(q.requires_session or q.requires_duplicate_detection for q in queue_specs):
            raise fail("queues", "sessions and duplicate detection need the Standard tier", "use sku='Standard'")
    return MessageQueueConfig(queues=queue_specs, topics=topic_specs, sku=sku, priority=priority)  # type: ignore[arg-type]


QueueInput = str | QueueSpec | Mapping[str, Any]
TopicInput = str | TopicSpec | Mapping[str, Any]


class MessageQueue(Component):
    """Service Bus queues and topics (with subscriptions) in the backend's shared namespace.

    Every MessageQueue of a backend shares one namespace (requirement 'servicebus', key
    'shared'): queues and topics are united by name, and the namespace takes the highest tier
    asked for. ``grant_send``/``grant_receive`` give a managed identity a data role on this
    component's own queues and topics only. ``MessageQueue(scope, id, ...)`` creates its own namespace.
    """

    config: MessageQueueConfig

    component_type = "MessageQueue"

    @validated
    def __init__(self, scope: Construct, id: str, *, queues: Sequence[QueueInput] = (),
                 topics: Sequence[TopicInput] = (), sku: Sku = "Standard", priority: int = 10) -> None:
        """See ``define``; creates the component's own namespace in the stack above ``scope``."""
        config = _make_config(id, queues, topics, sku, priority)
        self._build_standalone(scope, id, config)

    def _setup(self) -> None:
        self.service_bus: SharedServiceBus | None = None


    @classmethod
    @validated
    def define(cls, id: str, *, queues: Sequence[QueueInput] = (), topics: Sequence[TopicInput] = (),
               sku: Sku = "Standard", priority: int = 10, previous_ids: Sequence[str] = (), protect: bool = False) -> ComponentDefinition[MessageQueue]:
        """Define a MessageQueue for a backend.

        ``queues``: names or ``{name, max_size_in_megabytes (1024), lock_duration ('PT1M'),
        max_delivery_count (10), requires_session (False), dead_lettering_on_message_expiration
        (True), default_message_time_to_live (Azure's), requires_duplicate_detection (False)}``.
        ``topics``: names or ``{name, max_size_in_megabytes, default_message_time_to_live,
        requires_duplicate_detection, support_ordering (False), subscriptions: [names or {name,
        lock_duration, max_delivery_count, requires_session, ...}]}``. ``sku``: 'Standard'
        (default; 'Basic' has no topics, 'Premium' adds isolation and larger entities).
        ``previous_ids`` (default none): ids the component was deployed with; it keeps the first one's
        identity in Azure (tags, app settings), so a rename changes nothing there. ``protect`` (default
        False): refuse any deployment that loses its data, even with ``--allow-data-loss``.
        """
        return cls._definition(id, _make_config(id, queues, topics, sku, priority), previous_ids=previous_ids, protect=protect)

    # ----- component protocol --------------------------------------------------------------
    def get_requirements(self) -> Sequence[ResourceRequirement]:
        """The shared Service Bus namespace with this component's queues and topics."""
        c = self.config
        return [ResourceRequirement("servicebus", SHARED_KEY, ServiceBusRequirementConfig(
            sku=c.sku, queues=c.queues, topics=c.topics), c.priority, component_id=self.component_id)]

    def validate_resources(self, resources: ResourceMap) -> ValidationResult:
        """The namespace was injected and holds this component's queues and topics."""
        shared = resources.get(f"servicebus:{SHARED_KEY}")
        if not isinstance(shared, SharedServiceBus):
            return ValidationResult.of([f"no Service Bus namespace was injected for {self.component_id}"])
        missing = [q.name for q in self.config.queues if q.name not in shared.queues]
        missing += [t.name for t in self.config.topics if t.name not in shared.topics]
        return ValidationResult.of([f"the namespace lacks {name!r}" for name in missing])

    def initialize(self, resources: ResourceMap, scope: Construct) -> None:
        """Keep the injected namespace for endpoints and grants."""
        shared = resources.get(f"servicebus:{SHARED_KEY}")
        if not isinstance(shared, SharedServiceBus):
            raise ConfigurationError(f"{self.component_id} needs an injected Service Bus namespace",
                                     path=self.node.path, fix="add the component to a backend whose providers "
                                     "include ServiceBusProvider")
        self.service_bus = shared

    # ----- outputs and grants ----------------------------------------------------------------
    def _shared(self) -> SharedServiceBus:
        if self.service_bus is None:
            raise ConfigurationError(f"{self.component_id} has no namespace before it is added to a stack",
                                     path=self.node.path, fix="call backend.add_to_stack(stack) first")
        return self.service_bus

    @property
    def namespace(self) -> ServiceBusNamespace:
        """The (shared) Service Bus namespace."""
        return self._shared().namespace

    @property
    def endpoint(self) -> Expr:
        """``https://<namespace>.servicebus.windows.net:443/`` (clients use its host with a managed identity)."""
        return self._shared().endpoint

    @property
    def queue_names(self) -> list[str]:
        """This component's queues."""
        return [q.name for q in self.config.queues]

    @property
    def topic_names(self) -> list[str]:
        """This component's topics."""
        return [t.name for t in self.config.topics]

    def _targets(self, entities: Sequence[str] | None, *, receive: bool) -> list[Resource]:
        shared = self._shared()
        own = [*self.queue_names, *self.topic_names]
        if receive:
            # Receivers read from subscriptions; a topic without any is granted on the topic itself.
            own = [*self.queue_names, *(name for t in self.config.topics for name in (
                [f"{t.name}/{s.name}" for s in t.subscriptions] or [t.name]))]
        chosen = list(entities) if entities is not None else own
        for name in chosen:
            if name not in own:
                kind = "queues and topic subscriptions ('topic/subscription')" if receive else "queues and topics"
                raise ConfigurationError(f"{name!r} is not one of {self.component_id}'s {kind}", field="entities",
                                         path=self.node.path, fix=f"use one of {', '.join(own) or '(none)'}")
        return [shared.entity(name) for name in chosen]

    def grant_send(self, principal: Resource | Expr | str, *, entities: Sequence[str] | None = None
                   ) -> list[RoleAssignment]:
        """Azure Service Bus Data Sender for ``principal`` on this component's queues and topics.

        ``principal``: a resource with a system-assigned identity (e.g. a Function App), a
        UserAssignedIdentity, or an object id. ``entities`` (default: all of the component's
        queues and topics) narrows the grant. Each assignment is scoped to the entity itself.
        """
        return self._grant(principal, BuiltInRole.AZURE_SERVICE_BUS_DATA_SENDER,
                           self._targets(entities, receive=False))

    def grant_receive(self, principal: Resource | Expr | str, *, entities: Sequence[str] | None = None
                      ) -> list[RoleAssignment]:
        """Azure Service Bus Data Receiver for ``principal`` on this component's queues and topic subscriptions.

        ``entities`` (default: all queues and every ``'topic/subscription'`` of the component)
        narrows the grant. Each assignment is scoped to the queue or subscription (a topic
        without subscriptions: the topic); the namespace is the scope only if nothing narrower exists.
        """
        return self._grant(principal, BuiltInRole.AZURE_SERVICE_BUS_DATA_RECEIVER,
                           self._targets(entities, receive=True))

    def _grant(self, principal: Resource | Expr | str, role: BuiltInRole,
               targets: list[Resource]) -> list[RoleAssignment]:
        shared = self._shared()
        if not targets:
            return [shared.grant(self, principal, role)]
        return [shared.grant(self, principal, role, target) for target in targets]

    def get_outputs(self) -> Mapping[str, Any]:
        """endpoint, namespace name, queues and topics."""
        return {"endpoint": self.endpoint, "namespace_name": self.namespace.resource_name,
                "queues": self.queue_names, "topics": self.topic_names}
