"""Entity use cases between the HTTP handlers and a store: validation and identity rules."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from .conditions import ANY, Condition, single_strong_tag, strong_match
from .errors import FieldError, NotFoundError, PreconditionFailedError, RequestError
from .jsonsafe import compact_size
from .partition import Missing, PartitionValue
from .query import ListQuery
from .schema import EntitySchema, id_problem
from .stores.base import DEFAULT_PAGE_SIZE, EntityStore, Item, Page, StoredItem

MAX_ITEM_BYTES = 2 * 1024 * 1024 - 4096
"""Largest item accepted (compact UTF-8 JSON): Cosmos DB's 2 MB item limit less room for its system properties."""


def _new_id() -> str:
    return str(uuid.uuid4())


class EntityService:
    """Validated create/read/replace/delete/list for one entity.

    ``id_factory`` (default: random UUID4 string) names items created without an ``id``.
    ``reserved_ids`` (default none, compared case-insensitively like the host's routing) are ids a
    route of the API already uses (the health route), refused on create.

    Conditional writes take the parsed ``If-Match`` (RFC 9110: strong comparison, ``*`` or a list;
    a missing item fails the condition with 412).
    """

    def __init__(
        self,
        store: EntityStore,
        schema: EntitySchema,
        *,
        id_factory: Callable[[], str] = _new_id,
        reserved_ids: frozenset[str] = frozenset(),
    ) -> None:
        self.store = store
        self.schema = schema
        self._new_id = id_factory
        self._reserved = frozenset(i.casefold() for i in reserved_ids)

    @property
    def needs_partition_value(self) -> bool:
        """True when reads need a partition value besides the id (partition key is not /id)."""
        return not self.store.partition_key.is_id

    def create(self, payload: Any) -> StoredItem:
        """Validate and insert; an absent ``id`` is generated.  Raises RequestError."""
        if isinstance(payload, dict) and "id" not in payload:
            payload = {"id": self._new_id(), **payload}
        item, _ = self._validated(payload, for_update=False)
        if str(item["id"]).casefold() in self._reserved:
            message = f"{item['id']!r} is reserved: a route of this API has that name"
            raise RequestError([FieldError("id", message)])
        return self.store.create(item)

    def read(self, id: str, partition_value: PartitionValue | None) -> StoredItem:
        """Return one item; raises RequestError when the partition value is needed but missing."""
        return self.store.read(id, self._locate(id, partition_value))

    def replace(
        self, id: str, partition_value: PartitionValue | None, payload: Any, if_match: Condition | None
    ) -> StoredItem:
        """Fully replace an item; the body id and partition value must match the addressed item."""
        if isinstance(payload, dict) and "id" not in payload:
            payload = {"id": id, **payload}
        item, new_value = self._validated(payload, for_update=True)
        if item["id"] != id:
            raise RequestError([FieldError("id", f"must equal the id in the URL ({id!r})")])
        if partition_value is not None and new_value != partition_value:
            path = self.store.partition_key.path
            raise RequestError([FieldError(path, "partition key value cannot change")])
        self._locate(id, new_value)
        tag = self._precondition(id, new_value, if_match)
        try:
            return self.store.replace(id, new_value, item, tag)
        except NotFoundError:
            if if_match is not None:
                raise PreconditionFailedError(f"item {id!r} does not exist") from None
            raise

    def delete(self, id: str, partition_value: PartitionValue | None, if_match: Condition | None) -> None:
        """Delete one item."""
        value = self._locate(id, partition_value)
        tag = self._precondition(id, value, if_match)
        try:
            self.store.delete(id, value, tag)
        except NotFoundError:
            if if_match is not None:
                raise PreconditionFailedError(f"item {id!r} does not exist") from None
            raise

    def _precondition(self, id: str, value: PartitionValue, condition: Condition | None) -> str | None:
        """The ETag the store must check atomically, after evaluating ``condition`` (412 when it fails)."""
        if condition is None:
            return None
        single = single_strong_tag(condition)
        if single is not None:
            return single
        try:
            current = self.store.read(id, value)
        except NotFoundError:
            raise PreconditionFailedError(f"item {id!r} does not exist") from None
        if not strong_match(condition, current.etag):
            raise PreconditionFailedError(f"item {id!r} matches none of the If-Match tags")
        return current.etag if condition != ANY else None

    def list(
        self,
        partition_value: PartitionValue | None = None,
        continuation: str | None = None,
        limit: int = DEFAULT_PAGE_SIZE,
        query: ListQuery | None = None,
    ) -> Page:
        """Return one page of items matching ``query`` (default: all, in the store's order)."""
        return self.store.list(partition_value, continuation, limit, query)

    def _locate(self, id: str, partition_value: PartitionValue | None) -> PartitionValue:
        problem = id_problem(id)
        if problem is not None:
            raise RequestError([FieldError("id", problem)])
        if not self.needs_partition_value:
            return id if partition_value is None else partition_value
        if partition_value is None:
            path = self.store.partition_key.path
            raise RequestError(
                [FieldError(path, "the partition key value is required (query parameter 'pk')")],
                code="partition_key_required",
            )
        return partition_value

    def _validated(self, payload: Any, *, for_update: bool) -> tuple[Item, PartitionValue]:
        errors = self.schema.validate(payload, for_update=for_update)
        if errors:
            raise RequestError(errors)
        size = compact_size(payload)
        if size > MAX_ITEM_BYTES:
            message = f"the item is {size} bytes as JSON; at most {MAX_ITEM_BYTES} bytes fit in one item"
            raise RequestError([FieldError("", message)], "payload_too_large")
        value = self.store.partition_key.value_of(payload)
        if isinstance(value, Missing):
            path = self.store.partition_key.path
            raise RequestError([FieldError(path, "partition key value is required (string, number or boolean)")])
        return dict(payload), value
