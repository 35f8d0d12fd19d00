"""Microsoft.Network: virtual networks, subnets, NSGs, private endpoints, DNS and Traffic Manager."""

from __future__ import annotations

from ._versions import API_VERSIONS
from .dns import (
    PRIVATE_DNS_ZONE_NAMES,
    DnsCnameRecord,
    DnsTxtRecord,
    DnsZone,
    PrivateDnsZone,
    VirtualNetworkLink,
    private_dns_zone_name,
)
from .private_endpoint import PrivateDnsZoneGroup, PrivateEndpoint
from .security import NetworkSecurityGroup, RuleAccess, RuleDirection, RuleProtocol, SecurityRule
from .traffic_manager import EndpointType, RoutingMethod, TrafficManagerEndpoint, TrafficManagerProfile
from .virtual_network import (
    SUBNET_DELEGATIONS,
    PrivateEndpointNetworkPolicies,
    ServiceEndpoint,
    Subnet,
    VirtualNetwork,
)

__all__ = [
    "API_VERSIONS",
    "PRIVATE_DNS_ZONE_NAMES",
    "SUBNET_DELEGATIONS",
    "DnsCnameRecord",
    "DnsTxtRecord",
    "DnsZone",
    "EndpointType",
    "NetworkSecurityGroup",
    "PrivateDnsZone",
    "PrivateDnsZoneGroup",
    "PrivateEndpoint",
    "PrivateEndpointNetworkPolicies",
    "RoutingMethod",
    "RuleAccess",
    "RuleDirection",
    "RuleProtocol",
    "SecurityRule",
    "ServiceEndpoint",
    "Subnet",
    "TrafficManagerEndpoint",
    "TrafficManagerProfile",
    "VirtualNetwork",
    "VirtualNetworkLink",
    "private_dns_zone_name",
]
