from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from atakora import App, ResourceGroupStack
from atakora.core.resource import ArmResource
from atakora.errors import ConfigurationError, NamingError
from atakora.resources.cdn import FrontDoorEndpoint, FrontDoorProfile
from atakora.resources.network import (
    API_VERSIONS,
    DnsCnameRecord,
    DnsTxtRecord,
    DnsZone,
    NetworkSecurityGroup,
    PrivateDnsZone,
    PrivateEndpoint,
    SecurityRule,
    Subnet,
    TrafficManagerEndpoint,
    TrafficManagerProfile,
    VirtualNetwork,
    private_dns_zone_name,
)
from atakora.testing import Template

SUBNETS = "Microsoft.Network/virtualNetworks/subnets"
RULES = "Microsoft.Network/networkSecurityGroups/securityRules"


@pytest.fixture
def stack() -> ResourceGroupStack:
    return ResourceGroupStack(App(), "Net", resource_group_name="rg-net", location="eastus")


@pytest.fixture
def vnet(stack: ResourceGroupStack) -> VirtualNetwork:
    return VirtualNetwork(stack, "Vnet", name="vnet-test", address_space=["10.0.0.0/16"])


@pytest.fixture
def nsg(stack: ResourceGroupStack) -> NetworkSecurityGroup:
    return NetworkSecurityGroup(stack, "Nsg", name="nsg-test")


@pytest.fixture
def storage(stack: ResourceGroupStack) -> ArmResource:
    return ArmResource(stack, "Data", type="Microsoft.Storage/storageAccounts", api_version="2025-01-01",
                       name="stdata0001", kind="StorageV2", sku={"name": "Standard_LRS"})


def _deps(template: Template, resource_type: str, name: str) -> list[str]:
    found = [r for r in template.find_resources(resource_type) if r["name"] == name]
    assert found, f"no {resource_type} {name}"
    return list(found[0].get("dependsOn", []))


# ----- virtual networks and subnets -------------------------------------------------------------
def test_every_class_uses_the_declared_api_version(stack: ResourceGroupStack, vnet: VirtualNetwork,
                                                   nsg: NetworkSecurityGroup, storage: ArmResource) -> None:
    subnet = vnet.add_subnet("A", name="a", address_prefix="10.0.1.0/24")
    rule = nsg.add_rule("R", name="r", priority=100, direction="Inbound", access="Deny", protocol="*")
    zone = PrivateDnsZone(stack, "Zone", name="privatelink.blob.core.windows.net")
    link = zone.link("Link", virtual_network=vnet)
    endpoint = PrivateEndpoint(stack, "Pe", name="pe-data", subnet=subnet, target=storage, group_ids=["blob"])
    group = endpoint.add_dns_zone_group([zone])
    public = DnsZone(stack, "Public", name="example.com")
    cname = public.add_cname("Www", name="www", target="example.azurefd.net")
    txt = public.add_txt("Auth", name="_dnsauth.www", values=["token"])
    profile = TrafficManagerProfile(stack, "Tm", name="tm-test-0001", routing_method="Priority")
    azure = profile.add_endpoint("A1", name="a1", target_resource=storage, priority=1)
    external = profile.add_endpoint("E1", name="e1", target="app.example.com", priority=2)
    for construct in (vnet, subnet, nsg, rule, zone, link, endpoint, group, public, cname, txt, profile, azure,
                      external):
        assert construct.api_version == API_VERSIONS[construct.resource_type]


def test_subnet_has_secure_defaults(stack: ResourceGroupStack, vnet: VirtualNetwork) -> None:
    vnet.add_subnet("A", name="a", address_prefix="10.0.1.0/24")
    Template.from_stack(stack).has_resource_properties(SUBNETS, {
        "addressPrefix": "10.0.1.0/24", "defaultOutboundAccess": False,
        "privateEndpointNetworkPolicies": "Enabled", "privateLinkServiceNetworkPolicies": "Enabled"})


