"""The construct tree: every stack, resource and component is a node with a unique path."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from ..errors import ConstructError

__all__ = ["Construct", "Node", "TreeRoot"]

_ID_PATTERN = re.compile(r"^[^/\x00-\x1f\x7f]+$")
Validation = Callable[[], list[str]]
T = TypeVar("T", bound="Construct")


class _Extras:
    """What few constructs have: context, metadata, validations, and (on the root) the lock."""

    __slots__ = ("context", "locked", "metadata", "validations")

    def __init__(self) -> None:
        self.context: dict[str, Any] | None = None
        self.metadata: list[tuple[str, Any]] | None = None
        self.validations: list[Validation] | None = None
        self.locked = False


_NONE = _Extras()
"""The extras of a construct that has none (read-only by convention: ``_own_extras`` replaces it)."""


class Node:
    """Tree operations of one construct: id, path, scope, children, context, metadata, validations."""

    __slots__ = ("_children", "_extras", "_host", "_path", "id", "scope")

    def __init__(self, host: Construct, scope: Construct | None, id: str) -> None:
        if not isinstance(id, str) or not _ID_PATTERN.match(id):
            where: str = scope.node.path if scope is not None else ""
            raise ConstructError(
                f"invalid construct id {id!r} for a {type(host).__name__}" + ("" if isinstance(id, str) else
                                                                              f": an id is a string, not {type(id).__name__}"),
                path=where, field="id",
                fix="use a non-empty id without '/' or control characters, for example 'UserApi'",
            )
        self.id = id
        self.scope = scope
        self._host = host
        # Created on first use: most constructs are leaves without children, context, metadata or validations.
        self._children: dict[str, Construct] | None = None
        self._extras = _NONE
        # Only constructs with children keep their path; a leaf's is its parent's plus its id, joined when read.
        self._path: str | None = None
        if scope is None:
            self._path = ""
            return
        parent = scope.node
        if parent._path is None:
            parent._path = parent.path
        if parent.locked:
            raise ConstructError(
                f"cannot add {id!r}: the tree is locked because synthesis has started",
                path=parent.path, field="id",
                fix="create every construct before calling app.synth()",
            )
        siblings = parent._children
        if siblings is None:
            parent._children = siblings = {}
        elif id in siblings:
            raise ConstructError(
                f"there is already a construct with id {id!r} here",
                path=parent.path, field="id",
                fix="give sibling constructs distinct ids",
            )
        siblings[id] = host

    def _own_extras(self) -> _Extras:
        if self._extras is _NONE:
            self._extras = _Extras()
        return self._extras

    @property
    def path(self) -> str:
        """The ids from below the root down to this construct, joined with '/' ('' for the root)."""
        path = self._path
        if path is not None:
            return path
        assert self.scope is not None  # only the root has no scope, and it keeps its path
        above = self.scope.node._path
        return f"{above}/{self.id}" if above else self.id

    @property
    def children(self) -> list[Construct]:
        """Direct children, in the order they were added."""
        return list(self._children.values()) if self._children else []

    @property
    def root(self) -> Construct:
        """The topmost construct (normally the App)."""
        current = self._host
        while current.node.scope is not None:
            current = current.node.scope
        return current

    @property
    def scopes(self) -> list[Construct]:
        """The constructs from the root down to this one."""
        chain: list[Construct] = []
        current: Construct | None = self._host
        while current is not None:
            chain.append(current)
            current = current.node.scope
        return chain[::-1]

    @property
    def locked(self) -> bool:
        """True once synthesis has started (the whole tree is locked then); no children may be added then."""
        return self.root.node._extras.locked

    def try_find_child(self, id: str) -> Construct | None:
        """The direct child with this id, or None."""
        return self._children.get(id) if self._children else None

    def find_child(self, id: str) -> Construct:
        """The direct child with this id; raises ConstructError when there is none."""
        child = self._children.get(id) if self._children else None
        if child is None:
            known = ", ".join(self._children or ()) or "none"
            raise ConstructError(f"no child with id {id!r} (children: {known})", path=self.path)
        return child

    def remove_child(self, id: str) -> None:
        """Remove the direct child ``id`` and its subtree (before synthesis), for example after a failed build."""
        if self.locked:
            raise ConstructError(f"cannot remove {id!r}: synthesis has started", path=self.path)
        if self._children:
            self._children.pop(id, None)

    def find_all(self) -> Iterator[Construct]:
        """This construct and every descendant, depth first, in creation order."""
        stack: list[Construct] = [self._host]
        while stack:
            current = stack.pop()
            yield current
            children = current.node._children
            if children:
                stack.extend(reversed(children.values()))

    def find_ancestor(self, kind: type[T]) -> T | None:
        """The nearest construct above this one (or this one) that is an instance of ``kind``."""
        current: Construct | None = self._host
        while current is not None:
            if isinstance(current, kind):
                return current
            current = current.node.scope
        return None

    def set_context(self, key: str, value: Any) -> None:
        """Set a context value visible to this construct and everything below it."""
        if self._children:
            raise ConstructError(
                f"cannot set context {key!r} after children were added", path=self.path,
                fix="set context before creating child constructs",
            )
        extras = self._own_extras()
        if extras.context is None:
            extras.context = {}
        extras.context[key] = value

    def try_get_context(self, key: str) -> Any:
        """The context value for ``key`` from the nearest construct that has it, or None."""
        current: Construct | None = self._host
        while current is not None:
            context = current.node._extras.context
            if context is not None and key in context:
                return context[key]
            current = current.node.scope
        return None

    @property
    def metadata(self) -> list[tuple[str, Any]]:
        """Metadata entries recorded on this construct."""
        return list(self._extras.metadata or ())

    def add_metadata(self, kind: str, data: Any) -> None:
        """Record a metadata entry (for example a warning) on this construct."""
        extras = self._own_extras()
        if extras.metadata is None:
            extras.metadata = []
        extras.metadata.append((kind, data))

    def add_validation(self, validation: Validation) -> None:
        """Register a check run at synthesis; it returns a list of error messages (empty when valid)."""
        extras = self._own_extras()
        if extras.validations is None:
            extras.validations = []
        extras.validations.append(validation)

    def validate(self) -> list[str]:
        """Run this construct's own validations; messages carry its path."""
        errors: list[str] = []
        for validation in self._extras.validations or ():
            errors.extend(f"[{self.path}] {message}" for message in validation())
        return errors

    def lock(self) -> None:
        """Lock the whole tree: no construct may be added to it any more."""
        self.root.node._own_extras().locked = True


class Construct:
    """A node of the construct tree. ``scope`` is the parent; ``id`` is unique among its siblings."""

    def __init__(self, scope: Construct | None, id: str) -> None:
        self.node = Node(self, scope, id)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.node.path or self.node.id}>"


class TreeRoot(Construct):
    """The root of a construct tree that stacks belong to: :class:`~atakora.core.app.App` is the one kind
    (stacks find it as ``node.root`` without importing the App, which imports synthesis)."""
