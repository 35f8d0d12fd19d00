from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from atakora import App, ResourceGroupStack, SubscriptionStack
from atakora.core.expressions import resource_group
from atakora.errors import ConfigurationError, NamingError
from atakora.resources.resources import API_VERSIONS, NestedDeployment, ResourceGroup
from atakora.testing import Template

DEPLOYMENT = "Microsoft.Resources/deployments"
INNER: dict[str, Any] = {
    "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
    "contentVersion": "1.0.0.0",
    "parameters": {"prefix": {"type": "string"}, "suffix": {"type": "string", "defaultValue": "x"}},
    "resources": [],
    "outputs": {"label": {"type": "string", "value": "[concat(parameters('prefix'), parameters('suffix'))]"}},
}


@pytest.fixture
def stack() -> ResourceGroupStack:
    return ResourceGroupStack(App(), "Main", resource_group_name="rg-test", location="westeurope")


def test_resource_group_is_created_by_the_subscription_stack() -> None:
    sub = SubscriptionStack(App(), "Sub", location="westeurope")
    ResourceGroupStack(sub, "Main", resource_group_name="rg-main", location="westeurope")
    Template.from_stack(sub).has_resource("Microsoft.Resources/resourceGroups", {
        "name": "rg-main", "location": "westeurope", "apiVersion": API_VERSIONS["Microsoft.Resources/resourceGroups"]})
    assert ResourceGroup.API_VERSION == API_VERSIONS["Microsoft.Resources/resourceGroups"]


def test_nested_deployment_golden(stack: ResourceGroupStack, golden: Callable[[str, Any], None]) -> None:
    deployment = NestedDeployment(stack, "Inner", name="inner-deployment", template=INNER,
                                  parameters={"prefix": resource_group().get("name")}, resource_group="rg-other")
    stack.add_output("label", deployment.output("label"))
    golden("resources/resources_nested_deployment", Template.from_stack(stack).to_json())
    assert deployment.api_version == API_VERSIONS[DEPLOYMENT]


def test_nested_deployment_keeps_inner_expressions_unescaped(stack: ResourceGroupStack) -> None:
    NestedDeployment(stack, "Inner", name="inner", template=INNER, parameters={"prefix": "app"})
    body = Template.from_stack(stack).find_resources(DEPLOYMENT)[0]
    assert body["properties"]["template"] == INNER
    assert body["properties"]["mode"] == "Incremental"
    assert body["properties"]["expressionEvaluationOptions"] == {"scope": "inner"}
    assert body["properties"]["parameters"] == {"prefix": {"value": "app"}}
    assert "location" not in body and "resourceGroup" not in body


def test_nested_deployment_copies_the_template(stack: ResourceGroupStack) -> None:
    template = {**INNER, "resources": []}
    NestedDeployment(stack, "Inner", name="inner", template=template, parameters={"prefix": "app"})
    template["resources"].append({"type": "late"})
    assert Template.from_stack(stack).find_resources(DEPLOYMENT)[0]["properties"]["template"]["resources"] == []


def test_nested_deployment_in_a_subscription_stack_gets_a_location_and_a_target() -> None:
    sub = SubscriptionStack(App(), "Sub", location="westeurope")
    NestedDeployment(sub, "Inner", name="inner", template=INNER, parameters={"prefix": "app"},
                     resource_group="rg-main", subscription_id="00000000-0000-0000-0000-000000000001")
    Template.from_stack(sub).has_resource(DEPLOYMENT, {
        "location": "westeurope", "resourceGroup": "rg-main",
        "subscriptionId": "00000000-0000-0000-0000-000000000001"})


def test_nested_deployment_rejects_a_name_over_64_characters(stack: ResourceGroupStack) -> None:
    with pytest.raises(NamingError, match="has 65 characters; Microsoft.Resources/deployments names need 1-64"):
        NestedDeployment(stack, "Inner", name="d" * 65, template=INNER, parameters={"prefix": "app"})


def test_nested_deployment_rejects_a_name_with_a_slash(stack: ResourceGroupStack) -> None:
    with pytest.raises(NamingError, match="not a valid Microsoft.Resources/deployments name"):
        NestedDeployment(stack, "Inner", name="inner/one", template=INNER, parameters={"prefix": "app"})


def test_nested_deployment_rejects_a_template_without_resources(stack: ResourceGroupStack) -> None:
    with pytest.raises(ConfigurationError, match="template must be an ARM template dict with a 'resources' member"):
        NestedDeployment(stack, "Inner", name="inner", template={"contentVersion": "1.0.0.0"})


def test_nested_deployment_rejects_a_template_without_schema(stack: ResourceGroupStack) -> None:
    with pytest.raises(ConfigurationError, match="template has no '\\$schema' member"):
        NestedDeployment(stack, "Inner", name="inner", template={"contentVersion": "1.0.0.0", "resources": []})


def test_nested_deployment_requires_values_for_inner_parameters(stack: ResourceGroupStack) -> None:
    with pytest.raises(ConfigurationError, match="parameters lacks 'prefix', which the inner template requires"):
        NestedDeployment(stack, "Inner", name="inner", template=INNER)


def test_nested_deployment_rejects_undeclared_parameters(stack: ResourceGroupStack) -> None:
    with pytest.raises(ConfigurationError, match="parameters has 'colour', which the inner template does not declare"):
        NestedDeployment(stack, "Inner", name="inner", template=INNER, parameters={"prefix": "a", "colour": "red"})


def test_nested_deployment_rejects_unknown_mode(stack: ResourceGroupStack) -> None:
    with pytest.raises(ConfigurationError, match=r"mode: input should be .*\(given 'Replace'"):
        NestedDeployment(stack, "Inner", name="inner", template=INNER, parameters={"prefix": "a"},
                         mode="Replace")  # type: ignore[arg-type]


def test_nested_deployment_refuses_parameters_in_the_outer_scope(stack: ResourceGroupStack) -> None:
    with pytest.raises(ConfigurationError, match="parameters are ignored when expressions are evaluated in the outer"):
        NestedDeployment(stack, "Inner", name="inner", template=INNER, parameters={"prefix": "a"},
                         expression_evaluation_scope="outer")


def test_nested_deployment_in_the_outer_scope_without_parameters(stack: ResourceGroupStack) -> None:
    template = {key: value for key, value in INNER.items() if key not in ("parameters", "outputs")}
    NestedDeployment(stack, "Inner", name="inner", template=template, expression_evaluation_scope="outer")
    Template.from_stack(stack).has_resource_properties(DEPLOYMENT, {"expressionEvaluationOptions": {"scope": "outer"}})


def test_nested_deployment_into_a_resource_group_of_the_stack_depends_on_it() -> None:
    sub = SubscriptionStack(App(), "Sub", location="westeurope")
    group = ResourceGroup(sub, "Group", name="rg-main", location="westeurope")
    NestedDeployment(sub, "Inner", name="inner", template=INNER, parameters={"prefix": "app"}, resource_group=group)
    group_id = "[subscriptionResourceId('Microsoft.Resources/resourceGroups', 'rg-main')]"
    Template.from_stack(sub).has_resource(DEPLOYMENT, {"resourceGroup": "rg-main", "dependsOn": [group_id]})
