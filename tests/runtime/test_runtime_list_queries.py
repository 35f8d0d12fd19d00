"""Filters and ordering of lists: the same items, order and statuses on SQLite and on the Cosmos-compatible server."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from conftest import Api

from atakora.runtime.partition import PartitionKeyPath
from atakora.runtime.query import QueryFields
from atakora.runtime.schema import EntitySchema

SCHEMA: dict[str, Any] = {
    "title": {"type": "string", "required": True},
    "category": "string",
    "price": "number",
    "inStock": "boolean",
    "added": "timestamp",
    "tags": "array",
    "meta": "object",
}
ITEMS: list[dict[str, Any]] = [
    {"id": "a", "title": "Atlas", "category": "books", "price": 12, "inStock": True, "added": "2024-01-02T00:00:00"},
    {"id": "b", "title": "Bread", "category": "food", "price": 3.5, "inStock": False},
    {"id": "c", "title": "Chess", "category": "games", "price": 12, "inStock": True, "tags": ["x"]},
    {"id": "d", "title": "Dune", "category": "books", "price": 9, "inStock": False},
    {"id": "e", "title": "Eggs", "category": "food", "price": None, "inStock": True},
    {"id": "f", "title": "Flute", "category": "books", "inStock": True},
    {"id": "g", "title": "Go", "category": "games", "price": -1, "inStock": True, "meta": {"k": 1}},
]


def _api(any_api: Callable[..., Api], partition_key: str = "/id") -> Api:
    api = any_api(partition_key=partition_key, schema=SCHEMA, route_prefix="products", component_id="ProductApi",
                  entity_name="Product")
    for item in ITEMS:
        assert api.call("POST", json=item).status == 201
    return api


def _all(api: Api, **params: str) -> list[str]:
    """Every id of a listing, page by page (two items a page)."""
    ids: list[str] = []
    token: str | None = None
    for _ in range(20):
        response = api.call("GET", params={**params, "limit": "2", **({"continuation": token} if token else {})})
        assert response.status == 200, response.body[:300]
        ids += [item["id"] for item in response.json["items"]]
        token = response.json["continuation"]
        if token is None:
            return ids
    raise AssertionError("the listing did not end")


FILTERS: list[tuple[dict[str, str], set[str]]] = [
    ({"inStock": "true"}, {"a", "c", "e", "f", "g"}),
    ({"price": "12"}, {"a", "c"}),
    ({"price": "12.0"}, {"a", "c"}),
    ({"price": "3.5", "inStock": "false"}, {"b"}),
    ({"title": "Dune"}, {"d"}),
    ({"title": "dune"}, set()),
    ({"added": "2024-01-02T00:00:00"}, {"a"}),
    ({"id": "c"}, {"c"}),
    ({"category": "books", "inStock": "true"}, {"a", "f"}),
    ({"pk": "food", "price": "3.5"}, {"b"}),
]


@pytest.mark.parametrize("partition_key", ["/id", "/category"])
def test_equality_filters_select_the_same_items_on_every_store(any_api: Callable[..., Api], partition_key: str) -> None:
    api = _api(any_api, partition_key)
    for params, expected in FILTERS:
        if "pk" in params and partition_key == "/id":
            params = {"price": params["price"]}
        assert set(_all(api, **params)) == expected, params


ASCENDING_BY_PRICE = ["e", "g", "b", "d", "a", "c"]  # null, then numbers, ties by id; f has no price


ORDERS: list[tuple[dict[str, str], list[str]]] = [
    ({"order_by": "price"}, ASCENDING_BY_PRICE),
    ({"order_by": "-price"}, ASCENDING_BY_PRICE[::-1]),
    ({"order_by": "title"}, ["a", "b", "c", "d", "e", "f", "g"]),
    ({"order_by": "-id"}, ["g", "f", "e", "d", "c", "b", "a"]),
    ({"order_by": "inStock"}, ["b", "d", "a", "c", "e", "f", "g"]),
    ({"order_by": "-added"}, ["a"]),
    ({"order_by": "price", "inStock": "true"}, ["e", "g", "a", "c"]),
    ({"order_by": "-price", "category": "books"}, ["a", "d"]),
]


@pytest.mark.parametrize("partition_key", ["/id", "/category"])
def test_order_by_pages_through_the_same_total_order_on_every_store(
    any_api: Callable[..., Api], partition_key: str
) -> None:
    api = _api(any_api, partition_key)
    for params, expected in ORDERS:
        assert _all(api, **params) == expected, params


def test_ordering_by_the_partition_key_across_partitions(any_api: Callable[..., Api]) -> None:
    api = _api(any_api, "/category")
    assert _all(api, order_by="category") == ["a", "d", "f", "b", "e", "c", "g"]
    assert _all(api, order_by="-category") == ["g", "c", "e", "b", "f", "d", "a"]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ({"order_by": "price"}, {"order_by": "-price"}),
        ({"order_by": "price"}, {"order_by": "title"}),
        ({"order_by": "price"}, {}),
        ({}, {"order_by": "price"}),
        ({"inStock": "true"}, {"inStock": "false"}),
        ({"inStock": "true"}, {}),
        ({"price": "12"}, {"price": "12", "title": "Atlas"}),
    ],
)
def test_a_continuation_token_is_bound_to_its_filters_and_order(
    any_api: Callable[..., Api], first: dict[str, str], second: dict[str, str]
) -> None:
    api = _api(any_api)
    page = api.call("GET", params={**first, "limit": "1"})
    token = page.json["continuation"]
    assert token is not None
    response = api.call("GET", params={**second, "limit": "1", "continuation": token})
    assert response.status == 400
    assert response.json["error"] == "invalid_continuation"


BAD_QUERIES: list[tuple[dict[str, str], str, str]] = [
        ({"colour": "red"}, "colour", "unknown query parameter"),
        ({"tags": "x"}, "tags", "not a scalar field"),
        ({"meta": "{}"}, "meta", "not a scalar field"),
        ({"order_by": "colour"}, "order_by", "unknown field 'colour'"),
        ({"order_by": "tags"}, "order_by", "not a scalar field"),
        ({"order_by": "--price"}, "order_by", "unknown field '-price'"),
        ({"price": "cheap"}, "price", "must be a number"),
        ({"price": "1e400"}, "price", "must be a number"),
        ({"price": "9007199254740993"}, "price", "must be a number"),
        ({"price": "NaN"}, "price", "must be a number"),
        ({"price": ""}, "price", "must be a number"),
        ({"inStock": "1"}, "inStock", "true or false"),
        ({"inStock": "True"}, "inStock", "true or false"),
        ({"added": "yesterday"}, "added", "ISO-8601"),
        ({"title": "x" * 1025}, "title", "at most 1024 characters"),
]


def test_bad_filters_and_orders_answer_400_naming_the_parameter(any_api: Callable[..., Api]) -> None:
    api = _api(any_api)
    for params, field, message in BAD_QUERIES:
        response = api.call("GET", params=params)
        assert response.status == 400, params
        assert response.json["error"] == "invalid_query"
        details = {d["field"]: d["message"] for d in response.json["details"]}
        assert message in details[field], (params, details)


INJECTIONS = [
    "' OR '1'='1", "\" OR \"1\"=\"1", "Atlas' --", "x\"); DROP TABLE items; --", "1; SELECT * FROM c",
    "x] OR 1=1 OR c[\"title", "@pk", "$.title", "\\", "%", "_", "*", "\x00", "日本語", "😀" * 100, "\u202e", "x" * 1024,
]


def test_injection_attempts_in_filter_values_match_nothing(any_api: Callable[..., Api]) -> None:
    api = _api(any_api)
    for value in INJECTIONS:
        response = api.call("GET", params={"title": value, "order_by": "-price"})
        assert response.status == 200, (value, response.body[:300])
        assert response.json["items"] == [], value
    assert len(_all(api)) == len(ITEMS)  # nothing dropped or changed


HOSTILE_TARGETS = [
        "?__proto__=x", "?constructor=x", "?order_by=__proto__", "?order_by=title;DROP", "?order_by=title%20DESC",
        "?order_by=c.title", "?title%5B%24ne%5D=x", "?price[gt]=1", "?title=A&title=B", "?order_by=price&order_by=title",
        "?limit=1&limit=2", "?price=1&price=1", "?order_by=%00", "?order_by=" + "x" * 5000, "?" + "a" * 3000 + "=1",
        "?price=" + "9" * 5000, "?inStock=tru%C3%A9", "?pk=books&pk=food",
]


def test_hostile_list_queries_answer_400_on_every_store(any_api: Callable[..., Api]) -> None:
    api = _api(any_api)
    for target in HOSTILE_TARGETS:
        response = api.call("GET", target)
        assert response.status == 400, (target, response.body[:300])
        assert b"Traceback" not in response.body


def test_fields_excluded_from_the_index_cannot_be_ordered_by(make_api: Callable[..., Api]) -> None:
    api = make_api(schema=SCHEMA, route_prefix="products", component_id="ProductApi", entity_name="Product",
                   unindexed_fields=("title",))
    response = api.call("GET", params={"order_by": "title"})
    assert response.status == 400
    assert "excluded from the container's index" in response.json["details"][0]["message"]
    assert api.call("GET", params={"title": "Atlas"}).status == 200


def test_query_fields_of_one_parsed_schema_partition_key_and_unindexed_fields_are_computed_once() -> None:
    schema = EntitySchema.from_spec({"title": "string", "price": "number", "tags": "array"})
    pk = PartitionKeyPath.parse("/title")
    fields = QueryFields.of(schema, pk)
    assert QueryFields.of(schema, PartitionKeyPath.parse("/title"), []) is fields
    assert QueryFields.of(schema, pk, ["price"]) is not fields
    assert QueryFields.of(schema, pk, ["price"]).orderable == ("id", "title")
    assert QueryFields.of(schema, PartitionKeyPath.parse("/id")).filterable == {"id": "string", "title": "string",
                                                                                 "price": "number"}
