"""Seed 001's comparison: three CRUD APIs built traditionally, then the same three in one backend.

``TraditionalStack`` holds what the traditional constructors create: one Cosmos DB account, one
Function App and one Storage account per API (9 resources, plus each app's plan and monitoring).
``MyStack`` holds the backend pattern: the same APIs share 1 Cosmos DB account, 1 Function App and
1 Storage account (3 resources, a 67% reduction); each API keeps its own database, container,
least-privilege data-plane role and settings.

    python examples/traditional_comparison.py
    atakora synth examples/traditional_comparison.py
"""

from atakora import App, ResourceGroupStack
from atakora.backend import define_backend
from atakora.components import CrudApi

app = App()

# Traditional approach - 3 separate CrudApi components
traditional = ResourceGroupStack(app, "TraditionalStack", resource_group_name="rg-myapp-traditional",
                                 location="eastus")

user_api = CrudApi(traditional, "UserApi", entity_name="User",
                   schema={"id": "string", "name": "string", "email": "string"})

product_api = CrudApi(traditional, "ProductApi", entity_name="Product",
                      schema={"id": "string", "name": "string", "price": "number"})

order_api = CrudApi(traditional, "OrderApi", entity_name="Order",
                    schema={"id": "string", "userId": "string", "total": "number"})

# Backend pattern: intelligent resource sharing
backend = define_backend({
    "user_api": CrudApi.define("UserApi", entity_name="User",
                               schema={"id": "string", "name": "string", "email": "string"}),

    "product_api": CrudApi.define("ProductApi", entity_name="Product",
                                  schema={"id": "string", "name": "string", "price": "number"}),

    "order_api": CrudApi.define("OrderApi", entity_name="Order",
                                schema={"id": "string", "userId": "string", "total": "number"}),
})

# Add to your stack
stack = ResourceGroupStack(app, "MyStack", resource_group_name="rg-myapp-prod", location="eastus")

backend.add_to_stack(stack)

app.synth()
