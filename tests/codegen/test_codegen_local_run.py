"""The generated project runs: write it to a directory and drive it in a fresh interpreter."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from atakora.components.codegen import (
    CrudSpec,
    UserFunctionsCode,
    build_function_package,
    write_local_project,
)

DRIVER = """
import json, sys
sys.path.insert(0, PROJECT)
import azure.functions as func
import function_app
assert not any(m == "atakora" or m.startswith("atakora.") for m in sys.modules), "atakora leaked in"
from atakora_runtime import LocalHost
import user_code.jobs.handlers as jobs_handlers

host = LocalHost(function_app.app)
out = {}
r = host.request("POST", "/api/users", json={"name": "Ada", "email": "ada@example.com"})
user = json.loads(r.get_body())
out["create_user"] = [r.status_code, user["name"]]
r = host.request("GET", "/api/users/" + user["id"])
out["read_user"] = [r.status_code, json.loads(r.get_body())["email"]]
r = host.request("POST", "/api/products", json={"name": "Dune", "price": 9.5, "category": "books"})
out["create_product"] = r.status_code
r = host.request("GET", "/api/products", params={"category": "books"})
out["list_products"] = [p["name"] for p in json.loads(r.get_body())["items"]]
r = host.request("GET", "/api/users")
out["list_users"] = [u["name"] for u in json.loads(r.get_body())["items"]]
r = host.request("PUT", "/api/products/x")
out["product_update_not_served"] = r.status_code
r = host.request("GET", "/api/hello", params={"name": "Bob"})
out["hello"] = [r.status_code, r.get_body().decode()]
r = host.request("GET", "/api/reports/hello")
out["reports_hello"] = r.get_body().decode()

functions = {f.get_function_name(): f for f in function_app.app.get_functions()}
out["functions"] = sorted(functions)
out["bindings"] = {
    name: json.loads(functions[name].get_function_json())["bindings"]
    for name in ("Jobs_process_order", "Jobs_cleanup")
}
functions["Jobs_process_order"].get_user_function()(func.QueueMessage(body=b"order-7"))
import asyncio
from azure.functions.timer import TimerRequest
asyncio.run(functions["Jobs_cleanup"].get_user_function()(TimerRequest(past_due=True)))
out["calls"] = jobs_handlers.CALLS
print("RESULT " + json.dumps(out))
"""


@pytest.fixture
def result(
    user_api: CrudSpec,
    product_api: CrudSpec,
    jobs: UserFunctionsCode,
    reports: UserFunctionsCode,
    tmp_path: Path,
) -> dict[str, Any]:
    """Run the driver against the written project; returns its JSON result."""
    package = build_function_package(crud_apis=[user_api, product_api], user_functions=[jobs, reports])
    project = write_local_project(package, tmp_path / "project")
    settings = json.loads((project / "local.settings.json").read_text())["Values"]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("USER_API_", "PRODUCT_API_"))}
    completed = subprocess.run(
        [sys.executable, "-I", "-c", f"PROJECT = {str(project)!r}\n" + DRIVER],
        cwd=project,
        env={**env, **settings},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    line = next(x for x in completed.stdout.splitlines() if x.startswith("RESULT "))
    data: dict[str, Any] = json.loads(line.removeprefix("RESULT "))
    data["project"] = str(project)
    return data


def test_two_crud_apis_in_one_app_create_read_and_list_on_sqlite(result: dict[str, Any]) -> None:
    assert result["create_user"] == [201, "Ada"]
    assert result["read_user"] == [200, "ada@example.com"]
    assert result["create_product"] == 201
    assert result["list_products"] == ["Dune"]
    assert result["list_users"] == ["Ada"]
    assert result["product_update_not_served"] == 404
    data = Path(result["project"]) / ".data"
    assert sorted(p.name for p in data.iterdir() if p.suffix == ".sqlite3") == [
        "product_api.sqlite3",
        "user_api.sqlite3",
    ]


def test_user_http_functions_of_two_components_with_the_same_module_do_not_clash(
    result: dict[str, Any],
) -> None:
    assert result["hello"] == [200, "hello Bob"]
    assert result["reports_hello"] == "reports say hello"


def test_every_function_is_registered_under_its_component_prefix(result: dict[str, Any]) -> None:
    assert result["functions"] == sorted(
        [
            "Jobs_cleanup",
            "Jobs_hello",
            "Jobs_process_order",
            "ProductApi_create",
            "ProductApi_health",
            "ProductApi_list",
            "ProductApi_read",
            "Reports_hello",
            "UserApi_create",
            "UserApi_delete",
            "UserApi_health",
            "UserApi_list",
            "UserApi_read",
            "UserApi_update",
            "openapi",
        ]
    )


def test_queue_and_timer_functions_have_the_right_bindings(result: dict[str, Any]) -> None:
    queue = result["bindings"]["Jobs_process_order"]
    assert queue == [
        {
            "direction": "IN",
            "type": "queueTrigger",
            "name": "msg",
            "queueName": "orders",
            "connection": "AzureWebJobsStorage",
        }
    ]
    (timer,) = result["bindings"]["Jobs_cleanup"]
    assert timer["type"] == "timerTrigger"
    assert timer["name"] == "timer"
    assert timer["schedule"] == "0 */5 * * * *"
    assert timer["runOnStartup"] is True


def test_calling_queue_and_timer_functions_reaches_the_user_handlers(result: dict[str, Any]) -> None:
    assert result["calls"] == [["process_order", "order-7"], ["cleanup", True]]
