"""Fixtures for runtime tests: a fake clock, an in-process API client and a Cosmos-compatible server."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import azure.functions as func
import pytest

from atakora.runtime import CrudSpec, EntityStore, LocalHost, SqliteStore, crud_blueprint
from atakora.runtime.partition import PartitionKeyPath
from atakora.runtime.query import QueryFields, composite_indexes
from atakora.runtime.schema import EntitySchema

COSMOS_SERVER_PACKAGE = "@vercel/cosmosdb-server@1.0.1"
NODE_CACHE = Path(os.environ.get("ATAKORA_TEST_NODE_CACHE", Path.home() / ".cache" / "atakora-test-node"))
COSMOS_TEST_KEY = "dGVzdC1rZXktZm9yLWxvY2FsLWNvc21vcy1zZXJ2ZXI="  # base64 of a dummy key

USER_SCHEMA: dict[str, Any] = {
    "name": {"type": "string", "required": True, "min_length": 1, "max_length": 50},
    "age": {"type": "number", "minimum": 0, "integer": True},
    "active": "boolean",
    "born": "timestamp",
    "tags": "array",
    "profile": "object",
    "role": {"type": "string", "enum": ["admin", "member"]},
}
PRODUCT_SCHEMA_FOR_COSMOS: dict[str, Any] = {"title": {"type": "string", "required": True}, "category": "string"}


class FakeClock:
    """A settable clock in seconds, injected into the SQLite store."""

    def __init__(self, start: float = 1_700_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class Response:
    """A decoded HTTP response."""

    status: int
    headers: dict[str, str]
    body: bytes
    json: Any = field(default=None)


@dataclass
class Api:
    """An in-process CRUD API: the local host, its store and a tiny client."""

    host: LocalHost
    store: EntityStore
    prefix: str = "/api/users"

    def call(self, method: str, path: str = "", **kwargs: Any) -> Response:
        target = path if path.startswith("/api") else self.prefix + path
        raw = self.host.request(method, target, **kwargs)
        return decode(raw)


def decode(raw: func.HttpResponse) -> Response:
    """Turn a Functions response into a :class:`Response` (JSON parsed when present)."""
    body = raw.get_body() or b""
    parsed = json.loads(body) if body and raw.mimetype == "application/json" else None
    return Response(raw.status_code, dict(raw.headers.items()), body, parsed)


def build_api(store: EntityStore, clock: Callable[[], float] | None = None, **spec_kwargs: Any) -> Api:
    """Serve a ``users`` CrudApi (overridable by ``spec_kwargs``) backed by ``store``.

    ``clock`` (default: the real monotonic clock) times the read cache."""
    options: dict[str, Any] = {
        "component_id": "UserApi",
        "entity_name": "User",
        "route_prefix": "users",
        "schema": USER_SCHEMA,
    }
    options.update(spec_kwargs)
    spec = CrudSpec(**options)
    host = LocalHost(crud_blueprint(spec, store_factory=lambda: store, clock=clock))
    return Api(host, store, prefix=f"/api/{spec.route_prefix}")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def make_api(clock: FakeClock) -> Iterator[Callable[..., Api]]:
    """Factory: ``make_api(partition_key=..., ttl=..., **spec)`` on an in-memory SQLite store."""
    stores: list[SqliteStore] = []

    def make(**spec_kwargs: Any) -> Api:
        store = SqliteStore(
            partition_key=spec_kwargs.get("partition_key", "/id"), default_ttl=spec_kwargs.get("ttl"), clock=clock
        )
        stores.append(store)
        return build_api(store, clock=clock, **spec_kwargs)

    yield make
    for store in stores:
        store.close()


@pytest.fixture
def api(make_api: Callable[..., Api]) -> Api:
    return make_api()


# --- Cosmos-compatible server (Node.js) -------------------------------------------------------


def _node_unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true, so this is an error rather than a skip)")
    pytest.skip(reason)


def _install_cosmos_server() -> Path:
    package_dir = NODE_CACHE / "node_modules" / "@vercel" / "cosmosdb-server"
    if not (package_dir / "package.json").exists():
        NODE_CACHE.mkdir(parents=True, exist_ok=True)
        try:
            subprocess.run(
                ["npm", "install", "--no-audit", "--no-fund", "--prefix", str(NODE_CACHE), COSMOS_SERVER_PACKAGE],
                check=True,
                capture_output=True,
                timeout=600,
            )
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            tail = (exc.stderr or b"")[-500:].decode("utf-8", "replace")
            _node_unavailable(f"npm install {COSMOS_SERVER_PACKAGE} failed: {tail}")
    return NODE_CACHE


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_answering(endpoint: str, process: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"cosmosdb-server exited early with code {process.returncode}")
        try:
            urllib.request.urlopen(endpoint + "/", timeout=1).close()
            return
        except urllib.error.HTTPError:
            return  # any HTTP answer means the server is up
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"cosmosdb-server did not answer at {endpoint} within {timeout}s")


@pytest.fixture(scope="session")
def cosmos_endpoint() -> Iterator[str]:
    """Start ``@vercel/cosmosdb-server`` over plain HTTP on a free loopback port."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        _node_unavailable("node and npm are needed to run the Cosmos-compatible test server")
    cache = _install_cosmos_server()
    port = _free_port()
    script = (
        "const { createHttpServer } = require('@vercel/cosmosdb-server');"
        f"createHttpServer().listen({port}, '127.0.0.1', () => console.log('ready'));"
    )
    process = subprocess.Popen(
        ["node", "-e", script], cwd=cache, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        _wait_until_answering(endpoint, process)
        yield endpoint
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture
def cosmos_api(cosmos_endpoint: str) -> Callable[..., Api]:
    """Factory: a fresh container with the given partition key, served through the CRUD handlers."""
    from azure.cosmos import CosmosClient, PartitionKey

    from atakora.runtime import CosmosStore

    client = CosmosClient(cosmos_endpoint, credential=COSMOS_TEST_KEY, enable_endpoint_discovery=False)
    database = client.create_database_if_not_exists("atakora-test")

    def make(partition_key: str = "/id", **spec: Any) -> Api:
        name = f"c{uuid.uuid4().hex[:12]}"
        database.create_container(name, partition_key=PartitionKey(path=partition_key),
                                  indexing_policy=emulator_indexing_policy(spec.get("schema", USER_SCHEMA), partition_key))
        store = CosmosStore.connect(
            endpoint=cosmos_endpoint, database="atakora-test", container=name, partition_key=partition_key,
            credential=COSMOS_TEST_KEY, enable_endpoint_discovery=False,
        )
        return build_api(store, partition_key=partition_key, **spec)

    return make


def emulator_indexing_policy(schema: dict[str, Any], partition_key: str) -> dict[str, Any]:
    """The composite indexes a CrudApi's container gets, each also reversed: Cosmos DB serves the exact
    reverse order from one index, the emulator only the order as written."""
    pk = PartitionKeyPath.parse(partition_key)
    indexes = composite_indexes(QueryFields.of(EntitySchema.from_spec(schema), pk), pk)
    reverse = {"ascending": "descending", "descending": "ascending"}
    listed = [*indexes, *([(path, reverse[order]) for path, order in index] for index in indexes)]
    return {"compositeIndexes": [[{"path": path, "order": order} for path, order in index] for index in listed]}


STORE_KINDS = [pytest.param("sqlite"), pytest.param("cosmos", marks=pytest.mark.node)]


@pytest.fixture(params=STORE_KINDS)
def any_api(request: pytest.FixtureRequest) -> Callable[..., Api]:
    """Factory of APIs on SQLite, then (with Node.js) on the Cosmos-compatible server: one test, both stores."""
    if request.param == "sqlite":
        return request.getfixturevalue("make_api")  # type: ignore[no-any-return]
    return request.getfixturevalue("cosmos_api")  # type: ignore[no-any-return]
