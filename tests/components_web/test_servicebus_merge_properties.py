"""Property: merging Service Bus requirements does not depend on the order components were defined in."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from atakora.backend import ResourceRequirement
from atakora.backend.providers.servicebus import (
    SERVICE_BUS_SKUS,
    QueueSpec,
    ServiceBusProvider,
    ServiceBusRequirementConfig,
    SubscriptionSpec,
    TopicSpec,
)

NAMES = st.sampled_from(["orders", "payments", "events", "audit", "mail"])
CONFIGS = st.builds(
    ServiceBusRequirementConfig,
    sku=st.sampled_from(SERVICE_BUS_SKUS),
    queues=st.lists(NAMES.map(QueueSpec), max_size=3, unique_by=lambda q: q.name).map(tuple),
    topics=st.lists(st.builds(TopicSpec, name=NAMES.map(lambda n: f"t-{n}"),
                              subscriptions=st.lists(NAMES.map(SubscriptionSpec), max_size=2,
                                                     unique_by=lambda s: s.name).map(tuple)),
                    max_size=2, unique_by=lambda t: t.name).map(tuple),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(CONFIGS, min_size=1, max_size=4), st.randoms())
def test_the_merged_namespace_is_the_same_in_any_order(configs: list[ServiceBusRequirementConfig],
                                                       rng) -> None:  # type: ignore[no-untyped-def]
    requirements = [ResourceRequirement("servicebus", "shared", c, component_id=f"C{i}")
                    for i, c in enumerate(configs)]
    shuffled = list(requirements)
    rng.shuffle(shuffled)
    provider = ServiceBusProvider()
    first, second = provider.merge_requirements(requirements), provider.merge_requirements(shuffled)

    def canonical(config: ServiceBusRequirementConfig) -> tuple[object, ...]:
        return (config.sku, sorted(q.name for q in config.queues),
                sorted((t.name, sorted(s.name for s in t.subscriptions)) for t in config.topics))

    assert canonical(first.config) == canonical(second.config)
    assert first.config.sku == max((c.sku for c in configs), key=SERVICE_BUS_SKUS.index)
    assert {q.name for q in first.config.queues} == {q.name for c in configs for q in c.queues}
