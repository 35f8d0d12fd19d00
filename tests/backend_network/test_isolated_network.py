"""networking='isolated': VNet, subnets, NSG, private endpoints and private DNS for the shared resources."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from atakora.errors import ConfigurationError
from atakora.resources.network import NetworkSecurityGroup, VirtualNetwork

from ._helpers import order_api, stack, synth, user_api

WEB = "Microsoft.Web/sites"
COSMOS = "Microsoft.DocumentDB/databaseAccounts"
STORAGE = "Microsoft.Storage/storageAccounts"
PE = "Microsoft.Network/privateEndpoints"
ZONE = "Microsoft.Network/privateDnsZones"


def test_isolated_mode_creates_one_vnet_with_integration_and_endpoint_subnets() -> None:
    _, template = synth({"user_api": user_api()}, networking="isolated")
    template.resource_count_is("Microsoft.Network/virtualNetworks", 1)
    template.has_resource("Microsoft.Network/virtualNetworks", {
        "name": "vnet-backend-dev", "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]}}})
    template.has_resource("Microsoft.Network/virtualNetworks/subnets", {
        "name": "vnet-backend-dev/snet-functions", "properties": {
            "addressPrefix": "10.0.1.0/24",
            "delegations": [{"properties": {"serviceName": "Microsoft.App/environments"}}]}})
    template.has_resource("Microsoft.Network/virtualNetworks/subnets", {
        "name": "vnet-backend-dev/snet-private-endpoints",
        "properties": {"addressPrefix": "10.0.2.0/24", "privateEndpointNetworkPolicies": "Disabled"}})


def test_subnets_follow_a_custom_address_space_and_subnet_name() -> None:
    _, template = synth({"user_api": user_api()}, networking={
        "mode": "isolated", "address_space": "172.16.0.0/20", "subnet_name": "apps"})
    template.has_resource("Microsoft.Network/virtualNetworks/subnets", {
        "name": "vnet-backend-dev/apps", "properties": {"addressPrefix": "172.16.1.0/24"}})


def test_the_integration_subnet_delegation_follows_the_function_plans() -> None:
    from types import SimpleNamespace

    from atakora.backend.providers.network import FLEX_DELEGATION, PLAN_DELEGATION, _function_delegation

    def context(*skus: str) -> Any:
        entries = [SimpleNamespace(resource_type="functions", config=SimpleNamespace(sku=s)) for s in skus]
        return SimpleNamespace(backend=SimpleNamespace(plan=lambda: SimpleNamespace(resources=entries)))

    assert _function_delegation(context("FC1")) == FLEX_DELEGATION
    assert _function_delegation(context()) == FLEX_DELEGATION
    assert _function_delegation(context("EP1", "B1")) == PLAN_DELEGATION
    with pytest.raises(ConfigurationError, match="cannot share one integration subnet"):
        _function_delegation(context("FC1", "EP1"))


def test_the_nsg_denies_internet_inbound_and_allows_only_the_service_tags_outbound() -> None:
    _, template = synth({"user_api": user_api()}, monitoring=True, networking={
        "mode": "isolated", "service_tags": ["AzureCosmosDB", "Storage", "AzureFunctions"]})
    rules = "Microsoft.Network/networkSecurityGroups/securityRules"
    template.has_resource_properties(rules, {"direction": "Inbound", "access": "Deny",
                                             "sourceAddressPrefix": "Internet"})
    for tag in ("AzureCosmosDB", "Storage", "AppService", "AzureMonitor"):
        template.has_resource_properties(rules, {"direction": "Outbound", "access": "Allow",
                                                 "destinationAddressPrefix": tag, "destinationPortRange": "443"})
    template.has_resource_properties(rules, {"direction": "Outbound", "access": "Deny",
                                             "destinationAddressPrefix": "Internet", "priority": 4096})
    template.has_resource_properties("Microsoft.Network/virtualNetworks/subnets", {
        "networkSecurityGroup": {"id": "[resourceId('Microsoft.Network/networkSecurityGroups', 'nsg-backend-dev')]"}})


def test_without_service_tags_outbound_traffic_is_not_restricted() -> None:
    _, template = synth({"user_api": user_api()}, networking="isolated")
    rules = template.find_resources("Microsoft.Network/networkSecurityGroups/securityRules")
    assert all(r["properties"]["direction"] == "Inbound" for r in rules)


def test_unknown_service_tags_are_rejected_by_name() -> None:
    with pytest.raises(ConfigurationError, match="not an Azure service tag"):
        synth({"user_api": user_api()}, networking={"mode": "isolated", "service_tags": ["CosmosDatabase"]})


def test_cosmos_and_storage_have_public_access_disabled() -> None:
    _, template = synth({"user_api": user_api()}, networking="isolated")
    template.has_resource_properties(COSMOS, {"publicNetworkAccess": "Disabled"})
    template.has_resource_properties(STORAGE, {"publicNetworkAccess": "Disabled",
                                               "networkAcls": {"defaultAction": "Deny"}})


def test_each_service_gets_private_endpoints_with_dns_zone_groups() -> None:
    _, template = synth({"user_api": user_api()}, networking="isolated")
    groups = sorted(r["properties"]["privateLinkServiceConnections"][0]["properties"]["groupIds"][0]
                    for r in template.find_resources(PE))
    assert groups == ["Sql", "blob", "queue", "sites", "table"]
    template.resource_count_is("Microsoft.Network/privateEndpoints/privateDnsZoneGroups", 5)
    template.has_resource_properties(PE, {"subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', "
                                                           "'vnet-backend-dev', 'snet-private-endpoints')]"}})


def test_private_dns_zones_are_created_once_and_linked_to_the_vnet() -> None:
    _, template = synth({"user_api": user_api(), "order_api": order_api()}, networking="isolated")
    names = sorted(r["name"] for r in template.find_resources(ZONE))
    assert names == ["privatelink.azurewebsites.net", "privatelink.blob.core.windows.net",
                     "privatelink.documents.azure.com", "privatelink.queue.core.windows.net",
                     "privatelink.table.core.windows.net"]
    template.resource_count_is("Microsoft.Network/privateDnsZones/virtualNetworkLinks", 5)
    template.has_resource_properties("Microsoft.Network/privateDnsZones/virtualNetworkLinks", {
        "virtualNetwork": {"id": "[resourceId('Microsoft.Network/virtualNetworks', 'vnet-backend-dev')]"},
        "registrationEnabled": False})
    template.resource_count_is("Microsoft.Network/virtualNetworks", 1)


def test_the_function_app_is_vnet_integrated_and_reachable_only_privately() -> None:
    _, template = synth({"user_api": user_api()}, networking="isolated")
    template.has_resource_properties(WEB, {
        "publicNetworkAccess": "Disabled",
        "virtualNetworkSubnetId": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet-backend-dev', "
                                  "'snet-functions')]",
        "siteConfig": {"vnetRouteAllEnabled": True}})
    site = template.find_resources(WEB)[0]
    assert any("privateDnsZoneGroups" in d and "blob" in d for d in site["dependsOn"])


def test_public_networking_creates_no_network_resources() -> None:
    _, template = synth({"user_api": user_api()})
    assert not [r for r in template.resources if r["type"].startswith("Microsoft.Network/")]
    template.has_resource_properties(WEB, {"publicNetworkAccess": "Enabled"})
    site = template.find_resources(WEB)[0]
    assert "virtualNetworkSubnetId" not in site["properties"]


def test_service_endpoint_mode_uses_vnet_rules_instead_of_private_endpoints() -> None:
    subnet_id = "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet-backend-dev', 'snet-functions')]"
    _, template = synth({"user_api": user_api()}, networking={"mode": "isolated", "private_endpoints": False})
    template.resource_count_is(PE, 0)
    template.resource_count_is(ZONE, 0)
    template.has_resource_properties("Microsoft.Network/virtualNetworks/subnets", {
        "serviceEndpoints": [{"service": "Microsoft.AzureCosmosDB"}, {"service": "Microsoft.Storage"}]})
    template.has_resource_properties(COSMOS, {"publicNetworkAccess": "Enabled", "isVirtualNetworkFilterEnabled": True,
                                              "virtualNetworkRules": [{"id": subnet_id}]})
    template.has_resource_properties(STORAGE, {"publicNetworkAccess": "Enabled", "networkAcls": {
        "defaultAction": "Deny", "virtualNetworkRules": [{"id": subnet_id, "action": "Allow"}]}})
    template.has_resource_properties(WEB, {"publicNetworkAccess": "Enabled", "virtualNetworkSubnetId": subnet_id})


def _user_vnet(target: Any, *, delegation: str = "Microsoft.App/environments") -> VirtualNetwork:
    nsg = NetworkSecurityGroup(target, "Nsg", name="nsg-user")
    vnet = VirtualNetwork(target, "Vnet", name="vnet-secure", address_space=["10.0.0.0/16"])
    vnet.add_subnet("Backend", name="backend-subnet", address_prefix="10.0.1.0/24", delegations=[delegation],
                    network_security_group=nsg)
    vnet.add_subnet("Endpoints", name="private-endpoint-subnet", address_prefix="10.0.2.0/24",
                    private_endpoint_network_policies="Disabled")
    return vnet


def test_an_existing_vnet_of_the_stack_is_used_by_name_and_deployed_first() -> None:
    target = stack()
    _user_vnet(target)
    _, template = synth({"user_api": user_api()}, target, networking={
        "mode": "isolated", "vnet_name": "vnet-secure", "subnet_name": "backend-subnet"})
    template.resource_count_is("Microsoft.Network/virtualNetworks", 1)
    template.resource_count_is("Microsoft.Network/networkSecurityGroups", 1)
    endpoint_subnet = ("[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet-secure', "
                       "'private-endpoint-subnet')]")
    template.has_resource_properties(PE, {"subnet": {"id": endpoint_subnet}})
    template.has_resource_properties(WEB, {"virtualNetworkSubnetId": "[resourceId('Microsoft.Network/"
                                           "virtualNetworks/subnets', 'vnet-secure', 'backend-subnet')]"})
    for endpoint in template.find_resources(PE):
        assert endpoint_subnet in endpoint["dependsOn"]


def test_an_existing_vnet_outside_the_program_is_referenced_by_resource_id() -> None:
    _, template = synth({"user_api": user_api()},
                        networking={"mode": "isolated", "vnet_name": "corp-vnet", "existing": True})
    template.resource_count_is("Microsoft.Network/virtualNetworks", 0)
    template.has_resource_properties(WEB, {"virtualNetworkSubnetId": "[resourceId('Microsoft.Network/"
                                           "virtualNetworks/subnets', 'corp-vnet', 'backend-subnet')]"})
    template.has_resource_properties(PE, {"subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/"
                                                           "subnets', 'corp-vnet', 'private-endpoint-subnet')]"}})
    template.has_resource_properties("Microsoft.Network/privateDnsZones/virtualNetworkLinks", {
        "virtualNetwork": {"id": "[resourceId('Microsoft.Network/virtualNetworks', 'corp-vnet')]"}})


def test_a_named_vnet_that_is_not_in_the_program_is_created_with_its_subnets_and_service_tag_rules() -> None:
    _, template = synth({"user_api": user_api()}, networking={
        "mode": "isolated", "vnet_name": "secure-vnet", "subnet_name": "backend-subnet", "private_endpoints": True,
        "service_tags": ["AzureCosmosDB", "Storage", "AzureFunctions"]})
    template.has_resource("Microsoft.Network/virtualNetworks", {"name": "secure-vnet"})
    subnets = {r["name"]: r for r in template.find_resources("Microsoft.Network/virtualNetworks/subnets")}
    assert set(subnets) == {"secure-vnet/backend-subnet", "secure-vnet/private-endpoint-subnet"}
    assert subnets["secure-vnet/backend-subnet"]["properties"]["delegations"][0]["properties"]["serviceName"] == (
        "Microsoft.App/environments")
    rules = {r["name"].rsplit("/", 1)[1]: r["properties"]
             for r in template.find_resources("Microsoft.Network/networkSecurityGroups/securityRules")}
    for tag in ("azurecosmosdb", "storage", "appservice"):  # AzureFunctions is the AppService tag
        assert rules[f"allow-{tag}-https"]["direction"] == "Outbound"
    assert rules["deny-internet-outbound"]["access"] == "Deny"
    template.has_resource_properties(WEB, {"virtualNetworkSubnetId": "[resourceId('Microsoft.Network/"
                                           "virtualNetworks/subnets', 'secure-vnet', 'backend-subnet')]"})


def test_existing_without_a_vnet_name_and_service_tags_on_an_existing_vnet_are_errors() -> None:
    with pytest.raises(ConfigurationError, match="existing=True references a virtual network by name"):
        synth({"user_api": user_api()}, networking={"mode": "isolated", "existing": True})
    with pytest.raises(ConfigurationError, match="drop existing=True to let the backend create the network"):
        synth({"user_api": user_api()}, networking={"mode": "isolated", "vnet_name": "corp-vnet", "existing": True,
                                                    "service_tags": ["Storage"]})


def test_service_tags_add_outbound_rules_to_the_nsg_of_an_existing_subnet() -> None:
    target = stack()
    _user_vnet(target)
    _, template = synth({"user_api": user_api()}, target, networking={
        "mode": "isolated", "vnet_name": "vnet-secure", "service_tags": ["AzureCosmosDB"]})
    template.has_resource("Microsoft.Network/networkSecurityGroups/securityRules", {
        "name": "nsg-user/allow-azurecosmosdb-https", "properties": {"direction": "Outbound"}})


@pytest.mark.parametrize(("change", "message"), [
    (lambda: {"subnet_name": "missing"}, "has no subnet 'missing'"),
    (lambda: {"delegation": "Microsoft.Web/serverFarms"}, "needs a subnet delegated to"),
])
def test_a_mismatched_existing_vnet_is_reported_with_a_fix(change: Callable[[], dict[str, str]], message: str) -> None:
    options = change()
    target = stack()
    _user_vnet(target, delegation=options.pop("delegation", "Microsoft.App/environments"))
    with pytest.raises(ConfigurationError, match=message):
        synth({"user_api": user_api()}, target,
              networking={"mode": "isolated", "vnet_name": "vnet-secure", **options})


def test_isolated_template_matches_golden(golden: Callable[[str, Any], None]) -> None:
    _, template = synth({"user_api": user_api(), "order_api": order_api(operations=["read", "list"])},
                        environment="prod", monitoring=True,
                        networking={"mode": "isolated", "service_tags": ["AzureCosmosDB", "Storage"]})
    golden("backend_network/isolated_template", template.to_json())
