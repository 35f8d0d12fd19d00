"""Property: whatever the schema accepts comes back from create→read unchanged."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from atakora.runtime import CrudSpec, LocalHost, SqliteStore, crud_blueprint
from atakora.runtime.jsonsafe import MAX_SAFE_INTEGER
from atakora.runtime.schema import id_problem

SCHEMA: dict[str, Any] = {
    "text": "string",
    "amount": "number",
    "flag": "boolean",
    "when": "timestamp",
    "list": "array",
    "doc": "object",
}

safe_integers = st.integers(-MAX_SAFE_INTEGER, MAX_SAFE_INTEGER)
json_scalars = st.none() | st.booleans() | safe_integers | st.floats(allow_nan=False, allow_infinity=False) | st.text()
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
timestamps = st.datetimes().map(lambda d: d.isoformat())
ids = st.text(st.characters(blacklist_characters="/\\?#", blacklist_categories=["Cs"]), min_size=1, max_size=40).filter(
    lambda i: id_problem(i) is None and i.lower() != "health"
)

payloads = st.fixed_dictionaries(
    {},
    optional={
        "id": ids,
        "text": st.text(),
        "amount": safe_integers | st.floats(allow_nan=False, allow_infinity=False),
        "flag": st.booleans(),
        "when": timestamps,
        "list": st.lists(json_values, max_size=4),
        "doc": st.dictionaries(st.text(max_size=8), json_values, max_size=4),
    },
)

SPEC = CrudSpec("PropApi", "Prop", "props", SCHEMA)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(payload=payloads)
def test_accepted_payload_round_trips_create_then_read(payload: dict[str, Any]) -> None:
    host = LocalHost(crud_blueprint(SPEC, store_factory=SqliteStore))
    assert SPEC.entity_schema().validate(payload) == []
    created = host.request("POST", "/api/props", json=payload)
    assert created.status_code == 201, created.get_body()
    import json

    body = json.loads(created.get_body())
    item_id = body["id"]
    read = host.request("GET", "/api/props/" + _quote(item_id))
    assert read.status_code == 200, read.get_body()
    assert json.loads(read.get_body()) == {**payload, "id": item_id}
    assert body == {**payload, "id": item_id}


def _quote(value: str) -> str:
    from urllib.parse import quote

    return quote(value, safe="")
