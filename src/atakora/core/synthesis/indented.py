"""Indented JSON, byte for byte what ``json.dumps(data, indent=2)`` writes, several times faster.

With ``depth`` only the outer levels are indented: each container nested deeper is written on one
line by the C encoder (as ``json.dumps(value)`` writes it), so a large document stays readable line
by line at a fraction of the size and cost; it reads back (``json.loads``) as the same data.

The standard library writes indented JSON with its pure-Python encoder, whose nested generators
pass every chunk up through each enclosing level: deep documents (plan.json, OpenAPI documents)
cost their depth once per value. This encoder appends to one list instead and uses the C string
encoders, so each value costs one step. It takes what the default encoder takes (dicts with str,
int, float, bool or None keys, lists and tuples, str, int, float, bool, None, and their subclasses)
and raises TypeError for anything else, ValueError for a circular reference.

:func:`write_indented` hands the text over in pieces as it is made: with :class:`LazyList` and
:class:`LazyDict` members, a large document (plan.json) never exists whole, as Python objects or as text.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any

__all__ = ["LazyDict", "LazyList", "dumps_indented", "write_indented"]

_encode_ascii: Callable[[str], str] = json.encoder.encode_basestring_ascii
_encode_unicode: Callable[[str], str] = json.encoder.encode_basestring
_INFINITY = float("inf")
_SEGMENT = 1 << 8
"""Parts joined into one piece of text at a time (after a closing brace)."""


class LazyList:
    """A JSON list whose items are made one at a time, as :func:`dumps_indented` reaches each: a large
    document (plan.json) need not hold all its items as Python objects at once."""

    __slots__ = ("_items",)

    def __init__(self, items: Iterable[Any]) -> None:
        self._items = items

    def __iter__(self) -> Iterator[Any]:
        return iter(self._items)


class LazyDict:
    """A JSON object whose members are made one at a time, as :func:`dumps_indented` reaches each (``items``:
    the (key, value) pairs in the order written)."""

    __slots__ = ("_items",)

    def __init__(self, items: Iterable[tuple[Any, Any]]) -> None:
        self._items = items

    def items(self) -> Iterable[tuple[Any, Any]]:
        """The members, as ``dict.items()`` gives them."""
        return self._items


def _made(value: Any) -> Any:
    """A lazy container made whole for the C encoder (of a container written on one line)."""
    if isinstance(value, LazyList):
        return list(value)
    if isinstance(value, LazyDict):
        return dict(value.items())
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _float(value: float) -> str:
    if value != value:  # noqa: PLR0124 - NaN
        return "NaN"
    if value == _INFINITY:
        return "Infinity"
    if value == -_INFINITY:
        return "-Infinity"
    return float.__repr__(value)


def dumps_indented(data: Any, *, indent: int = 2, ensure_ascii: bool = True, sort_keys: bool = False,
                   depth: int | None = None) -> str:
    """``json.dumps(data, indent=indent, ensure_ascii=ensure_ascii, sort_keys=sort_keys)``, faster.

    ``depth`` (default None: every level): containers nested deeper than ``depth`` levels (the
    document itself is level 0) are each written on one line by the C encoder.
    """
    pieces: list[str] = []
    write_indented(data, pieces.append, indent=indent, ensure_ascii=ensure_ascii, sort_keys=sort_keys, depth=depth)
    return pieces[0] if len(pieces) == 1 else "".join(pieces)


def write_indented(data: Any, write: Callable[[str], object], *, indent: int = 2, ensure_ascii: bool = True,
                   sort_keys: bool = False, depth: int | None = None) -> None:
    """:func:`dumps_indented`'s text handed to ``write`` piece by piece, in order, as it is made.

    Every piece but the last ends with the closing brace of an object: no piece ends inside a string
    (nor between the two characters of ``${``), so each can be checked and encoded on its own.
    """
    encode = _encode_ascii if ensure_ascii else _encode_unicode
    one_line = json.JSONEncoder(ensure_ascii=ensure_ascii, sort_keys=sort_keys, default=_made).encode
    one_line_level = -1 if depth is None else depth + 1
    parts: list[str] = []
    append = parts.append
    pad = " " * indent
    newlines = ["\n"]
    active: set[int] = set()

    def key_text(key: Any) -> str:
        if isinstance(key, str):
            return encode(key)
        if isinstance(key, float):
            return encode(_float(key))
        if key is True:
            return '"true"'
        if key is False:
            return '"false"'
        if key is None:
            return '"null"'
        if isinstance(key, int):
            return encode(int.__repr__(key))
        raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")

    def scalar(value: Any) -> str | None:
        if isinstance(value, str):
            return encode(value)
        if value is None:
            return "null"
        if value is True:
            return "true"
        if value is False:
            return "false"
        if isinstance(value, int):
            return int.__repr__(value)
        if isinstance(value, float):
            return _float(value)
        return None

    def container(value: Any, level: int) -> None:
        if level == one_line_level:
            append(one_line(value))
            return
        marker = id(value)
        if marker in active:
            raise ValueError("Circular reference detected")
        if len(newlines) <= level + 1:
            newlines.append("\n" + pad * (level + 1))
        inner = newlines[level + 1]
        active.add(marker)
        if isinstance(value, (dict, LazyDict)):
            items = sorted(value.items()) if sort_keys else value.items()
            opener = "{" + inner
            for key, item in items:
                head = opener + (encode(key) if type(key) is str else key_text(key)) + ": "
                opener = "," + inner
                text = encode(item) if type(item) is str else scalar(item)  # str first: the common case
                if text is not None:
                    append(head + text)
                else:
                    append(head)
                    container(item, level + 1)
            append("{}" if opener[0] == "{" else newlines[level] + "}")
            if len(parts) > _SEGMENT:  # joined runs: a large document is not millions of small strings at once
                write("".join(parts))
                parts.clear()
        elif isinstance(value, (list, tuple, LazyList)):
            opener = "[" + inner
            for item in value:
                text = encode(item) if type(item) is str else scalar(item)
                if text is not None:
                    append(opener + text)
                else:
                    append(opener)
                    container(item, level + 1)
                opener = "," + inner
            append("[]" if opener[0] == "[" else newlines[level] + "]")
        else:
            raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")
        active.discard(marker)

    text = scalar(data)
    if text is not None:
        write(text)
        return
    try:
        container(data, 0)
        write("".join(parts))
    finally:
        # ``container`` calls itself, a reference cycle that would keep ``parts`` alive until the next
        # collection, and synthesis pauses the garbage collector.
        parts.clear()
