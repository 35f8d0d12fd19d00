"""Helpers that turn values and names into deterministic, readable Python source text."""

from __future__ import annotations

import keyword
import math
import re
from collections.abc import Mapping, Sequence
from json.encoder import encode_basestring_ascii

LINE_WIDTH = 100
_INDENT = "    "


def py_literal(value: object, indent: int = 0, column: int | None = None, width: int = LINE_WIDTH) -> str:
    """Render ``value`` as a Python literal; containers too long for one line get one item per line.

    ``indent`` (default 0) is the indentation of the line the literal starts on and ``column``
    (default ``indent``) the column where it starts.  Supports str, int, float (finite), bool,
    None, mappings with string keys, lists and tuples; strings use double quotes.  Raises
    TypeError or ValueError for anything else.
    """
    flat = _flat(value)
    start = indent if column is None else column
    if start + len(flat) + 1 <= width or not isinstance(value, (Mapping, list, tuple)) or not value:
        return flat
    inner = indent + len(_INDENT)
    pad = " " * inner
    if isinstance(value, Mapping):
        lines = [
            f"{pad}{_flat(k)}: {py_literal(v, inner, inner + len(_flat(k)) + 2, width)},"
            for k, v in value.items()
        ]
        opening, closing = "{", "}"
    else:
        lines = [f"{pad}{py_literal(v, inner, inner, width)}," for v in value]
        opening, closing = ("[", "]") if isinstance(value, list) else ("(", ")")
    return opening + "\n" + "\n".join(lines) + "\n" + " " * indent + closing


def _flat(value: object) -> str:
    if isinstance(value, str):
        return _quote(value)
    if type(value) is dict or isinstance(value, Mapping):  # dict first: skips the ABC check
        for key in value:
            if not isinstance(key, str):
                raise TypeError(f"mapping keys must be strings, not {type(key).__name__} ({key!r})")
        return "{" + ", ".join(f"{_quote(k)}: {_flat(v)}" for k, v in value.items()) + "}"
    if value is None or isinstance(value, (bool, int)):
        return repr(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"non-finite number {value!r} cannot be written to generated code")
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_flat(v) for v in value) + "]"
    if isinstance(value, tuple):
        items = [_flat(v) for v in value]
        return "(" + items[0] + ",)" if len(items) == 1 else "(" + ", ".join(items) + ")"
    raise TypeError(f"values of type {type(value).__name__} cannot be written to generated code")


def _quote(text: str) -> str:
    """``text`` quoted as ``json.dumps`` does, but a character beyond U+FFFF as ``\\U`` (JSON writes a
    surrogate pair, which Python reads as two characters)."""
    if text.isascii() or max(text) <= "\uffff":
        return encode_basestring_ascii(text)
    inner = (f"\\U{ord(c):08x}" if c > "\uffff" else encode_basestring_ascii(c)[1:-1] for c in text)
    return '"' + "".join(inner) + '"'


def snake_case(name: str) -> str:
    """``UserApi`` / ``user-api`` / ``processOrder`` -> ``user_api`` / ``user_api`` / ``process_order``."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name)
    spaced = re.sub(r"(?<=[A-Z])(?=[A-Z][a-z])", "_", spaced)
    return re.sub(r"[^A-Za-z0-9]+", "_", spaced).strip("_").lower()


def module_identifier(name: str) -> str:
    """A valid, lower-case Python module name derived from ``name`` (a component id)."""
    ident = snake_case(name) or "component"
    if ident[0].isdigit():
        ident = f"c_{ident}"
    if keyword.iskeyword(ident):
        ident = f"{ident}_"
    return ident


def function_identifier(component_id: str, name: str) -> str:
    """The Functions function name ``<ComponentId>_<name>`` with every other character as ``_``."""
    return re.sub(r"[^A-Za-z0-9_]", "_", f"{component_id}_{name}")


def is_dotted_identifier(text: str) -> bool:
    """True when ``text`` is ``a`` or ``a.b.c`` with every part a non-keyword identifier."""
    parts = text.split(".")
    return all(p.isidentifier() and not keyword.iskeyword(p) for p in parts)


def unique_aliases(modules: Sequence[str]) -> dict[str, str]:
    """Map each dotted module path to a distinct private alias (``api.orders`` -> ``_api_orders``)."""
    aliases: dict[str, str] = {}
    for module in sorted(set(modules)):
        base = "_" + module.replace(".", "_")
        alias, n = base, 2
        while alias in aliases.values():
            alias, n = f"{base}_{n}", n + 1
        aliases[module] = alias
    return aliases
