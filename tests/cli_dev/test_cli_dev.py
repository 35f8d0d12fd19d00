"""``atakora dev``: the generated APIs of a program served over real HTTP on SQLite."""

from __future__ import annotations

import json
import os
import socket
import sys
import textwrap
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from atakora.cli import dev as dev_module
from atakora.cli.dev import DevRoute, DevServer, start_dev_server
from atakora.cli.main import app
from atakora.errors import AtakoraError

QUICKSTART = Path(__file__).resolve().parents[2] / "examples" / "quickstart.py"
runner = CliRunner()


def _call(method: str, url: str, body: Any = None) -> tuple[int, dict[str, str], Any]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            raw = response.read()
            return response.status, dict(response.headers.items()), json.loads(raw) if raw else None
    except urllib.error.HTTPError as error:
        raw = error.read()
        return error.code, dict(error.headers.items()), json.loads(raw) if raw else None


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[DevServer, list[DevRoute]]]:
    server, routes = start_dev_server(QUICKSTART, host="127.0.0.1", port=0, data_dir=tmp_path / "dev")
    server.start()
    yield server, routes
    server.close()


def test_the_quickstart_apis_answer_over_real_http(served: tuple[DevServer, list[DevRoute]]) -> None:
    server, _ = served
    assert server.url == f"http://127.0.0.1:{server.port}/api"
    status, headers, user = _call("POST", server.url + "/users", {"name": "Ada", "email": "ada@example.com"})
    assert status == 201
    assert headers["Location"] == f"{server.url}/users/{user['id']}"
    status, _, again = _call("GET", headers["Location"])
    assert (status, again) == (200, user)

    for name, category in (("Dune", "books"), ("Go", "games"), ("Emma", "books")):
        assert _call("POST", server.url + "/products", {"name": name, "price": 9.5, "category": category})[0] == 201
    status, _, page = _call("GET", server.url + "/products?category=books")
    assert (status, sorted(p["name"] for p in page["items"])) == (200, ["Dune", "Emma"])
    assert _call("GET", server.url + "/users/health")[2] == {"status": "ok", "component": "UserApi"}


def test_the_routes_list_method_path_and_component(served: tuple[DevServer, list[DevRoute]]) -> None:
    _, routes = served
    table = {(r.method, r.path, r.component) for r in routes}
    assert ("POST", "/api/users", "UserApi") in table
    assert ("GET", "/api/products/{id}", "ProductApi") in table
    assert ("GET", "/api/products/health", "ProductApi") in table
    assert ("GET", "/api/openapi.json", "OpenAPI") in table
    assert len(routes) == 13
    assert [r.method for r in routes if r.path == "/api/users/{id}"] == ["GET", "PUT", "DELETE"]


def test_the_store_is_sqlite_in_the_data_directory_and_survives_a_restart(tmp_path: Path) -> None:
    data = tmp_path / "dev"
    with start_dev_server(QUICKSTART, port=0, data_dir=data)[0] as server:
        server.start()
        _, _, user = _call("POST", server.url + "/users", {"id": "ada", "name": "Ada"})
    assert list((data / "backend-functions-shared" / ".data").glob("*.sqlite3"))
    with start_dev_server(QUICKSTART, port=0, data_dir=data)[0] as server:
        server.start()
        assert _call("GET", server.url + "/users/ada")[2] == user


def test_closing_restores_the_environment_modules_and_port(tmp_path: Path) -> None:
    os.environ.pop("USER_API_STORE", None)
    server, _ = start_dev_server(QUICKSTART, port=0, data_dir=tmp_path)
    assert os.environ["USER_API_STORE"] == "sqlite"
    assert not any(m == "function_app" or m.startswith("atakora_runtime") for m in sys.modules)
    server.start()
    port = server.port
    server.close()
    server.close()  # idempotent
    assert "USER_API_STORE" not in os.environ
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", port))


def test_a_server_that_never_served_closes_without_hanging(tmp_path: Path) -> None:
    server, _ = start_dev_server(QUICKSTART, port=0, data_dir=tmp_path)
    server.close()


