"""Seed 000's usage example: two CRUD APIs and a static admin portal in one isolated backend.

Phase 1 defines the components, phase 2 the backend (monitoring, ``networking='isolated'``,
tags), phase 3 adds it to a stack. The admin portal is built with ``npm run build`` by the deploy
step (atakora packages ``admin/`` and never runs the build); ``output_directory`` names the folder
the build writes, which Azure Static Web Apps then serves.

    python examples/usage.py
    atakora synth examples/usage.py
"""

from pathlib import Path

from atakora import App, ResourceGroupStack
from atakora.backend import define_backend
from atakora.components import CrudApi, StaticSite

HERE = Path(__file__).parent

app = App()

# Phase 1: Define components
user_api = CrudApi.define(
    "UserApi",
    entity_name="User",
    schema={
        "id": "string",
        "name": {"type": "string", "required": True},
        "email": {"type": "string", "required": True},
    },
)

product_api = CrudApi.define(
    "ProductApi",
    entity_name="Product",
    schema={"id": "string", "name": "string", "price": "number"},
)

admin_portal = StaticSite.define(
    "AdminPortal",
    source_directory=HERE / "admin",
    build_command="npm run build",
    output_directory="dist",  # where `npm run build` writes the site (see admin/build.js)
)

# Phase 2: Create backend
backend = define_backend(
    {
        # Components
        "user_api": user_api,
        "product_api": product_api,
        "admin_portal": admin_portal,
    },
    # Configuration
    monitoring={"enabled": True, "retention_days": 90},
    networking="isolated",
    tags={"Team": "Platform"},  # atakora adds environment and managed-by itself
)

# Phase 3: Add to stack
stack = ResourceGroupStack(app, "MyAppStack", resource_group_name="rg-myapp-prod", location="eastus")

backend.add_to_stack(stack)

app.synth()
