"""Embedded SQLite store for local development and tests, with Cosmos-like semantics.

TTL follows Cosmos: ``default_ttl=None`` disables expiry (item ``ttl`` ignored); ``-1`` enables
per-item ``ttl`` without a default; ``n > 0`` expires items ``n`` seconds after their last write
unless the item's own ``ttl`` overrides it (``-1`` = never).  Expired items are invisible and are
purged on the next write or listing.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

from ..errors import ConflictError, InvalidContinuationError, NotFoundError, PreconditionFailedError
from ..partition import MISSING, PartitionKeyPath, PartitionValue, encode_partition_value
from ..query import Filter, ListQuery
from ..schema import strip_system_fields
from .base import DEFAULT_PAGE_SIZE, Item, Page, StoredItem, decode_token, encode_token, unquote_etag

_SCHEMA = """
CREATE TABLE IF NOT EXISTS items (
    pk TEXT NOT NULL,
    id TEXT NOT NULL,
    body TEXT NOT NULL,
    etag TEXT NOT NULL,
    ts REAL NOT NULL,
    expires_at REAL,
    PRIMARY KEY (pk, id)
)
"""
_LIVE = "(expires_at IS NULL OR expires_at > ?)"


class SqliteStore:
    """An ``EntityStore`` on a SQLite file (or ``':memory:'``), safe to share between threads.

    ``clock`` (default ``time.time``) returns seconds and lets tests move time forward.
    """

    def __init__(
        self,
        path: str = ":memory:",
        *,
        partition_key: str = "/id",
        default_ttl: int | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if default_ttl is not None and not _is_ttl(default_ttl):
            raise ValueError("default_ttl must be None, -1 or a positive number of seconds")
        self._pk = PartitionKeyPath.parse(partition_key)
        self._default_ttl = default_ttl
        self._clock = clock
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False)
        with self._lock, self._db:
            self._db.execute(_SCHEMA)

    @property
    def partition_key(self) -> PartitionKeyPath:
        """The container's partition key path."""
        return self._pk

    def create(self, item: Item) -> StoredItem:
        """Insert ``item``; raises ConflictError when its id is live in its partition."""
        body, pk, now = strip_system_fields(item), self._encoded_pk_of(item), self._clock()
        etag = _new_etag()
        with self._lock, self._db:
            self._purge(now)
            try:
                self._db.execute(
                    "INSERT INTO items (pk, id, body, etag, ts, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
                    (pk, body["id"], json.dumps(body), etag, now, self._expiry(body, now)),
                )
            except sqlite3.IntegrityError as exc:
                raise ConflictError(f"an item with id {body['id']!r} already exists") from exc
        return StoredItem(body, etag)

    def read(self, id: str, partition_value: PartitionValue) -> StoredItem:
        """Return the live item; raises NotFoundError."""
        with self._lock:
            row = self._live_row(id, encode_partition_value(partition_value), self._clock())
        if row is None:
            raise NotFoundError(f"no item with id {id!r}")
        return StoredItem(json.loads(row[0]), row[1])

    def replace(
        self, id: str, partition_value: PartitionValue, item: Item, if_match: str | None = None
    ) -> StoredItem:
        """Replace the item (its id and partition value must match the arguments)."""
        body, pk, now = strip_system_fields(item), encode_partition_value(partition_value), self._clock()
        if body.get("id") != id or self._encoded_pk_of(body) != pk:
            raise ValueError("replacement item must keep its id and partition value")
        etag = _new_etag()
        with self._lock, self._db:
            self._check_current(id, pk, now, if_match)
            self._db.execute(
                "UPDATE items SET body = ?, etag = ?, ts = ?, expires_at = ? WHERE pk = ? AND id = ?",
                (json.dumps(body), etag, now, self._expiry(body, now), pk, id),
            )
        return StoredItem(body, etag)

    def delete(self, id: str, partition_value: PartitionValue, if_match: str | None = None) -> None:
        """Delete the item; raises NotFoundError or PreconditionFailedError."""
        pk, now = encode_partition_value(partition_value), self._clock()
        with self._lock, self._db:
            self._check_current(id, pk, now, if_match)
            self._db.execute("DELETE FROM items WHERE pk = ? AND id = ?", (pk, id))

    def list(
        self,
        partition_value: PartitionValue | None = None,
        continuation: str | None = None,
        limit: int = DEFAULT_PAGE_SIZE,
        query: ListQuery | None = None,
    ) -> Page:
        """Return up to ``limit`` live items matching ``query``, in its order (default: by partition, id)."""
        query = query or ListQuery()
        scope = None if partition_value is None else encode_partition_value(partition_value)
        now = self._clock()
        where: list[str] = [_LIVE]
        args: list[Any] = [now]
        if scope is not None:
            where.append("pk = ?")
            args.append(scope)
        for condition, values in map(_filter_sql, query.filters):
            where.append(condition)
            args.extend(values)
        if query.order_by is not None and query.order_by != "id":
            where.append("json_type(body, ?) IS NOT NULL")  # only items that have the field, as on Cosmos
            args.append(_json_path((query.order_by,)))
        keys, key_args = _sort_keys(query.sort_paths(self._pk, within_partition=scope is not None))
        columns = ", ".join(f"{expr} AS k{i}" for i, expr in enumerate(keys))
        names = [f"k{i}" for i in range(len(keys))]
        direction = " DESC" if query.descending else ""
        sql = f"SELECT * FROM (SELECT pk, id, body, {columns} FROM items WHERE {' AND '.join(where)})"
        position: list[Any] = []
        if continuation is not None:
            position = _decode_position(continuation, scope, query.fingerprint, len(keys))
            marks = ", ".join("?" * len(keys))
            sql += f" WHERE ({', '.join(names)}) {'<' if query.descending else '>'} ({marks})"
        sql += f" ORDER BY {', '.join(n + direction for n in names)} LIMIT ?"
        with self._lock, self._db:
            self._purge(now)
            rows = self._db.execute(sql, (*key_args, *args, *position, limit + 1)).fetchall()
        more = len(rows) > limit
        rows = rows[:limit]
        token = encode_token({"s": scope, "q": query.fingerprint, "k": list(rows[-1][3:])}) if more else None
        return Page([json.loads(r[2]) for r in rows], token)

    def ping(self) -> None:
        """Run a trivial query."""
        with self._lock:
            self._db.execute("SELECT 1").fetchone()

    def close(self) -> None:
        """Close the database connection."""
        with self._lock:
            self._db.close()

    def _encoded_pk_of(self, item: Item) -> str:
        value = self._pk.value_of(item)
        if value is MISSING or "id" not in item:
            raise ValueError(f"item must have an id and a scalar value at {self._pk.path}")
        return encode_partition_value(value)  # type: ignore[arg-type]

    def _expiry(self, body: Item, now: float) -> float | None:
        if self._default_ttl is None:
            return None
        ttl: Any = body.get("ttl")
        if not _is_ttl(ttl):
            ttl = self._default_ttl
        return None if ttl == -1 else now + ttl

    def _live_row(self, id: str, pk: str, now: float) -> tuple[str, str] | None:
        row = self._db.execute(
            f"SELECT body, etag FROM items WHERE pk = ? AND id = ? AND {_LIVE}", (pk, id, now)
        ).fetchone()
        return None if row is None else (row[0], row[1])

    def _check_current(self, id: str, pk: str, now: float, if_match: str | None) -> None:
        row = self._live_row(id, pk, now)
        if row is None:
            raise NotFoundError(f"no item with id {id!r}")
        if if_match is not None and unquote_etag(if_match) != unquote_etag(row[1]):
            raise PreconditionFailedError(f"item {id!r} has changed (ETag mismatch)")

    def _purge(self, now: float) -> None:
        self._db.execute("DELETE FROM items WHERE expires_at IS NOT NULL AND expires_at <= ?", (now,))


