"""Tenant isolation, owner isolation and roles in the CRUD handlers, on SQLite and on Cosmos."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from conftest import COSMOS_TEST_KEY, Api, build_api

from atakora.runtime import CosmosStore, CrudSpec, CrudSpecError, SqliteStore
from atakora.testing import assert_isolated, in_process, principal_headers

SCHEMA: dict[str, Any] = {"tenantId": "string", "ownerId": "string", "name": {"type": "string", "required": True}}
ENTRA: dict[str, Any] = {"schema": SCHEMA, "route_prefix": "data", "authentication": "entra", "auth_level": "anonymous"}
A1 = principal_headers(tid="tenant-a", oid="u1")
A2 = principal_headers(tid="tenant-a", oid="u2")
B1 = principal_headers(tid="tenant-b", oid="u9")


@pytest.fixture(params=["sqlite", pytest.param("cosmos", marks=pytest.mark.node)])
def make(request: pytest.FixtureRequest) -> Iterator[Callable[..., Api]]:
    """Factory: an Entra-protected ``data`` API on a fresh SQLite store or Cosmos container."""
    stores: list[SqliteStore] = []

    def sqlite(**spec: Any) -> Api:
        store = SqliteStore(partition_key=spec.get("partition_key", "/id"))
        stores.append(store)
        return build_api(store, **{**ENTRA, **spec})

    def cosmos(**spec: Any) -> Api:
        from azure.cosmos import CosmosClient, PartitionKey

        endpoint = request.getfixturevalue("cosmos_endpoint")
        client = CosmosClient(endpoint, credential=COSMOS_TEST_KEY, enable_endpoint_discovery=False)
        database = client.create_database_if_not_exists("atakora-test")
        name, pk = f"c{uuid.uuid4().hex[:12]}", spec.get("partition_key", "/id")
        database.create_container(name, partition_key=PartitionKey(path=pk))
        store = CosmosStore.connect(endpoint=endpoint, database="atakora-test", container=name, partition_key=pk,
                                    credential=COSMOS_TEST_KEY, enable_endpoint_discovery=False)
        return build_api(store, **{**ENTRA, **spec})

    yield sqlite if request.param == "sqlite" else cosmos
    for store in stores:
        store.close()


def tenant_api(make: Callable[..., Api], **spec: Any) -> Api:
    return make(partition_key="/tenantId", tenant_claim="tid", **spec)


def test_a_request_without_a_principal_is_refused_with_401(make: Callable[..., Api]) -> None:
    api = tenant_api(make)
    for method, path, body in (("GET", "", None), ("POST", "", {"name": "x"}), ("GET", "/x", None),
                               ("PUT", "/x", {"name": "x"}), ("DELETE", "/x", None)):
        response = api.call(method, path, json=body)
        assert response.status == 401, (method, path)
        assert response.json["error"] == "unauthenticated"
        assert response.headers["WWW-Authenticate"] == "Bearer"
    assert api.call("GET", "/health").status == 200


def test_a_malformed_principal_answers_401_not_500(make: Callable[..., Api]) -> None:
    api = tenant_api(make)
    response = api.call("GET", "", headers={"X-MS-CLIENT-PRINCIPAL": "%%%not-base64"})
    assert response.status == 401
    assert "%%%" not in response.body.decode()


def test_create_stamps_the_callers_tenant_and_refuses_another_tenant(make: Callable[..., Api]) -> None:
    api = tenant_api(make)
    created = api.call("POST", json={"name": "doc"}, headers=A1)
    assert created.status == 201
    assert created.json["tenantId"] == "tenant-a"
    foreign = api.call("POST", json={"name": "doc", "tenantId": "tenant-b"}, headers=A1)
    assert foreign.status == 403
    assert foreign.json["error"] == "forbidden"


def test_another_tenants_item_is_not_found_for_read_update_and_delete(make: Callable[..., Api]) -> None:
    api = tenant_api(make)
    assert_isolated(in_process(api.host), "/api/data", {"name": "doc"}, owner=A1, other=B1,
                    partition_field="tenantId")
    item = api.call("POST", json={"id": "d1", "name": "doc"}, headers=A1).json
    assert api.call("GET", "/d1", headers=B1).status == 404  # without pk: the caller's own partition
    assert api.call("GET", "/d1", headers=A2).status == 200  # same tenant, no owner isolation
    assert api.call("PUT", "/d1", json={**item, "tenantId": "tenant-b"}, headers=B1).status == 404  # its own partition
    assert api.call("PUT", "/d1", json=item, headers=B1).status == 403  # a body naming tenant-a
    assert api.call("GET", "/d1", headers=A1).json == item


def test_list_returns_only_the_callers_partition_whatever_pk_says(make: Callable[..., Api]) -> None:
    api = tenant_api(make)
    for i in range(3):
        api.call("POST", json={"id": f"a{i}", "name": "a"}, headers=A1)
        api.call("POST", json={"id": f"b{i}", "name": "b"}, headers=B1)
    for query in ("", "?pk=tenant-b", "?tenantId=tenant-b"):
        listed = api.call("GET", query, headers=A1)
        assert listed.status == 200
        assert sorted(i["id"] for i in listed.json["items"]) == ["a0", "a1", "a2"], query


def test_a_continuation_token_cannot_cross_tenants(make: Callable[..., Api]) -> None:
    api = tenant_api(make)
    for i in range(3):
        api.call("POST", json={"id": f"b{i}", "name": "b"}, headers=B1)
    token = api.call("GET", "?limit=1", headers=B1).json["continuation"]
    assert token
    response = api.call("GET", "", params={"continuation": token}, headers=A1)
    assert response.status == 400
    assert response.json["error"] == "invalid_continuation"


def test_owner_isolation_hides_other_owners_items_in_the_same_tenant(make: Callable[..., Api]) -> None:
    api = tenant_api(make, owner_claim="oid")
    created = api.call("POST", json={"id": "mine", "name": "x"}, headers=A1)
    assert created.json["ownerId"] == "u1"
    assert api.call("POST", json={"name": "x", "ownerId": "u2"}, headers=A1).status == 403
    assert_isolated(in_process(api.host), "/api/data", {"name": "doc"}, owner=A1, other=A2)
    for i in range(3):
        api.call("POST", json={"id": f"other{i}", "name": "y"}, headers=A2)
    seen: list[str] = []
    token: str | None = None
    while True:
        page = api.call("GET", "", params={"limit": "1", **({"continuation": token} if token else {})}, headers=A1)
        seen += [i["id"] for i in page.json["items"]]
        token = page.json["continuation"]
        if not token:
            break
    assert seen == ["mine"]


def test_roles_are_enforced_per_operation(make: Callable[..., Api]) -> None:
    api = tenant_api(make, roles={"delete": ["Admin"], "update": ["Admin", "Editor"]})
    item = api.call("POST", json={"id": "r1", "name": "x"}, headers=A1).json
    refused = api.call("DELETE", "/r1", headers=A1)
    assert refused.status == 403
    assert "Admin" in refused.json["message"]
    editor = principal_headers(tid="tenant-a", oid="u1", roles=["Editor"])
    assert api.call("PUT", "/r1", json={**item, "name": "y"}, headers=editor).status == 200
    assert api.call("DELETE", "/r1", headers=editor).status == 403
    admin = principal_headers(tid="tenant-a", oid="u1", roles=["Admin"])
    assert api.call("DELETE", "/r1", headers=admin).status == 204


def test_allowed_tenants_refuse_other_directories(make: Callable[..., Api]) -> None:
    api = tenant_api(make, allowed_tenants=("tenant-a",))
    assert api.call("GET", "", headers=A1).status == 200
    refused = api.call("GET", "", headers=B1)
    assert refused.status == 403
    assert refused.json["error"] == "tenant_not_allowed"


def test_a_token_without_the_tenant_claim_is_forbidden(make: Callable[..., Api]) -> None:
    api = tenant_api(make)
    assert api.call("GET", "", headers=principal_headers(oid="u1")).status == 403


def test_logs_carry_tenant_and_caller_but_never_the_token(make: Callable[..., Api],
                                                          caplog: pytest.LogCaptureFixture) -> None:
    api = tenant_api(make)
    with caplog.at_level(logging.INFO, logger="atakora.runtime.crud"):
        api.call("GET", "", headers=A1)
    record = caplog.records[-1]
    assert (record.__dict__["tenant"], record.__dict__["caller_oid"]) == ("tenant-a", "u1")
    assert "tenant=tenant-a caller_oid=u1" in record.getMessage()
    assert A1["X-MS-CLIENT-PRINCIPAL"] not in caplog.text


def _spec(**fields: Any) -> CrudSpec:
    return CrudSpec(component_id="DataApi", entity_name="Data", **{**ENTRA, "partition_key": "/tenantId", **fields})


@pytest.mark.parametrize(("fields", "field"), [
    ({"authentication": "function", "auth_level": "function", "tenant_claim": "tid"}, "tenant_claim"),
    ({"roles": {"delete": ["Admin"]}, "authentication": "anonymous"}, "roles"),
    ({"auth_level": "function"}, "auth_level"),
    ({"tenant_claim": "tid", "partition_key": "/id"}, "tenant_claim"),
    ({"owner_claim": "oid", "owner_field": "owner"}, "owner_field"),
    ({"roles": {"purge": ["Admin"]}}, "roles"),
    ({"roles": {"delete": []}}, "roles"),
    ({"authentication": "kerberos"}, "authentication"),
])
def test_access_rules_that_cannot_work_are_spec_errors(fields: dict[str, Any], field: str) -> None:
    with pytest.raises(CrudSpecError) as error:
        _spec(**fields)
    assert error.value.field == field


def test_cached_reads_and_lists_are_never_served_to_another_tenant_or_owner(make: Callable[..., Api]) -> None:
    api = tenant_api(make, owner_claim="oid", cache_ttl=300)
    api.call("POST", json={"id": "c1", "name": "x"}, headers=A1)
    assert api.call("GET", "/c1", headers=A1).status == 200  # now cached
    assert [i["id"] for i in api.call("GET", "", headers=A1).json["items"]] == ["c1"]
    assert api.call("GET", "/c1", headers=A2).status == 404
    assert api.call("GET", "/c1", params={"pk": "tenant-a"}, headers=B1).status == 404
    assert api.call("GET", "", headers=A2).json["items"] == []
    assert api.call("GET", "", headers=B1).json["items"] == []


def test_owner_isolation_alone_works_on_an_id_partitioned_container(make: Callable[..., Api]) -> None:
    api = make(owner_claim="oid")
    assert_isolated(in_process(api.host), "/api/data", {"name": "doc"}, owner=B1, other=A1)
    created = api.call("POST", json={"id": "n1", "name": "x"}, headers=A1).json
    assert created["ownerId"] == "u1" and "tenantId" not in created
    assert api.call("PUT", "/n1", json={**created, "ownerId": "u9"}, headers=B1).status == 404
    assert api.call("GET", "/n1", headers=A1).json == created
