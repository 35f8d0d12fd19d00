"""Programs of two CRUD APIs, written as files by diff and deploy-guard tests."""

from __future__ import annotations

PROGRAM = '''
from atakora import App, ResourceGroupStack
from atakora.backend import define_backend
from atakora.components import CrudApi

components = {{
{components}
}}
backend = define_backend(components, environment="prod", location="eastus"{backend})
app = App()
stack = ResourceGroupStack(app, "Main", resource_group_name="rg-diff", location="eastus"{stack})
backend.add_to_stack(stack)
app.synth()
'''

USERS = ('    "users": CrudApi.define("UserApi", entity_name="User", schema={{"id": "string", "email": "string"}}, '
         'partition_key="/id"{extra}),')
ORDERS = ('    "orders": CrudApi.define("OrderApi", entity_name="Order", schema={{"id": "string", "total": "number"}}, '
          'partition_key="/id"{extra}),')


def program_text(*components: str, backend: str = "", stack: str = "") -> str:
    """A program of the given component lines (``USERS.format(extra=...)``)."""
    return PROGRAM.format(components="\n".join(components), backend=backend, stack=stack)
