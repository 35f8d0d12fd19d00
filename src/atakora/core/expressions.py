"""Typed ARM template expressions.

An ``Expr`` renders to an ARM expression string ``"[...]"`` when a template is written. Using an
attribute of a resource (its id, name, an endpoint) yields an expression that also records the
resource, so the template gains a ``dependsOn`` entry, or the manifest a stack dependency.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol, Union

from ..errors import ExpressionError
from .tokens import TokenRegistry, split_tokens, token_of

if TYPE_CHECKING:
    from .resource import Resource

__all__ = [
    "Expr",
    "ExprArg",
    "KnownExpr",
    "NamedExpr",
    "RenderContext",
    "concat",
    "environment",
    "format_",
    "guid",
    "list_keys",
    "named",
    "not_empty",
    "parameter",
    "quote",
    "reference",
    "resolve_string",
    "resource_group",
    "resource_id",
    "subscription",
    "subscription_resource_id",
    "to_lower",
    "unique_string",
    "variable",
]

ExprArg = Union["Expr", str, int, bool]


class RenderContext(Protocol):
    """What an expression needs from the template being rendered."""

    def resource_id_call(self, resource: Resource) -> str:
        """The ARM call (without brackets) that yields ``resource``'s id from this template."""
        ...

    def note_dependency(self, resource: Resource) -> None:
        """Record that the value being rendered depends on ``resource``."""
        ...

    def resolve_string(self, value: str) -> str | Expr:
        """``value`` with its printable tokens (``${...}``) turned back into expressions."""
        ...


def quote(value: str) -> str:
    """An ARM string literal: ``'it''s'``."""
    return "'" + value.replace("'", "''") + "'"


def _arg(value: ExprArg, ctx: RenderContext) -> str:
    if isinstance(value, Expr):
        return value.render_inner(ctx)
    if isinstance(value, bool):
        return "true()" if value else "false()"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        if "${" in value:
            resolved = ctx.resolve_string(value)
            if isinstance(resolved, Expr):
                return resolved.render_inner(ctx)
        return quote(value)
    raise ExpressionError(f"cannot use {type(value).__name__} {value!r} as an ARM expression argument")


class Expr:
    """An ARM template expression. Pass it as a property value; it renders as ``"[...]"``."""

    __slots__ = ()

    def render_inner(self, ctx: RenderContext) -> str:
        """The expression text without the surrounding brackets."""
        raise NotImplementedError

    def render(self, ctx: RenderContext) -> str:
        """The expression as a template string value: ``"[...]"``."""
        return "[" + self.render_inner(ctx) + "]"

    def resources(self) -> Iterator[Resource]:
        """Resources this expression refers to."""
        return iter(())

    def get(self, member: str) -> Expr:
        """Member access: ``expr.get('primaryEndpoints')`` renders ``expr.primaryEndpoints``."""
        return _Member(self, member)

    def __getitem__(self, key: str | int) -> Expr:
        return _Member(self, key)

    def token_label(self) -> str | None:
        """The readable part of this expression's token (``Stack/Construct.member``), or None."""
        return None

    def __str__(self) -> str:
        """A printable token (``${MyStack/UserApi.api_endpoint}``) that templates turn back into this expression."""
        return token_of(self)

    def __format__(self, spec: str) -> str:
        return format(self.__str__(), spec)

    def __repr__(self) -> str:
        try:
            text = self.render(_PreviewContext())
        except Exception:  # noqa: BLE001 - a repr must not fail
            text = "..."
        return f"<ARM expression {text}>"

    def __bool__(self) -> bool:
        raise ExpressionError(
            "an ARM expression has no truth value until deployment",
            fix="use ARM's if() through an expression, or decide with plain Python values",
        )


class _Call(Expr):
    __slots__ = ("args", "name")

    def __init__(self, name: str, args: Sequence[ExprArg]) -> None:
        self.name = name
        self.args = tuple(args)

    def render_inner(self, ctx: RenderContext) -> str:
        args = [quote(a) if type(a) is str and "${" not in a else _arg(a, ctx) for a in self.args]
        return self.name + "(" + ", ".join(args) + ")"

    def resources(self) -> Iterator[Resource]:
        for a in self.args:
            if isinstance(a, Expr):
                yield from a.resources()


