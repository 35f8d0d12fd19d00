"""Azure Cosmos DB (NoSQL API) store; ``azure.cosmos``/``azure.identity`` are imported lazily.

In Azure the store authenticates with a managed identity (``DefaultAzureCredential``), never with
account keys; tests may pass a key or any token credential.  The container is expected to exist
(it is deployed with the infrastructure); its default TTL is configured there, and a per-item
``ttl`` field is honoured by Cosmos itself.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ..errors import (
    ConflictError,
    InvalidContinuationError,
    ItemTooLargeError,
    NotFoundError,
    PreconditionFailedError,
    StoreError,
    StoreRejectedError,
    StoreUnavailableError,
    ThrottledError,
)
from ..partition import PartitionKeyPath, PartitionValue, encode_partition_value
from ..query import ListQuery
from ..schema import strip_system_fields
from .base import DEFAULT_PAGE_SIZE, Item, Page, StoredItem, decode_token, encode_token, quote_etag

if TYPE_CHECKING:
    from azure.cosmos import ContainerProxy
    from azure.cosmos.exceptions import CosmosHttpResponseError

Parameters = list[dict[str, Any]]
Conditions = list[str]


class CosmosStore:
    """An ``EntityStore`` over one Cosmos container proxy (see :meth:`connect`)."""

    def __init__(self, container: ContainerProxy, *, partition_key: str = "/id") -> None:
        self._container = container
        self._pk = PartitionKeyPath.parse(partition_key)
        self._quoted_etags: bool | None = None

    @classmethod
    def connect(
        cls,
        *,
        endpoint: str,
        database: str,
        container: str,
        partition_key: str = "/id",
        credential: Any = None,
        managed_identity_client_id: str | None = None,
        **client_options: Any,
    ) -> CosmosStore:
        """Connect to ``endpoint``; ``credential`` None (default) uses DefaultAzureCredential.

        ``managed_identity_client_id`` (default None) selects a user-assigned identity;
        ``client_options`` go to ``CosmosClient`` (e.g. ``enable_endpoint_discovery=False``).
        """
        from azure.cosmos import CosmosClient

        if credential is None:
            from azure.identity import DefaultAzureCredential

            credential = DefaultAzureCredential(managed_identity_client_id=managed_identity_client_id)
        client = CosmosClient(endpoint, credential=credential, **client_options)
        proxy = client.get_database_client(database).get_container_client(container)
        return cls(proxy, partition_key=partition_key)

    @property
    def partition_key(self) -> PartitionKeyPath:
        """The container's partition key path."""
        return self._pk

    def create(self, item: Item) -> StoredItem:
        """Insert ``item``; raises ConflictError when its id exists in its partition."""
        from azure.cosmos.exceptions import CosmosHttpResponseError

        try:
            return self._stored(self._container.create_item(body=strip_system_fields(item)))
        except CosmosHttpResponseError as exc:
            raise _translate(exc, f"item {item.get('id')!r}") from exc

    def read(self, id: str, partition_value: PartitionValue) -> StoredItem:
        """Return the item; raises NotFoundError."""
        from azure.cosmos.exceptions import CosmosHttpResponseError

        try:
            return self._stored(self._container.read_item(item=id, partition_key=partition_value))
        except CosmosHttpResponseError as exc:
            error = _translate(exc, f"item {id!r}")
            # some Cosmos-compatible servers answer 5xx for a missing item: ask whether it exists
            if type(error) in (StoreError, StoreUnavailableError) and not self._exists(id, partition_value):
                raise NotFoundError(f"no item with id {id!r}") from exc
            raise error from exc

    def replace(
        self, id: str, partition_value: PartitionValue, item: Item, if_match: str | None = None
    ) -> StoredItem:
        """Replace the whole item, conditionally on ``if_match`` when given."""
        from azure.cosmos.exceptions import CosmosHttpResponseError

        conditions = self._conditions(id, partition_value, if_match)
        try:
            result = self._container.replace_item(item=id, body=strip_system_fields(item), **conditions)
        except CosmosHttpResponseError as exc:
            raise _translate(exc, f"item {id!r}") from exc
        return self._stored(result)

    def delete(self, id: str, partition_value: PartitionValue, if_match: str | None = None) -> None:
        """Delete the item, conditionally on ``if_match`` when given."""
        from azure.cosmos.exceptions import CosmosHttpResponseError

        conditions = self._conditions(id, partition_value, if_match)
        try:
            self._container.delete_item(item=id, partition_key=partition_value, **conditions)
        except CosmosHttpResponseError as exc:
            raise _translate(exc, f"item {id!r}") from exc

    def list(
        self,
        partition_value: PartitionValue | None = None,
        continuation: str | None = None,
        limit: int = DEFAULT_PAGE_SIZE,
        query: ListQuery | None = None,
    ) -> Page:
        """Return one page of items matching ``query``; a partition filter keeps the query in one partition."""
        from azure.cosmos.exceptions import CosmosHttpResponseError

        query = query or ListQuery()
        scope = None if partition_value is None else encode_partition_value(partition_value)
        sdk_token = _decode_sdk_token(continuation, scope, query.fingerprint) if continuation else None
        sql, parameters = self._sql(query, partition_value)
        query_options: dict[str, Any] = {"max_item_count": limit, "parameters": parameters}
        if partition_value is None:
            query_options["enable_cross_partition_query"] = True
        else:
            query_options["partition_key"] = partition_value
        try:
            pages = self._container.query_items(sql, **query_options).by_page(sdk_token)
            items = [strip_system_fields(doc) for doc in next(pages, [])]
            next_token: str | None = getattr(pages, "continuation_token", None)
        except CosmosHttpResponseError as exc:
            if exc.status_code == 400 and sdk_token is not None:
                raise InvalidContinuationError("continuation token was rejected") from exc
            raise _translate(exc, "listing") from exc
        token = encode_token({"s": scope, "q": query.fingerprint, "t": next_token}) if next_token else None
        return Page(items, token)

    def _sql(self, query: ListQuery, partition_value: PartitionValue | None) -> tuple[str, Parameters]:
        """The parameterized SQL of ``query``: property names from the schema, every value a parameter."""
        where: Conditions = []
        parameters: Parameters = []
        if partition_value is not None:
            where.append(f"{self._pk.cosmos_expression()} = @pk")
            parameters.append({"name": "@pk", "value": partition_value})
        for i, condition in enumerate(query.filters):
            where.append(f"{_property((condition.field,))} = @f{i}")
            parameters.append({"name": f"@f{i}", "value": condition.value})
        if query.order_by is not None and query.order_by != "id":
            where.append(f"IS_DEFINED({_property((query.order_by,))})")
        sql = "SELECT * FROM c" + (f" WHERE {' AND '.join(where)}" if where else "")
        paths = query.sort_paths(self._pk, within_partition=partition_value is not None)
        if paths:
            direction = " DESC" if query.descending else " ASC"
            sql += " ORDER BY " + ", ".join(_property(p) + direction for p in paths)
        return sql, parameters

    def ping(self) -> None:
        """Read the container's properties (needs only metadata read rights)."""
        self._container.read()

    def close(self) -> None:
        """Nothing to release: the client's connections are pooled by the SDK."""

    def _stored(self, doc: dict[str, Any]) -> StoredItem:
        native = str(doc.get("_etag", ""))
        self._quoted_etags = native.startswith('"')
        return StoredItem(strip_system_fields(doc), quote_etag(native))

    def _conditions(self, id: str, partition_value: PartitionValue, if_match: str | None) -> dict[str, Any]:
        if if_match is None:
            return {}
        from azure.core import MatchConditions

        if self._quoted_etags is None:  # learn whether this server quotes its ETags
            self.read(id, partition_value)
        etag = if_match if self._quoted_etags else if_match.strip('"')
        return {"etag": etag, "match_condition": MatchConditions.IfNotModified}

    def _exists(self, id: str, partition_value: PartitionValue) -> bool:
        query = f"SELECT VALUE c.id FROM c WHERE c.id = @id AND {self._pk.cosmos_expression()} = @pk"
        params: list[dict[str, Any]] = [{"name": "@id", "value": id}, {"name": "@pk", "value": partition_value}]
        found = self._container.query_items(query, parameters=params, partition_key=partition_value)
        return any(True for _ in found)


