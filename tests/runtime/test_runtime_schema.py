"""Schema parsing and payload validation."""

from __future__ import annotations

from typing import Any

import pytest

from atakora.runtime import EntitySchema, FieldError

SCHEMA = EntitySchema.from_spec(
    {
        "name": {"type": "string", "required": True, "max_length": 5},
        "age": {"type": "number", "minimum": 0, "maximum": 150},
        "active": "boolean",
        "born": "timestamp",
        "tags": {"type": "array", "max_length": 2},
        "profile": "object",
        "role": {"type": "string", "enum": ["admin", "member"]},
        "code": {"type": "string", "pattern": "[A-Z]{3}"},
    }
)


def fields(errors: list[FieldError]) -> list[str]:
    return [e.field for e in errors]


def test_valid_payload_has_no_errors() -> None:
    payload = {
        "id": "u1",
        "name": "Ann",
        "age": 30.5,
        "active": True,
        "born": "2001-02-03T04:05:06Z",
        "tags": ["a"],
        "profile": {"x": 1},
        "role": "admin",
        "code": "ABC",
    }
    assert SCHEMA.validate(payload) == []


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("name", 3),
        ("age", True),
        ("age", "3"),
        ("age", float("nan")),
        ("active", "yes"),
        ("born", "yesterday"),
        ("born", 12),
        ("tags", {"a": 1}),
        ("profile", []),
        ("role", "owner"),
        ("code", "abcd"),
        ("age", -1),
        ("tags", [1, 2, 3]),
    ],
)
def test_wrongly_typed_or_constrained_field_is_reported_by_name(name: str, value: Any) -> None:
    assert fields(SCHEMA.validate({"name": "Ann", name: value})) == [name]


def test_number_rejects_booleans_but_accepts_integers() -> None:
    assert SCHEMA.validate({"name": "Ann", "age": 3}) == []
    assert fields(SCHEMA.validate({"name": "Ann", "age": False})) == ["age"]


def test_missing_required_and_unknown_fields_are_all_reported() -> None:
    errors = SCHEMA.validate({"nickname": "x", "age": "old"})
    assert sorted(fields(errors)) == ["age", "name", "nickname"]


def test_non_object_body_is_rejected() -> None:
    assert SCHEMA.validate([1, 2]) == [FieldError("", "request body must be a JSON object")]


def test_system_fields_are_rejected_on_input() -> None:
    errors = SCHEMA.validate({"name": "Ann", "_etag": "x", "_ts": 1})
    assert sorted(fields(errors)) == ["_etag", "_ts"]
    assert "If-Match" in errors[0].message


@pytest.mark.parametrize("bad_id", [5, "", "a/b", "a?b", "x" * 256])
def test_invalid_ids_are_rejected(bad_id: Any) -> None:
    assert fields(SCHEMA.validate({"id": bad_id, "name": "Ann"})) == ["id"]


def test_update_requires_an_id() -> None:
    assert fields(SCHEMA.validate({"name": "Ann"}, for_update=True)) == ["id"]


def test_optional_fields_may_be_null_but_required_ones_may_not() -> None:
    assert SCHEMA.validate({"name": "Ann", "age": None}) == []
    assert fields(SCHEMA.validate({"name": None})) == ["name"]


def test_item_ttl_is_accepted_only_when_enabled() -> None:
    with_ttl = EntitySchema.from_spec({"name": "string"}, allow_item_ttl=True)
    assert with_ttl.validate({"ttl": 10}) == []
    assert fields(with_ttl.validate({"ttl": 0})) == ["ttl"]
    assert fields(EntitySchema.from_spec({"name": "string"}).validate({"ttl": 10})) == ["ttl"]


@pytest.mark.parametrize(
    ("spec", "fragment"),
    [
        ({"age": "integer"}, "'age'"),
        ({"age": {"type": "float"}}, "string, number, boolean, timestamp, array, object"),
        ({"age": {"type": "number", "max_length": 3}}, "allowed: type, required"),
        ({"_etag": "string"}, "reserved for system fields"),
        ({"ttl": "number"}, "time-to-live"),
        ({"id": "number"}, "'id' must have type 'string'"),
        ({"name": {"type": "string", "required": "yes"}}, "'required'"),
        ({"name": {"type": "string", "pattern": "("}}, "not a valid RE2 expression"),
        ({"role": {"type": "string", "enum": []}}, "non-empty list"),
    ],
)
def test_bad_spec_raises_value_error_naming_the_problem(spec: dict[str, Any], fragment: str) -> None:
    with pytest.raises(ValueError, match=None) as info:
        EntitySchema.from_spec(spec)
    assert fragment in str(info.value)


def test_identical_specs_share_one_parsed_schema_and_lookalike_values_do_not() -> None:
    spec = {"id": "string", "price": {"type": "number", "minimum": 1}}
    assert EntitySchema.from_spec(spec) is EntitySchema.from_spec(dict(spec))
    assert EntitySchema.from_spec(spec) is not EntitySchema.from_spec(spec, allow_item_ttl=True)
    for minimum in (1.0, -0.0, 0.0):
        parsed = EntitySchema.from_spec({"id": "string", "price": {"type": "number", "minimum": minimum}})
        assert repr(parsed.fields["price"].minimum) == repr(minimum)
    with pytest.raises(ValueError, match="'minimum' must be a number"):
        EntitySchema.from_spec({"price": {"type": "number", "minimum": True}})
    spec["price"] = {"type": "number", "minimum": 5}
    assert EntitySchema.from_spec(spec).fields["price"].minimum == 5


def test_crud_specs_of_alike_schemas_share_one_read_only_schema_and_unlike_ones_do_not() -> None:
    from atakora.runtime import CrudSpec

    def spec(component_id: str, schema: dict[str, Any]) -> CrudSpec:
        return CrudSpec(component_id, entity_name="Item", route_prefix="items", schema=schema)

    first = spec("A", {"id": "string", "price": {"type": "number", "minimum": 0}})
    second = spec("B", {"id": "string", "price": {"type": "number", "minimum": 0}})
    other = spec("C", {"id": "string", "price": {"type": "number", "minimum": 0.0}})  # a float: not alike
    assert first.schema is second.schema and dict(first.schema) == dict(second.schema)
    assert other.schema is not first.schema and other.schema["price"] == {"type": "number", "minimum": 0.0}
    with pytest.raises(TypeError):
        first.schema["id"] = "number"  # type: ignore[index]
