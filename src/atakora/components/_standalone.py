"""The traditional constructor path: a component on its own gets a private backend (its own resources)."""

from __future__ import annotations

from typing import Any

from ..core.construct import Construct
from ..core.stack import ResourceGroupStack
from ..errors import ConstructError

__all__ = ["attach_standalone"]


def attach_standalone(component: Any, scope: Construct, config: Any) -> None:
    """Create ``component``'s own dedicated resources in the stack above ``scope`` (one set per component)."""
    from ..backend.backend import Backend
    from ..backend.component import ComponentDefinition
    from ..backend.config import BackendConfig

    stack = scope.node.find_ancestor(ResourceGroupStack)
    if stack is None:
        raise ConstructError(f"{component.component_type} must be created inside a ResourceGroupStack",
                             path=component.node.path, fix="pass the stack (or a construct in it) as scope")
    environment = scope.node.try_get_context("environment") or "dev"
    backend_id = f"{component.node.id}".lower()
    definition: ComponentDefinition[Any] = ComponentDefinition(
        component.component_id, component.component_type, config, lambda *_: component)
    backend: Backend[Any] = Backend({component.node.id: definition}, BackendConfig(
        backend_id=backend_id, environment=environment, location=stack.location))
    backend.add_to_stack(stack, scope_id=f"{component.node.id}-resources")