def test_virtual_network_and_subnets_golden(stack: ResourceGroupStack, vnet: VirtualNetwork,
                                            nsg: NetworkSecurityGroup, golden: Callable[[str, Any], None]) -> None:
    nsg.add_rule("AllowInternal", name="allow-internal", priority=100, direction="Inbound", access="Allow",
                 protocol="Tcp", source_address_prefix="VirtualNetwork", destination_address_prefix="VirtualNetwork",
                 destination_port_range="443")
    vnet.add_subnet("Backend", name="backend-subnet", address_prefix="10.0.1.0/24",
                    delegations=["Microsoft.Web/serverFarms"],
                    service_endpoints=["Microsoft.AzureCosmosDB", "Microsoft.Storage"], network_security_group=nsg)
    vnet.add_subnet("Endpoints", name="private-endpoint-subnet", address_prefix=["10.0.2.0/24", "10.0.3.0/24"],
                    private_endpoint_network_policies="Disabled")
    golden("resources/network_virtual_network", Template.from_stack(stack).to_json())


def test_subnets_of_one_network_deploy_one_after_another(stack: ResourceGroupStack, vnet: VirtualNetwork) -> None:
    vnet.add_subnet("A", name="a", address_prefix="10.0.1.0/24")
    vnet.add_subnet("B", name="b", address_prefix="10.0.2.0/24")
    Subnet(vnet, "C", name="c", address_prefix="10.0.3.0/24")
    template = Template.from_stack(stack)
    assert "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet-test', 'a')]" in _deps(
        template, SUBNETS, "vnet-test/b")
    assert "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet-test', 'b')]" in _deps(
        template, SUBNETS, "vnet-test/c")
    assert not any("subnets" in d for d in _deps(template, SUBNETS, "vnet-test/a"))


def test_subnet_waits_for_the_rules_of_its_network_security_group(stack: ResourceGroupStack, vnet: VirtualNetwork,
                                                                  nsg: NetworkSecurityGroup) -> None:
    nsg.add_rule("R", name="deny-all", priority=4096, direction="Inbound", access="Deny", protocol="*")
    vnet.add_subnet("A", name="a", address_prefix="10.0.1.0/24", network_security_group=nsg)
    deps = _deps(Template.from_stack(stack), SUBNETS, "vnet-test/a")
    assert "[resourceId('Microsoft.Network/networkSecurityGroups/securityRules', 'nsg-test', 'deny-all')]" in deps


def test_virtual_network_rejects_a_bad_cidr_block(stack: ResourceGroupStack) -> None:
    with pytest.raises(ConfigurationError, match="address_space '10.0.0.1/16' is not a CIDR block"):
        VirtualNetwork(stack, "Vnet", name="vnet-test", address_space=["10.0.0.1/16"])


def test_virtual_network_requires_an_address_space(stack: ResourceGroupStack) -> None:
    with pytest.raises(ConfigurationError, match="address_space is required"):
        VirtualNetwork(stack, "Vnet", name="vnet-test", address_space=[])


def test_virtual_network_rejects_a_single_string_address_space(stack: ResourceGroupStack) -> None:
    with pytest.raises(ConfigurationError, match="address_space: 'str' instances are not allowed"):
        VirtualNetwork(stack, "Vnet", name="vnet-test", address_space="10.0.0.0/16")


def test_virtual_network_rejects_a_name_that_ends_with_a_hyphen(stack: ResourceGroupStack) -> None:
    with pytest.raises(NamingError, match="not a valid Microsoft.Network/virtualNetworks name"):
        VirtualNetwork(stack, "Vnet", name="vnet-", address_space=["10.0.0.0/16"])


def test_subnet_rejects_a_prefix_outside_the_address_space(vnet: VirtualNetwork) -> None:
    with pytest.raises(ConfigurationError, match=r"10.1.0.0/24 is outside the network's address space"):
        vnet.add_subnet("A", name="a", address_prefix="10.1.0.0/24")


