"""Conditional request headers (RFC 9110 §13): ``If-Match`` and ``If-None-Match``.

``If-Match`` uses the strong comparison (a weak tag never matches), ``If-None-Match`` the weak one;
both accept ``*`` or a comma-separated list of entity tags.  A malformed header answers 400.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from .errors import FieldError, RequestError

ANY: Literal["*"] = "*"
_TAG = re.compile(r'\s*(W/)?"([\x21\x23-\x7e\x80-\xff]*)"\s*(?:,|$)')
MAX_HEADER_LENGTH = 8192


@dataclass(frozen=True)
class EntityTag:
    """One entity tag: its opaque value (without quotes) and whether it is weak (``W/``)."""

    opaque: str
    weak: bool = False

    @classmethod
    def of(cls, etag: str) -> EntityTag:
        """The tag of a stored item's ETag (``"abc"`` or ``W/"abc"``; bare values are taken as opaque)."""
        weak = etag.startswith("W/")
        text = etag[2:] if weak else etag
        if len(text) >= 2 and text.startswith('"') and text.endswith('"'):
            text = text[1:-1]
        return cls(text, weak)


Condition = tuple[EntityTag, ...] | Literal["*"]


def parse_condition(header: str | None, name: str) -> Condition | None:
    """Parse an ``If-Match``/``If-None-Match`` value; None when absent or empty; raises RequestError."""
    value = (header or "").strip()
    if not value:
        return None
    if value == ANY:
        return ANY
    tags: list[EntityTag] = []
    position = 0
    if len(value) <= MAX_HEADER_LENGTH:
        while position < len(value):
            match = _TAG.match(value, position)
            if match is None or match.end() == position:
                break
            tags.append(EntityTag(match.group(2), match.group(1) is not None))
            position = match.end()
    if not tags or position < len(value):
        message = 'must be "*" or a comma-separated list of entity tags such as "abc" or W/"abc"'
        raise RequestError([FieldError(name, message)], "invalid_header")
    return tuple(tags)


def strong_match(condition: Condition, current: str) -> bool:
    """True when ``If-Match`` allows the item whose ETag is ``current`` (strong comparison)."""
    if condition == ANY:
        return True
    tag = EntityTag.of(current)
    return not tag.weak and any(not t.weak and t.opaque == tag.opaque for t in condition)


def weak_match(condition: Condition, current: str) -> bool:
    """True when ``If-None-Match`` names the item whose ETag is ``current`` (weak comparison)."""
    if condition == ANY:
        return True
    opaque = EntityTag.of(current).opaque
    return any(t.opaque == opaque for t in condition)


def single_strong_tag(condition: Condition) -> str | None:
    """The quoted tag when the condition is exactly one strong tag (a store can check it atomically)."""
    if condition != ANY and len(condition) == 1 and not condition[0].weak:
        return f'"{condition[0].opaque}"'
    return None
