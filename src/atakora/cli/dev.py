"""``atakora dev``: serve every generated Function App of a program locally, on SQLite.

The program runs without writing anything; each Function App's package is generated and written
as a local Functions project under the data directory (``<data-dir>/<backend>-<app>/``, SQLite files
in its ``.data/``), its ``function_app`` is imported in-process and all of them are served on one
port.  The projects' ``local.settings.json`` values become environment variables while the server
runs, so editing that file (e.g. pointing a CrudApi at a real Cosmos account) takes effect on the
next start.

Each project's modules (``function_app``, ``atakora_runtime``, ``atakora_generated``,
``user_code``) are imported under their own names and then removed from ``sys.modules``, so two
Function Apps never share modules; user code that imports its own modules lazily at request time
by absolute name is not supported (relative imports are).
"""

from __future__ import annotations

import importlib
import logging
import os
import re
import sys
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import azure.functions as func
from rich.console import Console
from rich.logging import RichHandler
from rich.table import Table
from werkzeug.serving import BaseWSGIServer

from ..backend.backend import backends_of
from ..backend.cors import CorsPolicy
from ..backend.providers.functions import SharedFunctionApp
from ..components.codegen import (
    CrudSpec,
    FunctionPackage,
    UserFunctionsCode,
    build_function_package,
    write_local_project,
)
from ..errors import AtakoraError
from ..runtime.cors import PREFLIGHT_FUNCTION
from ..runtime.local_host import LocalHost
from .dev_identity import DevHost, principal_for
from .devhttp import make_server
from .local_secrets import LOCAL_SECRETS_FILE, local_secret_values
from .program import run_program
from .secrets import declared_in

__all__ = ["DevRoute", "DevServer", "SkippedFunction", "run_dev", "start_dev_server"]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7071
DEFAULT_DATA_DIR = Path(".atakora-dev")
PROJECT_MODULES = ("function_app", "atakora_runtime", "atakora_generated", "user_code")


@dataclass(frozen=True)
class DevRoute:
    """One served HTTP route: ``method`` (``*`` for any), ``path`` (``/api/...``), its component,
    Function App directory name and function name."""

    method: str
    path: str
    component: str
    function_app: str
    function: str


@dataclass(frozen=True)
class SkippedFunction:
    """A queue or timer function that ``atakora dev`` does not run."""

    component: str
    function: str
    trigger: str


@dataclass(frozen=True)
class _Project:
    name: str
    directory: Path
    package: FunctionPackage
    components: tuple[str, ...]
    user_functions: tuple[UserFunctionsCode, ...]


