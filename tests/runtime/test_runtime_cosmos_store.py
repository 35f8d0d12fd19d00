"""The Cosmos store behind the same CRUD handlers, against a local Cosmos-compatible server."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from conftest import PRODUCT_SCHEMA_FOR_COSMOS, Api

from atakora.runtime import CosmosStore, NotFoundError

pytestmark = pytest.mark.node


def test_cosmos_create_read_and_duplicate(cosmos_api: Callable[..., Api]) -> None:
    api = cosmos_api()
    created = api.call("POST", json={"id": "ann", "name": "Ann", "age": 3})
    assert created.status == 201
    assert created.json == {"id": "ann", "name": "Ann", "age": 3}
    read = api.call("GET", "/ann")
    assert (read.status, read.json, read.headers["ETag"]) == (200, created.json, created.headers["ETag"])
    assert api.call("POST", json={"id": "ann", "name": "Ann"}).status == 409


def test_cosmos_read_of_missing_item_answers_404(cosmos_api: Callable[..., Api]) -> None:
    api = cosmos_api()
    assert api.call("GET", "/nobody").status == 404
    with pytest.raises(NotFoundError):
        api.store.read("nobody", "nobody")


def test_cosmos_replace_honours_if_match(cosmos_api: Callable[..., Api]) -> None:
    api = cosmos_api()
    etag = api.call("POST", json={"id": "ann", "name": "Ann"}).headers["ETag"]
    updated = api.call("PUT", "/ann", json={"name": "Annie"}, headers={"If-Match": etag})
    assert updated.status == 200
    assert updated.headers["ETag"] != etag
    assert api.call("PUT", "/ann", json={"name": "Late"}, headers={"If-Match": etag}).status == 412
    assert api.call("GET", "/ann").json == {"id": "ann", "name": "Annie"}
    assert api.call("PUT", "/nobody", json={"name": "N"}).status == 404


def test_cosmos_conditional_update_works_on_a_fresh_store_instance(
    cosmos_api: Callable[..., Api], cosmos_endpoint: str
) -> None:
    api = cosmos_api()
    etag = api.call("POST", json={"id": "ann", "name": "Ann"}).headers["ETag"]
    fresh = CosmosStore(api.store._container)  # type: ignore[attr-defined]
    assert fresh.replace("ann", "ann", {"id": "ann", "name": "B"}, if_match=etag).item["name"] == "B"


def test_cosmos_delete_honours_if_match_and_answers_404_afterwards(cosmos_api: Callable[..., Api]) -> None:
    api = cosmos_api()
    etag = api.call("POST", json={"id": "ann", "name": "Ann"}).headers["ETag"]
    assert api.call("DELETE", "/ann", headers={"If-Match": '"stale"'}).status == 412
    assert api.call("DELETE", "/ann", headers={"If-Match": etag}).status == 204
    assert api.call("DELETE", "/ann").status == 404
    assert api.call("GET", "/ann").status == 404


def test_cosmos_list_pages_with_continuation(cosmos_api: Callable[..., Api]) -> None:
    api = cosmos_api()
    for index in range(7):
        api.call("POST", json={"id": f"u{index}", "name": "N"})
    seen: list[str] = []
    continuation: str | None = None
    for _ in range(10):
        params = {"limit": "3", **({"continuation": continuation} if continuation else {})}
        page = api.call("GET", params=params)
        assert page.status == 200
        assert len(page.json["items"]) <= 3
        seen += [item["id"] for item in page.json["items"]]
        continuation = page.json["continuation"]
        if continuation is None:
            break
    assert sorted(seen) == [f"u{i}" for i in range(7)]


def test_cosmos_partitioned_container_filters_and_needs_partition_value(cosmos_api: Callable[..., Api]) -> None:
    api = cosmos_api("/category", schema=PRODUCT_SCHEMA_FOR_COSMOS, route_prefix="products")
    for index in range(4):
        api.call("POST", json={"id": f"o{index}", "title": "T", "category": "office"})
    api.call("POST", json={"id": "o0", "title": "Hoe", "category": "garden"})
    assert api.call("GET", "/o0").status == 400
    assert api.call("GET", "/o0?pk=garden").json["title"] == "Hoe"
    assert api.call("GET", "/o9?pk=garden").status == 404
    first = api.call("GET", params={"category": "office", "limit": "2"}).json
    rest = api.call("GET", params={"category": "office", "limit": "2", "continuation": first["continuation"]}).json
    ids = [i["id"] for i in first["items"] + rest["items"]]
    assert sorted(ids) == ["o0", "o1", "o2", "o3"]
    assert all(i["category"] == "office" for i in first["items"] + rest["items"])
    etag = api.call("GET", "/o1?pk=office").headers["ETag"]
    assert api.call("PUT", "/o1?pk=office", json={"title": "New", "category": "office"},
                    headers={"If-Match": etag}).status == 200
    assert api.call("DELETE", "/o1?pk=office").status == 204


def test_cosmos_health_answers_200(cosmos_api: Callable[..., Api]) -> None:
    assert cosmos_api().call("GET", "/health").status == 200
