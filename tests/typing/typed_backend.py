"""Checked by mypy and pyright (tests/backend/test_backend_typing.py): components keep their types."""

from __future__ import annotations

from atakora import App, ResourceGroupStack
from atakora.backend import Backend, ComponentDefinition, Components, define_backend
from atakora.components import CrudApi, FunctionsApp


class Shop(Components):
    user_api = CrudApi.define(
        "UserApi",
        entity_name="User",
        schema={"id": "string", "name": {"type": "string", "required": True}, "email": "string"},
    )
    product_api = CrudApi.define(
        "ProductApi",
        entity_name="Product",
        schema={"id": "string", "name": "string", "category": "string"},
        partition_key="/category",
    )
    jobs = FunctionsApp.define("Jobs")


backend: Backend[Shop] = define_backend(Shop, environment="prod")

app = App()
stack = ResourceGroupStack(app, "ShopStack", resource_group_name="rg-shop-prod", location="eastus")
backend.add_to_stack(stack)

components: Shop = backend.components
api: CrudApi = backend.components.user_api
products: CrudApi = components.product_api
jobs: FunctionsApp = backend.components.jobs
endpoint: str = backend.components.user_api.api_endpoint
entity: str = backend.components.product_api.config.entity_name
definition: ComponentDefinition[CrudApi] = Shop.user_api
component_id: str = Shop.user_api.component_id
