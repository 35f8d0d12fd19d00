"""The resource base (L1): one ARM resource with type, apiVersion, name and properties."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Literal

from ..arguments import validate_constructors
from ..errors import ConfigurationError, ConstructError, NamingError
from .construct import Construct
from .expressions import (
    Expr,
    ReferenceExpr,
    RenderContext,
    ResourceIdExpr,
    ResourceNameExpr,
    format_,
    quote,
    render_value,
    resolve_string,
)
from .naming import validate_name
from .stack import Stack
from .tags import tag_problem

__all__ = ["ArmResource", "Resource"]

LocationKind = Literal["regional", "global", "none"]
_DELETE = object()


class Resource(Construct):
    """One Azure resource in a stack's template.

    Child resources take their parent resource as ``scope`` and are named ``parent/child``; they
    depend on the parent automatically. ``location`` defaults to the stack's for regional types.
    """

    TYPE: ClassVar[str] = ""
    API_VERSION: ClassVar[str] = ""
    LOCATION: ClassVar[LocationKind] = "regional"
    TAGGABLE: ClassVar[bool | None] = None
    TARGET_SCOPE: ClassVar[Literal["resourceGroup", "subscription"]] = "resourceGroup"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Every resource's constructor checks its arguments against its annotations (``validated``)."""
        super().__init_subclass__(**kwargs)
        validate_constructors(cls)

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        name: str | Expr,
        location: str | Expr | None = None,
        tags: Mapping[str, str] | None = None,
        properties: Mapping[str, Any] | None = None,
        sku: Mapping[str, Any] | None = None,
        kind: str | None = None,
        identity: Mapping[str, Any] | None = None,
        zones: Sequence[str] | None = None,
        depends_on: Sequence[Resource] = (),
        condition: bool | Expr | None = None,
        extension_scope: Resource | None = None,
        resource_type: str | None = None,
        api_version: str | None = None,
    ) -> None:
        super().__init__(scope, id)
        self.resource_type = resource_type or self.TYPE
        self.api_version = api_version or self.API_VERSION
        if not self.resource_type or not self.api_version:
            raise ConstructError("a resource needs a type and an apiVersion", path=self.node.path)
        self.parent: Resource | None = scope if isinstance(scope, Resource) else None
        if self.parent is not None and not _child_type(self.parent.resource_type, self.resource_type):
            raise ConstructError(
                f"{self.resource_type} cannot be a child of {self.parent.resource_type}",
                path=self.node.path,
                fix=f"create it under a {self.resource_type.rsplit('/', 1)[0]} resource",
            )
        stack = _stack_of(scope)
        if stack is None:
            raise ConstructError(
                f"{self.resource_type} must be created inside a stack",
                path=self.node.path,
                fix="create the resource with a ResourceGroupStack (or a construct inside one) as its scope",
            )
        self.stack: Stack = stack
        stack.app.created_resources.append(self)
        if isinstance(name, str) and "${" in name:
            name = resolve_string(name, stack.app.tokens, where=self.node.path)
        self.resource_name = name
        if isinstance(name, str):
            problem = validate_name(self.resource_type, name)
            if problem:
                raise NamingError(problem, resource_type=self.resource_type, name=name, path=self.node.path,
                                  fix="choose a name that meets the rule, or let atakora generate one")
            if condition is None:
                self._claim_name(stack, name, extension_scope)
        if location is None and self.LOCATION == "regional" and self.parent is None:
            location = stack.location
        elif location is None and self.LOCATION == "global":
            location = "global"
        if location is not None:
            self.location = location
        taggable = self.TAGGABLE if self.TAGGABLE is not None else (self.parent is None and extension_scope is None)
        if taggable:
            self.tags = {**stack.tags, **(tags or {})}
        if self.tags:
            problem = tag_problem(self.tags)
            if problem:
                raise ConfigurationError(f"invalid tags: {problem}", field="tags", path=self.node.path,
                                         fix="shorten or rename the tags (stack tags count too)")
        # What most resources leave unset stays the class's default, not a value in each instance.
        if properties:
            self._properties = dict(properties)
        if sku is not None:
            self.sku = dict(sku)
        if kind is not None:
            self.kind = kind
        if identity is not None:
            self.identity = dict(identity)
        if zones is not None:
            self.zones = list(zones)
        if depends_on:
            self.depends_on = list(depends_on)
        if condition is not None:
            self.condition = condition
        if extension_scope is not None:
            self.extension_scope = extension_scope

    location: str | Expr | None = None
    tags: dict[str, str] | None = None
    """None for a resource that takes no tags (a child resource, an extension resource)."""
    _properties: dict[str, Any] | None = None
    """None until given or used: most typed resources compute theirs in ``render_properties``."""
    sku: dict[str, Any] | None = None
    kind: str | None = None
    identity: dict[str, Any] | None = None
    zones: list[str] | None = None
    depends_on: Sequence[Resource] = ()
    """Explicit dependencies (most resources have none: they share the empty tuple)."""
    condition: bool | Expr | None = None
    extension_scope: Resource | None = None
    _overrides: Sequence[tuple[list[str], Any]] = ()
    deploys_with_grants = False
    """Rendered into the stack's role-assignment deployment, not the stack's template: the resource's
    name includes a principal id known only at deployment (:class:`~atakora.core.grants.PrincipalId`)."""

    def _claim_name(self, stack: Stack, name: str, extension_scope: Resource | None) -> None:
        """Refuse a second resource of this type and name under the same parent or in the same resource
        group (Azure names are case-insensitive: the second would overwrite the first). Groups are told
        apart by name alone: a stack without subscription_id deploys to the default subscription."""
        parent = self.parent or extension_scope
        group = getattr(stack, "resource_group_name", None)
        # Constructs compare by identity: the parent (or stack) itself is the owner, not a new int of its id.
        owner: object = parent if parent is not None else (
            _group_owner(group) if isinstance(group, str) else stack)
        lowered = name.lower()
        key = (owner, _lower(self.resource_type), name if lowered == name else lowered)
        other = stack.app.resource_names.setdefault(key, self)
        if other is not self:
            where = f"resource group {group!r}" if parent is None and isinstance(group, str) else \
                f"stack {stack.node.path!r}"
            raise ConstructError(
                f"{self.resource_type} {name!r} would be created twice in {where}: by "
                f"{other.node.path} and by {self.node.path} (Azure names are case-insensitive)",
                path=self.node.path, field="name",
                fix="give one of them another name; components whose ids differ only in case or punctuation "
                    "get the same resource names, so rename one")

    @property
    def properties(self) -> dict[str, Any]:
        """The ``properties`` given, to change in place (an empty dict is created on first use)."""
        found = self._properties
        if found is None:
            found = self._properties = {}
        return found

    @properties.setter
    def properties(self, value: dict[str, Any]) -> None:
        self._properties = value

    _given_segments: tuple[str | Expr, ...] | None = None
    """Name segments set directly (a resource named under another type's name); None: from the parents."""

    @property
    def name_segments(self) -> tuple[str | Expr, ...]:
        """The names from the top-level resource down to this one (``parent/child`` names), joined when read."""
        given = self._given_segments
        if given is not None:
            return given
        if self.parent is None:
            return (self.resource_name,)
        return (*self.parent.name_segments, self.resource_name)

    @name_segments.setter
    def name_segments(self, value: tuple[str | Expr, ...]) -> None:
        self._given_segments = tuple(value)

    # ----- attributes as expressions -------------------------------------------------------
    _resource_id: Expr | None = None

    @property
    def resource_id(self) -> Expr:
        """The resource's id as an expression (adds a dependency where used; one expression per resource, kept
        as an attribute: a cached_property would give each resource a dictionary of its own)."""
        found = self._resource_id
        if found is None:
            found = self._resource_id = ResourceIdExpr(self)
        return found

    @property
    def name(self) -> Expr:
        """The resource's own name as an expression (adds a dependency where used)."""
        return ResourceNameExpr(self)

    def reference(self, *, full: bool = False) -> Expr:
        """``reference()`` of this resource: its runtime properties (``full``: the whole resource)."""
        return ReferenceExpr(self, full)

    def attribute(self, *path: str) -> Expr:
        """A runtime property, e.g. ``attribute('primaryEndpoints', 'blob')``."""
        expr: Expr = ReferenceExpr(self)
        for member in path:
            expr = expr.get(member)
        return expr

    @property
    def principal_id(self) -> Expr:
        """The principal id of the resource's system-assigned managed identity."""
        return ReferenceExpr(self, True).get("identity").get("principalId")

    # ----- escape hatches ----------------------------------------------------------------
    def add_override(self, path: str, value: Any) -> None:
        """Set ``value`` at a dotted ``path`` of the rendered resource (``properties.x.y``)."""
        self._overrides = [*self._overrides, (_split_path(path), value)]

    def add_deletion_override(self, path: str) -> None:
        """Remove the member at a dotted ``path`` of the rendered resource."""
        self._overrides = [*self._overrides, (_split_path(path), _DELETE)]

    def add_dependency(self, *resources: Resource) -> None:
        """Make this resource deploy after ``resources``."""
        self.depends_on = [*self.depends_on, *resources]

    # ----- rendering ---------------------------------------------------------------------
    def render_properties(self) -> Mapping[str, Any] | None:
        """The ``properties`` object; typed resources may compute it late. Default: ``self.properties``."""
        return self._properties if self._properties is not None else {}

    def render(self, ctx: RenderContext) -> dict[str, Any]:
        """This resource as an ARM template resource object."""
        out: dict[str, Any] = {"type": self.resource_type, "apiVersion": self.api_version}
        segments = self.name_segments
        if len(segments) == 1:
            out["name"] = render_value(segments[0], ctx)
        elif all(isinstance(s, str) for s in segments):
            out["name"] = render_value("/".join(segments), ctx)  # type: ignore[arg-type]
        else:
            out["name"] = _format_name(self, ctx)
        if self.extension_scope is not None:
            out["scope"] = _relative_scope(self.extension_scope, ctx)
            ctx.note_dependency(self.extension_scope)
        if self.location is not None:
            out["location"] = render_value(self.location, ctx)
        if self.tags:
            out["tags"] = render_value(self.tags, ctx)
        if self.kind is not None:
            out["kind"] = self.kind
        if self.sku is not None:
            out["sku"] = render_value(self.sku, ctx)
        if self.identity is not None:
            out["identity"] = render_value(self.identity, ctx)
        if self.zones is not None:
            out["zones"] = list(self.zones)
        props = self.render_properties()
        if props is not None:
            out["properties"] = render_value(props, ctx)
        if self.condition is not None:
            out["condition"] = self.condition.render(ctx) if isinstance(self.condition, Expr) else self.condition
        if self.parent is not None:
            ctx.note_dependency(self.parent)
        for dep in self.depends_on:
            ctx.note_dependency(dep)
        if self._overrides:
            for path, value in self._overrides:
                _apply_override(out, path, value, ctx)
        return out


