"""Custom components (plain protocol objects) and custom providers, including examples/custom_provider.py."""

from __future__ import annotations

import json
import runpy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from atakora.backend import BaseProvider, ComponentDefinition, ResourceRequirement, define_backend
from atakora.errors import ConfigurationError, ProviderError, ValidationError

from ._support import WidgetProvider, crud, deployed, probe, stack_for, widget

EXAMPLE = Path(__file__).parents[2] / "examples" / "custom_provider.py"


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Run the example once in a scratch directory (it writes ./atakora.out)."""
    workdir = tmp_path_factory.mktemp("custom_provider")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(workdir)
        namespace = runpy.run_path(str(EXAMPLE), run_name="custom_provider_example")
    namespace["outdir"] = workdir / "atakora.out"
    yield namespace


def _requirement(config: dict[str, Any], component_id: str = "X") -> ResourceRequirement:
    return ResourceRequirement("servicebus", "shared", config, 20, component_id=component_id)


# ----- custom components --------------------------------------------------------------------------

def seed_style_component(component_id: str, config: dict[str, Any]) -> ComponentDefinition[Any]:
    """Seed 003 example 1's shape: a plain definition whose factory returns an object with the protocol."""

    class Instance:
        component_type = "Seedish"

        def __init__(self, cid: str, cfg: dict[str, Any]) -> None:
            self.component_id, self.config, self.got = cid, cfg, None

        def get_requirements(self) -> list[dict[str, Any]]:
            return [{"resourceType": "widget", "requirementKey": "shared", "priority": 20,
                     "config": {"labels": (self.component_id.lower(),), "size": self.config["size"]}}]

        def initialize(self, resources: Any, scope: Any) -> None:
            self.got = resources["widget:shared"]

        def validate_resources(self, resources: Any) -> Any:
            from atakora.backend import ValidationResult

            return ValidationResult.of()

        def get_outputs(self) -> dict[str, Any]:
            return {"widget": self.got["name"] if self.got else None}

    return ComponentDefinition(component_id, "Seedish", config, lambda scope, cid, cfg, res: Instance(cid, cfg))


def test_a_plain_component_with_seed_style_dict_requirements_gets_the_shared_resource(tmp_path: Path) -> None:
    provider = WidgetProvider()
    backend, _, _ = deployed({"a": seed_style_component("Alpha", {"size": 2}),
                              "b": seed_style_component("Beta", {"size": 5})}, tmp_path, providers=[provider])
    [entry] = backend.plan().resources
    assert entry.members == ["Alpha", "Beta"] and entry.priority == 20
    assert set(entry.config["labels"]) == {"alpha", "beta"} and entry.config["size"] == 5
    assert len(provider.provided) == 1
    outputs = backend.components.a.get_outputs()
    assert outputs == backend.components.b.get_outputs() == {"widget": entry.name}


def test_a_component_can_return_resource_requirement_objects(tmp_path: Path) -> None:
    backend, _, _ = deployed({"a": probe("Alpha", widget({"size": 1}))}, tmp_path, providers=[WidgetProvider()])
    assert backend.components.a.resources["widget:shared"]["config"] == {"size": 1}
    assert backend.get_resource("widget", component="Alpha") is backend.get_resource("widget")


def test_a_requirement_that_is_neither_object_nor_seed_mapping_is_rejected_with_the_component_named() -> None:
    backend = define_backend({"a": probe("Alpha", "cosmos please")})
    with pytest.raises(ConfigurationError, match=r"\[Alpha\] component 'Alpha' returned a requirement"):
        backend.plan()


def test_a_factory_that_returns_no_component_is_rejected_naming_the_missing_protocol() -> None:
    backend = define_backend({"a": ComponentDefinition("Alpha", "Broken", {}, lambda *args: object())})
    with pytest.raises(ConfigurationError, match="lacks the component protocol"):
        backend.plan()


def test_a_requirement_no_provider_serves_names_the_type_the_component_and_the_fix() -> None:
    backend = define_backend({"a": probe("Alpha", widget({}))})
    with pytest.raises(ProviderError) as raised:
        backend.plan()
    assert "'widget'" in str(raised.value) and "'Alpha'" in str(raised.value)
    assert "providers=[MyProvider()]" in str(raised.value)


def test_custom_providers_are_added_to_the_defaults(tmp_path: Path) -> None:
    backend, _, _ = deployed({"api": crud("UserApi"), "w": probe("Alpha", widget({}))}, tmp_path,
                             providers=[WidgetProvider()])
    assert {r.provider_id for r in backend.plan().resources} == {"cosmos", "functions", "storage", "widget"}


