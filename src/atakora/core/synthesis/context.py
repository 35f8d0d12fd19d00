"""How one stack's template renders expressions: resource ids relative to it, and the dependencies noted."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ...errors import ExpressionError, SynthesisError
from ..expressions import Expr, quote, resolve_string
from ..resource import Resource

if TYPE_CHECKING:
    from ..stack import Stack

__all__ = ["StackContext"]


_Remembered = tuple[str, tuple[Resource, ...], tuple[str, ...]]
"""A text rendered once, the dependencies its rendering noted and the context's own effects it had."""


class StackContext:
    """Renders expressions for one stack; collects the dependencies of the resource being rendered.

    Each resource's id and name arguments are rendered once per context: later uses give the same text
    and record again the dependencies (and effects) the first rendering recorded.
    """

    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self.deps: list[Resource] = []
        self.effects: list[str] = []
        """Effects of rendering other than dependencies, in order (a subclass's, replayed by ``_replay``)."""
        self._ids: dict[int, _Remembered] = {}
        self._names: dict[int, _Remembered] = {}
        self._resolved: dict[str, str | Expr] = {}

    def render_resource(self, resource: Resource) -> dict[str, Any]:
        """``resource`` rendered with fresh dependencies; an expression error without a path gets the resource's."""
        self.deps = []
        self.effects = []
        try:
            return resource.render(self)
        except ExpressionError as error:
            if error.path:
                raise
            raise ExpressionError(error.detail, path=resource.node.path, fix=error.fix) from None

    def note_dependency(self, resource: Resource) -> None:
        self.deps.append(resource)

    def resolve_string(self, value: str) -> str | Expr:
        """The tokens of ``value`` turned back into an expression, the same one for the same text."""
        resolved = self._resolved.get(value)
        if resolved is None:
            resolved = self._resolved[value] = resolve_string(value, self.stack.app.tokens, where=self.stack.node.path)
        return resolved

    def resource_id_call(self, resource: Resource) -> str:
        """The ARM call yielding ``resource``'s id from this stack's template; each rendered once."""
        return self._remembered(self._ids, resource, self._render_resource_id_call)

    def name_args(self, resource: Resource) -> str:
        """The arguments of ``resource``'s name segments (``'account', guid(...)``); each rendered once."""
        return self._remembered(self._names, resource, self._render_name_args)

    def _remembered(self, cache: dict[int, _Remembered], resource: Resource, render: Callable[[Resource], str]) -> str:
        """``render(resource)`` the first time; later, its text, with the dependencies and effects it recorded."""
        entry = cache.get(id(resource))
        if entry is None:
            return self._first(cache, resource, render)
        text, deps, effects = entry
        if deps:
            self.deps.extend(deps)
        if effects:
            self._replay(effects)
        return text

    def _first(self, cache: dict[int, _Remembered], resource: Resource, render: Callable[[Resource], str]) -> str:
        """``render(resource)``, remembered in ``cache`` with what rendering it recorded."""
        deps, effects = len(self.deps), len(self.effects)
        text = render(resource)
        cache[id(resource)] = (text, tuple(self.deps[deps:]), tuple(self.effects[effects:]))
        return text

    def _render_name_args(self, resource: Resource) -> str:
        return ", ".join(s.render_inner(self) if isinstance(s, Expr) else quote(s) for s in resource.name_segments)

    def _replay(self, effects: tuple[str, ...]) -> None:
        """Apply again the effects a remembered text recorded the first time."""
        for effect in effects:
            self.replay_effect(effect)

    def replay_effect(self, effect: str) -> None:
        """Apply again one of ``effects`` (subclasses that record effects say how). Default: record it."""
        self.effects.append(effect)

    def _render_resource_id_call(self, resource: Resource) -> str:
        type_arg = quote(resource.resource_type)
        names = self.name_args(resource)
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