def test_subnet_rejects_a_prefix_that_overlaps_a_sibling(vnet: VirtualNetwork) -> None:
    vnet.add_subnet("A", name="a", address_prefix="10.0.1.0/24")
    with pytest.raises(ConfigurationError, match="overlaps subnet 'A'"):
        vnet.add_subnet("B", name="b", address_prefix="10.0.1.128/25")


def test_subnet_rejects_an_unknown_service_endpoint(vnet: VirtualNetwork) -> None:
    with pytest.raises(ConfigurationError, match=r"service_endpoints\[0\]: input should be .*\(given 'Microsoft.Storrage'"):
        vnet.add_subnet("A", name="a", address_prefix="10.0.1.0/24",
                        service_endpoints=["Microsoft.Storrage"])  # type: ignore[list-item]


def test_subnet_rejects_a_delegation_that_is_not_a_service_name(vnet: VirtualNetwork) -> None:
    with pytest.raises(ConfigurationError, match="delegations entry 'serverFarms' is not a service name"):
        vnet.add_subnet("A", name="a", address_prefix="10.0.1.0/24", delegations=["serverFarms"])


def test_subnet_rejects_a_wrong_private_endpoint_policy(vnet: VirtualNetwork) -> None:
    with pytest.raises(ConfigurationError, match=r"private_endpoint_network_policies: input should be .*\(given 'Off'"):
        vnet.add_subnet("A", name="a", address_prefix="10.0.1.0/24",
                        private_endpoint_network_policies="Off")  # type: ignore[arg-type]


def test_subnet_requires_an_address_prefix(vnet: VirtualNetwork) -> None:
    with pytest.raises(ConfigurationError, match="address_prefix is required"):
        vnet.add_subnet("A", name="a", address_prefix=[])


def test_subnet_must_be_created_under_a_virtual_network(nsg: NetworkSecurityGroup) -> None:
    with pytest.raises(ConfigurationError, match="input should be an instance of VirtualNetwork"):
        Subnet(nsg, "A", name="a", address_prefix="10.0.1.0/24")  # type: ignore[arg-type]


# ----- network security groups ---------------------------------------------------------------------
def test_security_rules_golden(stack: ResourceGroupStack, nsg: NetworkSecurityGroup,
                               golden: Callable[[str, Any], None]) -> None:
    nsg.add_rule("AllowWeb", name="allow-web", priority=100, direction="Inbound", access="Allow", protocol="Tcp",
                 source_address_prefix=["10.1.0.0/16", "10.2.0.0/16"], destination_port_range=["443", "8000-8080"],
                 description="HTTPS and the admin range from the peered networks")
    SecurityRule(nsg, "DenyInternet", name="deny-internet", priority=200, direction="Inbound", access="Deny",
                 protocol="*", source_address_prefix="Internet")
    golden("resources/network_security_group", Template.from_stack(stack).to_json())


def test_security_rule_rejects_a_priority_out_of_range(nsg: NetworkSecurityGroup) -> None:
    with pytest.raises(ConfigurationError, match="priority is 99, but must be at least 100 and at most 4096"):
        nsg.add_rule("R", name="r", priority=99, direction="Inbound", access="Allow", protocol="Tcp")


def test_security_rule_rejects_a_duplicate_priority_in_one_direction(nsg: NetworkSecurityGroup) -> None:
    nsg.add_rule("A", name="a", priority=100, direction="Inbound", access="Allow", protocol="Tcp")
    nsg.add_rule("B", name="b", priority=100, direction="Outbound", access="Allow", protocol="Tcp")
    with pytest.raises(ConfigurationError, match="priority 100 is already used by Inbound rule 'A'"):
        nsg.add_rule("C", name="c", priority=100, direction="Inbound", access="Deny", protocol="Tcp")


