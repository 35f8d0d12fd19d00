"""cors= on a backend or a CrudApi: rendered to siteConfig.cors, checked, and honoured by atakora dev."""

from __future__ import annotations

import http.client
import textwrap
from pathlib import Path
from typing import Any

import pytest

from atakora import App, ResourceGroupStack
from atakora.backend import define_backend
from atakora.backend.providers.functions import SharedFunctionApp
from atakora.cli.dev import start_dev_server
from atakora.components import CrudApi
from atakora.errors import AtakoraError
from atakora.testing import Template

SITE = "Microsoft.Web/sites"


def _sites(components: dict[str, Any], **config: Any) -> list[dict[str, Any]]:
    stack = ResourceGroupStack(App(outdir="unused.out"), "Stack", resource_group_name="rg-test", location="eastus")
    define_backend(components, **config).add_to_stack(stack)
    return [r for r in Template.from_stack(stack).resources if r["type"] == SITE]


def _users(**options: Any) -> Any:
    return CrudApi.define("UserApi", entity_name="User", schema={"id": "string"}, **options)


def test_backend_cors_renders_to_site_config_cors() -> None:
    (site,) = _sites({"users": _users()}, cors={"allowed_origins": ["https://app.example.com"],
                                               "support_credentials": True})
    assert site["properties"]["siteConfig"]["cors"] == {"allowedOrigins": ["https://app.example.com"],
                                                        "supportCredentials": True}


def test_a_crud_api_with_its_own_cors_gets_its_own_app() -> None:
    sites = _sites({"users": _users(cors={"allowed_origins": ["https://a.example.com"]}),
                    "items": CrudApi.define("ItemApi", entity_name="Item", schema={"id": "string"})})
    assert sorted(str(s["properties"]["siteConfig"].get("cors")) for s in sites) == [
        "None", "{'allowedOrigins': ['https://a.example.com'], 'supportCredentials': False}"]


@pytest.mark.parametrize(
    ("cors", "fragment"),
    [({"allowed_origins": ["https://a.example.com"], "allowed_methods": ["FETCH"]}, "not HTTP methods"),
     ({"allowed_origins": ["https://a.example.com"], "allowed_methods": "GET"}, "non-empty list of HTTP"),
     ({"allowed_origins": ["https://a.example.com"], "max_age": -1}, "0 to 86400"),
     ({"allowed_origins": ["https://a.example.com"], "max_age": True}, "0 to 86400"),
     ({"allowed_origins": ["https://a.example.com"], "allowed_headers": ["X"]}, "not supported"),
     ({"allowed_origins": "https://a.example.com"}, "non-empty list"),
     ({"allowed_origins": ["https://a.example.com/path"]}, "not an origin"),
     ({"allowed_origins": ["*"], "support_credentials": True}, "credentials"),
     (["https://a.example.com"], "valid dictionary")],
)
def test_bad_cors_is_an_error_naming_the_component(cors: Any, fragment: str) -> None:
    with pytest.raises(AtakoraError, match=fragment) as info:
        _users(cors=cors)
    assert "UserApi" in str(info.value)


IN_APP = {"allowed_origins": ["https://app.example.com"], "allowed_methods": ["GET", "POST"], "max_age": 600}


def _program(tmp_path: Path, cors: dict[str, Any]) -> Path:
    program = tmp_path / "app.py"
    program.write_text(textwrap.dedent(f"""
        from atakora import App, ResourceGroupStack
        from atakora.backend import define_backend
        from atakora.components import CrudApi

        backend = define_backend({{"users": CrudApi.define("UserApi", entity_name="User", schema={{"id": "string"}})}},
                                 environment="dev", location="eastus", cors={cors!r})
        app = App()
        backend.add_to_stack(ResourceGroupStack(app, "S", resource_group_name="rg", location="eastus"))
        app.synth()
    """))
    return program


def test_methods_or_max_age_move_cors_into_the_code_and_out_of_site_config() -> None:
    stack = ResourceGroupStack(App(outdir="unused.out"), "Stack", resource_group_name="rg-test", location="eastus")
    backend = define_backend({"users": _users()}, cors=IN_APP)
    backend.add_to_stack(stack)
    (site,) = [r for r in Template.from_stack(stack).resources if r["type"] == SITE]
    assert "cors" not in site["properties"]["siteConfig"]
    (entry,) = [e for e in backend.plan().to_json()["resources"] if e["type"] == "functions"]
    assert any("answered by the app's code" in note for note in entry["notes"])
    (app,) = [r for r in backend.resources.values() if isinstance(r, SharedFunctionApp)]
    assert app.crud_apis[0].cors == {"allowed_origins": ("https://app.example.com",),
                                     "allowed_methods": ("GET", "POST"), "max_age": 600, "support_credentials": False}
    from atakora.components.codegen._render import render_function_app

    source = render_function_app(app.crud_apis, [], "test")
    assert "app.register_functions(cors_blueprint(CORS))" in source and "cors=CORS" in source
    compile(source, "function_app.py", "exec")


