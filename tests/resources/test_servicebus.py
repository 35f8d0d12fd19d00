from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from atakora import App, ResourceGroupStack
from atakora.errors import ConfigurationError, NamingError
from atakora.resources.servicebus import (
    API_VERSIONS,
    ServiceBusNamespace,
    ServiceBusQueue,
    ServiceBusSubscription,
    ServiceBusTopic,
)
from atakora.testing import Template

NS = "Microsoft.ServiceBus/namespaces"


@pytest.fixture
def stack() -> ResourceGroupStack:
    return ResourceGroupStack(App(), "Main", resource_group_name="rg-test", location="westeurope")


@pytest.fixture
def namespace(stack: ResourceGroupStack) -> ServiceBusNamespace:
    return ServiceBusNamespace(stack, "Bus", name="sb-test-0001")


def test_namespace_has_secure_defaults(stack: ResourceGroupStack, namespace: ServiceBusNamespace) -> None:
    Template.from_stack(stack).has_resource(NS, {
        "sku": {"name": "Standard", "tier": "Standard"},
        "properties": {"minimumTlsVersion": "1.2", "disableLocalAuth": True, "publicNetworkAccess": "Enabled"}})


def test_every_class_uses_the_declared_api_version(namespace: ServiceBusNamespace) -> None:
    queue = ServiceBusQueue(namespace, "Orders", name="orders")
    topic = ServiceBusTopic(namespace, "Events", name="events")
    sub = ServiceBusSubscription(topic, "Billing", name="billing")
    for construct in (namespace, queue, topic, sub):
        assert construct.api_version == API_VERSIONS[construct.resource_type]


def test_namespace_queue_topic_and_subscription_golden(stack: ResourceGroupStack,
                                                       golden: Callable[[str, Any], None]) -> None:
    bus = ServiceBusNamespace(stack, "Bus", name="sb-test-0001", sku="Premium", capacity=2, zone_redundant=True,
                              public_network_access="Disabled")
    ServiceBusQueue(bus, "Orders", name="orders", max_size_in_megabytes=10240, lock_duration="PT2M",
                    max_delivery_count=5, requires_session=True, default_message_time_to_live="P14D")
    topic = ServiceBusTopic(bus, "Events", name="events", requires_duplicate_detection=True)
    ServiceBusSubscription(topic, "Billing", name="billing", lock_duration="PT30S")
    stack.add_output("endpoint", bus.endpoint)
    golden("resources/servicebus_namespace", Template.from_stack(stack).to_json())


def test_premium_namespace_defaults_to_one_messaging_unit(stack: ResourceGroupStack) -> None:
    ServiceBusNamespace(stack, "Bus", name="sb-test-0001", sku="Premium")
    Template.from_stack(stack).has_resource(NS, {"sku": {"name": "Premium", "tier": "Premium", "capacity": 1}})


def test_queue_is_named_under_its_namespace_and_depends_on_it(stack: ResourceGroupStack,
                                                              namespace: ServiceBusNamespace) -> None:
    ServiceBusQueue(namespace, "Orders", name="orders", max_size_in_megabytes=2048)
    queue = Template.from_stack(stack).find_resources(NS + "/queues")[0]
    assert queue["name"] == "sb-test-0001/orders"
    assert queue["dependsOn"] == ["[resourceId('Microsoft.ServiceBus/namespaces', 'sb-test-0001')]"]
    assert queue["properties"]["maxSizeInMegabytes"] == 2048
    assert queue["properties"]["deadLetteringOnMessageExpiration"] is True


def test_endpoint_is_a_reference(stack: ResourceGroupStack, namespace: ServiceBusNamespace) -> None:
    stack.add_output("endpoint", namespace.endpoint)
    Template.from_stack(stack).has_output("endpoint", {"value": (
        "[reference(resourceId('Microsoft.ServiceBus/namespaces', 'sb-test-0001'), '2026-01-01')"
        ".serviceBusEndpoint]")})


def test_namespace_rejects_unknown_sku(stack: ResourceGroupStack) -> None:
    with pytest.raises(ConfigurationError, match=r"sku: input should be .*\(given 'Gold'"):
        ServiceBusNamespace(stack, "Bus", name="sb-test-0001", sku="Gold")  # type: ignore[arg-type]


def test_namespace_rejects_capacity_without_premium(stack: ResourceGroupStack) -> None:
    with pytest.raises(ConfigurationError, match="capacity needs the Premium sku, but sku is 'Standard'"):
        ServiceBusNamespace(stack, "Bus", name="sb-test-0001", capacity=2)


