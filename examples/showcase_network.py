"""Network showcase: an isolated backend network, private DNS, blue/green Traffic Manager, and a
single-page app behind Azure Front Door with a custom domain in Azure DNS.

Based on seed 003 examples 2 (global frontend), 3 (network isolation) and 6 (blue/green).
Run it, then check the output: ``python examples/showcase_network.py`` writes ``atakora.out/``.
"""

from __future__ import annotations

from atakora import App, ResourceGroupStack
from atakora.backend import define_backend
from atakora.components import CrudApi
from atakora.resources.cdn import (
    FrontDoorCustomDomain,
    FrontDoorEndpoint,
    FrontDoorOrigin,
    FrontDoorOriginGroup,
    FrontDoorProfile,
    FrontDoorRoute,
    FrontDoorRuleSet,
    host_from_url,
)
from atakora.resources.network import (
    SUBNET_DELEGATIONS,
    DnsZone,
    NetworkSecurityGroup,
    PrivateDnsZone,
    PrivateEndpoint,
    TrafficManagerProfile,
    VirtualNetwork,
    private_dns_zone_name,
)
from atakora.resources.storage import StorageAccount

app = App()

# ----- Seed 003, example 3: network isolation --------------------------------------------------
secure = ResourceGroupStack(app, "SecureStack", resource_group_name="rg-secure-prod", location="eastus",
                            tags={"security": "high", "networkIsolation": "full"})

nsg = NetworkSecurityGroup(secure, "BackendNsg", name="nsg-backend-prod")
nsg.add_rule("AllowInternal", name="allow-internal", priority=100, direction="Inbound", access="Allow",
             protocol="Tcp", source_address_prefix="VirtualNetwork", destination_address_prefix="VirtualNetwork",
             destination_port_range="443")
nsg.add_rule("DenyInternet", name="deny-internet", priority=200, direction="Inbound", access="Deny",
             protocol="*", source_address_prefix="Internet")

vnet = VirtualNetwork(secure, "Vnet", name="vnet-secure-prod", address_space=["10.0.0.0/16"])
backend_subnet = vnet.add_subnet(
    "BackendSubnet", name="backend-subnet", address_prefix="10.0.1.0/24",
    delegations=[SUBNET_DELEGATIONS["function_app"]],
    service_endpoints=["Microsoft.AzureCosmosDB", "Microsoft.Storage", "Microsoft.Web"],
    network_security_group=nsg)
endpoint_subnet = vnet.add_subnet(
    "PrivateEndpointSubnet", name="private-endpoint-subnet", address_prefix="10.0.2.0/24",
    network_security_group=nsg)

# A data store reachable only through its private endpoint.
data = StorageAccount(secure, "Data", name="stsecuredataprod", public_network_access="Disabled")
blob_zone = PrivateDnsZone(secure, "BlobDnsZone", name=private_dns_zone_name("blob"))
blob_zone.link("VnetLink", name="vnet-secure-prod-link", virtual_network=vnet)
blob_endpoint = PrivateEndpoint(secure, "DataBlobEndpoint", name="pe-stsecuredataprod-blob", subnet=endpoint_subnet,
                                target=data, group_ids=["blob"], custom_network_interface_name="nic-pe-data-blob")
blob_endpoint.add_dns_zone_group([blob_zone])

# ----- Seed 003, example 6: blue/green with Traffic Manager ------------------------------------
# Each color is a backend of its own; Traffic Manager reaches its Function App as an Azure endpoint
# (the app then accepts the profile's trafficmanager.net name; an external endpoint would get 404)
# and probes the user API's generated health route, which needs no key.
HEALTH_PATH = "/api/users/health"
routing = ResourceGroupStack(app, "TrafficManagerStack", resource_group_name="rg-app-routing", location="eastus")
active_color = "blue"
profile = TrafficManagerProfile(routing, "TrafficManager", name="tm-myapp-prod", routing_method="Weighted",
                                relative_name="myapp-prod", ttl=30, monitor_path=HEALTH_PATH)
for number, color in enumerate(("blue", "green"), start=1):
    backend = define_backend({"users": CrudApi.define("UserApi", entity_name="User", schema={"id": "string"})},
                             environment="prod", location="eastus", backend_id=f"myapp-{color}")
    backend.add_to_stack(ResourceGroupStack(app, f"AppStack-{color}", resource_group_name=f"rg-app-{color}-prod",
                                            location="eastus"))
    # A profile takes one App Service app per region: each color's app is the one endpoint of a child profile.
    child = TrafficManagerProfile(routing, f"TrafficManager-{color}", name=f"tm-myapp-{color}-prod",
                                  routing_method="Priority", ttl=30, monitor_path=HEALTH_PATH)
    child.add_endpoint(f"App-{color}", name=f"app-{color}", target_resource=backend.get_resource("functions"))
    # The standby color gets no traffic: Azure needs weight >= 1, so it is disabled instead.
    profile.add_endpoint(f"Endpoint-{color}", name=f"endpoint-{color}", target_resource=child, weight=100,
                         priority=number, endpoint_status="Enabled" if color == active_color else "Disabled")
routing.add_output("trafficManagerFqdn", profile.fqdn)

# ----- Seed 003, example 2: global single-page app behind Front Door -------------------------
frontend = ResourceGroupStack(app, "GlobalFrontendStack", resource_group_name="rg-global-frontend",
                              location="eastus", tags={"tier": "frontend"})
# The site's storage keeps its firewall closed: Front Door Premium reaches it over private link.
site = StorageAccount(frontend, "Site", name="stglobalsiteprod")
site.enable_static_website(index_document="index.html", error_document="404.html")

front_door = FrontDoorProfile(frontend, "FrontDoor", name="afd-global-prod", sku="Premium_AzureFrontDoor")
endpoint = FrontDoorEndpoint(front_door, "Endpoint", name="web-global-prod")
origins = FrontDoorOriginGroup(front_door, "SiteOrigins", name="site-origins", probe_path="/index.html")
FrontDoorOrigin(origins, "SiteOrigin", name="static-website",
                host_name=host_from_url(site.primary_web_endpoint),
                private_link=site, private_link_group_id="web")

rules = FrontDoorRuleSet(front_door, "SpaRules", name="SpaRules")
rules.add_spa_rewrite_rule(index_document="index.html")
rules.add_cache_rule(max_age_seconds=3600)
rules.add_cache_rule("BrowserCache", name="BrowserCache", max_age_seconds=3600, mode="browser")

zone = DnsZone(frontend, "Zone", name="example.com")
domain = FrontDoorCustomDomain(front_door, "AppDomain", name="app-example-com", host_name="app.example.com",
                               dns_zone=zone)
domain.add_dns_records(zone, endpoint)

FrontDoorRoute(endpoint, "DefaultRoute", name="default", origin_group=origins, rule_sets=[rules],
               custom_domains=[domain])
frontend.add_output("cdnEndpoint", endpoint.host_name)

app.synth()