def _is_ttl(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and (value == -1 or value > 0)


def _new_etag() -> str:
    return f'"{uuid.uuid4()}"'


def _json_path(segments: tuple[str, ...]) -> str:
    return "$" + "".join(f'."{s}"' for s in segments)


def _filter_sql(condition: Filter) -> tuple[str, list[Any]]:
    """A WHERE clause matching Cosmos DB's typed equality (``5`` never equals ``"5"``), with bound values."""
    if condition.field == "id":
        return "id = ?", [condition.value]
    path = _json_path((condition.field,))
    if condition.kind == "boolean":
        return "json_type(body, ?) = ?", [path, "true" if condition.value else "false"]
    types = "('integer', 'real')" if condition.kind == "number" else "('text')"
    return f"(json_type(body, ?) IN {types} AND json_extract(body, ?) = ?)", [path, path, condition.value]


_TYPE_CLASS = ("CASE WHEN json_type(body, ?) IS NULL THEN 0 WHEN json_type(body, ?) = 'null' THEN 1 "
               "WHEN json_type(body, ?) IN ('false', 'true') THEN 2 WHEN json_type(body, ?) IN ('integer', 'real') "
               "THEN 3 WHEN json_type(body, ?) = 'text' THEN 4 ELSE 5 END")
_TYPED_VALUE = ("CASE WHEN json_type(body, ?) IN ('integer', 'real', 'text') THEN json_extract(body, ?) "
                "WHEN json_type(body, ?) = 'true' THEN 1 ELSE 0 END")


def _sort_keys(paths: tuple[tuple[str, ...], ...]) -> tuple[list[str], list[Any]]:
    """Sort key expressions and their bound paths: per path its Cosmos type class and value, then ``pk, id``
    (the primary key, so the order is total and a position is one row)."""
    if not paths:
        return ["pk", "id"], []
    keys: list[str] = []
    args: list[Any] = []
    for segments in paths:
        if segments == ("id",):
            keys.append("id")
            continue
        path = _json_path(segments)
        keys += [_TYPE_CLASS, _TYPED_VALUE]
        args += [path] * 8
    return [*keys, "pk", "id"] if "id" not in keys else [*keys, "pk"], args


def _decode_position(token: str, scope: str | None, fingerprint: str | None, size: int) -> list[Any]:
    state = decode_token(token)
    keys = state.get("k") if isinstance(state, dict) else None
    if not (isinstance(keys, list) and len(keys) == size
            and all(isinstance(k, (str, int, float)) and not isinstance(k, bool) for k in keys)):
        raise InvalidContinuationError("continuation token is malformed")
    if state.get("s") != scope:
        raise InvalidContinuationError("continuation token belongs to a different partition filter")
    if state.get("q") != fingerprint:
        raise InvalidContinuationError("continuation token belongs to a different query (filters or order_by)")
    return keys