def test_namespace_rejects_capacity_3(stack: ResourceGroupStack) -> None:
    with pytest.raises(ConfigurationError, match="capacity is 3, which is not allowed"):
        ServiceBusNamespace(stack, "Bus", name="sb-test-0001", sku="Premium", capacity=3)


def test_namespace_rejects_tls_1_0(stack: ResourceGroupStack) -> None:
    with pytest.raises(ConfigurationError, match=r"minimum_tls_version: input should be .*\(given '1.0'"):
        ServiceBusNamespace(stack, "Bus", name="sb-test-0001", minimum_tls_version="1.0")  # type: ignore[arg-type]


def test_namespace_rejects_private_access_on_standard(stack: ResourceGroupStack) -> None:
    with pytest.raises(ConfigurationError, match="public_network_access needs the Premium sku"):
        ServiceBusNamespace(stack, "Bus", name="sb-test-0001", public_network_access="Disabled")


def test_namespace_rejects_a_short_name(stack: ResourceGroupStack) -> None:
    with pytest.raises(NamingError, match="'sb-1' has 4 characters"):
        ServiceBusNamespace(stack, "Bus", name="sb-1")


def test_queue_rejects_an_unsupported_size(namespace: ServiceBusNamespace) -> None:
    with pytest.raises(ConfigurationError, match="max_size_in_megabytes is 10240, which is not allowed"):
        ServiceBusQueue(namespace, "Orders", name="orders", max_size_in_megabytes=10240)


def test_queue_rejects_a_lock_duration_over_five_minutes(namespace: ServiceBusNamespace) -> None:
    with pytest.raises(ConfigurationError, match="lock_duration is PT10M, but must be between PT5S and PT5M"):
        ServiceBusQueue(namespace, "Orders", name="orders", lock_duration="PT10M")


def test_queue_rejects_a_duration_that_is_not_iso_8601(namespace: ServiceBusNamespace) -> None:
    with pytest.raises(ConfigurationError, match="default_message_time_to_live is '14 days', which is not an ISO 8601"):
        ServiceBusQueue(namespace, "Orders", name="orders", default_message_time_to_live="14 days")


def test_queue_rejects_zero_deliveries(namespace: ServiceBusNamespace) -> None:
    with pytest.raises(ConfigurationError, match="max_delivery_count is 0, but must be at least 1"):
        ServiceBusQueue(namespace, "Orders", name="orders", max_delivery_count=0)


def test_queue_rejects_sessions_on_basic(stack: ResourceGroupStack) -> None:
    basic = ServiceBusNamespace(stack, "Bus", name="sb-test-0001", sku="Basic")
    with pytest.raises(ConfigurationError, match="requires_session is not available on the Basic sku"):
        ServiceBusQueue(basic, "Orders", name="orders", requires_session=True)


def test_queue_rejects_a_name_with_a_slash(namespace: ServiceBusNamespace) -> None:
    with pytest.raises(NamingError, match="not a valid Microsoft.ServiceBus/namespaces/queues name"):
        ServiceBusQueue(namespace, "Orders", name="orders/eu")


def test_topic_is_refused_on_basic_with_the_fix(stack: ResourceGroupStack) -> None:
    basic = ServiceBusNamespace(stack, "Bus", name="sb-test-0001", sku="Basic")
    with pytest.raises(ConfigurationError, match=r"topics are not available on the Basic sku of Main/Bus[\s\S]*"
                                                 r"Fix: use sku='Standard'"):
        ServiceBusTopic(basic, "Events", name="events")


def test_subscription_must_be_created_under_a_topic(stack: ResourceGroupStack,
                                                    namespace: ServiceBusNamespace) -> None:
    with pytest.raises(ConfigurationError, match="input should be an instance of ServiceBusTopic"):
        ServiceBusSubscription(namespace, "Billing", name="billing")  # type: ignore[arg-type]


def test_subscription_rejects_a_name_over_50_characters(namespace: ServiceBusNamespace) -> None:
    topic = ServiceBusTopic(namespace, "Events", name="events")
    with pytest.raises(NamingError, match="has 51 characters"):
        ServiceBusSubscription(topic, "Billing", name="b" * 51)


def test_queue_must_be_created_under_a_namespace(stack: ResourceGroupStack) -> None:
    with pytest.raises(ConfigurationError, match="input should be an instance of ServiceBusNamespace"):
        ServiceBusQueue(stack, "Orders", name="orders")  # type: ignore[arg-type]
