"""Strict JSON for client input: only what every store can keep and give back unchanged.

Cosmos DB stores numbers as IEEE-754 doubles, so integers beyond 2^53 would be silently rounded
(and partition key values collapse); ``1e400`` parses as infinity, which is not JSON.  Lone
surrogates cannot be encoded as UTF-8.  Deep nesting is bounded (:data:`MAX_DEPTH`) so no parser
or serializer recurses without limit.  Messages never echo the parser's internals.
"""

from __future__ import annotations

import json
import math
from typing import Any

MAX_DEPTH = 64
"""The deepest nesting of objects and arrays accepted in a body or token (the top level is 1)."""
MAX_SAFE_INTEGER = 2**53 - 1
_MAX_INT_DIGITS = 32


class JsonInputError(ValueError):
    """The text is not JSON every store can round-trip; ``str()`` is a client-safe message."""


def _parse_int(text: str) -> int:
    if len(text.lstrip("-")) > _MAX_INT_DIGITS:
        raise JsonInputError(f"integers must be between -{MAX_SAFE_INTEGER} and {MAX_SAFE_INTEGER}")
    return int(text)


def _parse_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise JsonInputError("numbers must be finite (a double-precision value)")
    return value


def _reject_constant(name: str) -> Any:
    raise JsonInputError(f"{name} is not valid JSON")


def loads(raw: bytes | str) -> Any:
    """Parse strict JSON and check it with :func:`problem_of`; raises :class:`JsonInputError`."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError:
        raise JsonInputError("the text is not valid UTF-8") from None
    try:
        value = json.loads(text, parse_int=_parse_int, parse_float=_parse_float, parse_constant=_reject_constant)
    except JsonInputError:
        raise
    except json.JSONDecodeError as exc:
        raise JsonInputError(f"{exc.msg} at line {exc.lineno} column {exc.colno}") from None
    except RecursionError:
        raise JsonInputError(f"objects and arrays may be nested at most {MAX_DEPTH} deep") from None
    except ValueError:
        raise JsonInputError("the text is not valid JSON") from None
    problem = problem_of(value)
    if problem is not None:
        raise JsonInputError(problem)
    return value


def problem_of(value: Any) -> str | None:
    """Why ``value`` cannot be stored and served back as the same JSON, or None (iterative walk)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        current, depth = stack.pop()
        if isinstance(current, str):
            if has_surrogate(current):
                return "strings must not contain unpaired surrogate code points"
        elif isinstance(current, bool) or current is None:
            continue
        elif isinstance(current, int):
            if not -MAX_SAFE_INTEGER <= current <= MAX_SAFE_INTEGER:
                return f"integers must be between -{MAX_SAFE_INTEGER} and {MAX_SAFE_INTEGER}"
        elif isinstance(current, float):
            if not math.isfinite(current):
                return "numbers must be finite (a double-precision value)"
        elif isinstance(current, (dict, list)):
            if depth > MAX_DEPTH:
                return f"objects and arrays may be nested at most {MAX_DEPTH} deep"
            if isinstance(current, dict):
                for key, item in current.items():
                    if has_surrogate(key):
                        return "member names must not contain unpaired surrogate code points"
                    stack.append((item, depth + 1))
            else:
                stack.extend((item, depth + 1) for item in current)
        else:
            return f"values of type {type(current).__name__} are not JSON"
    return None


def has_surrogate(text: str) -> bool:
    """True when ``text`` holds a surrogate code point (not encodable as UTF-8)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def compact_size(value: Any) -> int:
    """UTF-8 size in bytes of ``value`` as compact JSON (what a store keeps)."""
    return len(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))