def test_security_rule_rejects_a_wrong_direction(nsg: NetworkSecurityGroup) -> None:
    with pytest.raises(ConfigurationError, match=r"direction: input should be .*\(given 'In'"):
        nsg.add_rule("R", name="r", priority=100, direction="In", access="Allow",  # type: ignore[arg-type]
                     protocol="Tcp")


def test_security_rule_rejects_a_wrong_access(nsg: NetworkSecurityGroup) -> None:
    with pytest.raises(ConfigurationError, match=r"access: input should be .*\(given 'Block'"):
        nsg.add_rule("R", name="r", priority=100, direction="Inbound", access="Block",  # type: ignore[arg-type]
                     protocol="Tcp")


def test_security_rule_rejects_a_wrong_protocol(nsg: NetworkSecurityGroup) -> None:
    with pytest.raises(ConfigurationError, match=r"protocol: input should be .*\(given 'TCP'"):
        nsg.add_rule("R", name="r", priority=100, direction="Inbound", access="Allow",
                     protocol="TCP")  # type: ignore[arg-type]


def test_security_rule_rejects_a_bad_port_range(nsg: NetworkSecurityGroup) -> None:
    with pytest.raises(ConfigurationError, match="destination_port_range entry '9000-80' is not valid"):
        nsg.add_rule("R", name="r", priority=100, direction="Inbound", access="Allow", protocol="Tcp",
                     destination_port_range="9000-80")


def test_security_rule_rejects_a_star_mixed_with_ports(nsg: NetworkSecurityGroup) -> None:
    with pytest.raises(ConfigurationError, match="source_port_range mixes '\\*' with other values"):
        nsg.add_rule("R", name="r", priority=100, direction="Inbound", access="Allow", protocol="Tcp",
                     source_port_range=["*", "80"])


def test_security_rule_rejects_a_name_with_a_slash(nsg: NetworkSecurityGroup) -> None:
    with pytest.raises(NamingError, match="securityRules name"):
        nsg.add_rule("R", name="allow/web", priority=100, direction="Inbound", access="Allow", protocol="Tcp")


# ----- private endpoints and private DNS ----------------------------------------------------------
def test_private_endpoint_with_dns_zone_group_golden(stack: ResourceGroupStack, vnet: VirtualNetwork,
                                                     storage: ArmResource,
                                                     golden: Callable[[str, Any], None]) -> None:
    subnet = vnet.add_subnet("Pe", name="private-endpoints", address_prefix="10.0.2.0/24")
    zone = PrivateDnsZone(stack, "BlobZone", name=private_dns_zone_name("blob"))
    zone.link("Link", name="vnet-test-link", virtual_network=vnet)
    endpoint = PrivateEndpoint(stack, "Pe", name="pe-data-blob", subnet=subnet, target=storage, group_ids=["blob"],
                               custom_network_interface_name="nic-pe-data-blob")
    endpoint.add_dns_zone_group([zone])
    golden("resources/network_private_endpoint", Template.from_stack(stack).to_json())


def test_private_dns_zone_names_cover_the_common_services() -> None:
    assert private_dns_zone_name("Sql") == "privatelink.documents.azure.com"
    assert private_dns_zone_name("blob") == "privatelink.blob.core.windows.net"
    assert private_dns_zone_name("queue") == "privatelink.queue.core.windows.net"
    assert private_dns_zone_name("table") == "privatelink.table.core.windows.net"
    assert private_dns_zone_name("Table") == "privatelink.table.cosmos.azure.com"
    assert private_dns_zone_name("sites") == "privatelink.azurewebsites.net"
    assert private_dns_zone_name("vault") == "privatelink.vaultcore.azure.net"
    assert private_dns_zone_name("namespace") == "privatelink.servicebus.windows.net"
    assert private_dns_zone_name("redisCache") == "privatelink.redis.cache.windows.net"