class _Member(Expr):
    __slots__ = ("base", "key")

    def __init__(self, base: Expr, key: str | int) -> None:
        self.base = base
        self.key = key

    def render_inner(self, ctx: RenderContext) -> str:
        inner = self.base.render_inner(ctx)
        if isinstance(self.key, int):
            return f"{inner}[{self.key}]"
        if self.key.isidentifier():
            return f"{inner}.{self.key}"
        return f"{inner}[{quote(self.key)}]"

    def resources(self) -> Iterator[Resource]:
        return self.base.resources()

    def token_label(self) -> str | None:
        base = self.base.token_label()
        if base is None:
            return None
        return f"{base}[{self.key}]" if isinstance(self.key, int) else f"{base}.{self.key}"


class ResourceIdExpr(Expr):
    """The id of a resource of this assembly; rendered relative to the template that uses it."""

    __slots__ = ("resource",)

    def __init__(self, resource: Resource) -> None:
        self.resource = resource

    def render_inner(self, ctx: RenderContext) -> str:
        ctx.note_dependency(self.resource)
        return ctx.resource_id_call(self.resource)

    def resources(self) -> Iterator[Resource]:
        yield self.resource

    def token_label(self) -> str | None:
        return f"{self.resource.node.path}.id"


class ResourceNameExpr(Expr):
    """The name of a resource of this assembly (the last name segment); depends on the resource."""

    __slots__ = ("resource",)

    def __init__(self, resource: Resource) -> None:
        self.resource = resource

    def render_inner(self, ctx: RenderContext) -> str:
        ctx.note_dependency(self.resource)
        return _arg(self.resource.name_segments[-1], ctx)

    def resources(self) -> Iterator[Resource]:
        yield self.resource

    def token_label(self) -> str | None:
        return f"{self.resource.node.path}.name"

    def __str__(self) -> str:
        """The name itself when it is known at synthesis, else a token."""
        name = self.resource.name_segments[-1]
        return name if isinstance(name, str) else super().__str__()


class ReferenceExpr(Expr):
    """``reference(resourceId(...), apiVersion[, 'Full'])`` of a resource of this assembly."""

    __slots__ = ("full", "resource")

    def __init__(self, resource: Resource, full: bool = False) -> None:
        self.resource = resource
        self.full = full

    def render_inner(self, ctx: RenderContext) -> str:
        ctx.note_dependency(self.resource)
        rid = ctx.resource_id_call(self.resource)
        suffix = ", 'Full'" if self.full else ""
        return f"reference({rid}, {quote(self.resource.api_version)}{suffix})"

    def resources(self) -> Iterator[Resource]:
        yield self.resource

    def token_label(self) -> str | None:
        return f"{self.resource.node.path}.{'resource' if self.full else 'properties'}"


class _ListKeys(Expr):
    __slots__ = ("resource",)

    def __init__(self, resource: Resource) -> None:
        self.resource = resource

    def render_inner(self, ctx: RenderContext) -> str:
        ctx.note_dependency(self.resource)
        return f"listKeys({ctx.resource_id_call(self.resource)}, {quote(self.resource.api_version)})"

    def resources(self) -> Iterator[Resource]:
        yield self.resource


class RawExpr(Expr):
    """An expression given as ARM text (without brackets); ``resources`` adds dependencies."""

    __slots__ = ("refs", "text")

    def __init__(self, text: str, resources: Sequence[Resource] = ()) -> None:
        if text.startswith("[") and text.endswith("]"):
            text = text[1:-1]
        self.text = text
        self.refs = tuple(resources)

    def render_inner(self, ctx: RenderContext) -> str:
        for r in self.refs:
            ctx.note_dependency(r)
        return self.text

    def resources(self) -> Iterator[Resource]:
        return iter(self.refs)


