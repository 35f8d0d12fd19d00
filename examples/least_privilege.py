"""Least privilege in one shared Function App: one identity per component, a secret through Key Vault.

Two CRUD APIs and a FunctionsApp share the app; each runs with its own user-assigned identity that
holds roles only on what it asked for (UserApi: contributor on its container, CatalogApi: reader on
its container, Payments: its one secret). STRIPE_KEY's value never appears in a template: the first
``atakora deploy`` creates it from ``ATAKORA_SECRET_STRIPE_KEY`` (or ``--secret STRIPE_KEY=@FILE``),
``atakora secrets set examples/least_privilege.py STRIPE_KEY`` rotates it, and the app reads it as a
Key Vault reference with the Payments identity.
"""

from pathlib import Path

from atakora import App, ResourceGroupStack
from atakora.backend import define_backend
from atakora.components import CrudApi, FunctionsApp

HERE = Path(__file__).parent

backend = define_backend(
    {
        "users": CrudApi.define("UserApi", entity_name="User", schema={"id": "string", "name": "string"}),
        "catalog": CrudApi.define("CatalogApi", entity_name="Item", schema={"id": "string", "title": "string"},
                                  operations=["read", "list"]),
        "payments": FunctionsApp.define("Payments", source_directory=HERE / "payments", secrets=["STRIPE_KEY"],
                                        functions={"charge": {"trigger": "http", "methods": ["POST"]}}),
    },
    environment="prod",
    location="eastus",
    networking="isolated",
)

app = App()
stack = ResourceGroupStack(app, "Shop", resource_group_name="rg-shop-prod", location="eastus")
backend.add_to_stack(stack)
app.synth()
