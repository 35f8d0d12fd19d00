"""The store interface every CRUD handler talks to, and the value types it returns."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from .. import jsonsafe
from ..errors import InvalidContinuationError
from ..partition import PartitionKeyPath, PartitionValue
from ..query import ListQuery

Item = dict[str, Any]
Items = list[Item]
DEFAULT_PAGE_SIZE = 50
MAX_TOKEN_LENGTH = 16384


@dataclass(frozen=True)
class StoredItem:
    """An item as stored (system fields removed) and its ETag (a quoted HTTP entity tag)."""

    item: Item
    etag: str


@dataclass(frozen=True)
class Page:
    """One page of a listing; ``continuation`` is None on the last page.

    A page may hold fewer than ``limit`` items even when more follow (Cosmos does this).
    """

    items: Items = field(default_factory=list)
    continuation: str | None = None


@runtime_checkable
class EntityStore(Protocol):
    """Persistence for one entity container.

    Errors derive from :class:`~..errors.StoreError`: ``NotFoundError``, ``ConflictError``,
    ``PreconditionFailedError`` and ``InvalidContinuationError``.
    """

    @property
    def partition_key(self) -> PartitionKeyPath:
        """The container's partition key path."""
        ...

    def create(self, item: Item) -> StoredItem:
        """Insert ``item``; raises ConflictError when its id exists in its partition."""
        ...

    def read(self, id: str, partition_value: PartitionValue) -> StoredItem:
        """Return the live item; raises NotFoundError."""
        ...

    def replace(
        self, id: str, partition_value: PartitionValue, item: Item, if_match: str | None = None
    ) -> StoredItem:
        """Replace the whole item; raises NotFoundError or PreconditionFailedError."""
        ...

    def delete(self, id: str, partition_value: PartitionValue, if_match: str | None = None) -> None:
        """Delete the item; raises NotFoundError or PreconditionFailedError."""
        ...

    def list(
        self,
        partition_value: PartitionValue | None = None,
        continuation: str | None = None,
        limit: int = DEFAULT_PAGE_SIZE,
        query: ListQuery | None = None,
    ) -> Page:
        """Return up to ``limit`` items, optionally of one partition, matching ``query`` (filters and
        order; default none), after ``continuation`` (bound to the partition and the query)."""
        ...

    def ping(self) -> None:
        """Raise when the backing database does not answer (used by the health route)."""
        ...

    def close(self) -> None:
        """Release connections; the store is unusable afterwards."""
        ...


def quote_etag(etag: str) -> str:
    """Return ``etag`` as a quoted HTTP entity tag (unchanged when already quoted or weak)."""
    if etag.startswith(('"', "W/")):
        return etag
    return f'"{etag}"'


def unquote_etag(etag: str) -> str:
    """Strip a weak marker and surrounding quotes from an entity tag."""
    etag = etag.removeprefix("W/")
    if len(etag) >= 2 and etag.startswith('"') and etag.endswith('"'):
        return etag[1:-1]
    return etag


def encode_token(payload: Any) -> str:
    """Encode a JSON-serialisable continuation state as an opaque URL-safe token."""
    raw = json.dumps(payload, separators=(",", ":")).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_token(token: str) -> Any:
    """Decode a token made by :func:`encode_token`; raises InvalidContinuationError."""
    if len(token) > MAX_TOKEN_LENGTH:
        raise InvalidContinuationError("continuation token is malformed")
    try:
        padded = token + "=" * (-len(token) % 4)
        return jsonsafe.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (ValueError, binascii.Error, UnicodeError):
        raise InvalidContinuationError("continuation token is malformed") from None
