"""Seed 003, example 4: a backend built step by step from configuration with the builder API.

``define_backend(environment=..., location=...)`` without components returns a builder; features
switched on in ``config`` add components, then monitoring, networking and tags are configured and
``build()`` gives the backend. ``DEPLOY_ENV`` picks the environment (default 'production').

    python examples/builder.py
    atakora synth examples/builder.py
"""

import os

from atakora import App, ResourceGroupStack
from atakora.backend import define_backend
from atakora.components import CrudApi, FunctionsApp

app = App()

# Load configuration (could be from file, env vars, etc.)
config = {
    "environment": os.environ.get("DEPLOY_ENV") or "production",
    "features": {
        "userManagement": True,
        "productCatalog": True,
        "orderProcessing": True,
        "analytics": True,
    },
    "monitoring": {"enabled": True, "retention_days": 90},
    "networking": {"isolated": True, "vnet_name": "myapp-vnet"},
}

# Start with builder
backend_builder = define_backend(environment=config["environment"], location="eastus")

# Conditionally add components based on config
if config["features"]["userManagement"]:
    backend_builder = backend_builder.add_component(
        CrudApi.define("UserApi", entity_name="User", schema={"id": "string", "name": "string", "email": "string"},
                       partition_key="/id")
    )

if config["features"]["productCatalog"]:
    backend_builder = backend_builder.add_component(
        CrudApi.define("ProductApi", entity_name="Product",
                       schema={"id": "string", "name": "string", "price": "number"}, partition_key="/id")
    )

if config["features"]["orderProcessing"]:
    backend_builder = (
        backend_builder
        .add_component(
            CrudApi.define("OrderApi", entity_name="Order",
                           schema={"id": "string", "userId": "string", "total": "number"}, partition_key="/userId")
        )
        .add_component(
            FunctionsApp.define("OrderProcessor", runtime="node", version="20",
                                functions={"process-order": {"trigger": "queue", "queue_name": "orders"}})
        )
    )

if config["features"]["analytics"]:
    backend_builder = backend_builder.add_component(
        FunctionsApp.define("AnalyticsProcessor", runtime="node", version="20",
                            functions={"aggregate-metrics": {"trigger": "timer", "schedule": "0 0 * * * *"}})  # Hourly
    )

# Configure monitoring
if config["monitoring"]["enabled"]:
    backend_builder = backend_builder.with_monitoring({
        "enabled": True,
        "retention_days": config["monitoring"]["retention_days"],
        "sampling_percentage": 100 if config["environment"] == "production" else 10,
    })

# Configure networking
if config["networking"]["isolated"]:
    backend_builder = backend_builder.with_networking({
        "mode": "isolated",
        "vnet_name": config["networking"]["vnet_name"],
        "subnet_name": "backend-subnet",
        "private_endpoints": True,
    })

# Add tags
backend_builder = backend_builder.with_tags({
    "environment": config["environment"],
    "project": "myapp",
    "managedBy": "atakora",
    "configDriven": "true",
})

# Build the backend
backend = backend_builder.build()

# Create stack and add backend
stack = ResourceGroupStack(app, "ConfigDrivenStack", resource_group_name=f"rg-myapp-{config['environment']}",
                           location="eastus")

backend.add_to_stack(stack)

# Log enabled features
print("\n=== Enabled Features ===")
for feature, enabled in config["features"].items():
    if enabled:
        print(f"  - {feature}")

app.synth()
