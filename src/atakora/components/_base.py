"""The base of the built-in components: both ways to create one, and the shared protocol members."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar, Self

from ..backend.component import ComponentDefinition, ResourceMap
from ..backend.requirements import ResourceRequirement
from ..backend.validation import ValidationResult
from ..core.construct import Construct
from ..core.stack import ResourceGroupStack, Stack
from ..errors import ConfigurationError, ConstructError

__all__ = ["Component"]


class Component(Construct):
    """A component: ``Cls.define(id, ...)`` for a backend, or ``Cls(scope, id, ...)`` on its own.

    On its own, a component gets a private backend in the stack above ``scope``: one dedicated set of
    resources (the traditional baseline the backend pattern is compared against).
    """

    component_type: ClassVar[str] = ""
    config: Any

    def _init(self, scope: Construct, id: str, config: Any) -> None:
        super().__init__(scope, id)
        self.config = config
        self._setup()

    def _setup(self) -> None:
        """Give the attributes set by ``initialize`` their empty values (default: none)."""

    def _build_standalone(self, scope: Construct, id: str, config: Any) -> None:
        """The traditional constructor: create the component with its own dedicated resources."""
        from ..backend.backend import Backend
        from ..backend.config import parse_backend_config

        self._init(scope, id, config)
        stack = scope.node.find_ancestor(ResourceGroupStack)
        if stack is None:
            raise ConstructError(f"{self.component_type} must be created inside a ResourceGroupStack",
                                 path=self.node.path, fix="pass the stack (or a construct in it) as scope")
        definition: ComponentDefinition[Any] = ComponentDefinition(
            self.component_id, self.component_type, config, lambda *_: self)
        backend_id = re.sub(r"[^a-z0-9-]+", "-", id.lower()).strip("-") or "component"
        backend: Backend[Any] = Backend({id: definition}, parse_backend_config(None, {
            "backend_id": backend_id, "environment": scope.node.try_get_context("environment") or "dev",
            "location": stack.location}, where=self.node.path))
        backend.add_to_stack(stack, scope_id=f"{id}-resources")

    @classmethod
    def _create(cls, scope: Construct, id: str, config: Any, resources: ResourceMap) -> Self:
        instance = cls.__new__(cls)
        instance._init(scope, id, config)
        return instance

    @classmethod
    def _definition(cls, id: str, config: Any, *, previous_ids: Sequence[str] = (),
                    protect: bool = False) -> ComponentDefinition[Self]:
        return ComponentDefinition(id, cls.component_type, config, _factory(cls),
                                   previous_ids=_previous_ids(id, previous_ids), protect=_protect(id, protect))

    @property
    def component_id(self) -> str:
        """The component's id."""
        return self.node.id

    def value_label(self, member: str) -> str:
        """The readable label of one of this component's values: ``MyStack/UserApi.api_endpoint``."""
        stack = self.node.find_ancestor(Stack)
        return f"{stack.node.path}/{self.component_id}.{member}" if stack is not None else \
            f"{self.component_id}.{member}"

    def get_requirements(self) -> Sequence[ResourceRequirement]:
        """The resources this component needs (each component states its own)."""
        raise NotImplementedError

    def initialize(self, resources: ResourceMap, scope: Construct) -> None:
        """Build the component on the injected shared resources."""
        raise NotImplementedError

    def validate_resources(self, resources: ResourceMap) -> ValidationResult:
        """Check that the injected resources meet the component's needs."""
        raise NotImplementedError

    def get_outputs(self) -> Mapping[str, Any]:
        """Values the component exposes (endpoints, names)."""
        raise NotImplementedError


_FACTORIES: dict[type[Any], Callable[..., Any]] = {}


def _factory(cls: type[Any]) -> Callable[..., Any]:
    """``cls._create``, one bound method per class (not one per definition)."""
    found = _FACTORIES.get(cls)
    if found is None:
        found = _FACTORIES[cls] = cls._create
    return found


def _previous_ids(component_id: str, previous_ids: Any) -> tuple[str, ...]:
    """``previous_ids`` checked: a list of other non-empty ids."""
    if isinstance(previous_ids, str) or not isinstance(previous_ids, (list, tuple)) or not all(
            isinstance(i, str) and i.strip() for i in previous_ids):
        raise ConfigurationError(f"previous_ids must be a list of component ids, not {previous_ids!r}",
                                 field="previous_ids", path=component_id,
                                 fix="pass previous_ids=['OldName'] (the id the component was deployed with)")
    if component_id in previous_ids:
        raise ConfigurationError(f"previous_ids names the component's own id {component_id!r}",
                                 field="previous_ids", path=component_id, fix="list only the ids it had before")
    return tuple(previous_ids)


def _protect(component_id: str, protect: Any) -> bool:
    if not isinstance(protect, bool):
        raise ConfigurationError(f"protect must be True or False, not {protect!r}", field="protect",
                                 path=component_id, fix="pass protect=True to refuse deployments that lose its data")
    return protect
