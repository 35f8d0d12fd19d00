"""The OpenAPI document of the CRUD APIs: what every API answers alike is one shared component."""

from __future__ import annotations

import json
from typing import Any

from atakora.runtime import CrudSpec
from atakora.runtime.openapi import openapi_document

SCHEMA = {"name": {"type": "string", "required": True}, "category": "string", "price": "number"}


def _specs(count: int, **fields: Any) -> list[CrudSpec]:
    return [CrudSpec(f"Api{i}", f"Entity{i}", f"entity{i}", SCHEMA, partition_key="/category" if i % 2 else "/id",
                     **fields) for i in range(count)]


def _refs(value: Any) -> list[str]:
    if isinstance(value, dict):
        return ([value["$ref"]] if "$ref" in value else []) + [r for v in value.values() for r in _refs(v)]
    if isinstance(value, list):
        return [r for v in value for r in _refs(v)]
    return []


def test_every_ref_points_at_a_component_and_every_shared_component_is_referenced() -> None:
    entra = CrudSpec("Entra", "Note", "notes", SCHEMA, authentication="entra", auth_level="anonymous")
    document = openapi_document([*_specs(3), entra])
    refs = _refs(document)
    for ref in refs:
        section, name = ref.removeprefix("#/components/").split("/")
        assert name in document["components"][section], ref
    for section in ("parameters", "responses", "headers"):
        for name in document["components"][section]:
            assert f"#/components/{section}/{name}" in refs, (section, name)
    assert {"Unauthorized", "Forbidden", "Unavailable", "NotModified"} <= set(document["components"]["responses"])


def test_many_apis_share_one_copy_of_each_error_response_parameter_and_header() -> None:
    one, many = openapi_document(_specs(1)), openapi_document(_specs(20))
    for section in ("parameters", "responses", "headers"):
        assert many["components"][section] == one["components"][section]
    text = json.dumps(many)
    assert text.count("The database is busy or unavailable") == 1
    assert text.count("RFC 9110: '*' or entity tags") == 1
    per_api = (len(text) - len(json.dumps(one))) / 19
    assert per_api < 6000  # about 8,800 bytes when every operation repeated its responses and parameters


def test_an_item_path_states_the_id_and_partition_key_once_and_each_operation_keeps_its_security() -> None:
    (keyed,) = _specs(1)
    anonymous = CrudSpec("Open", "Open", "open", SCHEMA, partition_key="/category", auth_level="anonymous")
    paths = openapi_document([keyed, anonymous])["paths"]
    member = paths["/api/open/{id}"]
    assert member["parameters"][0] == {"$ref": "#/components/parameters/ItemId"}
    assert member["parameters"][1]["name"] == "pk" and "/category" in member["parameters"][1]["description"]
    assert all(member[m]["security"] == [] for m in ("get", "put", "delete"))
    assert all(paths["/api/entity0/{id}"][m]["security"] == [{"functionKey": []}] for m in ("get", "put", "delete"))
    assert paths["/api/open/health"]["get"]["security"] == []
    assert list(paths["/api/entity0/{id}"]["get"]["responses"]) == ["200", "304", "400", "404", "503"]
