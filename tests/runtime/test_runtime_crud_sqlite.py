"""CRUD routes end to end through the local host, on the SQLite store."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pytest
from conftest import Api, FakeClock

from atakora.runtime import CrudSpec, CrudSpecError, LocalHost, SqliteStore, StoreError, crud_blueprint

ANN = {"id": "ann", "name": "Ann", "age": 30, "tags": ["x"], "profile": {"city": "Oslo"}}


def test_create_answers_201_with_item_etag_and_location(api: Api) -> None:
    response = api.call("POST", json=ANN)
    assert response.status == 201
    assert response.json == ANN
    assert response.headers["ETag"].startswith('"')
    assert response.headers["Location"] == "http://localhost:7071/api/users/ann"


def test_create_without_id_generates_a_uuid(api: Api) -> None:
    response = api.call("POST", json={"name": "Bob"})
    assert response.status == 201
    assert len(response.json["id"]) == 36
    assert api.call("GET", "/" + response.json["id"]).json["name"] == "Bob"


def test_create_with_duplicate_id_answers_409(api: Api) -> None:
    api.call("POST", json=ANN)
    response = api.call("POST", json=ANN)
    assert response.status == 409
    assert response.json["error"] == "conflict"


def test_create_with_invalid_fields_answers_400_with_one_message_per_field(api: Api) -> None:
    response = api.call("POST", json={"age": "thirty", "active": 1, "nickname": "A"})
    assert response.status == 400
    assert response.json["error"] == "validation_failed"
    details = {d["field"]: d["message"] for d in response.json["details"]}
    assert set(details) == {"age", "active", "nickname", "name"}
    assert details["name"] == "is required"
    assert details["nickname"] == "is not a known field"


@pytest.mark.parametrize("body", ["{not json", "", "[1, 2", '{"name": NaN}', b"\xff\xfe"])
def test_malformed_json_answers_400(api: Api, body: str | bytes) -> None:
    response = api.call("POST", body=body)
    assert response.status == 400
    assert response.json["error"] == "invalid_json"


def test_non_object_json_answers_400(api: Api) -> None:
    response = api.call("POST", json=[ANN])
    assert response.status == 400
    assert response.json["details"] == [{"field": "", "message": "request body must be a JSON object"}]


def test_read_answers_200_with_etag(api: Api) -> None:
    created = api.call("POST", json=ANN)
    response = api.call("GET", "/ann")
    assert response.status == 200
    assert response.json == ANN
    assert response.headers["ETag"] == created.headers["ETag"]


def test_read_with_matching_if_none_match_answers_304(api: Api) -> None:
    etag = api.call("POST", json=ANN).headers["ETag"]
    assert api.call("GET", "/ann", headers={"If-None-Match": etag}).status == 304


def test_read_of_missing_item_answers_404(api: Api) -> None:
    response = api.call("GET", "/nobody")
    assert response.status == 404
    assert response.json == {"error": "not_found", "message": "User not found"}


def test_update_replaces_the_whole_item_and_changes_the_etag(api: Api) -> None:
    etag = api.call("POST", json=ANN).headers["ETag"]
    response = api.call("PUT", "/ann", json={"name": "Annie"}, headers={"If-Match": etag})
    assert response.status == 200
    assert response.json == {"id": "ann", "name": "Annie"}
    assert response.headers["ETag"] != etag
    assert api.call("GET", "/ann").json == {"id": "ann", "name": "Annie"}


def test_update_with_stale_etag_answers_412(api: Api) -> None:
    stale = api.call("POST", json=ANN).headers["ETag"]
    api.call("PUT", "/ann", json={"name": "Second"})
    response = api.call("PUT", "/ann", json={"name": "Third"}, headers={"If-Match": stale})
    assert response.status == 412
    assert api.call("GET", "/ann").json["name"] == "Second"


def test_update_with_wildcard_if_match_needs_only_existence(api: Api) -> None:
    api.call("POST", json=ANN)
    assert api.call("PUT", "/ann", json={"name": "A"}, headers={"If-Match": "*"}).status == 200
    # RFC 9110 13.1.1: "*" is false when there is no current representation
    assert api.call("PUT", "/zed", json={"name": "Z"}, headers={"If-Match": "*"}).status == 412


def test_update_of_missing_item_answers_404(api: Api) -> None:
    assert api.call("PUT", "/nobody", json={"name": "N"}).status == 404


def test_update_with_body_id_different_from_path_answers_400(api: Api) -> None:
    api.call("POST", json=ANN)
    response = api.call("PUT", "/ann", json={"id": "bob", "name": "Bob"})
    assert response.status == 400
    assert response.json["details"][0]["field"] == "id"


def test_update_is_validated_like_create(api: Api) -> None:
    api.call("POST", json=ANN)
    response = api.call("PUT", "/ann", json={"age": -3})
    assert response.status == 400
    assert {d["field"] for d in response.json["details"]} == {"age", "name"}


def test_delete_answers_204_then_404(api: Api) -> None:
    api.call("POST", json=ANN)
    response = api.call("DELETE", "/ann")
    assert (response.status, response.body) == (204, b"")
    assert api.call("GET", "/ann").status == 404
    assert api.call("DELETE", "/ann").status == 404


def test_delete_with_stale_etag_answers_412_and_keeps_the_item(api: Api) -> None:
    api.call("POST", json=ANN)
    assert api.call("DELETE", "/ann", headers={"If-Match": '"stale"'}).status == 412
    assert api.call("GET", "/ann").status == 200


def test_list_pages_through_all_items_with_continuation(api: Api) -> None:
    for index in range(7):
        api.call("POST", json={"id": f"u{index}", "name": f"N{index}"})
    seen: list[str] = []
    continuation: str | None = None
    pages = 0
    while True:
        params = {"limit": "3", **({"continuation": continuation} if continuation else {})}
        page = api.call("GET", params=params).json
        seen += [item["id"] for item in page["items"]]
        pages += 1
        continuation = page["continuation"]
        if continuation is None:
            break
    assert pages == 3
    assert seen == [f"u{i}" for i in range(7)]


@pytest.mark.parametrize("limit", ["0", "101", "-1", "ten", "2.5"])
def test_list_with_out_of_range_limit_answers_400(api: Api, limit: str) -> None:
    response = api.call("GET", params={"limit": limit})
    assert response.status == 400
    assert response.json["details"][0]["field"] == "limit"


def test_list_with_garbage_continuation_answers_400(api: Api) -> None:
    response = api.call("GET", params={"continuation": "%%%not-a-token"})
    assert response.status == 400
    assert response.json["error"] == "invalid_continuation"


def test_list_of_empty_container_has_no_continuation(api: Api) -> None:
    assert api.call("GET").json == {"items": [], "continuation": None}


def test_system_fields_in_input_are_rejected(api: Api) -> None:
    response = api.call("POST", json={**ANN, "_etag": "x"})
    assert response.status == 400
    assert response.json["details"][0]["field"] == "_etag"


def test_health_answers_200_when_the_store_answers(api: Api) -> None:
    response = api.call("GET", "/health")
    assert (response.status, response.json) == (200, {"status": "ok", "component": "UserApi"})


def test_health_answers_503_when_the_store_fails(make_api: Callable[..., Api]) -> None:
    api = make_api()
    api.store.close()
    assert api.call("GET", "/health").status == 503


def test_unexpected_store_failure_answers_500_without_details(
    api: Api, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def explode(*args: Any) -> Any:
        raise StoreError("secret connection string leaked")

    monkeypatch.setattr(api.store, "read", explode)
    with caplog.at_level(logging.ERROR):
        response = api.call("GET", "/ann")
    assert response.status == 500
    assert response.json == {"error": "internal_error", "message": "an unexpected error occurred"}
    assert b"secret" not in response.body
    record = next(r for r in caplog.records if r.levelno == logging.ERROR)
    assert (record.component, record.operation) == ("UserApi", "read")  # type: ignore[attr-defined]


def test_only_configured_operations_are_routed(make_api: Callable[..., Api]) -> None:
    api = make_api(operations=("read", "list"))
    assert api.call("POST", json=ANN).status == 404
    assert api.call("PUT", "/ann", json=ANN).status == 404
    assert api.call("DELETE", "/ann").status == 404
    assert api.call("GET", "/ann").status == 404  # routed, but the item does not exist
    assert api.call("GET").status == 200
    names = {route.name for route in api.host.routes}
    assert names == {"UserApi_read", "UserApi_list", "UserApi_health"}


def test_invalid_spec_is_rejected_at_construction() -> None:
    with pytest.raises(ValueError, match="operations"):
        CrudSpec("A", "A", "a", {}, operations=("patch",))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="route_prefix"):
        CrudSpec("A", "A", "/a/{id}", {})
    with pytest.raises(ValueError, match="partition key path"):
        CrudSpec("A", "A", "a", {}, partition_key="category")


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"route_prefix": "/a"}, "route_prefix"),
        ({"operations": ()}, "operations"),
        ({"ttl": 0}, "ttl"),
        ({"cache_ttl": 0}, "cache_ttl"),
        ({"health_timeout_seconds": 0}, "health_timeout_seconds"),
        ({"auth_level": "root"}, "auth_level"),
        ({"partition_key": "id"}, "partition_key"),
        ({"schema": {"name": "text"}}, "schema"),
    ],
)
def test_spec_errors_name_their_field(options: dict[str, Any], field: str) -> None:
    with pytest.raises(CrudSpecError) as info:
        CrudSpec(**{"component_id": "A", "entity_name": "A", "route_prefix": "a", "schema": {}, **options})
    assert info.value.field == field
    assert str(info.value) == f"CrudSpec 'A': {info.value.detail}"


def test_a_spec_is_normalized_and_derives_its_schema_and_function_names_once() -> None:
    schema = {"name": "string"}
    spec = CrudSpec("Order-Api", "Order", "orders", schema, operations=["read", "list"])  # type: ignore[arg-type]
    schema["extra"] = "number"
    assert spec.operations == ("read", "list")
    assert dict(spec.schema) == {"name": "string"}
    assert spec.entity_schema() is spec.entity_schema()
    assert spec.function_names == ("Order_Api_read", "Order_Api_list", "Order_Api_health")


def test_two_components_live_side_by_side_in_one_host(clock: FakeClock) -> None:
    users = CrudSpec("UserApi", "User", "users", {"name": "string"})
    products = CrudSpec("ProductApi", "Product", "products", {"title": "string"})
    host = LocalHost(
        crud_blueprint(users, store_factory=lambda: SqliteStore(clock=clock)),
        crud_blueprint(products, store_factory=lambda: SqliteStore(clock=clock)),
    )
    assert host.request("POST", "/api/users", json={"name": "A"}).status_code == 201
    assert host.request("POST", "/api/products", json={"title": "T"}).status_code == 201
    assert host.request("POST", "/api/products", json={"name": "A"}).status_code == 400
    assert len({route.name for route in host.routes}) == 12


def test_listing_with_an_unknown_query_parameter_answers_400_naming_the_allowed_ones() -> None:
    from atakora.runtime import CrudSpec, LocalHost, crud_blueprint
    from atakora.runtime.stores.sqlite import SqliteStore

    spec = CrudSpec(component_id="ProductApi", entity_name="Product", route_prefix="products",
                    schema={"name": "string", "category": "string"}, partition_key="/category")
    host = LocalHost(crud_blueprint(spec, lambda: SqliteStore(partition_key="/category")))
    response = host.request("GET", "/api/products", params={"partitionKey": "toys"})
    assert response.status_code == 400
    body = response.get_body().decode()
    assert "partitionKey" in body and "category" in body and "continuation" in body
    assert host.request("GET", "/api/products", params={"category": "toys", "code": "key"}).status_code == 200


def test_specs_without_roles_share_one_empty_read_only_roles_map() -> None:
    first = CrudSpec("A", "A", "a", {"name": "string"})
    second = CrudSpec("B", "B", "b", {"name": "string"}, roles={})
    assert first.roles is second.roles and dict(first.roles) == {}
    with pytest.raises(TypeError):
        first.roles["read"] = ("x",)  # type: ignore[index]
