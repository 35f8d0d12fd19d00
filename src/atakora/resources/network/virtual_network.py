"""Virtual networks and their subnets (subnets are child resources, deployed one after another)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, get_args

from ...core.construct import Construct
from ...core.expressions import Expr, RenderContext
from ...core.resource import Resource
from ...errors import ConfigurationError
from .._common import child_path, require_one_of, require_range, require_value, resource_ref
from ._util import IpNetwork, as_list, check_cidr, id_ref
from ._versions import API_VERSIONS

if TYPE_CHECKING:
    from .security import NetworkSecurityGroup

__all__ = [
    "SUBNET_DELEGATIONS",
    "PrivateEndpointNetworkPolicies",
    "ServiceEndpoint",
    "Subnet",
    "VirtualNetwork",
]

ServiceEndpoint = Literal[
    "Microsoft.AzureActiveDirectory", "Microsoft.AzureCosmosDB", "Microsoft.CognitiveServices",
    "Microsoft.ContainerRegistry", "Microsoft.EventHub", "Microsoft.KeyVault", "Microsoft.ServiceBus",
    "Microsoft.Sql", "Microsoft.Storage", "Microsoft.Storage.Global", "Microsoft.Web",
]
PrivateEndpointNetworkPolicies = Literal["Enabled", "Disabled", "NetworkSecurityGroupEnabled", "RouteTableEnabled"]

SUBNET_DELEGATIONS: dict[str, str] = {
    "function_app": "Microsoft.Web/serverFarms",
    "container_apps": "Microsoft.App/environments",
    "container_instances": "Microsoft.ContainerInstance/containerGroups",
    "postgresql_flexible": "Microsoft.DBforPostgreSQL/flexibleServers",
}
"""Common subnet delegation service names, by use."""

_DELEGATION = re.compile(r"^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z0-9]+)+/[A-Za-z][A-Za-z0-9]*$")


class VirtualNetwork(Resource):
    """A virtual network (``Microsoft.Network/virtualNetworks``).

    Subnets are child resources: create them with :meth:`add_subnet` or ``Subnet(vnet, ...)``;
    they deploy one after another because ARM fails on parallel subnet updates of one network.
    """

    TYPE = "Microsoft.Network/virtualNetworks"
    API_VERSION = API_VERSIONS[TYPE]

    def __init__(self, scope: Construct, id: str, *, name: str | Expr, address_space: Sequence[str],
                 location: str | Expr | None = None, tags: Mapping[str, str] | None = None,
                 dns_servers: Sequence[str] = (), ddos_protection_plan: Resource | Expr | None = None,
                 flow_timeout_in_minutes: int | None = None) -> None:
        """``address_space``: CIDR blocks (required). ``dns_servers``: custom DNS (default: Azure DNS).
        ``ddos_protection_plan``: a DDoS plan to enable protection with (default: none).
        ``flow_timeout_in_minutes``: 4-30 (default: off)."""
        path = child_path(scope, id)
        if ddos_protection_plan is not None:
            ddos_protection_plan = resource_ref(ddos_protection_plan, Resource, field="ddos_protection_plan", path=path)
        if isinstance(address_space, str):
            raise ConfigurationError("address_space must be a list of CIDR blocks, not one string",
                                     field="address_space", path=path, fix=f"pass address_space=[{address_space!r}]")
        require_value(list(address_space), field="address_space", path=path,
                      fix="pass address_space=['10.0.0.0/16']")
        self.networks: list[IpNetwork] = []
        for block in address_space:
            net = check_cidr(block, field="address_space", path=path)
            if net is not None:
                self.networks.append(net)
        require_range(flow_timeout_in_minutes, field="flow_timeout_in_minutes", path=path, minimum=4, maximum=30)
        self.address_space = list(address_space)
        self.dns_servers = list(dns_servers)
        self.ddos_protection_plan = ddos_protection_plan
        self.flow_timeout_in_minutes = flow_timeout_in_minutes
        self.subnets: list[Subnet] = []
        super().__init__(scope, id, name=name, location=location, tags=tags)

    def add_subnet(self, id: str, *, name: str | Expr, address_prefix: str | Sequence[str],
                   delegations: Sequence[str] = (), service_endpoints: Sequence[ServiceEndpoint] = (),
                   network_security_group: NetworkSecurityGroup | Expr | None = None,
                   private_endpoint_network_policies: PrivateEndpointNetworkPolicies = "Enabled",
                   default_outbound_access: bool = False) -> Subnet:
        """Create a :class:`Subnet` of this network (same options and defaults)."""
        return Subnet(self, id, name=name, address_prefix=address_prefix, delegations=delegations,
                      service_endpoints=service_endpoints, network_security_group=network_security_group,
                      private_endpoint_network_policies=private_endpoint_network_policies,
                      default_outbound_access=default_outbound_access)

    def render_properties(self) -> Mapping[str, Any]:
        """``addressSpace``, DNS servers, DDoS protection and flow timeout (subnets are separate resources)."""
        props: dict[str, Any] = {"addressSpace": {"addressPrefixes": list(self.address_space)}}
        if self.dns_servers:
            props["dhcpOptions"] = {"dnsServers": list(self.dns_servers)}
        if self.ddos_protection_plan is not None:
            props["enableDdosProtection"] = True
            props["ddosProtectionPlan"] = id_ref(self.ddos_protection_plan)
        if self.flow_timeout_in_minutes is not None:
            props["flowTimeoutInMinutes"] = self.flow_timeout_in_minutes
        return props


class Subnet(Resource):
    """A subnet of a :class:`VirtualNetwork` (``Microsoft.Network/virtualNetworks/subnets``).

    Each subnet depends on the previous subnet of the same network, so ARM creates them in turn.
    Defaults: no delegation, no service endpoints, network policies for private endpoints
    ``Enabled`` (NSGs and route tables apply to them), default outbound access off.
    """

    TYPE = "Microsoft.Network/virtualNetworks/subnets"
    API_VERSION = API_VERSIONS[TYPE]

    def __init__(self, scope: VirtualNetwork, id: str, *, name: str | Expr, address_prefix: str | Sequence[str],
                 delegations: Sequence[str] = (), service_endpoints: Sequence[ServiceEndpoint] = (),
                 network_security_group: NetworkSecurityGroup | Expr | None = None,
                 private_endpoint_network_policies: PrivateEndpointNetworkPolicies = "Enabled",
                 private_link_service_network_policies: Literal["Enabled", "Disabled"] = "Enabled",
                 default_outbound_access: bool = False, route_table: Resource | Expr | None = None,
                 nat_gateway: Resource | Expr | None = None) -> None:
        """``address_prefix``: one CIDR block or several, inside the network's address space.
        ``delegations``: service names such as ``'Microsoft.Web/serverFarms'`` (Function App VNet
        integration) or ``'Microsoft.App/environments'``. ``service_endpoints``: e.g.
        ``['Microsoft.Storage']``. ``network_security_group``: an NSG to attach (default: none)."""
        path = child_path(scope, id)
        if not isinstance(scope, VirtualNetwork):
            raise ConfigurationError("a subnet must be created under a VirtualNetwork", field="scope", path=path,
                                     fix="pass the VirtualNetwork as scope, or use vnet.add_subnet(...)")
        if network_security_group is not None:
            from .security import NetworkSecurityGroup as Nsg

            network_security_group = resource_ref(network_security_group, Nsg,
                                                  field="network_security_group", path=path)
        if route_table is not None:
            route_table = resource_ref(route_table, Resource, field="route_table", path=path)
        if nat_gateway is not None:
            nat_gateway = resource_ref(nat_gateway, Resource, field="nat_gateway", path=path)
        prefixes = as_list(address_prefix)
        require_value(prefixes, field="address_prefix", path=path, fix="pass address_prefix='10.0.1.0/24'")
        networks = [n for n in (check_cidr(p, field="address_prefix", path=path) for p in prefixes) if n]
        _check_inside(networks, scope, path)
        for service in delegations:
            if not isinstance(service, str) or not _DELEGATION.match(service):
                raise ConfigurationError(
                    f"delegations entry {service!r} is not a service name", field="delegations", path=path,
                    fix="use 'Namespace/type', e.g. 'Microsoft.Web/serverFarms' or 'Microsoft.App/environments'")
        for endpoint in service_endpoints:
            require_one_of(endpoint, get_args(ServiceEndpoint), field="service_endpoints", path=path)
        self.vnet = scope
        self.address_prefixes = prefixes
        self.networks = networks
        self.delegations = list(delegations)
        self.service_endpoints: list[str] = list(service_endpoints)
        self.network_security_group = network_security_group
        self.private_endpoint_network_policies = private_endpoint_network_policies
        self.private_link_service_network_policies = private_link_service_network_policies
        self.default_outbound_access = default_outbound_access
        self.route_table = route_table
        self.nat_gateway = nat_gateway
        previous = scope.subnets[-1:]
        super().__init__(scope, id, name=name, depends_on=previous)
        scope.subnets.append(self)

    def render(self, ctx: RenderContext) -> dict[str, Any]:
        """Render; an attached NSG's rules deploy first (concurrent NSG updates fail in ARM)."""
        from .security import NetworkSecurityGroup

        if isinstance(self.network_security_group, NetworkSecurityGroup):
            for rule in self.network_security_group.rules:
                ctx.note_dependency(rule)
        return super().render(ctx)

    def render_properties(self) -> Mapping[str, Any]:
        """The subnet's ``properties``: prefixes, delegations, service endpoints, NSG and policies."""
        props: dict[str, Any] = {}
        if len(self.address_prefixes) == 1:
            props["addressPrefix"] = self.address_prefixes[0]
        else:
            props["addressPrefixes"] = list(self.address_prefixes)
        if self.delegations:
            props["delegations"] = [
                {"name": service.replace("/", "."), "properties": {"serviceName": service}}
                for service in self.delegations
            ]
        if self.service_endpoints:
            props["serviceEndpoints"] = [{"service": s} for s in self.service_endpoints]
        if self.network_security_group is not None:
            props["networkSecurityGroup"] = id_ref(self.network_security_group)
        if self.route_table is not None:
            props["routeTable"] = id_ref(self.route_table)
        if self.nat_gateway is not None:
            props["natGateway"] = id_ref(self.nat_gateway)
        props["privateEndpointNetworkPolicies"] = self.private_endpoint_network_policies
        props["privateLinkServiceNetworkPolicies"] = self.private_link_service_network_policies
        props["defaultOutboundAccess"] = self.default_outbound_access
        return props


def _check_inside(networks: list[IpNetwork], vnet: VirtualNetwork, path: str) -> None:
    """Each prefix lies in the network's address space and overlaps no sibling subnet."""
    for net in networks:
        if vnet.networks and not any(net.version == space.version and net.subnet_of(space)  # type: ignore[arg-type]
                                     for space in vnet.networks):
            spaces = ", ".join(str(s) for s in vnet.networks)
            raise ConfigurationError(f"address_prefix {net} is outside the network's address space ({spaces})",
                                     field="address_prefix", path=path,
                                     fix="choose a prefix inside the address space, or widen address_space")
        for sibling in vnet.subnets:
            for other in sibling.networks:
                if net.version == other.version and net.overlaps(other):
                    raise ConfigurationError(
                        f"address_prefix {net} overlaps subnet {sibling.node.id!r} ({other})",
                        field="address_prefix", path=path, fix="give each subnet its own address range")
