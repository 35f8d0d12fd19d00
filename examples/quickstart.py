"""Seed 001's quick start: two CRUD APIs sharing one Cosmos account, one Function App, one Storage account."""

from atakora import App, ResourceGroupStack
from atakora.backend import define_backend
from atakora.components import CrudApi

backend = define_backend(
    {
        "user_api": CrudApi.define(
            "UserApi",
            entity_name="User",
            schema={"id": "string", "name": "string", "email": "string"},
            partition_key="/id",
        ),
        "product_api": CrudApi.define(
            "ProductApi",
            entity_name="Product",
            schema={"id": "string", "name": "string", "price": "number", "category": "string"},
            partition_key="/category",
        ),
    },
    environment="prod",
    location="eastus",
)

app = App()
stack = ResourceGroupStack(app, "MyStack", resource_group_name="rg-myapp-prod", location="eastus")
backend.add_to_stack(stack)

user_endpoint = backend.components.user_api.api_endpoint
product_endpoint = backend.components.product_api.api_endpoint

print("User API:", user_endpoint)
print("Product API:", product_endpoint)

# The shared resources, as typed constructs (CosmosDbAccount, FunctionApp)
cosmos_db = backend.get_resource("cosmos", "shared")
functions = backend.get_resource("functions", "shared")

app.synth()
