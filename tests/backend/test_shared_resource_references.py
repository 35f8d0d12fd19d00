"""backend.get_resource(...) gives typed constructs that typed resources accept; wrong types are clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from atakora import App, ResourceGroupStack
from atakora.backend import define_backend
from atakora.components import CrudApi
from atakora.errors import ConfigurationError, ExpressionError
from atakora.resources.network import TrafficManagerEndpoint, TrafficManagerProfile
from atakora.resources.web import FunctionApp
from atakora.testing import Template

PROBE = "/api/users/health"


def setup() -> tuple[ResourceGroupStack, object]:
    app = App(outdir="unused")
    stack = ResourceGroupStack(app, "AppStack", resource_group_name="rg-app", location="eastus")
    backend = define_backend({"user_api": CrudApi.define("UserApi", entity_name="User", schema={"id": "string"})},
                             environment="production")
    backend.add_to_stack(stack)
    return stack, backend


def test_a_shared_function_app_is_a_traffic_manager_endpoint_target() -> None:
    stack, backend = setup()
    functions = backend.get_resource("functions")  # type: ignore[attr-defined]
    assert isinstance(functions, FunctionApp)
    profile = TrafficManagerProfile(stack, "Tm", name="tm-app-prod", routing_method="Weighted", monitor_path=PROBE)
    TrafficManagerEndpoint(profile, "Blue", name="endpoint-blue", target_resource=functions, weight=100)
    endpoint = Template.from_stack(stack).find_resources("Microsoft.Network/trafficManagerProfiles/azureEndpoints")[0]
    assert endpoint["properties"]["targetResourceId"] == (
        f"[resourceId('Microsoft.Web/sites', '{functions.resource_name}')]")


def test_what_a_provider_gave_the_components_is_unwrapped_to_its_resource() -> None:
    stack, backend = setup()
    shared = backend.get_shared("functions")  # type: ignore[attr-defined]
    profile = TrafficManagerProfile(stack, "Tm", name="tm-app-prod", routing_method="Weighted", monitor_path=PROBE)
    endpoint = TrafficManagerEndpoint(profile, "Blue", name="endpoint-blue", target_resource=shared)
    assert endpoint.target_resource is shared.site


def test_a_value_that_is_no_resource_is_a_clear_error_naming_the_field() -> None:
    stack, _ = setup()
    profile = TrafficManagerProfile(stack, "Tm", name="tm-app-prod", routing_method="Weighted", monitor_path=PROBE)
    with pytest.raises(ConfigurationError, match=r"target_resource: input is none of the allowed types \(given \{'id': 'x'\}") as info:
        TrafficManagerEndpoint(profile, "Blue", name="endpoint-blue", target_resource={"id": "x"})  # type: ignore[arg-type]
    assert "AppStack/Tm/Blue" in str(info.value) and "backend.get_resource" in str(info.value)


def test_an_object_that_cannot_be_written_into_a_template_names_the_resource() -> None:
    stack, _ = setup()
    profile = TrafficManagerProfile(stack, "Tm", name="tm-app-prod", routing_method="Weighted", monitor_path=PROBE)
    profile.add_override("properties.extra", object())
    with pytest.raises(ExpressionError, match="object <object object at .*> cannot be written into a template") as info:
        Template.from_stack(stack)
    assert "AppStack/Tm" in str(info.value)


def test_two_web_apps_of_one_region_in_one_profile_are_an_error_that_points_to_nested_profiles() -> None:
    stack, blue = setup()
    green_stack = ResourceGroupStack(stack.app, "Green", resource_group_name="rg-green", location="eastus")
    green = define_backend({"user_api": CrudApi.define("UserApi", entity_name="User", schema={"id": "string"})},
                           environment="production")
    green.add_to_stack(green_stack)
    profile = TrafficManagerProfile(stack, "Tm", name="tm-app-prod", routing_method="Weighted", monitor_path=PROBE)
    TrafficManagerEndpoint(profile, "Blue", name="blue", target_resource=blue.get_resource("functions"))  # type: ignore[attr-defined]
    with pytest.raises(ConfigurationError, match=r"(?s)one App Service app per Azure region.*child TrafficManagerProfile"):
        TrafficManagerEndpoint(profile, "Green", name="green", target_resource=green.get_resource("functions"))


def test_a_child_profile_is_a_nested_endpoint_with_min_child_endpoints() -> None:
    stack, backend = setup()
    parent = TrafficManagerProfile(stack, "Parent", name="tm-parent", routing_method="Weighted")
    child = TrafficManagerProfile(stack, "Child", name="tm-child", routing_method="Priority", monitor_path=PROBE)
    TrafficManagerEndpoint(child, "App", name="app", target_resource=backend.get_resource("functions"))  # type: ignore[attr-defined]
    TrafficManagerEndpoint(parent, "Blue", name="blue", target_resource=child, weight=100)
    nested = Template.from_stack(stack).find_resources("Microsoft.Network/trafficManagerProfiles/nestedEndpoints")
    assert nested[0]["properties"]["targetResourceId"] == (
        "[resourceId('Microsoft.Network/trafficManagerProfiles', 'tm-child')]")
    assert nested[0]["properties"]["minChildEndpoints"] == 1
    with pytest.raises(ConfigurationError, match="min_child_endpoints only applies"):
        TrafficManagerEndpoint(parent, "Ext", name="ext", target="x.example.com", min_child_endpoints=2)


def test_subnets_check_their_network_security_group_and_route_table() -> None:
    from atakora.resources.network import Subnet, VirtualNetwork

    stack, _ = setup()
    vnet = VirtualNetwork(stack, "Vnet", name="vnet-x", address_space=["10.0.0.0/16"])
    with pytest.raises(ConfigurationError, match="network_security_group must be a NetworkSecurityGroup construct"):
        vnet.add_subnet("A", name="a", address_prefix="10.0.1.0/24", network_security_group="nsg-x")  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError, match=r"route_table: input is none of the allowed types \(given \['rt'\]"):
        Subnet(vnet, "B", name="b", address_prefix="10.0.2.0/24", route_table=["rt"])  # type: ignore[arg-type]


def test_a_url_as_traffic_manager_target_is_an_error_that_gives_the_host_name() -> None:
    stack, _ = setup()
    profile = TrafficManagerProfile(stack, "Tm", name="tm-app-prod", routing_method="Weighted", monitor_path=PROBE)
    with pytest.raises(ConfigurationError, match=r"(?s)is a URL.*target='func-x.azurewebsites.net'"):
        TrafficManagerEndpoint(profile, "Blue", name="blue", target="https://func-x.azurewebsites.net/api/users")


def test_an_app_service_host_name_as_an_external_traffic_manager_endpoint_is_refused(tmp_path: Path) -> None:
    stack = ResourceGroupStack(App(outdir=tmp_path), "Tm", resource_group_name="rg-tm", location="eastus")
    profile = TrafficManagerProfile(stack, "Tm", name="tm-app-prod", routing_method="Weighted", monitor_path=PROBE)
    with pytest.raises(ConfigurationError, match=r"(?s)answers 404.*target_resource"):
        TrafficManagerEndpoint(profile, "Blue", name="blue", target="func-x.azurewebsites.net")


def test_a_traffic_manager_probe_of_a_function_app_outside_api_is_refused(tmp_path: Path) -> None:
    app = App(outdir=tmp_path)
    backend = define_backend({"users": CrudApi.define("UserApi", entity_name="User", schema={"id": "string"})},
                             environment="prod", location="eastus")
    backend.add_to_stack(ResourceGroupStack(app, "Main", resource_group_name="rg-main", location="eastus"))
    stack = ResourceGroupStack(app, "Tm", resource_group_name="rg-tm", location="eastus")
    profile = TrafficManagerProfile(stack, "Tm", name="tm-app-prod", routing_method="Priority")
    with pytest.raises(ConfigurationError, match=r"(?s)probes '/health'.*under /api"):
        TrafficManagerEndpoint(profile, "App", name="app", target_resource=backend.get_resource("functions"))
