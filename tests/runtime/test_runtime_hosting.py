"""The in-process local host, the dev server and app settings."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator

import azure.functions as func
import pytest

from atakora.cli.devhttp import make_server
from atakora.runtime import (
    CrudSpec,
    LocalHost,
    SettingsError,
    SqliteStore,
    crud_blueprint,
    load_store_settings,
)
from atakora.runtime.settings import default_settings_prefix
from atakora.runtime.stores.factory import store_from_settings


def _app() -> func.FunctionApp:
    app = func.FunctionApp(http_auth_level=func.AuthLevel.ANONYMOUS)

    @app.route(route="things/special", methods=["GET"])
    def special(req: func.HttpRequest) -> func.HttpResponse:
        return func.HttpResponse("special")

    @app.route(route="things/{name}/parts/{part:int?}", methods=["GET"])
    def part(req: func.HttpRequest) -> func.HttpResponse:
        return func.HttpResponse(json.dumps(dict(req.route_params)), mimetype="application/json")

    @app.route(route="boom")
    def boom(req: func.HttpRequest) -> func.HttpResponse:
        raise RuntimeError("boom")

    @app.route(route="async")
    async def later(req: func.HttpRequest) -> func.HttpResponse:
        return func.HttpResponse(req.params.get("q", ""))

    return app


def test_literal_routes_win_over_parameters_and_parameters_are_extracted() -> None:
    host = LocalHost(_app())
    assert host.request("GET", "/api/things/special").get_body() == b"special"
    assert json.loads(host.request("GET", "/api/things/a%20b/parts/7").get_body()) == {"name": "a b", "part": "7"}
    assert json.loads(host.request("GET", "/api/things/x/parts").get_body()) == {"name": "x"}


def test_unknown_paths_and_methods_answer_404() -> None:
    host = LocalHost(_app())
    assert host.request("GET", "/api/nothing").status_code == 404
    assert host.request("POST", "/api/things/special").status_code == 404
    assert host.request("GET", "/things/special").status_code == 404


def test_function_exceptions_answer_500_and_async_functions_are_awaited() -> None:
    host = LocalHost(_app())
    assert host.request("GET", "/api/boom").status_code == 500
    assert host.request("GET", "/api/async?q=hi").get_body() == b"hi"


def test_route_prefix_can_be_empty() -> None:
    assert LocalHost(_app(), route_prefix="").request("GET", "/things/special").status_code == 200


@pytest.fixture
def served() -> Iterator[str]:
    spec = CrudSpec("UserApi", "User", "users", {"name": "string"})
    store = SqliteStore()
    server = make_server(LocalHost(crud_blueprint(spec, store_factory=lambda: store)), port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_dev_server_serves_crud_routes_over_http(served: str) -> None:
    request = urllib.request.Request(
        served + "/api/users", data=b'{"id": "a", "name": "Ann"}', method="POST",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request) as response:
        assert response.status == 201
        assert response.headers["Location"] == served + "/api/users/a"
        assert response.headers["Content-Type"].startswith("application/json")
    with urllib.request.urlopen(served + "/api/users/a") as response:
        assert json.loads(response.read()) == {"id": "a", "name": "Ann"}
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(served + "/api/users/zzz")
    assert info.value.code == 404


def test_settings_prefix_is_derived_from_the_component_id() -> None:
    assert default_settings_prefix("UserApi") == "USER_API"
    assert default_settings_prefix("order-processing api") == "ORDER_PROCESSING_API"
    assert CrudSpec("UserApi", "User", "users", {}).resolved_settings_prefix == "USER_API"


def test_cosmos_settings_are_read_under_the_prefix() -> None:
    env = {
        "USER_API_STORE": "cosmos",
        "USER_API_COSMOS_ENDPOINT": "https://acct.documents.azure.com:443/",
        "USER_API_DATABASE_NAME": "db",
        "USER_API_CONTAINER_NAME": "users",
        "AZURE_CLIENT_ID": "client-123",
        "PRODUCT_API_CONTAINER_NAME": "products",
    }
    settings = load_store_settings("USER_API", env)
    assert (settings.kind, settings.container_name, settings.managed_identity_client_id) == (
        "cosmos", "users", "client-123",
    )


def test_missing_setting_error_names_the_setting() -> None:
    with pytest.raises(SettingsError, match="USER_API_DATABASE_NAME"):
        load_store_settings("USER_API", {"USER_API_COSMOS_ENDPOINT": "https://x", "USER_API_CONTAINER_NAME": "c"})
    with pytest.raises(SettingsError, match="USER_API_STORE"):
        load_store_settings("USER_API", {"USER_API_STORE": "redis"})


def test_sqlite_settings_build_a_sqlite_store(tmp_path: object) -> None:
    settings = load_store_settings("USER_API", {"USER_API_STORE": "sqlite", "USER_API_SQLITE_PATH": f"{tmp_path}/u.db"})
    store = store_from_settings(settings, partition_key="/id", default_ttl=None)
    assert isinstance(store, SqliteStore)
    store.create({"id": "a"})
    store.close()


def test_handlers_build_their_store_from_settings_on_first_use(
    monkeypatch: pytest.MonkeyPatch, tmp_path: object
) -> None:
    monkeypatch.setenv("USER_API_STORE", "sqlite")
    monkeypatch.setenv("USER_API_SQLITE_PATH", f"{tmp_path}/users.db")
    host = LocalHost(crud_blueprint(CrudSpec("UserApi", "User", "users", {"name": "string"})))
    assert host.request("POST", "/api/users", json={"id": "a", "name": "A"}).status_code == 201
    assert host.request("GET", "/api/users/a").status_code == 200


def test_missing_settings_make_requests_fail_with_500_and_health_with_503(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NOPE_API_STORE", raising=False)
    host = LocalHost(crud_blueprint(CrudSpec("NopeApi", "Nope", "nopes", {})))
    assert host.request("GET", "/api/nopes/x").status_code == 500
    assert host.request("GET", "/api/nopes/health").status_code == 503


def test_preferred_cosmos_locations_come_from_the_component_or_the_app_wide_setting() -> None:
    from atakora.runtime.settings import load_store_settings

    base = {"U_COSMOS_ENDPOINT": "https://x", "U_DATABASE_NAME": "d", "U_CONTAINER_NAME": "c"}
    app_wide = load_store_settings("U", {**base, "COSMOS_PREFERRED_LOCATIONS": "westus2, eastus"})
    assert app_wide.preferred_locations == ("westus2", "eastus")
    own = load_store_settings("U", {**base, "COSMOS_PREFERRED_LOCATIONS": "eastus",
                                    "U_COSMOS_PREFERRED_LOCATIONS": "northeurope"})
    assert own.preferred_locations == ("northeurope",)
    assert load_store_settings("U", base).preferred_locations == ()
