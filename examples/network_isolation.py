"""Seed 003, example 3: a backend with full network isolation in the user's own virtual network.

The stack holds the user's VNet (an integration subnet for the Function App and a subnet for private
endpoints) and an NSG that allows HTTPS inside the VNet only. The backend joins that network by
name: Cosmos DB and Storage get private endpoints (with private DNS) and no public access, the
Function App integrates with the VNet (all outbound through it) and is reachable only through its
own private endpoint.
"""

from atakora import App, ResourceGroupStack
from atakora.backend import define_backend
from atakora.components import CrudApi
from atakora.resources.network import NetworkSecurityGroup, VirtualNetwork

app = App()
stack = ResourceGroupStack(app, "SecureStack", resource_group_name="rg-secure-prod", location="eastus")

# The network: an NSG with strict rules, a VNet, the backend subnet and the private endpoint subnet.
nsg = NetworkSecurityGroup(stack, "BackendNsg", name="nsg-backend-prod")
nsg.add_rule("AllowInternal", name="allow-internal", priority=100, direction="Inbound", access="Allow",
             protocol="Tcp", destination_port_range="443", source_address_prefix="VirtualNetwork",
             destination_address_prefix="VirtualNetwork")
nsg.add_rule("DenyInternet", name="deny-internet", priority=200, direction="Inbound", access="Deny",
             protocol="*", source_address_prefix="Internet")

vnet = VirtualNetwork(stack, "Vnet", name="vnet-secure-prod", address_space=["10.0.0.0/16"])
backend_subnet = vnet.add_subnet(
    "BackendSubnet", name="backend-subnet", address_prefix="10.0.1.0/24",
    service_endpoints=["Microsoft.AzureCosmosDB", "Microsoft.Storage", "Microsoft.Web"],
    # The backend's Function App runs on Flex Consumption, which integrates through this delegation
    # (Elastic Premium and dedicated plans use 'Microsoft.Web/serverFarms').
    delegations=["Microsoft.App/environments"],
    network_security_group=nsg)
private_endpoint_subnet = vnet.add_subnet(
    "PrivateEndpointSubnet", name="private-endpoint-subnet", address_prefix="10.0.2.0/24",
    private_endpoint_network_policies="Disabled", network_security_group=nsg)

backend = define_backend(
    {
        "user_api": CrudApi.define(
            "UserApi",
            entity_name="User",
            schema={"id": "string", "email": "string", "name": "string", "sensitiveData": "string"},
            partition_key="/id",
            health_check={"path": "/health"},
        ),
        "audit_api": CrudApi.define(
            "AuditApi",
            entity_name="AuditLog",
            schema={"id": "string", "action": "string", "userId": "string", "timestamp": "timestamp",
                    "ipAddress": "string"},
            partition_key="/userId",
        ),
    },
    environment="production",
    location="eastus",
    # Full network isolation in the VNet above.
    networking={
        "mode": "isolated",
        "vnet_name": vnet.name,
        "subnet_name": backend_subnet.name,
        "private_endpoint_subnet_name": private_endpoint_subnet.name,
        "private_endpoints": True,
        "service_tags": ["AzureCosmosDB", "Storage", "AzureFunctions"],
    },
    # Monitoring still works with network isolation; longer retention for audit logs.
    monitoring={"enabled": True, "retention_days": 180},
    tags={"security": "high", "compliance": "pci-dss", "dataClassification": "confidential",
          "networkIsolation": "full"},
)

backend.add_to_stack(stack)

# Cosmos DB: public network access Disabled, a private endpoint in private-endpoint-subnet.
# Function App: VNet integration into backend-subnet, outbound through the VNet, inbound only
# through its private endpoint. Storage: the same as Cosmos DB for blob, queue and table.
print("\n=== Secure Network Configuration ===")
print("VNet:", vnet.name)
print("Backend Subnet:", backend_subnet.name)
print("Private Endpoint Subnet:", private_endpoint_subnet.name)
print("Network Security Group:", nsg.name)
print("\nAll resources isolated from public internet")

app.synth()
