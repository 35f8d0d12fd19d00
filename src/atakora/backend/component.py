"""The component protocol (seed 000 §2) and component definitions."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar, overload, runtime_checkable

from ..arguments import validated
from ..core.construct import Construct
from .requirements import ResourceRequirement
from .validation import ValidationResult

__all__ = ["BackendComponent", "ComponentDefinition", "ComponentFactory", "ResourceMap", "is_backend_component"]

ResourceMap = Mapping[str, Any]
"""Injected resources, keyed ``"type:key"`` as the component asked for them."""

C_co = TypeVar("C_co", bound="BackendComponent", covariant=True)


@runtime_checkable
class BackendComponent(Protocol):
    """What a backend needs from a component."""

    @property
    def component_id(self) -> str:
        """Unique id of this component instance."""
        ...

    @property
    def component_type(self) -> str:
        """The component's kind, for example 'CrudApi'."""
        ...

    @property
    def config(self) -> Any:
        """The configuration given at definition."""
        ...

    def get_requirements(self) -> Sequence[ResourceRequirement]:
        """The resources this component needs."""
        ...

    def initialize(self, resources: ResourceMap, scope: Construct) -> None:
        """Build the component's own resources on the injected shared ones."""
        ...

    def validate_resources(self, resources: ResourceMap) -> ValidationResult:
        """Check that the injected resources meet the component's needs."""
        ...

    def get_outputs(self) -> Mapping[str, Any]:
        """Values the component exposes (endpoints, names)."""
        ...


COMPONENT_MEMBERS = ("component_id", "component_type", "config", "get_requirements", "initialize",
                     "validate_resources", "get_outputs")
"""The members of :class:`BackendComponent`."""

_COMPONENT_METHODS = frozenset({"get_requirements", "initialize", "validate_resources", "get_outputs"})
_conforming_classes: set[type] = set()


def is_backend_component(value: object) -> bool:
    """``isinstance(value, BackendComponent)``, the runtime protocol check done directly: each member is
    there, and no method is None. (Python 3.11's check collects the protocol's members again on every
    call.) Remembered per class when the class itself has every member."""
    cls = type(value)
    if cls in _conforming_classes:
        return True
    for member in COMPONENT_MEMBERS:
        if not hasattr(value, member) or (member in _COMPONENT_METHODS and getattr(value, member) is None):
            return False
    if all(getattr(cls, member, None) is not None for member in COMPONENT_MEMBERS):
        _conforming_classes.add(cls)
    return True


ComponentFactory = Callable[[Construct, str, Any, ResourceMap], C_co]
"""Creates the component instance: ``(scope, id, config, resources) -> component``."""


@dataclass(frozen=True)
class ComponentDefinition(Generic[C_co]):
    """A component before it exists: id, type, config and the factory that creates it.

    Declared as a class attribute of a ``Components`` class, it reads as the component instance:
    ``backend.components.user_api`` is typed as the factory's component type.
    """

    component_id: str
    component_type: str
    config: Any
    factory: Callable[[Construct, str, Any, ResourceMap], C_co]
    previous_ids: tuple[str, ...] = ()
    """Ids the component had before (newest first): it keeps the first one's identity in Azure."""
    protect: bool = False
    """Refuse any deployment that would lose this component's data, even with ``--allow-data-loss``."""

    @property
    def deployed_id(self) -> str:
        """The id its resources, tags and app settings carry: the first previous id, else its own."""
        return self.previous_ids[0] if self.previous_ids else self.component_id

    @overload
    def __get__(self, instance: None, owner: type) -> ComponentDefinition[C_co]: ...

    @overload
    def __get__(self, instance: object, owner: type) -> C_co: ...

    def __get__(self, instance: object | None, owner: type) -> ComponentDefinition[C_co] | C_co:
        if instance is None:
            return self
        lookup: Callable[[ComponentDefinition[Any]], C_co] = getattr(instance, "_instance_of")  # noqa: B009
        return lookup(self)


# Definitions built directly (custom components) check their fields like every entry point.
setattr(ComponentDefinition, "__init__", validated(ComponentDefinition.__init__))  # noqa: B010