def test_a_provider_of_the_config_overrides_a_default_of_the_same_type() -> None:
    class OtherStorage(BaseProvider):
        provider_id = "other-storage"
        supported_types = ("storage",)

    backend = define_backend({"api": crud("UserApi")}, providers=[OtherStorage()])
    assert backend.plan().resource_for("UserApi", "storage", "shared").provider_id == "other-storage"


def test_providers_must_subclass_base_provider() -> None:
    with pytest.raises(ConfigurationError, match="is not a provider; subclass atakora.backend.BaseProvider"):
        define_backend({}, providers=[object()])


# ----- the Service Bus provider example -------------------------------------------------------------

def test_the_custom_provider_example_synthesizes_one_shared_namespace(example: dict[str, Any]) -> None:
    template = json.loads((example["outdir"] / "EventDrivenStack.json").read_text())
    by_type: dict[str, list[dict[str, Any]]] = {}
    for resource in template["resources"]:
        by_type.setdefault(resource["type"], []).append(resource)
    [namespace] = by_type["Microsoft.ServiceBus/namespaces"]
    assert namespace["sku"]["name"] == "Standard"
    assert namespace["name"].startswith("sb-backend-production")
    assert namespace["tags"]["atakora-components"] == "NotificationService,OrderProcessor"
    assert sorted(q["name"].split("/")[1] for q in by_type["Microsoft.ServiceBus/namespaces/queues"]) == [
        "notifications-queue", "orders-queue"]
    assert [t["name"].split("/")[1] for t in by_type["Microsoft.ServiceBus/namespaces/topics"]] == ["events-topic"]
    plan = json.loads((example["outdir"] / "plan.json").read_text())
    [entry] = plan["backends"][0]["resources"]
    assert entry["provider"] == "servicebus-provider" and entry["members"] == ["NotificationService",
                                                                                "OrderProcessor"]


def test_the_example_components_get_the_namespace_injected(example: dict[str, Any]) -> None:
    backend = example["backend"]
    namespace = backend.get_resource("servicebus")
    assert backend.components.order_processor.namespace is namespace
    assert "endpoint" in backend.components.notification_service.get_outputs()


def test_basic_sku_with_topics_is_an_error(example: dict[str, Any]) -> None:
    provider = example["ServiceBusProvider"]()
    result = provider.validate_merged(_requirement({"sku": "Basic", "topics": [{"name": "events"}]}))
    assert not result.valid
    assert result.errors == ["Basic SKU does not support topics. Use Standard or Premium."]


def test_duplicate_queue_and_topic_names_are_an_error(example: dict[str, Any]) -> None:
    provider = example["ServiceBusProvider"]()
    result = provider.validate_merged(_requirement({"sku": "Standard", "queues": [{"name": "events"}, {"name": "a"}],
                                                    "topics": [{"name": "events"}]}))
    assert result.errors == ["Duplicate queue/topic names: events"]


def test_more_than_ten_queues_on_basic_is_a_warning_only(example: dict[str, Any]) -> None:
    provider = example["ServiceBusProvider"]()
    result = provider.validate_merged(_requirement({"sku": "Basic", "queues": [{"name": f"q{i}"} for i in range(11)]}))
    assert result.valid
    assert result.warnings == ["Basic SKU limited to 10 queues. Consider Standard SKU."]


def test_the_example_merge_takes_the_highest_sku_and_deduplicates_by_name(example: dict[str, Any]) -> None:
    provider = example["ServiceBusProvider"]()
    merged = provider.merge_requirements([
        _requirement({"sku": "Basic", "queues": [{"name": "a", "max_size": 1024}]}, "B"),
        _requirement({"sku": "Premium", "queues": [{"name": "a", "max_size": 2048}, {"name": "b"}]}, "A"),
    ])
    assert merged.config["sku"] == "Premium"
    assert [q["name"] for q in merged.config["queues"]] == ["a", "b"]
    assert merged.priority == 20


def test_a_backend_whose_merged_service_bus_is_invalid_fails_before_creating_anything(
        example: dict[str, Any], tmp_path: Path) -> None:
    component = example["EventDrivenComponent"]
    backend = define_backend({"a": component.define("OrderProcessor", {"sku": "Basic"})},
                             providers=[example["ServiceBusProvider"]()])
    assert backend.validate().errors == ["Basic SKU does not support topics. Use Standard or Premium."]
    _, stack = stack_for(tmp_path)
    with pytest.raises(ValidationError, match="Basic SKU does not support topics") as raised:
        backend.add_to_stack(stack)
    assert "OrderProcessor" in str(raised.value)
