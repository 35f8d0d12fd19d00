"""Entity use cases between the HTTP handlers and a store: validation and identity rules."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from .errors import FieldError, RequestError
from .partition import Missing, PartitionValue
from .schema import EntitySchema, id_problem
from .stores.base import DEFAULT_PAGE_SIZE, EntityStore, Item, Page, StoredItem


def _new_id() -> str:
    return str(uuid.uuid4())


class EntityService:
    """Validated create/read/replace/delete/list for one entity.

    ``id_factory`` (default: random UUID4 string) names items created without an ``id``.
    """

    def __init__(
        self, store: EntityStore, schema: EntitySchema, *, id_factory: Callable[[], str] = _new_id
    ) -> None:
        self.store = store
        self.schema = schema
        self._new_id = id_factory

    @property
    def needs_partition_value(self) -> bool:
        """True when reads need a partition value besides the id (partition key is not /id)."""
        return not self.store.partition_key.is_id

    def create(self, payload: Any) -> StoredItem:
        """Validate and insert; an absent ``id`` is generated.  Raises RequestError."""
        if isinstance(payload, dict) and "id" not in payload:
            payload = {"id": self._new_id(), **payload}
        item, _ = self._validated(payload, for_update=False)
        return self.store.create(item)

    def read(self, id: str, partition_value: PartitionValue | None) -> StoredItem:
        """Return one item; raises RequestError when the partition value is needed but missing."""
        return self.store.read(id, self._locate(id, partition_value))

    def replace(
        self, id: str, partition_value: PartitionValue | None, payload: Any, if_match: str | None
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
        return self.store.replace(id, new_value, item, if_match)

    def delete(self, id: str, partition_value: PartitionValue | None, if_match: str | None) -> None:
        """Delete one item."""
        self.store.delete(id, self._locate(id, partition_value), if_match)

    def list(
        self,
        partition_value: PartitionValue | None = None,
        continuation: str | None = None,
        limit: int = DEFAULT_PAGE_SIZE,
    ) -> Page:
        """Return one page of items."""
        return self.store.list(partition_value, continuation, limit)

    def _locate(self, id: str, partition_value: PartitionValue | None) -> PartitionValue:
        problem = id_problem(id)
        if problem is not None:
            raise RequestError([FieldError("id", problem)])
        if not self.needs_partition_value:
            return id
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
        value = self.store.partition_key.value_of(payload)
        if isinstance(value, Missing):
            path = self.store.partition_key.path
            raise RequestError([FieldError(path, "partition key value is required (string, number or boolean)")])
        return dict(payload), value
