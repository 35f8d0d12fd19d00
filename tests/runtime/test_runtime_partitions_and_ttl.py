"""Partition keys other than /id, and time-to-live on the SQLite store."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from conftest import Api, FakeClock

from atakora.runtime import NotFoundError, SqliteStore

PRODUCT_SCHEMA = {"title": {"type": "string", "required": True}, "category": "string", "rank": "number"}


@pytest.fixture
def products(make_api: Callable[..., Api]) -> Api:
    return make_api(
        component_id="ProductApi", entity_name="Product", route_prefix="products",
        schema=PRODUCT_SCHEMA, partition_key="/category",
    )


def test_create_in_partition_returns_location_with_partition_value(products: Api) -> None:
    response = products.call("POST", json={"id": "p1", "title": "Pen", "category": "office"})
    assert response.status == 201
    assert response.headers["Location"].endswith("/api/products/p1?pk=office")


def test_create_without_partition_value_answers_400(products: Api) -> None:
    response = products.call("POST", json={"id": "p1", "title": "Pen"})
    assert response.status == 400
    assert response.json["details"][0]["field"] == "/category"


def test_read_needs_the_partition_value(products: Api) -> None:
    products.call("POST", json={"id": "p1", "title": "Pen", "category": "office"})
    missing = products.call("GET", "/p1")
    assert missing.status == 400
    assert missing.json["error"] == "partition_key_required"
    assert products.call("GET", "/p1?pk=office").json["title"] == "Pen"
    assert products.call("GET", "/p1?category=office").status == 200
    assert products.call("GET", "/p1?category=garden").status == 404


def test_same_id_may_exist_in_two_partitions(products: Api) -> None:
    assert products.call("POST", json={"id": "p1", "title": "Pen", "category": "office"}).status == 201
    assert products.call("POST", json={"id": "p1", "title": "Hoe", "category": "garden"}).status == 201
    assert products.call("GET", "/p1?pk=garden").json["title"] == "Hoe"


def test_update_may_not_move_an_item_to_another_partition(products: Api) -> None:
    products.call("POST", json={"id": "p1", "title": "Pen", "category": "office"})
    moved = products.call("PUT", "/p1?pk=office", json={"title": "Pen", "category": "garden"})
    assert moved.status == 400
    assert moved.json["details"][0]["message"] == "partition key value cannot change"
    kept = products.call("PUT", "/p1?pk=office", json={"title": "Big pen", "category": "office"})
    assert kept.status == 200


def test_delete_needs_the_partition_value(products: Api) -> None:
    products.call("POST", json={"id": "p1", "title": "Pen", "category": "office"})
    assert products.call("DELETE", "/p1").status == 400
    assert products.call("DELETE", "/p1?pk=office").status == 204


def test_list_filters_by_partition_and_pages_within_it(products: Api) -> None:
    for index in range(5):
        products.call("POST", json={"id": f"o{index}", "title": "T", "category": "office"})
        products.call("POST", json={"id": f"g{index}", "title": "T", "category": "garden"})
    first = products.call("GET", params={"category": "office", "limit": "3"}).json
    second = products.call("GET", params={"category": "office", "continuation": first["continuation"]}).json
    ids = [i["id"] for i in first["items"] + second["items"]]
    assert ids == [f"o{i}" for i in range(5)]
    assert second["continuation"] is None
    assert len(products.call("GET", params={"limit": "100"}).json["items"]) == 10


def test_continuation_of_another_filter_is_rejected(products: Api) -> None:
    for index in range(3):
        products.call("POST", json={"id": f"o{index}", "title": "T", "category": "office"})
    token = products.call("GET", params={"pk": "office", "limit": "1"}).json["continuation"]
    response = products.call("GET", params={"pk": "garden", "continuation": token})
    assert response.status == 400


def test_numeric_partition_values_are_parsed_from_the_query(make_api: Callable[..., Api]) -> None:
    api = make_api(schema=PRODUCT_SCHEMA, route_prefix="products", partition_key="/rank")
    api.call("POST", json={"id": "p1", "title": "Pen", "rank": 3})
    assert api.call("GET", "/p1?rank=3").status == 200
    assert api.call("GET", "/p1?rank=three").status == 400


def test_nested_partition_key_path_works(make_api: Callable[..., Api]) -> None:
    api = make_api(schema={"address": "object"}, route_prefix="places", partition_key="/address/country")
    created = api.call("POST", json={"id": "h1", "address": {"country": "NO", "city": "Oslo"}})
    assert created.status == 201
    assert api.call("GET", "/h1?pk=NO").json["address"]["city"] == "Oslo"
    assert api.call("POST", json={"id": "h2", "address": {"city": "Oslo"}}).status == 400
    assert [i["id"] for i in api.call("GET", params={"pk": "NO"}).json["items"]] == ["h1"]


def test_items_expire_after_the_container_ttl(make_api: Callable[..., Api], clock: FakeClock) -> None:
    api = make_api(ttl=60)
    api.call("POST", json={"id": "s1", "name": "Session"})
    clock.advance(59)
    assert api.call("GET", "/s1").status == 200
    clock.advance(1)
    assert api.call("GET", "/s1").status == 404
    assert api.call("GET").json["items"] == []


def test_a_write_restarts_the_ttl(make_api: Callable[..., Api], clock: FakeClock) -> None:
    api = make_api(ttl=60)
    api.call("POST", json={"id": "s1", "name": "Session"})
    clock.advance(50)
    api.call("PUT", "/s1", json={"name": "Renewed"})
    clock.advance(50)
    assert api.call("GET", "/s1").status == 200


def test_item_ttl_overrides_the_container_default(make_api: Callable[..., Api], clock: FakeClock) -> None:
    api = make_api(ttl=60)
    api.call("POST", json={"id": "short", "name": "S", "ttl": 5})
    api.call("POST", json={"id": "forever", "name": "F", "ttl": -1})
    clock.advance(3600)
    assert api.call("GET", "/short").status == 404
    assert api.call("GET", "/forever").json["ttl"] == -1


def test_container_ttl_minus_one_expires_only_items_with_ttl(
    make_api: Callable[..., Api], clock: FakeClock
) -> None:
    api = make_api(ttl=-1)
    api.call("POST", json={"id": "a", "name": "A"})
    api.call("POST", json={"id": "b", "name": "B", "ttl": 10})
    clock.advance(11)
    assert [i["id"] for i in api.call("GET").json["items"]] == ["a"]


def test_expired_item_id_can_be_reused_and_is_purged(clock: FakeClock) -> None:
    store = SqliteStore(default_ttl=10, clock=clock)
    store.create({"id": "x", "v": 1})
    clock.advance(10)
    with pytest.raises(NotFoundError):
        store.read("x", "x")
    assert store.create({"id": "x", "v": 2}).item["v"] == 2
    count = store._db.execute("SELECT COUNT(*) FROM items").fetchone()[0]
    assert count == 1


def test_without_container_ttl_item_ttl_is_ignored(clock: FakeClock) -> None:
    store = SqliteStore(clock=clock)
    store.create({"id": "x", "ttl": 1})
    clock.advance(100)
    assert store.read("x", "x").item == {"id": "x", "ttl": 1}
