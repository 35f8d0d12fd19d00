"""A CrudApi's container gets the composite indexes its lists' ``order_by`` need, from the entity schema."""

from __future__ import annotations

from typing import Any

from atakora import App, ResourceGroupStack
from atakora.backend import define_backend
from atakora.backend.providers.functions import SharedFunctionApp
from atakora.components import CrudApi
from atakora.testing import Template

CONTAINER = "Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers"
SCHEMA: dict[str, Any] = {"title": "string", "price": "number", "tags": "array", "category": "string"}


def _synth(**options: Any) -> tuple[dict[str, Any], Any]:
    stack = ResourceGroupStack(App(outdir="unused"), "S", resource_group_name="rg-s", location="eastus")
    backend = define_backend({"items": CrudApi.define("ItemApi", entity_name="Item", schema=SCHEMA, **options)})
    backend.add_to_stack(stack)
    container = Template.from_stack(stack).find_resources(CONTAINER)[0]
    app = next(r for r in backend.resources.values() if isinstance(r, SharedFunctionApp))
    return container["properties"]["resource"], app.crud_apis[0]


def _composites(resource: dict[str, Any]) -> list[list[str]]:
    return [[p["path"] for p in index] for index in resource["indexingPolicy"]["compositeIndexes"]]


def test_an_id_partitioned_container_gets_one_composite_index_per_scalar_field() -> None:
    resource, spec = _synth()
    assert _composites(resource) == [["/title", "/id"], ["/price", "/id"], ["/category", "/id"]]
    assert all(p["order"] == "ascending" for index in resource["indexingPolicy"]["compositeIndexes"] for p in index)
    assert spec.unindexed_fields == ()


def test_a_partitioned_container_orders_within_and_across_partitions() -> None:
    resource, _ = _synth(partition_key="/category")
    assert ["/price", "/id", "/category"] in _composites(resource)  # across partitions
    assert ["/category", "/price", "/id"] in _composites(resource)  # within one partition
    assert ["/category", "/id"] in _composites(resource)
    assert not any("/tags" in index for index in _composites(resource))


def test_the_users_indexing_policy_is_kept_and_excluded_fields_are_not_orderable() -> None:
    policy = {"excludedPaths": [{"path": "/title/?"}, {"path": '/"_etag"/?'}],
              "compositeIndexes": [[{"path": "/price"}, {"path": "/id"}], [{"path": "/title"}, {"path": "/price"}]]}
    resource, spec = _synth(indexing_policy=policy)
    assert _composites(resource) == [["/price", "/id"], ["/title", "/price"], ["/category", "/id"]]
    assert {"path": "/title/?"} in resource["indexingPolicy"]["excludedPaths"]
    assert spec.unindexed_fields == ("title",)
    assert "title" not in spec.query_fields.orderable and "title" in spec.query_fields.filterable


def test_indexing_mode_none_leaves_nothing_to_order_by() -> None:
    _, spec = _synth(indexing_policy={"indexingMode": "none", "automatic": False, "includedPaths": [],
                                      "excludedPaths": []})
    assert spec.query_fields.orderable == ()


def test_an_opt_in_policy_indexes_only_the_included_fields_and_always_id() -> None:
    policy = {"includedPaths": [{"path": "/price/?"}], "excludedPaths": [{"path": "/*"}]}
    _, spec = _synth(indexing_policy=policy)
    assert spec.query_fields.orderable == ("id", "price")
    assert set(spec.unindexed_fields) == {"title", "tags", "category"}


def _container_policy(api: Any) -> Any:
    return api.get_requirements()[0].config.databases[0].containers[0].indexing_policy


def test_apis_of_one_schema_and_partition_key_share_one_derived_policy_and_a_users_policy_stays_its_own() -> None:
    stack = ResourceGroupStack(App(outdir="unused"), "S", resource_group_name="rg-s", location="eastus")
    backend = define_backend({
        "a": CrudApi.define("AApi", entity_name="A", schema=SCHEMA), "b": CrudApi.define("BApi", entity_name="B",
                                                                                        schema=dict(SCHEMA)),
        "c": CrudApi.define("CApi", entity_name="C", schema=SCHEMA, partition_key="/category"),
        "d": CrudApi.define("DApi", entity_name="D", schema=SCHEMA, indexing_policy={"automatic": True})})
    backend.add_to_stack(stack)
    a, b, c, d = (backend.components[name] for name in "abcd")
    assert _container_policy(a) is _container_policy(b)
    assert _container_policy(c) is not _container_policy(a)
    assert _container_policy(d) == {"automatic": True, **_container_policy(a)}
