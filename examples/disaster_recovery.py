"""Seed 003, example 8: disaster recovery with a geo-replicated Cosmos DB account and a standby backend.

The primary backend (eastus) owns a provisioned Cosmos DB account replicated to westus2 with
automatic failover. The DR backend (westus2) creates no account: it uses the primary's
(``use_existing``), deploys its data-plane role assignments into it, and reads from westus2 first.
"""

from atakora import App, ResourceGroupStack
from atakora.backend import define_backend
from atakora.components import CrudApi

PRIMARY_REGION = "eastus"
DR_REGION = "westus2"


def components() -> dict:
    """The same APIs in both regions (provisioned throughput: a serverless account has one region)."""
    return {
        "user_api": CrudApi.define(
            "UserApi",
            entity_name="User",
            schema={"id": "string", "email": "string", "name": "string", "lastModified": "timestamp"},
            partition_key="/id",
            enable_serverless=False,
            health_check={"path": "/health"},
        ),
        "transaction_api": CrudApi.define(
            "TransactionApi",
            entity_name="Transaction",
            schema={"id": "string", "userId": "string", "amount": "number", "timestamp": "timestamp"},
            partition_key="/userId",
            enable_serverless=False,
        ),
    }


app = App()

# PRIMARY DEPLOYMENT
primary_backend = define_backend(
    components(),
    environment="production",
    location=PRIMARY_REGION,
    auto_scale=True,  # autoscale throughput on the provisioned account
    # Geo-replication for Cosmos DB
    cosmos_config={
        "failover_policies": [
            {"location_name": PRIMARY_REGION, "priority": 0},
            {"location_name": DR_REGION, "priority": 1},
        ],
        "consistency_level": "Session",  # balance between consistency and availability
        "enable_automatic_failover": True,
    },
    monitoring={"enabled": True, "retention_days": 180, "workspace_name": "dr-workspace-primary"},
    tags={"role": "primary", "dr": "enabled", "rto": "1-hour", "rpo": "15-minutes"},
)
primary_stack = ResourceGroupStack(app, "PrimaryStack", resource_group_name="rg-app-primary", location=PRIMARY_REGION)
primary_backend.add_to_stack(primary_stack)
primary_account = primary_backend.get_resource("cosmos")

# DR DEPLOYMENT (standby): points at the replicated account of the primary.
dr_backend = define_backend(
    components(),
    environment="production-dr",
    location=DR_REGION,
    cosmos_config={
        "use_existing": True,
        "account_name": primary_account.resource_name,
        "resource_group_name": "rg-app-primary",
        "read_location": DR_REGION,  # read from the DR region
    },
    monitoring={"enabled": True, "retention_days": 180, "workspace_name": "dr-workspace-secondary"},
    tags={"role": "dr", "dr": "enabled", "status": "standby"},
)
dr_stack = ResourceGroupStack(app, "DRStack", resource_group_name="rg-app-dr", location=DR_REGION)
dr_backend.add_to_stack(dr_stack)

print("\n=== Disaster Recovery Setup ===")
print(f"Primary Region: {PRIMARY_REGION}")
print(f"DR Region: {DR_REGION}")
print("\nPrimary Endpoints:")
print(f"  User API: {primary_backend.components.user_api.api_endpoint}")
print(f"  Transaction API: {primary_backend.components.transaction_api.api_endpoint}")
print("\nDR Endpoints (Standby):")
print(f"  User API: {dr_backend.components.user_api.api_endpoint}")
print(f"  Transaction API: {dr_backend.components.transaction_api.api_endpoint}")

print("\n=== Failover Procedure ===")
print("1. Detect primary region failure")
print(f"2. Cosmos DB auto-fails over to {DR_REGION}")
print("3. Update Traffic Manager to route to DR")
print("4. DR backend becomes active")
print("5. RPO: <15 minutes (geo-replication lag)")
print("6. RTO: <1 hour (failover + DNS propagation)")

print("\n=== Testing DR ===")
print("1. Scheduled DR drill: monthly")
print("2. Synthetic monitoring of DR endpoints")
print("3. Automated failover testing")
print("4. Data consistency validation")

app.synth()
