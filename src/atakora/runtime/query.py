"""Filters and ordering of list requests, checked against the entity schema.

A list takes equality filters on scalar fields (``?status=open&category=books``: every filter must
match) and ``order_by=<field>`` (ascending) or ``order_by=-<field>`` (descending) on one scalar
field.  Values are typed by the schema: numbers are JSON numbers within +/-2^53, booleans are
``true``/``false``, timestamps ISO-8601 strings; anything else answers 400 naming the parameter.

Ordering is total and the same on every store: the field, then ``id``, then (cross-partition, when
the partition key is not ``/id``) the partition key value.  Within one partition the partition key
comes first, which a composite index turns into an index seek.  An ordered list holds only the
items that have the field (``IS_DEFINED``): Cosmos DB leaves items without the sort property out
under its default index and cannot order them reliably otherwise
(https://learn.microsoft.com/azure/cosmos-db/nosql/query/order-by#remarks).  ``null`` sorts lowest,
then booleans, numbers and strings (Cosmos DB's type order); descending reverses all of it.
Ordering by two or more paths needs a composite index
(https://learn.microsoft.com/azure/cosmos-db/index-policy#composite-indexes), so
:func:`composite_indexes` lists the ones a container must have for every ``order_by`` its API
accepts; a composite index also serves the exact reverse order, so ascending ones suffice.

Field names never come from the client as SQL: a parameter name is looked up in the schema and
the stores build their queries from the schema's names with bound values only.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from .errors import FieldError, RequestError
from .jsonsafe import MAX_SAFE_INTEGER, has_surrogate
from .partition import PartitionKeyPath
from .schema import EntitySchema

ORDER_PARAM = "order_by"
RESERVED_PARAMS = frozenset({"limit", "continuation", "code", "pk", ORDER_PARAM})
"""Query parameters of a list that are not filters (a field with one of these names cannot be a filter)."""
SCALAR_TYPES = frozenset({"string", "number", "boolean", "timestamp"})
MAX_FILTER_LENGTH = 1024
"""The longest filter value accepted, in characters."""
_JSON_INTEGER = re.compile(r"-?(?:0|[1-9][0-9]{0,15})")
_JSON_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]{0,15})(?:\.[0-9]{1,17})?(?:[eE][+-]?[0-9]{1,3})?")
_PLAIN_NAME = re.compile(r"[^\"\\\x00-\x1f\x7f]+")

Scalar = str | int | float | bool
Path = tuple[str, ...]


@dataclass(frozen=True)
class Filter:
    """``field`` equals ``value`` (of the schema type ``kind``)."""

    field: str
    kind: str
    value: Scalar


@dataclass(frozen=True)
class ListQuery:
    """The filters and order of one list request (default: no filter, the store's own order)."""

    filters: tuple[Filter, ...] = ()
    order_by: str | None = None
    descending: bool = False

    @property
    def fingerprint(self) -> str | None:
        """A short digest of the filters and order (None without either); continuation tokens carry it."""
        if not self.filters and self.order_by is None:
            return None
        canonical = json.dumps([[[f.field, f.kind, f.value] for f in self.filters], self.order_by, self.descending],
                               separators=(",", ":"), ensure_ascii=True)
        return hashlib.sha256(canonical.encode("ascii")).hexdigest()[:16]

    def sort_paths(self, pk: PartitionKeyPath, *, within_partition: bool) -> tuple[Path, ...]:
        """The property paths the results are ordered by (empty without ``order_by``)."""
        if self.order_by is None:
            return ()
        return sort_paths((self.order_by,), pk, within_partition=within_partition)


def sort_paths(field_path: Path, pk: PartitionKeyPath, *, within_partition: bool) -> tuple[Path, ...]:
    """``field_path`` made a total order: then ``id``, then the partition key (first within a partition)."""
    paths: list[Path] = [field_path, ("id",)]
    if not pk.is_id:
        paths = [pk.segments, *paths] if within_partition else [*paths, pk.segments]
    unique: list[Path] = []
    for path in paths:
        if path not in unique:
            unique.append(path)
    return tuple(unique)


@dataclass(frozen=True)
class QueryFields:
    """What the lists of one API may filter (name → type) and order by; build with :meth:`of`."""

    filterable: Mapping[str, str] = field(default_factory=dict)
    orderable: tuple[str, ...] = ()
    non_scalar: frozenset[str] = frozenset()
    unindexed: frozenset[str] = frozenset()

    @classmethod
    def of(cls, schema: EntitySchema, pk: PartitionKeyPath, unindexed: Iterable[str] = ()) -> QueryFields:
        """``id`` and the scalar schema fields, except reserved parameter names and the partition field
        (its own parameter); ``unindexed`` fields (not in the container's index) cannot be ordered by."""
        unindexed_set = frozenset(unindexed)
        if cls is not QueryFields:
            return cls._of(schema, pk, unindexed_set)
        key = (id(schema), pk, unindexed_set)
        known = _OF.get(key)
        if known is not None and known[0] is schema:
            return known[1]
        fields = cls._of(schema, pk, unindexed_set)
        if len(_OF) >= _MAX_OF:
            _OF.clear()
        _OF[key] = (schema, fields)
        return fields

    @classmethod
    def _of(cls, schema: EntitySchema, pk: PartitionKeyPath, unindexed_set: frozenset[str]) -> QueryFields:
        types = {"id": "string", **{name: spec.type for name, spec in schema.fields.items() if name != "id"}}
        scalar = {name: kind for name, kind in types.items()
                  if kind in SCALAR_TYPES and _PLAIN_NAME.fullmatch(name)}
        partition_field = None if pk.is_id else pk.field_name
        filterable = {name: kind for name, kind in scalar.items()
                      if name not in RESERVED_PARAMS and name != partition_field}
        orderable = tuple(name for name in scalar if name not in unindexed_set)
        non_scalar = frozenset(name for name, kind in types.items() if kind not in SCALAR_TYPES)
        return cls(filterable, orderable, non_scalar, unindexed_set & set(scalar))

    def read(self, params: Mapping[str, str], url: str, others: Iterable[str]) -> ListQuery:
        """The query of a list request: unknown parameters (not filters, ``order_by`` or ``others``) and
        parameters given more than once answer 400 (RequestError)."""
        known = {*others, *self.parameter_names}
        unknown = sorted(set(params) - known)
        if unknown:
            raise RequestError([FieldError(name, self.unknown_problem(name, known - {"code"})) for name in unknown],
                               "invalid_query")
        return self.parse(params, repeated=repeated_parameters(url))

    def parse(self, params: Mapping[str, str], *, repeated: Iterable[str] = ()) -> ListQuery:
        """The query of ``params`` (filters and ``order_by``; other parameters are the caller's);
        raises RequestError naming every bad parameter."""
        errors = [FieldError(name, "given more than once; give each query parameter once")
                  for name in sorted(set(repeated) - {"code"})]
        filters: list[Filter] = []
        for name in sorted(params):
            if name in self.filterable:
                value, problem = typed_value(self.filterable[name], params[name])
                if problem is not None:
                    errors.append(FieldError(name, problem))
                elif value is not None:
                    filters.append(Filter(name, self.filterable[name], value))
        order_by, descending = None, False
        raw_order = params.get(ORDER_PARAM)
        if raw_order:
            order_by, descending = raw_order.removeprefix("-"), raw_order.startswith("-")
            problem = self._order_problem(order_by)
            if problem is not None:
                errors.append(FieldError(ORDER_PARAM, problem))
        if errors:
            raise RequestError(errors, "invalid_query")
        return ListQuery(tuple(filters), order_by, descending)

    def unknown_problem(self, name: str, known: Iterable[str]) -> str:
        """Why ``name`` is not a parameter of the list (``known``: the ones it has)."""
        if name in self.non_scalar:
            return "is not a scalar field; filters take string, number, boolean and timestamp fields"
        if name in self.unindexed or name in RESERVED_PARAMS:
            return "cannot be a filter (its name is a list parameter)"
        return f"unknown query parameter; use {', '.join(sorted(known))}"

    @property
    def parameter_names(self) -> tuple[str, ...]:
        """Every filter parameter and ``order_by``."""
        return (*self.filterable, ORDER_PARAM)

    def _order_problem(self, name: str) -> str | None:
        if name in self.orderable:
            return None
        if name in self.non_scalar:
            return f"{name!r} is not a scalar field; order by a string, number, boolean or timestamp field"
        if name in self.unindexed:
            return f"{name!r} is excluded from the container's index, so it cannot be ordered by"
        choices = ", ".join(self.orderable) or "none"
        return f"unknown field {name!r}; order by one of {choices} (prefix '-' for descending)"


_OF: dict[tuple[int, PartitionKeyPath, frozenset[str]], tuple[EntitySchema, QueryFields]] = {}
"""``QueryFields.of`` by (schema object, partition key, unindexed fields): the APIs of one parsed schema
share one (read-only). Each entry holds its schema, so the schema's id stays its own."""
_MAX_OF = 1024


def typed_value(kind: str, raw: str) -> tuple[Scalar | None, str | None]:
    """``raw`` as a value of the schema type ``kind``: ``(value, None)``, or ``(None, problem)``."""
    if len(raw) > MAX_FILTER_LENGTH:
        return None, f"must be at most {MAX_FILTER_LENGTH} characters"
    if has_surrogate(raw):
        return None, "must not contain unpaired surrogates"
    if kind == "number":
        if _JSON_NUMBER.fullmatch(raw):
            number = int(raw) if _JSON_INTEGER.fullmatch(raw) else float(raw)
            if abs(number) <= MAX_SAFE_INTEGER:
                return number, None
        return None, f"must be a number (JSON syntax, between -{MAX_SAFE_INTEGER} and {MAX_SAFE_INTEGER})"
    if kind == "boolean":
        if raw in ("true", "false"):
            return raw == "true", None
        return None, "must be true or false"
    if kind == "timestamp":
        try:
            datetime.fromisoformat(raw)
        except ValueError:
            return None, "must be an ISO-8601 timestamp"
    return raw, None


def repeated_parameters(url: str) -> set[str]:
    """Names given more than once in the query string of ``url`` (hosts keep one value or join them)."""
    try:
        pairs = parse_qsl(urlsplit(url).query, keep_blank_values=True, errors="strict")
    except (UnicodeError, ValueError):
        return set()
    seen: set[str] = set()
    repeated: set[str] = set()
    for name, _ in pairs:
        (repeated if name in seen else seen).add(name)
    return repeated


def composite_indexes(fields: QueryFields, pk: PartitionKeyPath) -> list[list[tuple[str, str]]]:
    """The ascending composite indexes serving every ``order_by`` of ``fields``, in and across partitions."""
    indexes: list[list[tuple[str, str]]] = []
    for name in fields.orderable:
        for within in (False, True):
            paths = sort_paths((name,), pk, within_partition=within)
            index = [("/" + "/".join(p), "ascending") for p in paths]
            if len(index) > 1 and index not in indexes:
                indexes.append(index)
    return indexes


def unindexed_fields(names: Sequence[str], policy: Mapping[str, Any] | None) -> tuple[str, ...]:
    """The top-level fields among ``names`` that an ARM ``indexingPolicy`` leaves out of the index.

    The most precise matching path wins (``/f/?`` over ``/f/*`` over ``/*``) and ``id`` is always
    indexed in consistent mode, as in Cosmos DB's rules
    (https://learn.microsoft.com/azure/cosmos-db/index-policy#includeexclude-precedence); indexing
    mode ``none`` indexes nothing."""
    if policy is None:
        return ()
    if str(policy.get("indexingMode", "consistent")).lower() == "none":
        return tuple(names)
    rules = [(str(p.get("path", "")), True) for p in policy.get("includedPaths", [{"path": "/*"}])]
    rules += [(str(p.get("path", "")), False) for p in policy.get("excludedPaths", [])]
    return tuple(name for name in names if name != "id" and not _indexed(name, rules))


def _indexed(name: str, rules: Sequence[tuple[str, bool]]) -> bool:
    best: tuple[int, int, int] | None = None
    included = False
    for path, include in rules:
        segments = [s.strip('"') for s in path.strip("/").split("/")]
        tail, head = segments[-1], segments[:-1]
        if tail not in ("?", "*") or (tail == "?" and head != [name]) or (tail == "*" and head not in ([], [name])):
            continue
        rank = (len(head), 1 if tail == "?" else 0, 0 if include else 1)  # on a tie, exclusion wins
        if best is None or rank > best:
            best, included = rank, include
    return included
