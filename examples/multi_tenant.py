"""Seed 003, example 7: one backend serving several tenants, each confined to its own data.

Microsoft Entra ID authenticates every caller in front of the Function App (App Service
Authentication, ``authsettingsV2``; no client secret). The app registration is multi-tenant: each
customer is an Entra directory, and its tenant id (the token's ``tid`` claim) is the partition key
value of its data, so the generated code lets a caller touch only its own partition. Set
``ENTRA_TENANT_ID`` and ``ENTRA_CLIENT_ID`` to your app registration's ids (see the README,
"Authentication with Microsoft Entra ID"); the customers' directories are listed below.
"""

import os

from atakora import App, ResourceGroupStack
from atakora.backend import define_backend
from atakora.components import CrudApi

# The customers' Entra directories (tenant ids): the only tenants whose tokens the API accepts.
TENANTS = {
    "Acme Corp": "6f1c2f0e-8d3a-4c57-9b1e-2a7d5c9e4b10",
    "Globex Inc": "b2e4a7c9-1d3f-4e6a-8c0b-5f7e9a1c3d24",
    "Initech LLC": "d8a1c3e5-7f9b-4d2e-a6c8-0e2f4a6b8c36",
}
TIERS = {"Acme Corp": "enterprise", "Globex Inc": "professional", "Initech LLC": "basic"}
PROVIDER_TENANT = os.environ.get("ENTRA_TENANT_ID", "0d7f3b1a-5c9e-4a2d-8f6b-3e1c7a9d5b40")
API_CLIENT_ID = os.environ.get("ENTRA_CLIENT_ID", "9c4e2a6f-1b8d-4f3a-b7e5-6d2c0a8f4e51")

backend = define_backend(
    {
        # Users of each tenant: partitioned by tenant, managed by the tenant's admins.
        "auth_api": CrudApi.define(
            "AuthApi",
            entity_name="User",
            schema={"id": "string", "tenantId": "string", "email": "string", "role": "string",
                    "permissions": "array"},
            partition_key="/tenantId",
            tenant_claim="tid",
            roles={"create": ["Tenant.Admin"], "update": ["Tenant.Admin"], "delete": ["Tenant.Admin"]},
        ),
        # Tenant data: the token's tenant is the only partition a caller reads or writes.
        "data_api": CrudApi.define(
            "DataApi",
            entity_name="Data",
            schema={"id": "string", "tenantId": "string", "name": "string", "value": "string",
                    "createdAt": "timestamp"},
            partition_key="/tenantId",
            tenant_claim="tid",
            roles={"delete": ["Tenant.Admin"]},
        ),
        # Tenant management: only the provider's operators (app role Platform.Admin) use it.
        "tenant_api": CrudApi.define(
            "TenantApi",
            entity_name="Tenant",
            schema={"id": "string", "name": "string", "tier": "string", "status": "string", "limits": "object",
                    "createdAt": "timestamp"},
            partition_key="/id",
            roles={op: ["Platform.Admin"] for op in ("create", "read", "update", "delete", "list")},
        ),
    },
    environment="prod",
    location="eastus",
    auth={
        "provider": "entra",
        "tenant_id": PROVIDER_TENANT,
        "client_id": API_CLIENT_ID,
        "allowed_tenants": list(TENANTS.values()),
    },
    monitoring={"enabled": True, "retention_days": 90},
    tags={"architecture": "multi-tenant", "isolation": "logical", "tenantCount": str(len(TENANTS))},
)

app = App()
stack = ResourceGroupStack(app, "MultiTenantStack", resource_group_name="rg-saas-prod", location="eastus")
backend.add_to_stack(stack)

# Pre-populate tenant data
print("\n=== Multi-Tenant SaaS Architecture ===")
print(f"Total Tenants: {len(TENANTS)}")

# The tenant of a call is the token's, so the endpoints carry no ?tenantId= (the API rejects unknown
# query parameters): every tenant calls the same URLs.
for name, tenant_id in TENANTS.items():
    print(f"\n{name}:")
    print(f"  ID: {tenant_id}")
    print(f"  Tier: {TIERS[name]}")
    print(f"  Auth Endpoint: {backend.components.auth_api.api_endpoint}")
    print(f"  Data Endpoint: {backend.components.data_api.api_endpoint}")

print("\n=== Data Isolation Strategy ===")
print("Method: Partition Key Isolation")
print("Partition Key: /tenantId")
print("Security: Row-level security via partition key")
print("Performance: Optimized queries within tenant partition")

# Example API usage with tenant isolation
print("\n=== Example API Usage ===")
print(f"""
// All API calls must include tenant context
POST {backend.components.data_api.api_endpoint}
Headers:
  Authorization: Bearer <token for api://{API_CLIENT_ID}>
Body:
  {{
    "name": "document",
    "value": "content",
    "tenantId": "<the caller's tenant id>"  // Must match the token's tenant
  }}

// Backend validates tenant isolation
// - The token's tenant (tid) must be one of the allowed tenants
// - Request body tenantId must match the token's tenant
// - Queries only access the caller's tenant partition
""")

app.synth()
