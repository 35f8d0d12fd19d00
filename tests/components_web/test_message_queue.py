"""MessageQueue: Service Bus queues and topics in one shared namespace, with scoped data-role grants."""

from __future__ import annotations

from typing import Any

import pytest

from atakora import App, ResourceGroupStack
from atakora.backend import ResourceRequirement, define_backend
from atakora.backend.providers.servicebus import (
    QueueSpec,
    ServiceBusProvider,
    ServiceBusRequirementConfig,
    SharedServiceBus,
    TopicSpec,
)
from atakora.components.message_queue import MessageQueue
from atakora.errors import ConfigurationError, MergeConflictError, ValidationError
from atakora.resources.authorization import BuiltInRole
from atakora.resources.managedidentity import UserAssignedIdentity
from atakora.testing import Template


def stack() -> ResourceGroupStack:
    return ResourceGroupStack(App(outdir="unused"), "EventStack", resource_group_name="rg-events", location="eastus")


def names(template: Template, resource_type: str) -> list[str]:
    return sorted(r["name"].split("/", 1)[1] for r in template.find_resources(resource_type))


def test_a_message_queue_in_a_backend_creates_a_namespace_with_its_queues_topics_and_subscriptions() -> None:
    target = stack()
    backend = define_backend({"events": MessageQueue.define(
        "Events", queues=["orders", {"name": "payments", "maxSizeInMegabytes": 2048, "requires_session": True}],
        topics=[{"name": "events", "subscriptions": ["billing", {"name": "audit", "max_delivery_count": 5}]}])},
        environment="prod")
    backend.add_to_stack(target)
    template = Template.from_stack(target)
    template.has_resource("Microsoft.ServiceBus/namespaces", {
        "sku": {"name": "Standard"}, "properties": {"disableLocalAuth": True, "minimumTlsVersion": "1.2"}})
    assert names(template, "Microsoft.ServiceBus/namespaces/queues") == ["orders", "payments"]
    template.has_resource_properties("Microsoft.ServiceBus/namespaces/queues",
                                     {"maxSizeInMegabytes": 2048, "requiresSession": True})
    assert names(template, "Microsoft.ServiceBus/namespaces/topics/subscriptions") == ["events/audit",
                                                                                         "events/billing"]
    events = backend.components.events
    assert events.namespace.resource_name == backend.get_resource("servicebus", "shared").resource_name
    target.add_output("endpoint", events.endpoint)
    assert "serviceBusEndpoint" in Template.from_stack(target).to_json()["outputs"]["endpoint"]["value"]


def test_two_message_queues_share_one_namespace_with_the_union_of_their_entities_and_the_highest_sku() -> None:
    target = stack()
    backend = define_backend({
        "orders": MessageQueue.define("OrderEvents", queues=["orders", "shared-work"]),
        "billing": MessageQueue.define("BillingEvents", queues=["shared-work"], sku="Premium",
                                       topics=[{"name": "invoices", "subscriptions": ["mail"]}]),
    })
    backend.add_to_stack(target)
    template = Template.from_stack(target)
    template.resource_count_is("Microsoft.ServiceBus/namespaces", 1)
    template.has_resource("Microsoft.ServiceBus/namespaces", {"sku": {"name": "Premium", "capacity": 1}})
    assert names(template, "Microsoft.ServiceBus/namespaces/queues") == ["orders", "shared-work"]
    entry = next(e for e in backend.plan().resources if e.resource_type == "servicebus")
    assert entry.members == ["BillingEvents", "OrderEvents"]
    assert entry.strategies == {"sku": "maximum", "queues": "union", "topics": "union"}


def test_a_topic_in_two_components_merges_its_subscriptions() -> None:
    target = stack()
    backend = define_backend({
        "a": MessageQueue.define("A", topics=[{"name": "events", "subscriptions": ["billing"]}]),
        "b": MessageQueue.define("B", topics=[{"name": "events", "subscriptions": ["audit"]}]),
    })
    backend.add_to_stack(target)
    assert names(Template.from_stack(target), "Microsoft.ServiceBus/namespaces/topics/subscriptions") == [
        "events/audit", "events/billing"]


def test_a_queue_with_different_settings_at_equal_priority_is_a_conflict_naming_both_components() -> None:
    backend = define_backend({
        "a": MessageQueue.define("A", queues=[{"name": "orders", "max_size_in_megabytes": 1024}]),
        "b": MessageQueue.define("B", queues=[{"name": "orders", "max_size_in_megabytes": 2048}]),
    })
    with pytest.raises(MergeConflictError) as raised:
        backend.add_to_stack(stack())
    text = str(raised.value)
    assert "'A'" in text and "'B'" in text and "orders" in text


def test_a_higher_priority_queue_definition_wins_with_a_warning() -> None:
    target = stack()
    backend = define_backend({
        "a": MessageQueue.define("A", queues=[{"name": "orders", "max_size_in_megabytes": 1024}]),
        "b": MessageQueue.define("B", queues=[{"name": "orders", "max_size_in_megabytes": 2048}], priority=20),
    })
    backend.add_to_stack(target)
    Template.from_stack(target).has_resource_properties("Microsoft.ServiceBus/namespaces/queues",
                                                        {"maxSizeInMegabytes": 2048})
    assert any("'B' (priority 20)" in w for w in backend.plan().warnings)


def test_a_queue_and_a_topic_with_one_name_in_two_components_stop_synthesis() -> None:
    backend = define_backend({
        "a": MessageQueue.define("A", queues=["events"]),
        "b": MessageQueue.define("B", topics=["events"]),
    })
    with pytest.raises(ValidationError, match="share the name"):
        backend.add_to_stack(stack())