class NamedExpr(Expr):
    """An expression with a readable token label, e.g. ``MyStack/UserApi.api_endpoint``."""

    __slots__ = ("expr", "label")

    def __init__(self, expr: Expr, label: str) -> None:
        self.expr = expr
        self.label = label

    def render_inner(self, ctx: RenderContext) -> str:
        return self.expr.render_inner(ctx)

    def resources(self) -> Iterator[Resource]:
        return self.expr.resources()

    def token_label(self) -> str | None:
        return self.label


class KnownExpr(Expr):
    """A deployment-time expression whose value is already known at synthesis.

    It renders as the expression (keeping its dependencies) and ``str()`` gives the known value.
    """

    __slots__ = ("expr", "value")

    def __init__(self, expr: Expr, value: str) -> None:
        self.expr = expr
        self.value = value

    def render_inner(self, ctx: RenderContext) -> str:
        return self.expr.render_inner(ctx)

    def resources(self) -> Iterator[Resource]:
        return self.expr.resources()

    def __str__(self) -> str:
        return self.value


def named(expr: Expr, label: str) -> Expr:
    """``expr`` printing as ``${label}`` (label: ``Stack/Construct.member``)."""
    return NamedExpr(expr, label)


def parameter(name: str) -> Expr:
    """``parameters('name')``."""
    return _Call("parameters", [name])


def variable(name: str) -> Expr:
    """``variables('name')``."""
    return _Call("variables", [name])


def resource_id(resource_type: str, *names: ExprArg) -> Expr:
    """``resourceId('type', names...)`` for a resource not created by this assembly."""
    return _Call("resourceId", [resource_type, *names])


def subscription_resource_id(resource_type: str, *names: ExprArg) -> Expr:
    """``subscriptionResourceId('type', names...)``, for example a built-in role definition."""
    return _Call("subscriptionResourceId", [resource_type, *names])


def reference(target: Resource | Expr, api_version: str | None = None, *, full: bool = False) -> Expr:
    """``reference(...)`` of a resource (adds dependsOn) or of a resource id expression."""
    if not isinstance(target, (Expr, str)):  # a Resource
        return ReferenceExpr(target, full)
    if api_version is None:
        raise ExpressionError("reference() of an expression needs an api_version", fix="pass api_version='YYYY-MM-DD'")
    args: list[ExprArg] = [target, api_version]
    if full:
        args.append("Full")
    return _Call("reference", args)


def list_keys(resource: Resource) -> Expr:
    """``listKeys(resourceId(...), apiVersion)``; prefer managed identity over keys."""
    return _ListKeys(resource)


def concat(*parts: ExprArg) -> Expr:
    """``concat(parts...)``."""
    return _Call("concat", parts)


def resolve_string(text: str, registry: TokenRegistry | None, *, where: str | None = None) -> str | Expr:
    """``text`` with its tokens (:mod:`atakora.core.tokens`) turned back into an expression: the string
    itself when it holds none, the one expression when it is one token, else ``concat(...)`` of the parts.

    Raises :class:`SynthesisError` for a token-shaped ``${...}`` that no expression stands for.
    """
    parts = split_tokens(text, registry, where=where)
    if parts is None:
        return text
    if len(parts) == 1 and isinstance(parts[0], Expr):
        return parts[0]
    return concat(*parts)


def format_(template: str, *args: ExprArg) -> Expr:
    """``format('template {0}', args...)``."""
    return _Call("format", [template, *args])


def unique_string(*parts: ExprArg) -> Expr:
    """``uniqueString(parts...)``: a deterministic 13-character hash at deployment time."""
    return _Call("uniqueString", parts)


def guid(*parts: ExprArg) -> Expr:
    """``guid(parts...)``: a deterministic GUID at deployment time."""
    return _Call("guid", parts)


def not_empty(value: ExprArg) -> Expr:
    """``not(empty(value))``: true when a string, array or object has something in it."""
    return _Call("not", [_Call("empty", [value])])


