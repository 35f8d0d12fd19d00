"""Seed 002's best practices in one program: security boundaries, data lifetime, throughput,
caching, least privilege, limits, naming, monitoring, health checks and autoscale.

- ``PublicStack`` / ``PrivateStack``: separate backends for separate trust zones; the private one
  is isolated in ``internal-vnet`` (created by the backend, private endpoints only).
- ``SensitiveStack``: the sensitive-data API in ``secure-vnet``/``backend-subnet``.
- ``ApiStack``: meaningful component ids, partition keys along access patterns, TTL for sessions
  and audit logs, a cached read-heavy catalog, a read-only API next to a full admin API,
  provisioned throughput per environment with autoscale, resource limits, the naming convention
  ``{type}-myapp-{environment}-{suffix}`` (names a type cannot use are adapted, see ``atakora
  plan``), monitoring with alerting, and a health check. App Service probes health every 60
  seconds (the seed's 30 cannot be configured), so the interval is left at its default.
- The backend is validated before it is added to its stack, as the seed's deployment script does.

``DEPLOY_ENV`` picks the environment ('dev', 'staging' or 'production', default 'production').

    python examples/best_practices.py
    atakora synth examples/best_practices.py
"""

import os
import sys

from atakora import App, ResourceGroupStack
from atakora.backend import define_backend
from atakora.components import CrudApi

app = App()
environment = os.environ.get("DEPLOY_ENV") or "production"

# ----- Use separate backends for different security boundaries ---------------------------------
# Public-facing APIs
public_backend = define_backend(
    {"public_api": CrudApi.define("PublicApi", entity_name="Announcement", schema={"id": "string", "text": "string"},
                                  operations=["read", "list"])},
    environment=environment,
    networking="public",
    tags={"security": "public"},
)

# Internal/private APIs
private_backend = define_backend(
    {"internal_api": CrudApi.define("InternalApi", entity_name="Ticket", schema={"id": "string", "title": "string"})},
    environment=environment,
    networking={"mode": "isolated", "vnet_name": "internal-vnet", "private_endpoints": True},
    tags={"security": "private"},
)

# ----- Implement network isolation for sensitive data ------------------------------------------
sensitive_backend = define_backend(
    {"sensitive_data_api": CrudApi.define("SensitiveDataApi", entity_name="Record",
                                          schema={"id": "string", "ssn": "string"})},
    environment=environment,
    networking={"mode": "isolated", "vnet_name": "secure-vnet", "subnet_name": "backend-subnet",
                "private_endpoints": True},
    tags={"dataClassification": "confidential"},
)

# ----- Set appropriate throughput levels: environment-specific ---------------------------------
throughput = {"dev": 400, "staging": 1000, "production": 4000}[environment]


def naming(type: str, backend_id: str, suffix: str | None) -> str:
    """{resource-type}-{app-name}-{environment}-{purpose}: cosmos-myapp-production-shared, ..."""
    parts = [
        type,                # cosmos, func, st
        "myapp",             # Application name
        environment,         # dev, staging, production
        suffix or "shared",  # Purpose/identifier
    ]
    return "-".join(parts).lower()


api_backend = define_backend(
    {
        # Use meaningful component IDs
        "user_management_api": CrudApi.define("UserManagementApi", entity_name="User",
                                              schema={"id": "string", "email": "string"}, partition_key="/id",
                                              enable_serverless=False, throughput=throughput,
                                              health_check={"path": "/health", "timeout": 10,
                                                            "unhealthy_threshold": 3}),
        # Enable caching for read-heavy workloads
        "product_catalog_api": CrudApi.define("ProductCatalogApi", entity_name="Product",
                                              schema={"id": "string", "category": "string", "price": "number"},
                                              partition_key="/category", enable_serverless=False,
                                              cache={"enabled": True, "ttl": 300}),  # 5 minutes
        # User-centric: partition by user
        "order_processing_api": CrudApi.define("OrderProcessingApi", entity_name="Order",
                                               schema={"id": "string", "userId": "string", "total": "number"},
                                               partition_key="/userId", enable_serverless=False),
        # Configure TTL for transient data
        "session_api": CrudApi.define("SessionApi", entity_name="Session", schema={"id": "string", "userId": "string"},
                                      partition_key="/userId", enable_serverless=False,
                                      ttl=86400),  # Auto-delete after 24 hours
        "audit_log_api": CrudApi.define("AuditLogApi", entity_name="AuditLog",
                                        schema={"id": "string", "userId": "string", "action": "string"},
                                        partition_key="/userId", enable_serverless=False,
                                        ttl=7776000),  # Keep audit logs for 90 days
        # Apply least privilege principle
        "read_only_api": CrudApi.define("ReadOnlyApi", entity_name="Data", operations=["read", "list"],
                                        schema={"id": "string", "value": "string"}, partition_key="/id",
                                        enable_serverless=False, container_name="data"),
        "admin_api": CrudApi.define("AdminApi", entity_name="Data",
                                    operations=["create", "read", "update", "delete", "list"],
                                    schema={"id": "string", "value": "string"}, partition_key="/id",
                                    enable_serverless=False, container_name="data", route_prefix="admin/data"),
    },
    environment=environment,
    enforce_https=True,         # Always enable HTTPS only
    use_managed_identity=True,  # Managed identity over connection strings
    naming=naming,
    # Use resource limits to prevent cost overruns
    limits={"max_cosmos_accounts": 1, "max_function_apps": 1, "max_storage_accounts": 2,
            "max_throughput_per_database": 10000},
    # Always enable monitoring in production
    monitoring={
        "enabled": True,
        "retention_days": 90,
        "sampling_percentage": 100 if environment == "production" else 10,
        "alerting": {"enabled": True, "error_threshold": 5, "latency_threshold": 1000},
    },
    # Implement automated scaling
    auto_scale={"enabled": True, "min_throughput": 400, "max_throughput": 10000, "target_utilization": 70},
    tags={"costCenter": "engineering", "budget": "monitored"},
)

# ----- Validate before deploy --------------------------------------------------------------------
validation = api_backend.validate()
if not validation.valid:
    print("Validation errors:", validation.errors, file=sys.stderr)
    sys.exit(1)

if validation.warnings:
    print("Validation warnings:", validation.warnings)

resource_count = api_backend.plan().shared_resource_count
print(f"Creating {resource_count} resources")

if resource_count > 50:
    print("Large number of resources - consider splitting backend")

# Proceed with deployment
for stack_id, group, backend in (("PublicStack", "rg-myapp-public", public_backend),
                                 ("PrivateStack", "rg-myapp-private", private_backend),
                                 ("SensitiveStack", "rg-myapp-sensitive", sensitive_backend),
                                 ("ApiStack", f"rg-myapp-{environment}", api_backend)):
    stack = ResourceGroupStack(app, stack_id, resource_group_name=group, location="eastus")
    backend.add_to_stack(stack)

app.synth()
