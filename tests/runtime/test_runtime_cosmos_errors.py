"""Cosmos answers that the SDK gives up on (429, 413, 400, 503) map to clear HTTP statuses, never a bare 500."""

from __future__ import annotations

from typing import Any

import pytest
from azure.cosmos.exceptions import CosmosHttpResponseError
from conftest import build_api

from atakora.runtime import CosmosStore


class _Response:
    def __init__(self, status: int, headers: dict[str, str]) -> None:
        self.status_code = status
        self.headers = headers
        self.reason = "test"

    def text(self) -> str:
        return ""


class FailingContainer:
    """A container proxy whose every call fails with one Cosmos status."""

    def __init__(self, status: int, headers: dict[str, str] | None = None) -> None:
        self.status = status
        self.headers = headers or {}

    def _fail(self, *args: Any, **kwargs: Any) -> Any:
        raise CosmosHttpResponseError(
            status_code=self.status, message="internal detail", response=_Response(self.status, self.headers)
        )

    create_item = read_item = replace_item = delete_item = query_items = read = _fail


@pytest.mark.parametrize(
    ("cosmos_status", "status", "error"),
    [(429, 503, "throttled"), (413, 413, "payload_too_large"), (400, 400, "rejected"),
     (503, 503, "store_unavailable"), (408, 503, "store_unavailable")],
)
def test_cosmos_failures_map_to_http_statuses(cosmos_status: int, status: int, error: str) -> None:
    headers = {"x-ms-retry-after-ms": "2500"} if cosmos_status == 429 else {}
    api = build_api(CosmosStore(FailingContainer(cosmos_status, headers)))  # type: ignore[arg-type]
    response = api.call("POST", json={"id": "ann", "name": "Ann"})
    assert (response.status, response.json["error"]) == (status, error)
    assert "internal detail" not in response.body.decode()
    if cosmos_status == 429:
        assert response.headers["Retry-After"] == "3"
    listing = api.call("GET")
    assert listing.status == status


def test_throttled_reads_answer_503_not_404() -> None:
    api = build_api(CosmosStore(FailingContainer(429)))  # type: ignore[arg-type]
    response = api.call("GET", "/ann")
    assert (response.status, response.headers["Retry-After"]) == (503, "1")