def test_a_busy_port_is_a_clear_error(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(AtakoraError, match="cannot listen on 127.0.0.1") as info:
            start_dev_server(QUICKSTART, port=port, data_dir=tmp_path)
    assert "--port" in info.value.fix
    assert "USER_API_STORE" not in os.environ


def test_a_program_without_function_apps_is_a_clear_error(tmp_path: Path) -> None:
    program = tmp_path / "empty.py"
    program.write_text(
        textwrap.dedent(
            """
            from atakora import App, ResourceGroupStack
            app = App()
            ResourceGroupStack(app, "Stack", resource_group_name="rg-x", location="eastus")
            """
        )
    )
    with pytest.raises(AtakoraError, match="empty.py has no Function App code to serve"):
        start_dev_server(program, port=0, data_dir=tmp_path / "dev")


def test_user_http_functions_are_served_and_queue_functions_listed_as_not_run(tmp_path: Path) -> None:
    source = tmp_path / "jobs"
    source.mkdir()
    (source / "handlers.py").write_text(
        textwrap.dedent(
            """
            import azure.functions as func
            from .words import greeting

            def hello(req: func.HttpRequest) -> func.HttpResponse:
                return func.HttpResponse(greeting(req.params.get("name", "world")))

            def process(msg: func.QueueMessage) -> None:
                pass
            """
        )
    )
    (source / "words.py").write_text("def greeting(name: str) -> str:\n    return f'hello {name}'\n")
    program = tmp_path / "app.py"
    program.write_text(
        textwrap.dedent(
            f"""
            from atakora import App, ResourceGroupStack
            from atakora.backend import define_backend
            from atakora.components import CrudApi, FunctionsApp

            backend = define_backend(
                {{
                    "notes": CrudApi.define("NoteApi", entity_name="Note", schema={{"text": "string"}},
                                            cache={{"enabled": True, "ttl": 30}}),
                    "jobs": FunctionsApp.define(
                        "Jobs",
                        source_directory={str(source)!r},
                        functions={{
                            "hello": {{"trigger": "http", "methods": ["GET"], "route": "hello"}},
                            "process": {{"trigger": "queue", "queue_name": "orders"}},
                        }},
                    ),
                }},
                environment="dev",
                location="eastus",
            )
            app = App()
            backend.add_to_stack(ResourceGroupStack(app, "Stack", resource_group_name="rg-x", location="eastus"))
            """
        )
    )
    server, routes = start_dev_server(program, port=0, data_dir=tmp_path / "dev")
    with server:
        server.start()
        request = urllib.request.urlopen(server.url + "/hello?name=dev", timeout=5)
        assert request.read() == b"hello dev"
        _, _, note = _call("POST", server.url + "/notes", {"text": "hi"})
        _, headers, _ = _call("GET", f"{server.url}/notes/{note['id']}")
        assert headers["Cache-Control"] == "private, max-age=30"
        assert [(s.component, s.function, s.trigger) for s in server.skipped] == [("Jobs", "process", "queue")]
    components = {(r.method, r.path): r.component for r in routes}
    assert components[("GET", "/api/hello")] == "Jobs"
    assert components[("POST", "/api/notes")] == "NoteApi"


def test_the_cli_shows_help_for_dev_in_process() -> None:
    result = runner.invoke(app, ["dev", "--help"])
    assert result.exit_code == 0
    for option in ("--port", "--host", "--data-dir", "7071", "127.0.0.1"):
        assert option in result.output


def test_the_cli_prints_the_routes_and_stops_cleanly_on_ctrl_c(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(self: DevServer) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(dev_module.DevServer, "serve_forever", interrupted)
    result = runner.invoke(
        app, ["dev", str(QUICKSTART), "--port", "0", "--data-dir", str(tmp_path / "dev")], terminal_width=200
    )
    assert result.exit_code == 0, result.output
    assert "/api/users/{id}" in result.output
    assert "ProductApi" in result.output
    assert "stopped" in result.output
    assert "USER_API_STORE" not in os.environ


def test_the_cli_reports_a_missing_program_in_one_line(tmp_path: Path) -> None:
    result = runner.invoke(app, ["dev", str(tmp_path / "missing.py"), "--port", "0"])
    assert result.exit_code == 1
    assert "not found" in " ".join(result.output.split())
    assert "Traceback" not in result.output
