"""Printable tokens: str() of a deploy-time value, turned back into ARM expressions in templates."""

from __future__ import annotations

import pytest

from atakora import App, ResourceGroupStack
from atakora.core import ArmResource
from atakora.core import expressions as x
from atakora.errors import SynthesisError
from atakora.resources.network import TrafficManagerProfile
from atakora.testing import Template


def storage(scope: ResourceGroupStack, id: str, name: str, **props: object) -> ArmResource:
    return ArmResource(scope, id, type="Microsoft.Storage/storageAccounts", api_version="2025-08-01", name=name,
                       sku={"name": "Standard_LRS"}, kind="StorageV2", properties=props)


def stack_of(app: App, id: str = "S") -> ResourceGroupStack:
    return ResourceGroupStack(app, id, resource_group_name=f"rg-{id.lower()}", location="eastus")


def test_a_deploy_time_value_prints_as_a_readable_token() -> None:
    stack = stack_of(App(outdir="unused"), "MyStack")
    first = storage(stack, "First", "stfirst001")
    assert str(first.resource_id) == "${MyStack/First.id}"
    assert f"{first.attribute('primaryEndpoints', 'blob')}" == "${MyStack/First.properties.primaryEndpoints.blob}"
    assert str(x.named(first.resource_id, "MyStack/UserApi.api_endpoint")) == "${MyStack/UserApi.api_endpoint}"


def test_a_name_known_at_synthesis_prints_as_itself() -> None:
    stack = stack_of(App(outdir="unused"))
    assert str(storage(stack, "First", "stfirst001").name) == "stfirst001"


def test_a_traffic_manager_fqdn_is_known_at_synthesis_but_renders_the_deployed_value() -> None:
    stack = stack_of(App(outdir="unused"))
    profile = TrafficManagerProfile(stack, "Tm", name="tm-myapp-prod", routing_method="Weighted")
    assert str(profile.fqdn) == "tm-myapp-prod.trafficmanager.net"
    stack.add_output("fqdn", profile.fqdn)
    assert Template.from_stack(stack).to_json()["outputs"]["fqdn"]["value"].endswith(".dnsConfig.fqdn]")


def test_a_token_embedded_in_a_property_becomes_a_concat_with_its_dependency() -> None:
    stack = stack_of(App(outdir="unused"))
    first = storage(stack, "First", "stfirst001")
    blob = first.attribute("primaryEndpoints", "blob")
    storage(stack, "Second", "stsecond001", endpoint=f"{blob}data?x=1", nested={"list": [str(first.resource_id)]})
    second = Template.from_stack(stack).resources[1]
    assert second["properties"]["endpoint"] == (
        "[concat(reference(resourceId('Microsoft.Storage/storageAccounts', 'stfirst001'), '2025-08-01')"
        ".primaryEndpoints.blob, 'data?x=1')]")
    assert second["properties"]["nested"]["list"] == ["[resourceId('Microsoft.Storage/storageAccounts', 'stfirst001')]"]
    assert second["dependsOn"] == ["[resourceId('Microsoft.Storage/storageAccounts', 'stfirst001')]"]


def test_a_token_inside_an_expression_argument_and_a_resource_name_is_resolved() -> None:
    stack = stack_of(App(outdir="unused"))
    param = stack.add_parameter("suffix")
    storage(stack, "Named", f"st{param.value}", label=x.concat("a-", f"{param.value}-b"))
    body = Template.from_stack(stack).resources[0]
    assert body["name"] == "[concat('st', parameters('suffix'))]"
    assert body["properties"]["label"] == "[concat('a-', concat(parameters('suffix'), '-b'))]"


def test_literal_dollar_braces_that_are_no_token_stay_as_written() -> None:
    stack = stack_of(App(outdir="unused"))
    storage(stack, "First", "stfirst001", script="echo ${HOME} ${{ matrix }}")
    assert Template.from_stack(stack).resources[0]["properties"]["script"] == "echo ${HOME} ${{ matrix }}"


def test_an_edited_token_is_a_synthesis_error_not_output(tmp_path: object) -> None:
    app = App(outdir=str(tmp_path))
    stack = stack_of(app)
    first = storage(stack, "First", "stfirst001")
    storage(stack, "Second", "stsecond001", endpoint=str(first.resource_id).upper())
    with pytest.raises(SynthesisError, match=r"\$\{S/FIRST\.ID\}.*no value of this program"):
        app.synth()


def test_a_token_from_another_app_is_a_synthesis_error(tmp_path: object) -> None:
    other = storage(stack_of(App(outdir="unused"), "Other"), "First", "stfirst001")
    app = App(outdir=str(tmp_path))
    storage(stack_of(app), "Second", "stsecond001", endpoint=f"https://{other.resource_id}")
    with pytest.raises(SynthesisError, match="Other/First.id"):
        app.synth()