def test_private_dns_zone_name_rejects_an_unknown_group_id() -> None:
    with pytest.raises(ConfigurationError, match="no private DNS zone is known for group id 'blobs'"):
        private_dns_zone_name("blobs")


def test_private_endpoint_accepts_expressions_for_subnet_and_target(stack: ResourceGroupStack) -> None:
    from atakora.core.expressions import resource_id

    PrivateEndpoint(stack, "Pe", name="pe-x",
                    subnet=resource_id("Microsoft.Network/virtualNetworks/subnets", "vnet-hub", "pe"),
                    target=resource_id("Microsoft.DocumentDB/databaseAccounts", "cosmos-x"), group_ids=["Sql"])
    Template.from_stack(stack).has_resource_properties("Microsoft.Network/privateEndpoints", {
        "subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet-hub', 'pe')]"},
        "privateLinkServiceConnections": [{"name": "Pe", "properties": {
            "groupIds": ["Sql"],
            "privateLinkServiceId": "[resourceId('Microsoft.DocumentDB/databaseAccounts', 'cosmos-x')]"}}]})


def test_private_endpoint_rejects_a_group_id_the_target_does_not_have(stack: ResourceGroupStack,
                                                                      vnet: VirtualNetwork,
                                                                      storage: ArmResource) -> None:
    subnet = vnet.add_subnet("Pe", name="pe", address_prefix="10.0.2.0/24")
    with pytest.raises(ConfigurationError, match="group_ids entry 'Sql' is not a private link sub-resource of "
                                                 "Microsoft.Storage/storageAccounts"):
        PrivateEndpoint(stack, "Pe", name="pe-x", subnet=subnet, target=storage, group_ids=["Sql"])


def test_private_endpoint_requires_group_ids(stack: ResourceGroupStack, vnet: VirtualNetwork,
                                             storage: ArmResource) -> None:
    subnet = vnet.add_subnet("Pe", name="pe", address_prefix="10.0.2.0/24")
    with pytest.raises(ConfigurationError, match="group_ids is required"):
        PrivateEndpoint(stack, "Pe", name="pe-x", subnet=subnet, target=storage, group_ids=[])


def test_private_endpoint_rejects_a_one_letter_name(stack: ResourceGroupStack, vnet: VirtualNetwork,
                                                    storage: ArmResource) -> None:
    subnet = vnet.add_subnet("Pe", name="pe", address_prefix="10.0.2.0/24")
    with pytest.raises(NamingError, match="'p' has 1 characters"):
        PrivateEndpoint(stack, "Pe", name="p", subnet=subnet, target=storage, group_ids=["blob"])


def test_private_dns_zone_rejects_a_name_that_is_not_a_domain(stack: ResourceGroupStack) -> None:
    with pytest.raises(ConfigurationError, match="name 'privatelink' is not a host name"):
        PrivateDnsZone(stack, "Zone", name="privatelink")


def test_virtual_network_link_does_not_register_records_by_default(stack: ResourceGroupStack,
                                                                   vnet: VirtualNetwork) -> None:
    PrivateDnsZone(stack, "Zone", name="privatelink.vaultcore.azure.net").link("Link", virtual_network=vnet)
    Template.from_stack(stack).has_resource("Microsoft.Network/privateDnsZones/virtualNetworkLinks", {
        "location": "global", "properties": {"registrationEnabled": False}})


# ----- public DNS ------------------------------------------------------------------------------------
def test_dns_zone_with_cname_and_txt_golden(stack: ResourceGroupStack, golden: Callable[[str, Any], None]) -> None:
    zone = DnsZone(stack, "Zone", name="example.com")
    endpoint = FrontDoorEndpoint(FrontDoorProfile(stack, "Afd", name="afd-test"), "Ep", name="web-test")
    DnsCnameRecord(zone, "App", name="app", target=endpoint.host_name, ttl=300)
    DnsTxtRecord(zone, "Auth", name="_dnsauth.app", values=["abc123"])
    golden("resources/network_dns_zone", Template.from_stack(stack).to_json())