def test_merged_basic_namespace_with_topics_is_an_error_naming_the_fix() -> None:
    provider = ServiceBusProvider()
    merged = provider.merge_requirements([
        ResourceRequirement("servicebus", "shared", ServiceBusRequirementConfig(
            sku="Basic", topics=(TopicSpec("events"),)), component_id="A"),
        ResourceRequirement("servicebus", "shared", {"sku": "Basic", "queues": [{"name": "orders", "maxSize": 2048}]},
                            component_id="B"),
    ])
    result = provider.validate_merged(merged)
    assert not result.valid
    assert any("Basic tier has no topics" in e and "sku='Standard'" in e for e in result.errors)
    assert merged.config.queues == (QueueSpec("orders", max_size_in_megabytes=2048),)


def test_premium_sizes_are_checked_against_the_merged_tier() -> None:
    provider = ServiceBusProvider()
    requirement = ResourceRequirement("servicebus", "shared", ServiceBusRequirementConfig(
        queues=(QueueSpec("big", max_size_in_megabytes=81920),)), component_id="A")
    assert any("81920" in e for e in provider.validate_merged(requirement).errors)


def test_grants_are_scoped_to_the_components_own_entities() -> None:
    target = stack()
    backend = define_backend({"events": MessageQueue.define(
        "Events", queues=["orders"], topics=[{"name": "events", "subscriptions": ["billing"]}, "alerts"])})
    backend.add_to_stack(target)
    identity = UserAssignedIdentity(target, "Worker", name="id-worker")
    events = backend.components.events
    sent = events.grant_send(identity)
    received = events.grant_receive(identity)
    assert len(sent) == 3 and len(received) == 3
    assert events.grant_send(identity) == sent  # idempotent
    assignments = Template.from_stack(target).find_resources("Microsoft.Authorization/roleAssignments")
    scopes: dict[str, list[str]] = {}
    for assignment in assignments:
        role = assignment["properties"]["roleDefinitionId"]
        kind = "send" if BuiltInRole.AZURE_SERVICE_BUS_DATA_SENDER.value in role else "receive"
        scopes.setdefault(kind, []).append(assignment["scope"].split("/", 2)[2].split("/", 1)[1])
    assert sorted(scopes["send"]) == ["queues/orders", "topics/alerts", "topics/events"]
    assert sorted(scopes["receive"]) == ["queues/orders", "topics/alerts", "topics/events/subscriptions/billing"]


def test_granting_on_another_components_queue_is_an_error() -> None:
    target = stack()
    backend = define_backend({"a": MessageQueue.define("A", queues=["orders"]),
                              "b": MessageQueue.define("B", queues=["payments"])})
    backend.add_to_stack(target)
    identity = UserAssignedIdentity(target, "Worker", name="id-worker")
    with pytest.raises(ConfigurationError, match="'payments' is not one of A's queues and topics"):
        backend.components.a.grant_send(identity, entities=["payments"])


def test_a_message_queue_built_traditionally_creates_its_own_namespace() -> None:
    target = stack()
    queue = MessageQueue(target, "Jobs", queues=["jobs"], sku="Basic")
    template = Template.from_stack(target)
    template.resource_count_is("Microsoft.ServiceBus/namespaces", 1)
    template.has_resource("Microsoft.ServiceBus/namespaces", {"sku": {"name": "Basic"}})
    assert isinstance(queue.service_bus, SharedServiceBus)


@pytest.mark.parametrize(("kwargs", "field", "text"), [
    ({}, "queues", "at least one queue or topic"),
    ({"queues": "orders"}, "queues", "not allowed as a Sequence"),
    ({"queues": ["orders"], "topics": ["orders"]}, "topics", "same name as the queue"),
    ({"topics": ["events"], "sku": "Basic"}, "topics", "Basic tier has no topics"),
    ({"queues": [{"name": "o", "requires_session": True}], "sku": "Basic"}, "queues", "sessions"),
    ({"queues": [{"name": "orders", "ttl": 5}]}, "queues[0]", "unknown setting"),
    ({"queues": [{"name": "-bad"}]}, "queues[0]", "not a valid Service Bus name"),
    ({"queues": [{"name": "orders", "lock_duration": "1 minute"}]}, "queues[0]", "ISO 8601"),
    ({"topics": [{"name": "t", "subscriptions": ["s", "S"]}]}, "topics", "subscription twice"),
    ({"queues": [{"name": "orders", "lock_duration": 60}]}, "queues[0]", "lock_duration must be a string"),
    ({"queues": [{"name": "o", "default_message_time_to_live": 86400}]}, "queues[0]", "must be a string"),
    ({"queues": [{"name": "o", "max_size_in_megabytes": "2048"}]}, "queues[0]", "must be a whole number"),
    ({"queues": [{"name": "o", "requires_session": 1}]}, "queues[0]", "must be True or False"),
    ({"topics": [{"name": "t", "subscriptions": True}]}, "topics[0]", "subscriptions must be a list"),
    ({"topics": [{"name": "t", "subscriptions": 0}]}, "topics[0]", "subscriptions must be a list"),
    ({"topics": [{"name": "t", "subscriptions": [{"name": "s", "max_delivery_count": True}]}]},
     "topics[0].subscriptions[0]", "must be a whole number"),
    ({"queues": ["orders"], "sku": "Gold"}, "sku", "input should be 'Basic', 'Standard' or 'Premium'"),
])
def test_invalid_message_queue_settings_raise_configuration_errors(kwargs: dict[str, Any], field: str,
                                                                   text: str) -> None:
    with pytest.raises(ConfigurationError) as raised:
        MessageQueue.define("Events", **kwargs)
    assert raised.value.field == field
    assert text in str(raised.value) and "[Events]" in str(raised.value)