def to_lower(value: ExprArg) -> Expr:
    """``toLower(value)``."""
    return _Call("toLower", [value])


def subscription() -> Expr:
    """``subscription()``: members subscriptionId, tenantId, id."""
    return _Call("subscription", [])


def resource_group() -> Expr:
    """``resourceGroup()``: members name, location, id (resource-group templates only)."""
    return _Call("resourceGroup", [])


def environment() -> Expr:
    """``environment()``: the Azure cloud's endpoints and suffixes."""
    return _Call("environment", [])


class _PreviewContext:
    """Renders expressions for ``repr()``: resource ids as seen from the resource's own resource group."""

    def resource_id_call(self, resource: Resource) -> str:
        names = ", ".join(s.render_inner(self) if isinstance(s, Expr) else quote(s) for s in resource.name_segments)
        return f"resourceId({quote(resource.resource_type)}, {names})"

    def note_dependency(self, resource: Resource) -> None:
        """Previews record nothing."""

    def resolve_string(self, value: str) -> str | Expr:
        return resolve_string(value, None)


def render_value(value: Any, ctx: RenderContext) -> Any:
    """Render a property value: expressions become ``"[...]"``, literal strings that start with ``[`` are escaped."""
    kind = type(value)
    if kind is str:
        return _render_str(value, ctx) if "${" in value or value[:1] == "[" else value
    if kind is dict:
        return _render_dict(value, ctx)
    if kind is list or kind is tuple:
        return _render_list(value, ctx)
    if kind is int or kind is bool or kind is float or value is None:
        return value
    return _render_other(value, ctx)


def _render_str(value: str, ctx: RenderContext) -> Any:
    if "${" in value:
        resolved = ctx.resolve_string(value)
        if isinstance(resolved, Expr):
            return resolved.render(ctx)
    return "[" + value if value.startswith("[") else value


def _render_key(key: Any, ctx: RenderContext) -> Any:
    if isinstance(key, Expr):
        return key.render(ctx)
    return render_value(key, ctx) if isinstance(key, str) and "${" in key else key


def _render_dict(value: Mapping[Any, Any], ctx: RenderContext) -> dict[Any, Any]:
    """A mapping rendered member by member; plain leaves (the most of them) without a call each."""
    out: dict[Any, Any] = {}
    for key, member in value.items():
        if type(key) is not str or "${" in key:
            key = _render_key(key, ctx)
        kind = type(member)
        if kind is str:
            if "${" in member or member[:1] == "[":
                member = _render_str(member, ctx)
        elif kind is dict:
            member = _render_dict(member, ctx)
        elif kind is list:
            member = _render_list(member, ctx)
        elif not (kind is int or kind is bool or member is None):
            member = render_value(member, ctx)
        out[key] = member
    return out


def _render_list(value: Sequence[Any], ctx: RenderContext) -> list[Any]:
    out: list[Any] = []
    for member in value:
        kind = type(member)
        if kind is str:
            if "${" in member or member[:1] == "[":
                member = _render_str(member, ctx)
        elif kind is dict:
            member = _render_dict(member, ctx)
        elif kind is list:
            member = _render_list(member, ctx)
        elif not (kind is int or kind is bool or member is None):
            member = render_value(member, ctx)
        out.append(member)
    return out


def _render_other(value: Any, ctx: RenderContext) -> Any:
    """The general case: subclasses of str, mappings that are no dict, expressions, numbers of other types."""
    if isinstance(value, str):
        return _render_str(value, ctx)
    if isinstance(value, Expr):
        return value.render(ctx)
    if isinstance(value, Mapping):
        return _render_dict(value, ctx)
    if isinstance(value, (list, tuple)):
        return _render_list(value, ctx)
    if value is None or isinstance(value, (int, float)):
        return value
    raise ExpressionError(
        f"{type(value).__name__} {value!r} cannot be written into a template",
        fix="pass a string, number, list, mapping or expression (for a resource: the resource construct where "
            "the typed argument accepts one, or resource.resource_id)")