def test_cname_record_rejects_the_zone_apex(stack: ResourceGroupStack) -> None:
    zone = DnsZone(stack, "Zone", name="example.com")
    with pytest.raises(ConfigurationError, match="a CNAME record cannot be at the zone apex"):
        zone.add_cname("Apex", name="@", target="example.azurefd.net")


def test_cname_record_rejects_a_url_as_target(stack: ResourceGroupStack) -> None:
    zone = DnsZone(stack, "Zone", name="example.com")
    with pytest.raises(ConfigurationError, match="target 'https://example.azurefd.net/' is not a host name"):
        zone.add_cname("App", name="app", target="https://example.azurefd.net/")


def test_cname_record_rejects_a_ttl_of_zero(stack: ResourceGroupStack) -> None:
    zone = DnsZone(stack, "Zone", name="example.com")
    with pytest.raises(ConfigurationError, match="ttl is 0, but must be at least 1"):
        zone.add_cname("App", name="app", target="example.azurefd.net", ttl=0)


def test_cname_record_rejects_a_fully_qualified_name(stack: ResourceGroupStack) -> None:
    zone = DnsZone(stack, "Zone", name="example.com")
    with pytest.raises(ConfigurationError, match="record name 'app.example.com' includes the zone name"):
        zone.add_cname("App", name="app.example.com", target="example.azurefd.net")


# ----- Traffic Manager ------------------------------------------------------------------------------
def test_traffic_manager_has_https_health_checks_by_default(stack: ResourceGroupStack) -> None:
    TrafficManagerProfile(stack, "Tm", name="tm-test-0001", routing_method="Performance")
    Template.from_stack(stack).has_resource("Microsoft.Network/trafficManagerProfiles", {
        "location": "global", "properties": {
            "dnsConfig": {"relativeName": "tm-test-0001", "ttl": 60},
            "monitorConfig": {"protocol": "HTTPS", "port": 443, "path": "/health", "intervalInSeconds": 30,
                              "timeoutInSeconds": 10, "toleratedNumberOfFailures": 3}}})


def test_traffic_manager_blue_green_golden(stack: ResourceGroupStack, golden: Callable[[str, Any], None]) -> None:
    green_app = ArmResource(stack, "GreenApp", type="Microsoft.Web/sites", api_version="2024-11-01",
                            name="func-myapp-green-prod", kind="functionapp", properties={"httpsOnly": True})
    profile = TrafficManagerProfile(stack, "Tm", name="tm-myapp-prod", routing_method="Weighted",
                                    relative_name="myapp-prod", ttl=30, expected_status_code_ranges=[(200, 299)],
                                    monitor_path="/api/users/health")
    profile.add_endpoint("Blue", name="endpoint-blue", target="blue.example.com", weight=100, priority=1)
    TrafficManagerEndpoint(profile, "Green", name="endpoint-green", target_resource=green_app, weight=100, priority=2,
                           endpoint_status="Disabled")
    stack.add_output("fqdn", profile.fqdn)
    golden("resources/network_traffic_manager", Template.from_stack(stack).to_json())


def test_traffic_manager_endpoint_weight_zero_says_to_disable_the_endpoint(stack: ResourceGroupStack) -> None:
    profile = TrafficManagerProfile(stack, "Tm", name="tm-test-0001", routing_method="Weighted")
    with pytest.raises(ConfigurationError, match="weight is 0, but Azure requires a weight of at least 1") as info:
        profile.add_endpoint("Green", name="green", target="green.example.com", weight=0)
    assert "endpoint_status='Disabled'" in str(info.value)


def test_traffic_manager_endpoint_rejects_a_weight_above_1000(stack: ResourceGroupStack) -> None:
    profile = TrafficManagerProfile(stack, "Tm", name="tm-test-0001", routing_method="Weighted")
    with pytest.raises(ConfigurationError, match="weight is 1001, but must be at least 1 and at most 1000"):
        profile.add_endpoint("Blue", name="blue", target="blue.example.com", weight=1001)


