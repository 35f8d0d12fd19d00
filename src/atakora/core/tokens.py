"""Printable tokens for values known only at deployment.

``str()`` of an :class:`~atakora.core.expressions.Expr` gives a readable token such as
``${MyStack/UserApi.api_endpoint}``. The App that owns the expression's resources remembers the
token, so a string that embeds it (an f-string, a property value, a resource name) is turned back
into the right ARM expression (``concat(...)``) when a template is rendered. A token this App did
not produce (edited, or from another program) is a :class:`~atakora.errors.SynthesisError`: it is
never written to a template.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..errors import SynthesisError

if TYPE_CHECKING:
    from .expressions import Expr

__all__ = ["MARKER", "TokenRegistry", "check_no_tokens", "find_tokens", "registry_of", "split_tokens", "token_of"]

MARKER = "${"
"""Every token starts with this; strings without it are never scanned."""

_TOKEN = re.compile(r"\$\{([^\s{}$]+)\}")
# What atakora's tokens look like: a construct path or 'Token', then one or more '.member' parts.
_SHAPE = re.compile(r"^[\w\-]+(?:/[\w\-]+)*(?:\.[\w\-\[\]]+)+$")


class TokenRegistry:
    """The tokens one App handed out: label -> expression."""

    __slots__ = ("_by_id", "_by_label", "_count", "_prefix")

    def __init__(self, prefix: str = "Token") -> None:
        self._by_label: dict[str, Expr] = {}
        self._by_id: dict[int, tuple[str, Expr]] = {}
        self._prefix = prefix
        self._count = 0

    def token(self, expr: Expr) -> str:
        """The token of ``expr`` (the same one each time for the same expression or label)."""
        known = self._by_id.get(id(expr))
        label = known[0] if known is not None else None
        if label is None:
            label = expr.token_label()
            if label is None or not _SHAPE.match(label):
                self._count += 1
                label = f"{self._prefix}.{self._count}"
            # A structural label (resource path + member) always means the same value: keep the first.
            self._by_label.setdefault(label, expr)
            self._by_id[id(expr)] = (label, expr)  # holds expr, so its id is not reused
        return "${" + label + "}"

    def lookup(self, label: str) -> Expr | None:
        """The expression behind a token label, or None."""
        return self._by_label.get(label)


_GLOBAL = TokenRegistry(prefix="Value")
"""Tokens of expressions that refer to no resource (parameters, functions of literals)."""


def registry_of(expr: Expr) -> TokenRegistry:
    """The registry of the App owning ``expr``'s first resource (the global one when it has none)."""
    for resource in expr.resources():
        return resource.stack.app.tokens
    return _GLOBAL


def token_of(expr: Expr) -> str:
    """``str(expr)``: the readable token standing for ``expr`` until deployment."""
    return registry_of(expr).token(expr)


def find_tokens(text: str) -> list[str]:
    """The token-shaped labels in ``text`` (``${Stack/Construct.member}``)."""
    if MARKER not in text:
        return []
    return [m.group(1) for m in _TOKEN.finditer(text) if _SHAPE.match(m.group(1))]


def _unresolvable(label: str, text: str, where: str | None) -> SynthesisError:
    return SynthesisError(
        f"the string {text!r} holds the token ${{{label}}}, which no value of this program stands for "
        "(a token cannot be edited, and means nothing outside the program that printed it)",
        path=where or "",
        fix="embed the token unchanged (f'{value}/path' or str(value)) in the same program, or pass the "
        "value itself")


def split_tokens(text: str, registry: TokenRegistry | None, *, where: str | None = None) -> list[str | Expr] | None:
    """``text`` cut into literal parts and the expressions its tokens stand for; None when it holds none.

    Raises :class:`SynthesisError` for a token-shaped ``${...}`` that no expression stands for.
    (:func:`atakora.core.expressions.resolve_string` joins the parts into one expression.)
    """
    if MARKER not in text:
        return None
    parts: list[str | Expr] = []
    pos = 0
    found = False
    for match in _TOKEN.finditer(text):
        label = match.group(1)
        expr = registry.lookup(label) if registry is not None else None
        if expr is None:
            expr = _GLOBAL.lookup(label)
        if expr is None:
            if _SHAPE.match(label):
                raise _unresolvable(label, text, where)
            continue
        found = True
        if match.start() > pos:
            parts.append(text[pos:match.start()])
        parts.append(expr)
        pos = match.end()
    if not found:
        return None
    if pos < len(text):
        parts.append(text[pos:])
    return parts


def check_no_tokens(text: str, registry: TokenRegistry | None, *, where: str) -> None:
    """Raise when ``text`` (an artifact that is not a template) holds a token: it would stay unresolved."""
    for label in find_tokens(text):
        known = (registry is not None and registry.lookup(label) is not None) or _GLOBAL.lookup(label) is not None
        reason = ("it stands for a value known only at deployment, which cannot be written here" if known
                  else "no value of this program stands for it")
        raise SynthesisError(
            f"{where} holds the token ${{{label}}}: {reason}",
            path=where,
            fix="pass a value known at synthesis, or set the value through an app setting or stack output")
