"""Network isolation of a backend (``networking='isolated'``, seed 003 example 3, seed 002).

One :class:`BackendNetwork` per backend, created on first use by :func:`network_for` (the Storage,
Cosmos and Functions providers call it) and kept under the backend's scope:

- without ``vnet_name``: a VNet named by the naming convention ('vnet'), an integration subnet
  delegated to the Function App's plan type (``Microsoft.App/environments`` for Flex Consumption,
  ``Microsoft.Web/serverFarms`` for the other plans), a private-endpoint subnet, and an NSG on both
  (HTTPS from the VNet only; the Internet denied inbound; with ``service_tags`` only those tags
  reachable outbound on 443);
- with ``vnet_name``: the program's ``VirtualNetwork`` of that name in the same stack (the backend
  deploys after it); else with ``existing=True`` the VNet of that name that already exists in the
  stack's resource group, referenced by id; else the same network as above, created with that name.

With ``private_endpoints`` (default) every data service and the Function App get a private endpoint,
registered in one private DNS zone per zone name, linked to the VNet; public access is off. Without
them the integration subnet gets service endpoints and the services VNet rules.
"""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING, Any

from ...core.construct import Construct
from ...core.expressions import Expr, resource_id
from ...core.naming import generate_name
from ...core.resource import Resource
from ...errors import ConfigurationError
from ...resources.documentdb import CosmosDbAccount, CosmosVirtualNetworkRule
from ...resources.network import (
    NetworkSecurityGroup,
    PrivateDnsZone,
    PrivateEndpoint,
    Subnet,
    VirtualNetwork,
    private_dns_zone_name,
)
from ...resources.storage import StorageAccount
from ...resources.web import FunctionApp
from ..service_tags import KNOWN_SERVICE_TAGS, normalize_service_tag
from ..tags import backend_tags

if TYPE_CHECKING:
    from ..config import NetworkingConfig
    from .base import ProviderContext

__all__ = [
    "FLEX_DELEGATION",
    "KNOWN_SERVICE_TAGS",
    "PLAN_DELEGATION",
    "STORAGE_GROUPS",
    "BackendNetwork",
    "network_for",
    "normalize_service_tag",
]

FLEX_DELEGATION = "Microsoft.App/environments"
"""Flex Consumption (FC1) apps integrate through a subnet delegated to this service."""
PLAN_DELEGATION = "Microsoft.Web/serverFarms"
"""Elastic Premium and dedicated plans integrate through a subnet delegated to this service."""
STORAGE_GROUPS = ("blob", "queue", "table")
"""The storage sub-resources a Function App host uses (deployment package, triggers, leases)."""
CONSTRUCT_ID = "BackendNetwork"

def network_for(scope: Construct, context: ProviderContext) -> BackendNetwork | None:
    """The backend's network (created on first call), or None when networking is public."""
    config = context.config.networking
    if config.mode != "isolated":
        return None
    found = scope.node.try_find_child(CONSTRUCT_ID)
    if isinstance(found, BackendNetwork):
        return found
    return BackendNetwork(scope, CONSTRUCT_ID, context=context)


def _function_delegation(context: ProviderContext) -> str:
    """The delegation the integration subnet needs for the backend's Function App plans."""
    skus = {getattr(entry.config, "sku", "FC1") for entry in context.backend.plan().resources
            if entry.resource_type == "functions"}
    flex = {sku == "FC1" for sku in skus}
    if len(flex) > 1:
        raise ConfigurationError(
            f"the backend's Function Apps use plans {sorted(skus)}; Flex Consumption and other plans need "
            "differently delegated subnets and cannot share one integration subnet", field="sku",
            fix="give every component of an isolated backend the same kind of plan, or split the backend")
    return FLEX_DELEGATION if flex != {False} else PLAN_DELEGATION


def _program_vnet(context: ProviderContext, name: str) -> VirtualNetwork | None:
    """The program's VirtualNetwork named ``name`` in the backend's stack, if there is one."""
    return next((r for r in context.stack.node.find_all()
                 if isinstance(r, VirtualNetwork) and r.stack is context.stack and r.resource_name == name), None)


