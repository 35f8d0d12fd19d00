"""The OpenAPI 3.1 document: generated with the code, served by ``atakora dev``, and fuzzed with schemathesis."""

from __future__ import annotations

import json
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from atakora.cli.dev import DevServer, start_dev_server

QUICKSTART = Path(__file__).resolve().parents[2] / "examples" / "quickstart.py"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevServer]:
    server, _ = start_dev_server(QUICKSTART, port=0, data_dir=tmp_path_factory.mktemp("dev"))
    server.start()
    yield server
    server.close()


def _inlined(document: Any, value: Any) -> Any:
    """``value`` with every local ``$ref`` of ``document`` replaced by what it points at."""
    if isinstance(value, dict):
        if set(value) == {"$ref"}:
            target = document
            for part in value["$ref"].removeprefix("#/").split("/"):
                target = target[part]
            return _inlined(document, target)
        return {key: _inlined(document, item) for key, item in value.items()}
    if isinstance(value, list):
        return [_inlined(document, item) for item in value]
    return value


def test_the_document_is_openapi_3_1_and_describes_every_route(served: DevServer) -> None:
    with urllib.request.urlopen(served.url + "/openapi.json") as response:
        document = json.loads(response.read())
    assert document["openapi"] == "3.1.0"
    paths = _inlined(document, document["paths"])
    assert set(paths["/api/users"]) == {"get", "post"}
    assert set(paths["/api/users/{id}"]) >= {"get", "put", "delete"}
    assert "412" in paths["/api/users/{id}"]["put"]["responses"]
    assert "Retry-After" in paths["/api/users"]["post"]["responses"]["503"]["headers"]
    listing = {p["name"]: p for p in paths["/api/products"]["get"]["parameters"]}
    assert set(listing) >= {"limit", "continuation", "pk", "name", "price", "order_by"}
    assert listing["price"]["schema"] == {"type": "number"}
    assert {"price", "-price", "category", "-id"} <= set(listing["order_by"]["schema"]["enum"])
    assert "User" in document["components"]["schemas"]
    packaged = next(p for p in served.projects) / "openapi.json"
    assert json.loads(packaged.read_text(encoding="utf-8")) == document


def test_schemathesis_finds_no_server_error_and_no_response_outside_the_document(served: DevServer) -> None:
    import schemathesis
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_headers_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    checks = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
              response_headers_conformance]
    schema = schemathesis.openapi.from_url(served.url + "/openapi.json")
    base_url = served.url.removesuffix("/api")
    started = time.monotonic()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10
    for operation in operations:

        @settings(max_examples=25, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def fuzz(case: schemathesis.Case) -> None:
            case.call_and_validate(base_url=base_url, checks=checks)

        fuzz()
    assert time.monotonic() - started < 90