class ArmResource(Resource):
    """A resource of any type and apiVersion, for what the typed layer lacks."""

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        type: str,
        api_version: str,
        name: str | Expr,
        location: str | Expr | None = None,
        tags: Mapping[str, str] | None = None,
        properties: Mapping[str, Any] | None = None,
        sku: Mapping[str, Any] | None = None,
        kind: str | None = None,
        identity: Mapping[str, Any] | None = None,
        zones: Sequence[str] | None = None,
        depends_on: Sequence[Resource] = (),
        condition: bool | Expr | None = None,
        extension_scope: Resource | None = None,
    ) -> None:
        super().__init__(scope, id, name=name, location=location, tags=tags, properties=properties, sku=sku,
                         kind=kind, identity=identity, zones=zones, depends_on=depends_on, condition=condition,
                         extension_scope=extension_scope, resource_type=type, api_version=api_version)


def _stack_of(scope: Construct) -> Stack | None:
    """The nearest stack at or above ``scope`` (a resource scope knows its stack)."""
    current: Construct | None = scope
    while current is not None:
        if isinstance(current, Resource):
            return current.stack
        if isinstance(current, Stack):
            return current
        current = current.node.scope
    return None


@functools.lru_cache(maxsize=4096)
def _child_type(parent: str, child: str) -> bool:
    """Whether ``child`` is a direct child type of ``parent`` (case-insensitive), once per pair."""
    return child.lower().startswith(parent.lower() + "/") and child.count("/") == parent.count("/") + 1


