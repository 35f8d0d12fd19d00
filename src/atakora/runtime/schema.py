"""Entity schemas: parse a CrudApi schema spec and validate JSON payloads against it.

Field names starting with ``_`` are Cosmos system fields (``_etag``, ``_ts``, ``_rid`` ...): they
are never declared, are rejected on input (clients use the ``ETag``/``If-Match`` headers instead)
and are stripped from every item a store returns.  ``id`` is always allowed (a string, generated
on create when absent).  ``ttl`` is reserved for Cosmos per-item time-to-live and accepted only
when the container has TTL enabled (``allow_item_ttl``).
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from types import MappingProxyType
from typing import Any, Literal, cast, get_args

from .errors import FieldError

FieldType = Literal["string", "number", "boolean", "timestamp", "array", "object"]
FIELD_TYPES: tuple[str, ...] = get_args(FieldType)
RESERVED_ID = "id"
RESERVED_TTL = "ttl"
MAX_ID_LENGTH = 255
MAX_ID_BYTES = 1023  # Cosmos DB: an id is at most 1,023 bytes
_FORBIDDEN_ID_CHARS = frozenset("/\\?#")

_EXTRAS_BY_TYPE: dict[str, frozenset[str]] = {
    "string": frozenset({"enum", "min_length", "max_length", "pattern"}),
    "number": frozenset({"enum", "minimum", "maximum", "integer"}),
    "boolean": frozenset(),
    "timestamp": frozenset(),
    "array": frozenset({"min_length", "max_length"}),
    "object": frozenset(),
}


def is_system_field(name: str) -> bool:
    """Return True for Cosmos system properties (any top-level name starting with ``_``)."""
    return name.startswith("_")


def strip_system_fields(item: Mapping[str, Any]) -> dict[str, Any]:
    """Return a copy of ``item`` without system fields."""
    return {k: v for k, v in item.items() if not is_system_field(k)}


@dataclass(frozen=True)
class FieldSpec:
    """One declared field; constraints left ``None`` are not checked."""

    name: str
    type: FieldType
    required: bool = False
    enum: tuple[Any, ...] | None = None
    min_length: int | None = None
    max_length: int | None = None
    minimum: float | None = None
    maximum: float | None = None
    integer: bool = False
    pattern: str | None = None

    def check(self, value: Any) -> str | None:
        """Return a problem description for ``value``, or None when it is valid."""
        problem = _type_problem(self.type, value)
        if problem is None:
            problem = self._constraint_problem(value)
        return problem

    def _constraint_problem(self, value: Any) -> str | None:
        if self.enum is not None and value not in self.enum:
            return f"must be one of {list(self.enum)}"
        if self.min_length is not None and len(value) < self.min_length:
            return f"length must be at least {self.min_length}"
        if self.max_length is not None and len(value) > self.max_length:
            return f"length must be at most {self.max_length}"
        if self.integer and not (isinstance(value, int) or float(value).is_integer()):
            return "must be an integer"
        if self.minimum is not None and value < self.minimum:
            return f"must be >= {self.minimum}"
        if self.maximum is not None and value > self.maximum:
            return f"must be <= {self.maximum}"
        if self.pattern is not None and compile_pattern(self.pattern).fullmatch(value) is None:
            return f"must match pattern {self.pattern!r}"
        return None


@lru_cache(maxsize=256)
def compile_pattern(pattern: str) -> Any:
    """Compile ``pattern`` with RE2 (linear time, no backtracking); raises ValueError.

    RE2 has no backreferences or lookaround; the whole value must match."""
    try:
        import re2  # type: ignore[import-untyped,unused-ignore]
    except ImportError:  # pragma: no cover - google-re2 is a dependency of atakora and of generated apps
        raise ValueError("the 'pattern' option needs the google-re2 package") from None
    options = re2.Options()
    options.log_errors = False
    try:
        return re2.compile(pattern, options)
    except re2.error as exc:
        detail = exc.args[0].decode("utf-8", "replace") if exc.args and isinstance(exc.args[0], bytes) else str(exc)
        raise ValueError(detail) from None


def _type_problem(kind: str, value: Any) -> str | None:
    ok: bool
    if kind == "string":
        ok = isinstance(value, str)
    elif kind == "number":
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        if ok and isinstance(value, float) and not math.isfinite(value):
            return "must be a finite number"
    elif kind == "boolean":
        ok = isinstance(value, bool)
    elif kind == "timestamp":
        return None if _is_iso_timestamp(value) else "must be an ISO-8601 timestamp string"
    elif kind == "array":
        ok = isinstance(value, list)
    else:
        ok = isinstance(value, dict)
    return None if ok else f"must be of type {kind}"


def _is_iso_timestamp(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def id_problem(value: Any) -> str | None:
    """Return why ``value`` cannot be an item id (Cosmos DB's rules, applied to every store), or None.

    An id is 1 to 255 characters (at most 1,023 UTF-8 bytes) without ``/``, ``\\``, ``?``, ``#``,
    control characters or unpaired surrogates, does not end with whitespace and is not ``.`` or ``..``
    (unreachable in a URL path)."""
    if not isinstance(value, str):
        return "must be of type string"
    if not value or len(value) > MAX_ID_LENGTH:
        return f"must be 1 to {MAX_ID_LENGTH} characters"
    try:
        size = len(value.encode("utf-8"))
    except UnicodeEncodeError:
        return "must not contain unpaired surrogate code points"
    if size > MAX_ID_BYTES:
        return f"must be at most {MAX_ID_BYTES} bytes in UTF-8"
    if any(c in _FORBIDDEN_ID_CHARS for c in value):
        return "must not contain '/', '\\', '?' or '#'"
    if any(unicodedata.category(c) == "Cc" for c in value):
        return "must not contain control characters"
    if value[-1].isspace():
        return "must not end with whitespace"
    if value in (".", ".."):
        return "must not be '.' or '..'"
    return None


def _ttl_problem(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int) or value == 0 or value < -1:
        return "must be -1 (never expire) or a positive number of seconds"
    return None


@dataclass(frozen=True)
class EntitySchema:
    """Declared fields of one entity; build it with :meth:`from_spec`."""

    fields: Mapping[str, FieldSpec] = field(default_factory=dict)
    allow_item_ttl: bool = False

    @classmethod
    def from_spec(
        cls, spec: Mapping[str, str | Mapping[str, Any]], *, allow_item_ttl: bool = False
    ) -> EntitySchema:
        """Parse ``{field: type}`` or ``{field: {"type": ..., "required": bool, ...}}``.

        Raises ValueError naming the field and the allowed types/options.
        ``allow_item_ttl`` (default False) accepts a per-item ``ttl`` field.
        """
        key = _spec_key(spec, allow_item_ttl) if cls is EntitySchema else None
        parsed = _PARSED.get(key) if key is not None else None
        if parsed is not None:
            return parsed
        fields: dict[str, FieldSpec] = {}
        for name, entry in spec.items():
            fields[name] = _parse_field(name, entry)
        schema = cls(fields=fields, allow_item_ttl=allow_item_ttl)
        if key is not None:
            if len(_PARSED) >= _MAX_PARSED:
                _PARSED.clear()
            _PARSED[key] = schema
        return schema

    def validate(self, payload: Any, *, for_update: bool = False) -> list[FieldError]:
        """Return every problem with ``payload`` (empty when valid).

        ``for_update`` (default False) requires ``id`` since an update replaces a known item.
        """
        if not isinstance(payload, dict):
            return [FieldError("", "request body must be a JSON object")]
        errors: list[FieldError] = []
        for name, value in payload.items():
            problem = self._field_problem(name, value)
            if problem is not None:
                errors.append(FieldError(name, problem))
        for name, spec in self.fields.items():
            if spec.required and name not in payload:
                errors.append(FieldError(name, "is required"))
        if for_update and RESERVED_ID not in payload:
            errors.append(FieldError(RESERVED_ID, "is required"))
        return errors

    def _field_problem(self, name: str, value: Any) -> str | None:
        if is_system_field(name):
            return "is a system field and cannot be set; use the If-Match header for concurrency"
        if name == RESERVED_ID:
            return id_problem(value) or self._declared_problem(name, value)
        if name == RESERVED_TTL and self.allow_item_ttl:
            return _ttl_problem(value)
        spec = self.fields.get(name)
        if spec is None:
            return "is not a known field"
        if value is None:
            return None if not spec.required else "must not be null"
        return spec.check(value)

    def _declared_problem(self, name: str, value: Any) -> str | None:
        spec = self.fields.get(name)
        return None if spec is None else spec.check(value)


_PARSED: dict[Hashable, EntitySchema] = {}
"""Parsed schemas by :func:`_spec_key`: identical specs (every API of a program) share one, read-only."""
_MAX_PARSED = 1024


def schema_spec_key(spec: Any) -> Hashable | None:
    """A hashable key equal only for schema specs that are alike in every value and type, or None."""
    return _spec_key(spec, False)


def _spec_key(spec: Any, allow_item_ttl: bool) -> Hashable | None:
    """A key equal only for specs that parse alike: exact builtin types, floats by ``repr``, or None."""
    if type(spec) is not dict and type(spec) is not MappingProxyType and not isinstance(spec, Mapping):
        return None
    items: list[Hashable] = [allow_item_ttl]
    for name, entry in spec.items():
        if type(name) is not str:
            return None
        value = entry if type(entry) is str else _value_key(entry)
        if value is None:
            return None
        items.append((name, value))
    return tuple(items)


def _value_key(value: Any) -> Hashable | None:
    """``value`` with the exact type of each part (``1``, ``1.0`` and ``True`` differ), or None."""
    kind = type(value)
    if kind is str or kind is bool or kind is int or value is None:
        return (kind, value)
    if kind is float:
        return (kind, repr(value))
    if kind is dict:
        pairs: list[Any] = [kind]
        for k, v in value.items():
            item = _value_key(v) if type(k) is str else None
            if item is None:
                return None
            pairs.append((k, item))
        return tuple(pairs)
    if kind is list or kind is tuple:
        parts: list[Any] = [kind]
        for v in value:
            item = _value_key(v)
            if item is None:
                return None
            parts.append(item)
        return tuple(parts)
    return None


class FieldNameError(ValueError):
    """A schema field name no item can carry; ``fix`` says what to name it."""

    fix = "name the field with fixed text such as 'category' or 'createdAt' (not starting with '_')"


def _parse_field(name: Any, entry: Any) -> FieldSpec:
    if not isinstance(name, str) or not name:
        raise FieldNameError(f"schema field name {name!r} must be a non-empty string")
    if "${" in name:
        raise FieldNameError(f"schema field name {name!r} holds a token, a value of the program printed as text: "
                             "a field name is fixed text that every stored item carries")
    if is_system_field(name):
        raise FieldNameError(f"schema field {name!r}: names starting with '_' are reserved for system fields")
    if name == RESERVED_TTL:
        raise FieldNameError(
            f"schema field {name!r} is reserved for per-item time-to-live; set the CrudApi ttl instead"
        )
    options: dict[str, Any] = {"type": entry} if isinstance(entry, str) else dict(entry)
    kind = options.pop("type", None)
    if kind not in FIELD_TYPES:
        raise ValueError(f"schema field {name!r}: type {kind!r} is not one of {', '.join(FIELD_TYPES)}")
    if name == RESERVED_ID and kind != "string":
        raise ValueError(f"schema field 'id' must have type 'string', not {kind!r}")
    required = options.pop("required", False)
    if not isinstance(required, bool):
        raise ValueError(f"schema field {name!r}: 'required' must be true or false")  # noqa: TRY004
    allowed = _EXTRAS_BY_TYPE[kind]
    unknown = sorted(set(options) - allowed)
    if unknown:
        hint = ", ".join(["type", "required", *sorted(allowed)])
        raise ValueError(f"schema field {name!r}: unknown option(s) {unknown}; allowed: {hint}")
    return _build_field(name, cast(FieldType, kind), required, options)


def _build_field(name: str, kind: FieldType, required: bool, options: dict[str, Any]) -> FieldSpec:
    enum = options.get("enum")
    if enum is not None and (not isinstance(enum, (list, tuple)) or not enum):
        raise ValueError(f"schema field {name!r}: 'enum' must be a non-empty list")
    for key in ("min_length", "max_length"):
        value = options.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            raise ValueError(f"schema field {name!r}: {key!r} must be a non-negative integer")
    for key in ("minimum", "maximum"):
        value = options.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
            raise ValueError(f"schema field {name!r}: {key!r} must be a number")
    pattern = options.get("pattern")
    if pattern is not None:
        if not isinstance(pattern, str):
            raise ValueError(f"schema field {name!r}: 'pattern' must be a string")
        try:
            compile_pattern(pattern)
        except ValueError as exc:
            raise ValueError(
                f"schema field {name!r}: 'pattern' {pattern!r} is not a valid RE2 expression ({exc}); "
                "RE2 runs in linear time and has no backreferences or lookaround"
            ) from None
    return FieldSpec(
        name=name,
        type=kind,
        required=required,
        enum=tuple(enum) if enum is not None else None,
        min_length=options.get("min_length"),
        max_length=options.get("max_length"),
        minimum=options.get("minimum"),
        maximum=options.get("maximum"),
        integer=bool(options.get("integer", False)),
        pattern=pattern,
    )