class BackendNetwork(Construct):
    """The VNet side of an isolated backend: subnets, NSG, private DNS zones and private endpoints."""

    def __init__(self, scope: Construct, id: str, *, context: ProviderContext) -> None:
        super().__init__(scope, id)
        self.config: NetworkingConfig = context.config.networking
        self.private_endpoints = self.config.private_endpoints
        self.tags = backend_tags(context.config)
        self.delegation = _function_delegation(context)
        self.monitoring = context.config.monitoring is not None
        self.zones: dict[str, PrivateDnsZone] = {}
        self.endpoints: dict[tuple[int, str], PrivateEndpoint] = {}
        self.vnet: VirtualNetwork | None = None
        self.nsg: NetworkSecurityGroup | None = None
        self.integration_subnet: Subnet | None = None
        self.endpoint_subnet: Subnet | None = None
        self.anchors: list[Resource] = []
        """User constructs (their VNet) that the backend's network users must deploy after."""
        name = self.config.vnet_name
        if name is None:
            self._create(context, context.naming.format_resource_name("vnet", context.backend.backend_id),
                         self.config.subnet_name or "snet-functions",
                         self.config.private_endpoint_subnet_name or "snet-private-endpoints")
        elif self.config.existing or _program_vnet(context, name) is not None:
            self._reference(context, name)
        else:
            self._create(context, name, self.config.subnet_name or "backend-subnet",
                         self.config.private_endpoint_subnet_name or "private-endpoint-subnet")

    # ----- the network ---------------------------------------------------------------------
    def _create(self, context: ProviderContext, vnet_name: str, integration: str, endpoint: str) -> None:
        config = self.config
        space = ipaddress.ip_network(config.address_space)
        new_prefix = max(24, space.prefixlen + 2)
        blocks = space.subnets(new_prefix=new_prefix)
        next(blocks)  # the first block stays free for the user's own subnets
        integration_block, endpoint_block = str(next(blocks)), str(next(blocks))
        backend_id = context.backend.backend_id
        self._integration_name, self._endpoint_name, self._vnet_name = integration, endpoint, vnet_name
        self.vnet = VirtualNetwork(self, "VNet", name=vnet_name,
                                   address_space=[config.address_space], tags=self.tags)
        self.nsg = NetworkSecurityGroup(self, "Nsg", name=context.naming.format_resource_name("nsg", backend_id),
                                        tags=self.tags)
        self._add_rules(self.nsg)
        endpoints: list[Any] = [] if self.private_endpoints else ["Microsoft.AzureCosmosDB", "Microsoft.Storage"]
        self.integration_subnet = self.vnet.add_subnet(
            "IntegrationSubnet", name=integration, address_prefix=integration_block,
            delegations=[self.delegation], service_endpoints=endpoints, network_security_group=self.nsg)
        if self.private_endpoints:
            self.endpoint_subnet = self.vnet.add_subnet(
                "PrivateEndpointSubnet", name=endpoint,
                address_prefix=endpoint_block, network_security_group=self.nsg,
                private_endpoint_network_policies="Disabled")

    def _add_rules(self, nsg: NetworkSecurityGroup) -> None:
        nsg.add_rule("AllowVnetHttpsInbound", name="allow-vnet-https-inbound", priority=100, direction="Inbound",
                     access="Allow", protocol="Tcp", source_address_prefix="VirtualNetwork",
                     destination_address_prefix="VirtualNetwork", destination_port_range="443",
                     description="HTTPS between resources of the virtual network")
        nsg.add_rule("DenyInternetInbound", name="deny-internet-inbound", priority=4096, direction="Inbound",
                     access="Deny", protocol="*", source_address_prefix="Internet",
                     description="No inbound traffic from the Internet")
        self._add_outbound_rules(nsg)

    def _add_outbound_rules(self, nsg: NetworkSecurityGroup) -> None:
        """With ``service_tags``: HTTPS to each tag (and AzureMonitor with monitoring), the rest of the Internet denied."""
        tags = list(self.config.service_tags)
        if not tags:
            return
        if self.monitoring and "AzureMonitor" not in tags:
            tags.append("AzureMonitor")  # Application Insights ingestion
        used = {r.priority for r in nsg.rules if r.direction == "Outbound"}
        free = (p for p in range(100, 4096) if p not in used)
        for tag in tags:
            nsg.add_rule(f"Allow{tag.replace('.', '')}Outbound", name=f"allow-{tag.lower().replace('.', '-')}-https",
                         priority=next(free), direction="Outbound", access="Allow", protocol="Tcp",
                         source_address_prefix="VirtualNetwork", destination_address_prefix=tag,
                         destination_port_range="443", description=f"HTTPS to the {tag} service tag")
        nsg.add_rule("DenyInternetOutbound", name="deny-internet-outbound",
                     priority=4096 if 4096 not in used else next(free), direction="Outbound", access="Deny",
                     protocol="*", destination_address_prefix="Internet",
                     description="Only the listed service tags are reachable outside the virtual network")

    def _reference(self, context: ProviderContext, vnet_name: str) -> None:
        config = self.config
        integration = config.subnet_name or "backend-subnet"
        endpoint = config.private_endpoint_subnet_name or "private-endpoint-subnet"
        self._integration_name, self._endpoint_name, self._vnet_name = integration, endpoint, vnet_name
        vnet = _program_vnet(context, vnet_name)
        if vnet is None:
            if self.config.service_tags:
                raise ConfigurationError(
                    f"networking.service_tags needs the NSG of subnet {integration!r}, but virtual network "
                    f"{vnet_name!r} exists outside the program (existing=True), so atakora cannot add rules to it",
                    field="networking.service_tags", path=context.stack.node.path,
                    fix="drop existing=True to let the backend create the network with these rules, or put the "
                    "outbound rules on your NSG yourself and drop service_tags")
            return
        self.vnet = vnet
        self.anchors.append(vnet)
        by_name = {s.resource_name: s for s in vnet.subnets}
        names = ", ".join(str(n) for n in by_name if isinstance(n, str)) or "none"
        wanted = [(integration, "subnet_name")] + ([(endpoint, "private_endpoint_subnet_name")]
                                                  if self.private_endpoints else [])
        for name, field in wanted:
            if name not in by_name:
                raise ConfigurationError(
                    f"virtual network {vnet_name!r} has no subnet {name!r} (its subnets: {names})",
                    field=f"networking.{field}", path=vnet.node.path,
                    fix=f"set networking.{field} to one of its subnets, or add the subnet to the network")
        self.integration_subnet = by_name[integration]
        self.endpoint_subnet = by_name.get(endpoint) if self.private_endpoints else None
        self.anchors.extend(vnet.subnets)
        if self.config.service_tags:
            nsg = self.integration_subnet.network_security_group
            if not isinstance(nsg, NetworkSecurityGroup):
                raise ConfigurationError(
                    f"networking.service_tags needs an NSG on subnet {integration!r} to add outbound rules to",
                    field="networking.service_tags", path=self.integration_subnet.node.path,
                    fix="attach a NetworkSecurityGroup to the subnet (network_security_group=nsg), or drop "
                    "service_tags")
            self._add_outbound_rules(nsg)
        delegations = self.integration_subnet.delegations
        if delegations != [self.delegation]:
            raise ConfigurationError(
                f"subnet {integration!r} is delegated to {delegations or 'nothing'}, but the backend's Function "
                f"App needs a subnet delegated to {self.delegation!r} only", field="delegations",
                path=self.integration_subnet.node.path, fix=f"create the subnet with delegations=[{self.delegation!r}]")

    # ----- references ----------------------------------------------------------------------
    @property
    def vnet_id(self) -> Expr:
        """The VNet's resource id."""
        if self.vnet is not None:
            return self.vnet.resource_id
        return resource_id("Microsoft.Network/virtualNetworks", self._vnet_name)

    @property
    def integration_subnet_id(self) -> Expr:
        """The Function App's integration subnet id."""
        if self.integration_subnet is not None:
            return self.integration_subnet.resource_id
        return resource_id("Microsoft.Network/virtualNetworks/subnets", self._vnet_name, self._integration_name)

    def _endpoint_subnet(self) -> Subnet | Expr:
        if self.endpoint_subnet is not None:
            return self.endpoint_subnet
        return resource_id("Microsoft.Network/virtualNetworks/subnets", self._vnet_name, self._endpoint_name)

    # ----- private DNS and endpoints -------------------------------------------------------
    def dns_zone(self, zone_name: str) -> PrivateDnsZone:
        """The private DNS zone ``zone_name`` linked to the VNet (one per backend)."""
        if zone_name not in self.zones:
            zone = PrivateDnsZone(self, "Zone-" + zone_name.replace(".", "-"), name=zone_name, tags=self.tags)
            link = zone.link("VNetLink", virtual_network=self.vnet_id, name="vnet-link")
            link.add_dependency(*self.anchors)
            self.zones[zone_name] = zone
        return self.zones[zone_name]

    def add_private_endpoint(self, target: Resource, group_id: str) -> PrivateEndpoint:
        """A private endpoint for ``target``'s ``group_id`` in the endpoint subnet, registered in private DNS."""
        key = (id(target), group_id)
        if key not in self.endpoints:
            target_name = target.resource_name if isinstance(target.resource_name, str) else target.node.id
            name = generate_name(PrivateEndpoint.TYPE, ["pe", target_name, group_id.lower()])
            endpoint = PrivateEndpoint(self, f"Pe-{target.node.id}-{group_id}", name=name,
                                       subnet=self._endpoint_subnet(), target=target, group_ids=[group_id],
                                       tags=self.tags)
            endpoint.add_dependency(*self.anchors)
            endpoint.add_dns_zone_group([self.dns_zone(private_dns_zone_name(group_id,
                                                                             resource_type=target.resource_type))])
            self.endpoints[key] = endpoint
        return self.endpoints[key]

    def endpoints_of(self, target: Resource) -> list[PrivateEndpoint]:
        """The private endpoints created for ``target``."""
        return [e for (key, _), e in self.endpoints.items() if key == id(target)]

    # ----- applying isolation to services ----------------------------------------------------
    def secure_storage(self, account: StorageAccount) -> None:
        """Deny public networks; private endpoints for blob, queue and table, or a VNet rule."""
        account.network_default_action = "Deny"
        if self.private_endpoints:
            account.public_network_access = "Disabled"
            for group in STORAGE_GROUPS:
                self.add_private_endpoint(account, group)
        else:
            account.public_network_access = "Enabled"
            account.add_virtual_network_rule(self.integration_subnet_id)
            account.add_dependency(*self.anchors)

    def secure_cosmos(self, account: CosmosDbAccount) -> None:
        """Public access off with a private endpoint ('Sql'), or the VNet filter with the integration subnet."""
        if self.private_endpoints:
            account.public_network_access = "Disabled"
            self.add_private_endpoint(account, "Sql")
        else:
            account.public_network_access = "Enabled"
            account.is_virtual_network_filter_enabled = True
            account.virtual_network_rules.append(CosmosVirtualNetworkRule(self.integration_subnet_id))
            account.add_dependency(*self.anchors)

    def secure_function_app(self, site: FunctionApp, storage: StorageAccount | None) -> None:
        """VNet integration (all outbound through the VNet); inbound only through a private endpoint.

        The app deploys after its host storage's private endpoints, so it can reach its storage on start.
        """
        site.virtual_network_subnet_id = self.integration_subnet_id
        site.vnet_route_all_enabled = True
        site.add_dependency(*self.anchors)
        if storage is not None:
            for endpoint in self.endpoints_of(storage):
                site.add_dependency(*[c for c in endpoint.node.children if isinstance(c, Resource)])
        if self.private_endpoints:
            site.public_network_access = "Disabled"
            self.add_private_endpoint(site, "sites")