def test_origins_only_stay_with_app_service_cors_and_no_note() -> None:
    backend = define_backend({"users": _users()}, cors={"allowed_origins": ["https://app.example.com"]})
    backend.add_to_stack(ResourceGroupStack(App(outdir="unused.out"), "S", resource_group_name="rg", location="eastus"))
    (entry,) = [e for e in backend.plan().to_json()["resources"] if e["type"] == "functions"]
    assert "notes" not in entry
    (app,) = [r for r in backend.resources.values() if isinstance(r, SharedFunctionApp)]
    assert app.crud_apis[0].cors is None


def test_user_http_functions_cannot_share_an_app_whose_code_answers_cors(tmp_path: Path) -> None:
    from atakora.components import FunctionsApp

    (tmp_path / "handlers.py").write_text("def hello(req):\n    return 'hi'\n")
    functions = FunctionsApp.define("Hooks", source_directory=str(tmp_path), functions={"hello": {"trigger": "http"}})
    app = App(outdir=str(tmp_path / "out"))
    define_backend({"users": _users(), "hooks": functions}, cors=IN_APP).add_to_stack(
        ResourceGroupStack(app, "S", resource_group_name="rg", location="eastus"))
    with pytest.raises(AtakoraError, match="does not wrap the HTTP functions of Hooks"):
        app.synth()


def test_atakora_dev_answers_preflights_with_exactly_the_methods_and_max_age(tmp_path: Path) -> None:
    server, _ = start_dev_server(_program(tmp_path, IN_APP), port=0, data_dir=tmp_path / "dev")
    origin = {"Origin": "https://app.example.com"}
    with server:
        server.start()
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
        connection.request("OPTIONS", "/api/users/ann", headers={**origin, "Access-Control-Request-Method": "POST",
                                                               "Access-Control-Request-Headers": "content-type"})
        response = connection.getresponse()
        response.read()
        assert response.status == 204
        assert response.headers["Access-Control-Allow-Methods"] == "GET, POST"
        assert response.headers["Access-Control-Max-Age"] == "600"
        assert response.headers["Access-Control-Allow-Headers"] == "content-type"
        connection.request("OPTIONS", "/api/users", headers={**origin, "Access-Control-Request-Method": "DELETE"})
        refused = connection.getresponse()
        refused.read()
        assert "Access-Control-Allow-Origin" not in refused.headers
        connection.request("GET", "/api/users", headers=origin)
        listed = connection.getresponse()
        listed.read()
        assert listed.headers.get_all("Access-Control-Allow-Origin") == ["https://app.example.com"]  # once: the code's
        connection.close()


def test_atakora_dev_answers_preflights_with_the_app_cors(tmp_path: Path) -> None:
    program = tmp_path / "app.py"
    program.write_text(textwrap.dedent("""
        from atakora import App, ResourceGroupStack
        from atakora.backend import define_backend
        from atakora.components import CrudApi

        backend = define_backend({"users": CrudApi.define("UserApi", entity_name="User", schema={"id": "string"})},
                                 environment="dev", location="eastus",
                                 cors={"allowed_origins": ["https://app.example.com"]})
        app = App()
        backend.add_to_stack(ResourceGroupStack(app, "S", resource_group_name="rg", location="eastus"))
        app.synth()
    """))
    server, _ = start_dev_server(program, port=0, data_dir=tmp_path / "dev")
    with server:
        server.start()
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
        connection.request("OPTIONS", "/api/users/ann", headers={"Origin": "https://app.example.com",
                                                               "Access-Control-Request-Method": "DELETE"})
        response = connection.getresponse()
        response.read()
        assert response.status == 204
        assert response.headers["Access-Control-Allow-Origin"] == "https://app.example.com"
        assert response.headers["Access-Control-Allow-Methods"] == "DELETE"
        connection.close()


def test_the_assembly_holds_the_openapi_document_of_each_function_app(tmp_path: Path) -> None:
    import json

    app = App(outdir=str(tmp_path / "out"))
    stack = ResourceGroupStack(app, "Stack", resource_group_name="rg-test", location="eastus")
    define_backend({"users": _users()}, environment="dev", location="eastus").add_to_stack(stack)
    app.synth()
    (document_file,) = (tmp_path / "out" / "openapi").glob("*.json")
    document = json.loads(document_file.read_text(encoding="utf-8"))
    assert document["openapi"] == "3.1.0"
    assert "/api/users/{id}" in document["paths"]
