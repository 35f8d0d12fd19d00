"""Small builders shared by the network and Cosmos region tests."""

from __future__ import annotations

from typing import Any

from atakora import App, ResourceGroupStack
from atakora.backend import Backend, define_backend
from atakora.components import CrudApi
from atakora.testing import Template


def user_api(**options: Any) -> Any:
    """A CrudApi definition for users (options go to CrudApi.define)."""
    return CrudApi.define("UserApi", entity_name="User", schema={"id": "string", "name": "string"}, **options)


def order_api(**options: Any) -> Any:
    """A second CrudApi definition, for orders."""
    return CrudApi.define("OrderApi", entity_name="Order", schema={"id": "string", "total": "number"}, **options)


def stack(app: App | None = None, *, name: str = "Stack", group: str = "rg-test",
          location: str = "eastus") -> ResourceGroupStack:
    """A resource-group stack in a fresh App (or ``app``)."""
    return ResourceGroupStack(app or App(outdir="unused.out"), name, resource_group_name=group, location=location)


def synth(components: dict[str, Any], target: ResourceGroupStack | None = None,
          **config: Any) -> tuple[Backend[Any], Template]:
    """Define a backend, add it to ``target`` (default: a new stack) and render the stack's template."""
    target = target or stack()
    backend = define_backend(components, **config)
    backend.add_to_stack(target)
    return backend, Template.from_stack(target)
