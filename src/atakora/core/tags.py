"""Azure's rules for resource tags."""

from __future__ import annotations

import functools
from collections.abc import Mapping

__all__ = ["MAX_TAGS", "tag_problem"]

MAX_TAGS = 50
MAX_NAME = 512
MAX_VALUE = 256
_FORBIDDEN = set('<>%&\\?/')
RESERVED_PREFIXES = ("microsoft", "azure", "windows")
"""Tag name prefixes Azure keeps for itself (case-insensitive)."""


def tag_problem(tags: Mapping[str, object]) -> str | None:
    """Why Azure would reject ``tags``, or None when they are valid."""
    if len(tags) > MAX_TAGS:
        return f"{len(tags)} tags; Azure allows at most {MAX_TAGS} per resource"
    seen: dict[str, str] = {}
    for name, value in tags.items():
        if not isinstance(name, str) or not name:
            return f"tag name {name!r} must be a non-empty string"
        shape, lowered, characters = _name_checks(name)
        if shape:
            return shape
        if lowered in seen:
            return (f"tags {seen[lowered]!r} and {name!r} differ only in case; Azure tag names are "
                    "case-insensitive, so one would replace the other")
        seen[lowered] = name
        if characters:
            return characters
        if not isinstance(value, str):
            return f"tag {name!r} has a {type(value).__name__} value; tag values are strings"
        if len(value) > MAX_VALUE:
            return f"tag {name!r} has a value of {len(value)} characters; at most {MAX_VALUE}"
    return None


@functools.lru_cache(maxsize=1024)
def _name_checks(name: str) -> tuple[str | None, str, str | None]:
    """What one tag name alone is checked for, once per name (the same tags are on every resource): the
    length or reserved-prefix problem, the lower-cased name, the forbidden-character problem."""
    lowered = name.lower()
    shape = None
    if len(name) > MAX_NAME:
        shape = f"tag name {name[:20]!r}... has {len(name)} characters; at most {MAX_NAME}"
    elif lowered.startswith(RESERVED_PREFIXES):
        shape = (f"tag name {name!r} starts with a prefix Azure reserves ({', '.join(RESERVED_PREFIXES)}); "
                 "choose another name")
    bad = sorted(set(name) & _FORBIDDEN)
    characters = f"tag name {name!r} contains {''.join(bad)!r}; Azure rejects < > % & \\ ? / in tag names" \
        if bad else None
    return shape, lowered, characters
