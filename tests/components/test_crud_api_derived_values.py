"""A CrudApi's configuration and runtime spec compute their derived values once, in declared places."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from atakora.components import CrudApi
from atakora.runtime import CrudSpec

SCHEMA: dict[str, Any] = {"id": "string", "title": {"type": "string", "required": True}, "price": "number"}


def test_a_configs_derived_names_and_schema_are_computed_once_into_its_declared_attributes() -> None:
    config = CrudApi.define("AuditLogApi", entity_name="AuditLog", schema=SCHEMA).config
    assert (config.resolved_database, config.resolved_container, config.resolved_route) == (
        "auditlog-db", "auditlog", "audit-logs")
    assert config.resolved_route is config.resolved_route and config.entity_schema is config.entity_schema
    assert set(vars(config)) == {f.name for f in fields(config)}
    assert "_route" not in repr(config)
    assert config == CrudApi.define("AuditLogApi", entity_name="AuditLog", schema=SCHEMA).config


def test_specs_with_and_without_cors_keep_their_parsed_values_in_the_same_attribute_order() -> None:
    plain = CrudSpec("ItemApi", entity_name="Item", route_prefix="items", schema=SCHEMA, partition_key="/title")
    cors = CrudSpec("ItemApi", entity_name="Item", route_prefix="items", schema=SCHEMA, partition_key="/title",
                    cors={"allowed_origins": ["https://example.com"]})
    assert list(vars(plain)) == list(vars(cors))[: len(vars(plain))]
    assert plain.partition_key_path is cors.partition_key_path
    assert plain.entity_schema() is cors.entity_schema()
    assert {f.name for f in fields(plain)} == {f.name for f in fields(CrudSpec)}
    assert "_entity_schema" not in {f.name for f in fields(CrudSpec)}