def _translate(exc: CosmosHttpResponseError, subject: str) -> StoreError:
    """Map a Cosmos answer (after the SDK's own retries of 429/449/503) to a store error."""
    status = exc.status_code
    if status == 404:
        return NotFoundError(f"no {subject}")
    if status == 409:
        return ConflictError(f"{subject} already exists")
    if status == 412:
        return PreconditionFailedError(f"{subject} has changed (ETag mismatch)")
    if status == 429:
        return ThrottledError(f"Cosmos DB is rate limiting {subject}", _retry_after_seconds(exc))
    if status == 413:
        return ItemTooLargeError(f"{subject} exceeds the Cosmos DB item size limit")
    if status == 400:
        return StoreRejectedError(f"the database rejected {subject} as invalid")
    if status in (408, 410, 449, 500, 502, 503, 504):
        return StoreUnavailableError(f"Cosmos DB answered {status} for {subject}")
    return StoreError(f"Cosmos DB answered {status} for {subject}")


def _retry_after_seconds(exc: CosmosHttpResponseError) -> int:
    """Whole seconds from ``x-ms-retry-after-ms`` (at least 1)."""
    headers = getattr(getattr(exc, "response", None), "headers", None) or getattr(exc, "headers", None) or {}
    raw = headers.get("x-ms-retry-after-ms") if hasattr(headers, "get") else None
    try:
        return max(1, -(-int(float(raw)) // 1000)) if raw is not None else 1
    except ValueError:
        return 1


def _property(segments: tuple[str, ...]) -> str:
    """``c["a"]["b"]``: each name a JSON string literal, so no name can end the expression."""
    return "c" + "".join(f"[{json.dumps(s)}]" for s in segments)


def _decode_sdk_token(token: str, scope: str | None, fingerprint: str | None) -> str:
    state = decode_token(token)
    if not (isinstance(state, dict) and isinstance(state.get("t"), str)):
        raise InvalidContinuationError("continuation token is malformed")
    if state.get("s") != scope:
        raise InvalidContinuationError("continuation token belongs to a different partition filter")
    if state.get("q") != fingerprint:
        raise InvalidContinuationError("continuation token belongs to a different query (filters or order_by)")
    return str(state["t"])
