"""Fixtures for the code generator tests: user source directories and sample components."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from atakora.components.codegen import CrudSpec, FunctionSpec, UserFunctionsCode

JOBS_HANDLERS = """\
import azure.functions as func

from .greetings import greeting

CALLS: list[tuple[str, object]] = []


def hello(req: func.HttpRequest) -> func.HttpResponse:
    return func.HttpResponse(greeting(req.params.get("name", "world")))


def process_order(msg: func.QueueMessage) -> None:
    CALLS.append(("process_order", msg.get_body().decode()))


async def cleanup(timer: func.TimerRequest) -> None:
    CALLS.append(("cleanup", timer.past_due))
"""

REPORTS_HANDLERS = """\
import azure.functions as func


def hello(req: func.HttpRequest) -> func.HttpResponse:
    return func.HttpResponse("reports say hello")
"""


@pytest.fixture
def make_source(tmp_path: Path) -> Callable[[str, dict[str, str]], Path]:
    """Create ``tmp_path/<name>/`` holding the given files (relative path -> text)."""

    def make(name: str, files: dict[str, str]) -> Path:
        root = tmp_path / "sources" / name
        for relative, text in files.items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        root.mkdir(parents=True, exist_ok=True)
        return root

    return make


@pytest.fixture
def jobs_dir(make_source: Callable[[str, dict[str, str]], Path]) -> Path:
    """Source directory of the ``Jobs`` component (http, queue and async timer handlers)."""
    return make_source(
        "jobs",
        {
            "handlers.py": JOBS_HANDLERS,
            "greetings.py": 'def greeting(name: str) -> str:\n    return f"hello {name}"\n',
            "requirements.txt": "httpx>=0.27  # http client\n\nazure-functions\n",
            "__pycache__/handlers.cpython-311.pyc": "junk",
            ".env": "SECRET=1",
            ".venv/lib/site.py": "junk",
            "stale.pyc": "junk",
            "local.settings.json": "{}",
        },
    )


@pytest.fixture
def reports_dir(make_source: Callable[[str, dict[str, str]], Path]) -> Path:
    """Source directory of the ``Reports`` component: another ``handlers.py`` with ``hello``."""
    return make_source("reports", {"handlers.py": REPORTS_HANDLERS, "requirements.txt": "httpx>=0.27\n"})


@pytest.fixture
def user_api() -> CrudSpec:
    """The seed's UserApi."""
    return CrudSpec(
        component_id="UserApi",
        entity_name="User",
        route_prefix="users",
        schema={"id": "string", "name": {"type": "string", "required": True}, "email": "string"},
    )


@pytest.fixture
def product_api() -> CrudSpec:
    """The seed's ProductApi, partitioned by category."""
    return CrudSpec(
        component_id="ProductApi",
        entity_name="Product",
        route_prefix="products",
        schema={
            "id": "string",
            "name": {"type": "string", "required": True, "max_length": 200},
            "price": {"type": "number", "minimum": 0},
            "category": {"type": "string", "enum": ["books", "games", "tools"]},
        },
        partition_key="/category",
        ttl=-1,
        operations=("create", "read", "list"),
    )


@pytest.fixture
def jobs(jobs_dir: Path) -> UserFunctionsCode:
    """The Jobs component: one function per trigger."""
    return UserFunctionsCode(
        component_id="Jobs",
        source_directory=jobs_dir,
        functions={
            "hello": FunctionSpec(trigger="http", methods=("GET",), auth_level="anonymous"),
            "process_order": FunctionSpec(trigger="queue", queue_name="orders"),
            "cleanup": FunctionSpec(trigger="timer", schedule="0 */5 * * * *", run_on_startup=True),
        },
    )


@pytest.fixture
def reports(reports_dir: Path) -> UserFunctionsCode:
    """The Reports component: a second ``handlers.hello`` on another route."""
    return UserFunctionsCode(
        component_id="Reports",
        source_directory=reports_dir,
        functions={"hello": FunctionSpec(trigger="http", route="reports/hello", methods=("GET",))},
    )