@functools.lru_cache(maxsize=4096)
def _lower(text: str) -> str:
    """``text.lower()``, one string per distinct text (resource types repeat in every resource's name key)."""
    return text.lower()


@functools.lru_cache(maxsize=4096)
def _group_owner(group: str) -> tuple[str, str]:
    """The name-key owner of a resource group's top-level resources, one tuple per group."""
    return ("resource group", group.lower())


def _format_name(resource: Resource, ctx: RenderContext) -> str:
    """``[format('{0}/{1}', segments...)]``: the segments' arguments rendered once per context where it can."""
    segments = resource.name_segments
    fmt = "/".join(f"{{{i}}}" for i in range(len(segments)))
    name_args = getattr(ctx, "name_args", None)
    if name_args is None or any(isinstance(s, str) and "${" in s for s in segments):
        return format_(fmt, *segments).render(ctx)
    return f"[format({quote(fmt)}, {name_args(resource)})]"


def _relative_scope(target: Resource, ctx: RenderContext) -> str:
    """The ``scope`` member of an extension resource: ``Namespace/type/name[/type/name]``."""
    type_parts = target.resource_type.split("/")
    namespace, types = type_parts[0], type_parts[1:]
    segments = target.name_segments
    if all(isinstance(s, str) for s in segments):
        pieces = [namespace]
        for t, s in zip(types, segments):
            pieces.extend([t, str(s)])
        return "/".join(pieces)
    fmt = namespace + "".join(f"/{t}/{{{i}}}" for i, t in enumerate(types))
    return format_(fmt, *segments).render(ctx)


def _split_path(path: str) -> list[str]:
    return [p.replace("\x00", ".") for p in path.replace("\\.", "\x00").split(".")]


def _apply_override(target: dict[str, Any], path: list[str], value: Any, ctx: RenderContext) -> None:
    node: dict[str, Any] = target
    for key in path[:-1]:
        child = node.get(key)
        if not isinstance(child, dict):
            if value is _DELETE:
                return
            child = {}
            node[key] = child
        node = child
    if value is _DELETE:
        node.pop(path[-1], None)
    else:
        node[path[-1]] = render_value(value, ctx)
