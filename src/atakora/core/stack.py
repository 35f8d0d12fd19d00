"""Stacks: one ARM deployment each, at resource-group or subscription scope."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Literal, cast

from ..arguments import validated
from ..errors import ConfigurationError, ConstructError
from .construct import Construct, TreeRoot
from .expressions import Expr, parameter, variable
from .naming import validate_name
from .regions import region_problem
from .tags import tag_problem

if TYPE_CHECKING:
    from .app import App

__all__ = ["Output", "Parameter", "ResourceGroupFactory", "ResourceGroupStack", "Stack", "SubscriptionStack",
           "Variable", "register_resource_group_factory"]

ParameterType = Literal["string", "securestring", "int", "bool", "object", "secureObject", "array"]
TargetScope = Literal["resourceGroup", "subscription"]


class Stack(Construct):
    """A unit of deployment: its resources become one ARM template."""

    TARGET_SCOPE: ClassVar[TargetScope] = "resourceGroup"

    @validated
    def __init__(self, scope: Construct, id: str, *, location: str, tags: Mapping[str, str] | None = None,
                 subscription_id: str | None = None) -> None:
        super().__init__(scope, id)
        problem = region_problem(location) if location else "a stack needs a location"
        if problem:
            raise ConfigurationError(problem, field="location", path=self.node.path,
                                     fix="pass location='eastus' (or another Azure region)")
        tags_problem = tag_problem(tags or {})
        if tags_problem:
            raise ConfigurationError(tags_problem, field="tags", path=self.node.path,
                                     fix="give each tag a distinct name (case-insensitive) without a reserved prefix")
        root = self.node.root
        if not isinstance(root, TreeRoot):
            raise ConstructError("a stack must be created under an App", path=self.node.path,
                                 fix="create the stack with an App (or a SubscriptionStack) as its scope")
        self.app: App = cast("App", root)
        self.location = location
        self.tags: dict[str, str] = dict(tags or {})
        self.subscription_id = subscription_id
        self.stack_dependencies: list[Stack] = []
        self.parameters: dict[str, Parameter] = {}
        self.variables: dict[str, Variable] = {}
        self.outputs: dict[str, Output] = {}

    @property
    def stack_name(self) -> str:
        """The stack's id, used for its template file and deployment name."""
        return self.node.id

    @property
    def artifact_id(self) -> str:
        """The id of this stack in the manifest (its path with '/' replaced by '-')."""
        return self.node.path.replace("/", "-")

    def add_dependency(self, other: Stack) -> None:
        """Deploy this stack after ``other``."""
        if other is not self and other not in self.stack_dependencies:
            self.stack_dependencies.append(other)

    def add_parameter(self, id: str, *, type: ParameterType = "string", default: Any = None,
                      allowed_values: Sequence[Any] | None = None, description: str | None = None,
                      metadata: Mapping[str, Any] | None = None) -> Parameter:
        """Declare a template parameter; returns it (its ``.value`` is the expression).

        ``metadata`` (default none) is written to the parameter's ``metadata`` next to the description.
        """
        return Parameter(self, id, type=type, default=default, allowed_values=allowed_values,
                         description=description, metadata=metadata)

    def add_output(self, id: str, value: Any, *, type: ParameterType = "string") -> Output:
        """Declare a template output."""
        return Output(self, id, value=value, type=type)


class ResourceGroupStack(Stack):
    """A template deployed to one resource group.

    Under a ``SubscriptionStack`` the resource group is created by that stack first.
    """

    TARGET_SCOPE: ClassVar[TargetScope] = "resourceGroup"

    @validated
    def __init__(self, scope: Construct, id: str, *, resource_group_name: str, location: str,
                 tags: Mapping[str, str] | None = None, subscription_id: str | None = None) -> None:
        problem = validate_name("Microsoft.Resources/resourceGroups", resource_group_name or "")
        if problem:
            raise ConfigurationError(problem, field="resource_group_name", path=id,
                                     fix="use 1-90 letters, digits, '-', '_', '.', '(' or ')'")
        parent_sub = scope if isinstance(scope, SubscriptionStack) else None
        if parent_sub is not None and subscription_id is None:
            subscription_id = parent_sub.subscription_id
        super().__init__(scope, id, location=location, tags=tags, subscription_id=subscription_id)
        self.resource_group_name = resource_group_name
        if parent_sub is not None:
            if _resource_group_factory is None:
                raise ConstructError("no resource group type is registered", path=self.node.path,
                                     fix="import atakora (its resources package registers ResourceGroup)")
            self.resource_group: Construct = _resource_group_factory(
                parent_sub, f"{id}ResourceGroup", resource_group_name, location, self.tags)
            self.add_dependency(parent_sub)


ResourceGroupFactory = Callable[["SubscriptionStack", str, str, str, Mapping[str, str]], Construct]
"""Creates the resource group of a ``ResourceGroupStack`` in its subscription stack: (scope, id, name,
location, tags). The resources layer registers it, so core never imports resources."""

_resource_group_factory: ResourceGroupFactory | None = None


def register_resource_group_factory(factory: ResourceGroupFactory) -> None:
    """Set how a ``ResourceGroupStack`` under a ``SubscriptionStack`` creates its resource group."""
    global _resource_group_factory
    _resource_group_factory = factory


class SubscriptionStack(Stack):
    """A subscription-scope template: resource groups, subscription role assignments.

    Resource-group stacks created with this stack as scope get their resource group from it.
    """

    TARGET_SCOPE: ClassVar[TargetScope] = "subscription"


class Parameter(Construct):
    """A template parameter; ``value`` is the ``parameters('id')`` expression."""

    def __init__(self, stack: Stack, id: str, *, type: ParameterType = "string", default: Any = None,
                 allowed_values: Sequence[Any] | None = None, description: str | None = None,
                 metadata: Mapping[str, Any] | None = None) -> None:
        super().__init__(stack, id)
        self.type = type
        self.default = default
        self.allowed_values = list(allowed_values) if allowed_values is not None else None
        self.description = description
        self.metadata: dict[str, Any] = dict(metadata or {})
        stack.parameters[id] = self

    @property
    def value(self) -> Expr:
        """The parameter's value as an expression."""
        return parameter(self.node.id)


class Variable(Construct):
    """A template variable; ``value`` is the ``variables('id')`` expression."""

    def __init__(self, stack: Stack, id: str, *, value: Any) -> None:
        super().__init__(stack, id)
        self.definition = value
        stack.variables[id] = self

    @property
    def value(self) -> Expr:
        """The variable's value as an expression."""
        return variable(self.node.id)


class Output(Construct):
    """A template output."""

    def __init__(self, stack: Stack, id: str, *, value: Any, type: ParameterType = "string") -> None:
        super().__init__(stack, id)
        self.value = value
        self.type = type
        stack.outputs[id] = self
