"""How one stack's template renders expressions: resource ids relative to it, and the dependencies noted."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...errors import ExpressionError, SynthesisError
from ..expressions import Expr, quote, resolve_string
from ..resource import Resource

if TYPE_CHECKING:
    from ..stack import Stack

__all__ = ["StackContext"]


def _name_args(resource: Resource, ctx: StackContext) -> str:
    return ", ".join(s.render_inner(ctx) if isinstance(s, Expr) else quote(s) for s in resource.name_segments)


class StackContext:
    """Renders expressions for one stack; collects the dependencies of the resource being rendered."""

    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self.deps: list[Resource] = []
        self._ids: dict[int, str] = {}
        """``resource_id_call`` texts already rendered (those whose rendering noted no dependency)."""

    def render_resource(self, resource: Resource) -> dict[str, Any]:
        """``resource`` rendered with fresh dependencies; an expression error without a path gets the resource's."""
        self.deps = []
        try:
            return resource.render(self)
        except ExpressionError as error:
            if error.path:
                raise
            raise ExpressionError(error.detail, path=resource.node.path, fix=error.fix) from None

    def note_dependency(self, resource: Resource) -> None:
        self.deps.append(resource)

    def resolve_string(self, value: str) -> str | Expr:
        return resolve_string(value, self.stack.app.tokens, where=self.stack.node.path)

    def resource_id_call(self, resource: Resource) -> str:
        """The ARM call yielding ``resource``'s id from this stack's template; each rendered once."""
        text = self._ids.get(id(resource))
        if text is None:
            noted = len(self.deps)
            text = self._render_resource_id_call(resource)
            if len(self.deps) == noted:  # nothing recorded: the same text, without side effects, every time
                self._ids[id(resource)] = text
        return text

    def _render_resource_id_call(self, resource: Resource) -> str:
        type_arg = quote(resource.resource_type)
        names = _name_args(resource, self)
        if resource.extension_scope is not None:
            return f"extensionResourceId({self.resource_id_call(resource.extension_scope)}, {type_arg}, {names})"
        if resource.TARGET_SCOPE == "subscription":
            sub = resource.stack.subscription_id
            prefix = f"{quote(sub)}, " if sub and sub != self.stack.subscription_id else ""
            return f"subscriptionResourceId({prefix}{type_arg}, {names})"
        other = resource.stack
        here_rg = getattr(self.stack, "resource_group_name", None)
        other_rg: str | None = getattr(other, "resource_group_name", None)
        if other_rg is None:
            raise SynthesisError(f"{resource.resource_type} has no resource group", path=resource.node.path)
        same_sub = other.subscription_id == self.stack.subscription_id
        if other_rg == here_rg and same_sub:
            return f"resourceId({type_arg}, {names})"
        sub = "" if same_sub or other.subscription_id is None else f"{quote(other.subscription_id)}, "
        return f"resourceId({sub}{quote(other_rg)}, {type_arg}, {names})"
