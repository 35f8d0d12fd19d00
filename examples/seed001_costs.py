"""Seed 001's cost tables: three CRUD APIs on provisioned Cosmos DB (400 RU/s each) in one backend.

With ``examples/seed001_usage.toml`` ``atakora plan`` reproduces the tables: Cosmos DB about $24 shared
against about $72 traditional (the three containers share one 400 RU/s database), storage $0.18
against $0.54.

    atakora plan examples/seed001_costs.py --usage examples/seed001_usage.toml
"""

from atakora import App, ResourceGroupStack
from atakora.backend import define_backend
from atakora.components import CrudApi

app = App()
stack = ResourceGroupStack(app, "MyStack", resource_group_name="rg-myapp", location="eastus")

backend = define_backend({
    "user_api": CrudApi.define("UserApi", entity_name="User", enable_serverless=False, throughput=400,
                               schema={"id": "string", "name": "string", "email": "string"}),
    "product_api": CrudApi.define("ProductApi", entity_name="Product", enable_serverless=False, throughput=400,
                                  schema={"id": "string", "name": "string", "price": "number"}),
    "order_api": CrudApi.define("OrderApi", entity_name="Order", enable_serverless=False, throughput=400,
                                schema={"id": "string", "userId": "string", "total": "number"}),
})
backend.add_to_stack(stack)

if __name__ == "__main__":
    app.synth()
