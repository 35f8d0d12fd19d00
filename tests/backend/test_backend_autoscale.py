from __future__ import annotations

import pytest

from atakora import App, ResourceGroupStack
from atakora.backend import define_backend
from atakora.components import CrudApi
from atakora.errors import ConfigurationError
from atakora.testing import Template


def provisioned(id: str = "OrderApi") -> object:
    return CrudApi.define(id, entity_name=id.removesuffix("Api"), schema={"id": "string"}, enable_serverless=False)


def test_autoscale_gives_provisioned_containers_an_autoscale_maximum_and_a_utilization_alert() -> None:
    stack = ResourceGroupStack(App(outdir="unused"), "S", resource_group_name="rg", location="eastus")
    define_backend({"orders": provisioned()}, monitoring=True,
                   auto_scale={"max_throughput": 10000, "target_utilization": 80}).add_to_stack(stack)
    template = Template.from_stack(stack)
    template.has_resource_properties("Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers",
                                     {"options": {"autoscaleSettings": {"maxThroughput": 10000}}})
    template.has_resource_properties("Microsoft.Insights/metricAlerts", {"criteria": {"allOf": [
        {"metricName": "NormalizedRUConsumption", "threshold": 80, "timeAggregation": "Maximum"}]}})


def test_autoscale_on_serverless_accounts_is_reported_in_the_plan() -> None:
    backend = define_backend({"a": CrudApi.define("A", entity_name="A", schema={"id": "string"})}, auto_scale=True)
    assert any("every account here is serverless" in w for w in backend.plan().warnings)


def test_autoscale_without_monitoring_says_the_target_needs_monitoring() -> None:
    backend = define_backend({"orders": provisioned()}, auto_scale=True)
    assert any("set monitoring=True" in w for w in backend.plan().warnings)


def test_a_minimum_the_autoscale_floor_cannot_guarantee_is_an_error_naming_the_fix() -> None:
    with pytest.raises(ConfigurationError, match="set max_throughput to at least 4000"):
        define_backend({}, auto_scale={"max_throughput": 1000, "min_throughput": 400})
