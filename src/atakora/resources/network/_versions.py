"""apiVersions of every Microsoft.Network type the network constructs emit (newest GA in the schemas)."""

from __future__ import annotations

__all__ = ["API_VERSIONS"]

API_VERSIONS: dict[str, str] = {
    "Microsoft.Network/virtualNetworks": "2025-07-01",
    "Microsoft.Network/virtualNetworks/subnets": "2025-07-01",
    "Microsoft.Network/networkSecurityGroups": "2025-07-01",
    "Microsoft.Network/networkSecurityGroups/securityRules": "2025-07-01",
    "Microsoft.Network/privateEndpoints": "2025-07-01",
    "Microsoft.Network/privateEndpoints/privateDnsZoneGroups": "2025-07-01",
    "Microsoft.Network/privateDnsZones": "2024-06-01",
    "Microsoft.Network/privateDnsZones/virtualNetworkLinks": "2024-06-01",
    "Microsoft.Network/dnsZones": "2018-05-01",
    "Microsoft.Network/dnsZones/CNAME": "2018-05-01",
    "Microsoft.Network/dnsZones/TXT": "2018-05-01",
    "Microsoft.Network/trafficManagerProfiles": "2022-04-01",
    "Microsoft.Network/trafficManagerProfiles/azureEndpoints": "2022-04-01",
    "Microsoft.Network/trafficManagerProfiles/externalEndpoints": "2022-04-01",
}