class DevServer:
    """The running dev server: call :meth:`serve_forever` (blocking) or :meth:`start` (a background
    thread), and :meth:`close` to stop serving and restore the environment (also a context manager)."""

    def __init__(
        self,
        http: BaseWSGIServer,
        host: LocalHost,
        projects: Sequence[Path],
        saved_environment: dict[str, str | None],
        skipped: Sequence[SkippedFunction],
        missing_secrets: Sequence[str] = (),
    ) -> None:
        self.missing_secrets = tuple(missing_secrets)
        """Declared secrets without a value in the local secrets file ('Component/NAME')."""
        self.http = http
        self.host = host
        self.projects = tuple(projects)
        self.skipped = tuple(skipped)
        self._saved_environment = saved_environment
        self._serving = False
        self._thread: threading.Thread | None = None
        self._closed = False
        self._lock = threading.Lock()

    @property
    def port(self) -> int:
        """The bound port (useful after asking for port 0)."""
        return int(self.http.server_address[1])

    @property
    def url(self) -> str:
        """``http://<host>:<port>/api``: the base of every route."""
        address = str(self.http.server_address[0])
        return f"http://{address}:{self.port}/{self.host.route_prefix}"

    def serve_forever(self) -> None:
        """Serve requests until :meth:`close` is called (or Ctrl-C in the serving thread)."""
        with self._lock:
            if self._closed:
                raise RuntimeError("the dev server is closed")
            self._serving = True
        self.http.serve_forever(poll_interval=0.1)

    def start(self) -> threading.Thread:
        """Serve on a daemon thread and return it (:meth:`close` then waits for its loop to stop)."""
        with self._lock:
            if self._closed:
                raise RuntimeError("the dev server is closed")
            self._serving = True
            thread = threading.Thread(
                target=self.http.serve_forever, kwargs={"poll_interval": 0.1}, name="atakora-dev", daemon=True
            )
            thread.start()
            self._thread = thread
        return thread

    def close(self) -> None:
        """Stop serving, release the port and restore the environment variables (idempotent)."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            serving = self._serving
        if serving:
            self.http.shutdown()
            if self._thread is not None:
                self._thread.join(timeout=5)  # the serving thread holds the listening socket until it ends
        self.http.server_close()
        for route in self.host.routes:
            close = getattr(getattr(route.function, "atakora_handlers", None), "close", None)
            if callable(close):
                close()
        _restore_environment(self._saved_environment)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()


def start_dev_server(
    program: str | Path,
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    data_dir: str | Path = DEFAULT_DATA_DIR,
    act_as: str | None = None,
) -> tuple[DevServer, list[DevRoute]]:
    """Run ``program`` (nothing is written to its outdir), write each Function App as a local
    project under ``data_dir`` (default ``.atakora-dev``), import them and bind one server on
    ``host`` (default ``127.0.0.1``) and ``port`` (default 7071; 0 picks a free port).

    The server is bound but not yet serving: call ``serve_forever()`` or ``start()``, then
    ``close()``.  ``act_as`` (``tid=tenant-a,oid=u1,roles=Admin``, default none) is the Entra ID
    caller of requests that send no ``X-MS-CLIENT-PRINCIPAL``.  Raises AtakoraError when the program
    serves nothing or Function Apps collide.
    """
    principal = principal_for(act_as) if act_as is not None else None
    run = run_program(program, outdir=None, write=False)
    apps = _function_apps([b for app in run.apps for b in backends_of(app)])
    if not apps:
        raise AtakoraError(
            f"{Path(program).name} has no Function App code to serve",
            fix="add a CrudApi or FunctionsApp component to a backend and call backend.add_to_stack(stack)",
        )
    projects = [_write_project(name, shared, Path(data_dir)) for name, shared in apps]
    settings = _merged_settings(projects)
    secret_values, missing_secrets = local_secret_values(Path(program), declared_in(run))
    saved = _apply_environment({**settings, **secret_values})
    try:
        containers = [_import_function_app(p.directory) for p in projects]
        local = DevHost(*containers, base_url=f"http://{host}:{port}", principal=principal)
        routes = _routes(local, projects, containers)
        _check_unique_routes(routes)
        policies = {shared_name: shared.cors for shared_name, shared in apps}
        by_function = {r.function: policies.get(r.function_app) for r in routes}

        def cors_for(path: str) -> CorsPolicy | None:
            route = local.route_for(path)
            return by_function.get(route.name) if route is not None else None

        try:
            http = make_server(local, host, port, cors=cors_for)
        except OSError as error:
            raise AtakoraError(
                f"cannot listen on {host}:{port}: {error.strerror or error}",
                fix="choose another port with --port, or stop the process that uses it",
            ) from None
    except BaseException:
        _restore_environment(saved)
        raise
    local.base_url = f"http://{host}:{http.server_address[1]}"
    server = DevServer(http, local, [p.directory for p in projects], saved, _skipped(projects), missing_secrets)
    return server, routes


def run_dev(console: Console, program: Path, *, host: str, port: int, data_dir: Path,
            act_as: str | None = None) -> None:
    """The ``atakora dev`` command: start, print the routes, serve until Ctrl-C, stop cleanly."""
    server, routes = start_dev_server(program, host=host, port=port, data_dir=data_dir, act_as=act_as)
    access_log = logging.getLogger("atakora.cli.devhttp")
    handler = RichHandler(console=console, show_path=False, markup=False)
    saved_level = access_log.level
    access_log.addHandler(handler)
    access_log.setLevel(logging.INFO)
    try:
        with server:
            print_routes(console, server, routes)
            if act_as is not None:
                console.print(f"requests without X-MS-CLIENT-PRINCIPAL act as {act_as}")
            try:
                server.serve_forever()
            except KeyboardInterrupt:
                console.print("\nstopped")
    finally:
        access_log.removeHandler(handler)
        access_log.setLevel(saved_level)


def print_routes(console: Console, server: DevServer, routes: Sequence[DevRoute]) -> None:
    """Print the served routes as a table, then where data lives and how to stop."""
    table = Table(title=f"atakora dev: {server.url}", title_justify="left")
    table.add_column("Method", style="bold")
    table.add_column("Path")
    table.add_column("Component", style="cyan")
    table.add_column("Function App", style="dim")
    for route in routes:
        table.add_row(route.method, route.path, route.component, route.function_app)
    console.print(table)
    for skipped in server.skipped:
        console.print(
            f"[yellow]not run locally:[/] {skipped.component}.{skipped.function} ({skipped.trigger} trigger)"
        )
    for project in server.projects:
        console.print(f"[dim]project and SQLite data: {project}[/]")
    if server.missing_secrets:
        console.print(f"[yellow]secrets without a local value:[/] {', '.join(server.missing_secrets)} "
                      f"(add them to {LOCAL_SECRETS_FILE} next to the program; it is git-ignored)")
    entra = sorted({getattr(spec, "component_id", "?") for route in server.host.routes
                    for spec in [getattr(getattr(route.function, "atakora_handlers", None), "spec", None)]
                    if getattr(spec, "authentication", None) == "entra"})
    if entra:
        console.print(f"Entra ID protects {', '.join(entra)}: requests need an X-MS-CLIENT-PRINCIPAL header "
                      "(or start with --as tid=...,oid=...,roles=...), else 401")
    console.print("function keys are not checked locally; press Ctrl-C to stop")


# --- building and importing the projects --------------------------------------------------------


def _function_apps(backends: Sequence[Any]) -> list[tuple[str, SharedFunctionApp]]:
    found: list[tuple[str, SharedFunctionApp]] = []
    seen: set[int] = set()
    names: set[str] = set()
    for backend in backends:
        for key, resource in getattr(backend, "resources", {}).items():
            if not isinstance(resource, SharedFunctionApp) or id(resource) in seen:
                continue
            if not (resource.crud_apis or resource.user_functions):
                continue
            seen.add(id(resource))
            base = re.sub(r"[^A-Za-z0-9_-]+", "-", f"{getattr(backend, 'backend_id', 'backend')}-{key}").strip("-")
            name, counter = base, 2
            while name in names:
                name, counter = f"{base}-{counter}", counter + 1
            names.add(name)
            found.append((name, resource))
    return found


def _write_project(name: str, shared: SharedFunctionApp, data_dir: Path) -> _Project:
    crud_apis: list[CrudSpec] = list(shared.crud_apis)
    user_functions: list[UserFunctionsCode] = list(shared.user_functions)
    package = build_function_package(
        crud_apis=crud_apis, user_functions=user_functions, python_version=shared.runtime_version
    )
    directory = write_local_project(package, data_dir / name).resolve()
    components = tuple(c.component_id for c in crud_apis) + tuple(u.component_id for u in user_functions)
    return _Project(name, directory, package, components, tuple(user_functions))


def _merged_settings(projects: Sequence[_Project]) -> dict[str, str]:
    import json

    merged: dict[str, str] = {}
    owners: dict[str, str] = {}
    for project in projects:
        document = json.loads((project.directory / "local.settings.json").read_text(encoding="utf-8"))
        values: dict[str, Any] = document.get("Values", {})
        for key, value in values.items():
            if key in merged and merged[key] != str(value):
                raise AtakoraError(
                    f"app setting {key} differs between Function Apps {owners[key]} and {project.name}",
                    fix="atakora dev serves all Function Apps in one process: give the components "
                    "distinct settings prefixes (settings_prefix) or ids",
                )
            merged[key], owners[key] = str(value), project.name
    return merged


def _apply_environment(values: dict[str, str]) -> dict[str, str | None]:
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    return saved


def _restore_environment(saved: dict[str, str | None]) -> None:
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


def _project_module_names() -> Iterator[str]:
    for name in list(sys.modules):
        if any(name == root or name.startswith(root + ".") for root in PROJECT_MODULES):
            yield name


def _import_function_app(directory: Path) -> func.FunctionApp:
    """Import ``directory/function_app.py`` and its modules without leaving them in ``sys.modules``."""
    outside = {name: sys.modules.pop(name) for name in list(_project_module_names())}
    sys.path.insert(0, str(directory))
    importlib.invalidate_caches()
    try:
        module = importlib.import_module("function_app")
    except Exception as error:
        raise AtakoraError(
            f"the generated {directory / 'function_app.py'} failed to import: {type(error).__name__}: {error}",
            fix="check the handler modules of your FunctionsApp components import cleanly",
        ) from error
    finally:
        sys.path.remove(str(directory))
        for name in list(_project_module_names()):
            del sys.modules[name]
        sys.modules.update(outside)
    app = getattr(module, "app", None)
    if not isinstance(app, func.FunctionApp):
        raise AtakoraError(f"{directory / 'function_app.py'} defines no FunctionApp named app")
    return app


# --- routes -----------------------------------------------------------------------------------------


def _routes(local: LocalHost, projects: Sequence[_Project], containers: Sequence[func.FunctionApp]) -> list[DevRoute]:
    owners: dict[str, tuple[_Project, str]] = {}
    for project, container in zip(projects, containers, strict=True):
        for function in container.get_functions():
            name = function.get_function_name() or function.get_user_function().__name__
            owners[name] = (project, _component_of(name, project.components))
    routes: list[DevRoute] = []
    for route in local.routes:
        project, component = owners[route.name]
        path = "/" + "/".join(p for p in (local.route_prefix, route.template.strip("/")) if p)
        for method in sorted(route.methods) or ["*"]:
            routes.append(DevRoute(method, path, component, project.name, route.name))
    order = {"GET": 0, "POST": 1, "PUT": 2, "PATCH": 3, "DELETE": 4}
    return sorted(routes, key=lambda r: (r.path, order.get(r.method, 9), r.method))


def _component_of(function_name: str, components: Sequence[str]) -> str:
    if function_name == "openapi":
        return "OpenAPI"
    if function_name == PREFLIGHT_FUNCTION:
        return "CORS"
    matches = [c for c in components if function_name.startswith(re.sub(r"[^A-Za-z0-9_]", "_", c) + "_")]
    return max(matches, key=len) if matches else "?"


def _check_unique_routes(routes: Sequence[DevRoute]) -> None:
    seen: dict[tuple[str, str], DevRoute] = {}
    for route in routes:
        if route.function == PREFLIGHT_FUNCTION:
            continue  # each app's OPTIONS catch-all; atakora dev answers preflights with each route's own app's rules
        shape = re.sub(r"\{[^}]*\}", "{}", route.path).lower()
        key = (route.method, shape)
        other = seen.get(key)
        if other is not None and other.function_app != route.function_app:
            raise AtakoraError(
                f"{route.method} {route.path} is served by both {other.component} ({other.function_app}) "
                f"and {route.component} ({route.function_app})",
                fix="atakora dev serves every Function App on one port: give the components distinct routes",
            )
        seen[key] = route


def _skipped(projects: Sequence[_Project]) -> list[SkippedFunction]:
    return [
        SkippedFunction(group.component_id, name, spec.trigger)
        for project in projects
        for group in project.user_functions
        for name, spec in group.functions.items()
        if spec.trigger != "http"
    ]
