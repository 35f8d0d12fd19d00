"""Four CrudApis whose functions do not fit one Function App: the capacity split the diagram shows."""

from atakora import App, ResourceGroupStack
from atakora.backend import define_backend
from atakora.components import CrudApi

backend = define_backend(
    {f"api_{n}": CrudApi.define(f"Api{n}", entity_name=f"Item{n}", schema={"id": "string"}) for n in range(4)},
    environment="test",
    location="westeurope",
    limits={"max_functions_per_app": 14},
)
app = App()
stack = ResourceGroupStack(app, "SplitStack", resource_group_name="rg-split", location="westeurope")
backend.add_to_stack(stack)
app.synth()