def test_traffic_manager_endpoint_rejects_a_duplicate_priority(stack: ResourceGroupStack) -> None:
    profile = TrafficManagerProfile(stack, "Tm", name="tm-test-0001", routing_method="Priority")
    profile.add_endpoint("A", name="a", target="a.example.com", priority=1)
    with pytest.raises(ConfigurationError, match="priority 1 is already used by endpoint 'A'"):
        profile.add_endpoint("B", name="b", target="b.example.com", priority=1)


def test_traffic_manager_endpoint_needs_a_target(stack: ResourceGroupStack) -> None:
    profile = TrafficManagerProfile(stack, "Tm", name="tm-test-0001", routing_method="Priority")
    with pytest.raises(ConfigurationError, match="target or target_resource is required"):
        profile.add_endpoint("A", name="a")


def test_traffic_manager_azure_endpoint_needs_a_target_resource(stack: ResourceGroupStack) -> None:
    profile = TrafficManagerProfile(stack, "Tm", name="tm-test-0001", routing_method="Priority")
    with pytest.raises(ConfigurationError, match="an azureEndpoints endpoint needs target_resource"):
        TrafficManagerEndpoint(profile, "A", name="a", endpoint_type="azureEndpoints", target="a.example.com")


def test_traffic_manager_external_endpoint_needs_a_location_for_performance_routing(
        stack: ResourceGroupStack) -> None:
    profile = TrafficManagerProfile(stack, "Tm", name="tm-test-0001", routing_method="Performance")
    with pytest.raises(ConfigurationError, match="endpoint_location is required"):
        profile.add_endpoint("A", name="a", target="a.example.com")


def test_traffic_manager_rejects_an_unknown_routing_method(stack: ResourceGroupStack) -> None:
    with pytest.raises(ConfigurationError, match=r"routing_method: input should be .*\(given 'RoundRobin'"):
        TrafficManagerProfile(stack, "Tm", name="tm-test-0001", routing_method="RoundRobin")  # type: ignore[arg-type]


def test_traffic_manager_rejects_a_timeout_too_long_for_fast_probing(stack: ResourceGroupStack) -> None:
    with pytest.raises(ConfigurationError, match="timeout_in_seconds is 10, but must be at least 5 and at most 9"):
        TrafficManagerProfile(stack, "Tm", name="tm-test-0001", routing_method="Priority", interval_in_seconds=10)


def test_traffic_manager_rejects_too_many_tolerated_failures(stack: ResourceGroupStack) -> None:
    with pytest.raises(ConfigurationError, match="tolerated_number_of_failures is 10"):
        TrafficManagerProfile(stack, "Tm", name="tm-test-0001", routing_method="Priority",
                              tolerated_number_of_failures=10)


def test_traffic_manager_rejects_a_monitor_path_without_a_slash(stack: ResourceGroupStack) -> None:
    with pytest.raises(ConfigurationError, match="monitor_path 'health' must start with '/'"):
        TrafficManagerProfile(stack, "Tm", name="tm-test-0001", routing_method="Priority", monitor_path="health")


def test_traffic_manager_rejects_a_name_that_ends_with_a_hyphen(stack: ResourceGroupStack) -> None:
    with pytest.raises(NamingError, match="not a valid Microsoft.Network/trafficManagerProfiles name"):
        TrafficManagerProfile(stack, "Tm", name="tm-", routing_method="Priority")


def test_traffic_manager_rejects_a_relative_name_that_is_not_a_dns_label(stack: ResourceGroupStack) -> None:
    with pytest.raises(ConfigurationError, match="relative_name 'tm_under_score' is not a valid DNS label"):
        TrafficManagerProfile(stack, "Tm", name="tm-test-0001", relative_name="tm_under_score",
                              routing_method="Priority")
