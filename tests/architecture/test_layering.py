"""Layers import one way (design.md §8): parsed from the source, every import counts (also local and typing-only)."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
PACKAGE = SRC / "atakora"

FORBIDDEN = {
    "atakora.core": ("atakora.resources", "atakora.backend", "atakora.components", "atakora.cli", "atakora.deploy",
                     "atakora.runtime", "atakora.diff"),
    "atakora.resources": ("atakora.backend", "atakora.components", "atakora.cli", "atakora.deploy"),
    "atakora.backend": ("atakora.components", "atakora.cli", "atakora.deploy"),
    "atakora.rules": ("atakora.resources", "atakora.backend", "atakora.components", "atakora.cli", "atakora.deploy"),
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path, name: str | None = None) -> list[tuple[int, str]]:
    """Every module ``path`` (module ``name``) imports, with relative imports resolved."""
    name = name or _module_name(path)
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            found.append((node.lineno, target))
            found.extend((node.lineno, f"{target}.{alias.name}") for alias in node.names)
    return found


def _violations() -> list[str]:
    out: list[str] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = _module_name(path)
        for layer, forbidden in FORBIDDEN.items():
            if module != layer and not module.startswith(layer + "."):
                continue
            for line, target in _imports(path):
                if any(target == f or target.startswith(f + ".") for f in forbidden):
                    out.append(f"{path.relative_to(SRC)}:{line} imports {target} ({layer} must not)")
    return sorted(set(out))


def test_each_layer_imports_only_the_layers_below_it() -> None:
    assert _violations() == []


def test_the_runtime_imports_nothing_of_atakora_outside_itself() -> None:
    runtime = PACKAGE / "runtime"
    outside = [f"{p.relative_to(SRC)}:{line} imports {t}" for p in sorted(runtime.rglob("*.py"))
               for line, t in _imports(p) if t.startswith("atakora") and not t.startswith("atakora.runtime")]
    assert outside == []


def test_the_checker_resolves_relative_local_and_typing_only_imports(tmp_path: Path) -> None:
    module = tmp_path / "stack.py"
    module.write_text("from typing import TYPE_CHECKING\nfrom .construct import Construct\n"
                      "if TYPE_CHECKING:\n    from ..backend import Backend\n"
                      "def f():\n    from ..resources.resources import ResourceGroup\n")
    found = {t for _, t in _imports(module, "atakora.core.stack")}
    assert {"atakora.core.construct", "atakora.backend.Backend", "atakora.resources.resources"} <= found


UNUSED_BY_SYNTHESIS = ("azure.functions", "werkzeug", "asyncio", "http.server", "ssl", "atakora.runtime.crud",
                       "atakora.runtime.local_host", "atakora.runtime.devserver", "atakora.cli", "atakora.deploy",
                       "pydantic")


@pytest.mark.parametrize(("statement", "absent"), [
    ("import atakora", (*UNUSED_BY_SYNTHESIS, "atakora.backend", "atakora.components", "atakora.runtime")),
    ("import atakora, atakora.backend", (*UNUSED_BY_SYNTHESIS, "atakora.components")),
    ("import atakora, atakora.backend, atakora.components", UNUSED_BY_SYNTHESIS),
])
def test_importing_the_framework_loads_nothing_synthesis_does_not_use(statement: str, absent: tuple[str, ...]) -> None:
    code = f"import json, sys\n{statement}\nprint(json.dumps(sorted(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            env={"PYTHONPATH": str(SRC), "PATH": ""})
    loaded = set(json.loads(result.stdout))
    assert sorted(m for m in absent if m in loaded) == []


SYNTHESIS = """
import json, sys
from atakora import App, ResourceGroupStack
from atakora.backend import define_backend
from atakora.components import CrudApi
guid = "6f1c7e7a-3b1a-4a8e-9a55-0d2c1f4b2a11"
for _ in range(2):  # into a fresh folder, then over the previous assembly
    backend = define_backend(
        {"users": CrudApi.define("UserApi", entity_name="User", schema={"id": "string", "name": "string"},
                                 auth={"provider": "entra", "tenant_id": guid, "client_id": guid})},
        environment="prod", monitoring={"retention_days": 90, "alerting": {"email_receivers": ["ops@example.com"]}},
        networking={"mode": "isolated", "service_tags": ["AzureCosmosDB"]}, tags={"team": "shop"},
        cosmos_config={"failover_policies": [{"location_name": "eastus", "priority": 0}]}, auto_scale=True)
    app = App(outdir=sys.argv[1])
    backend.add_to_stack(ResourceGroupStack(app, "Shop", resource_group_name="rg-shop", location="eastus"))
    app.synth()
print(json.dumps(sorted(sys.modules)))
"""


def test_synthesis_of_well_formed_configuration_loads_no_pydantic(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-c", SYNTHESIS, str(tmp_path / "out")], capture_output=True, text=True,
                            check=True, env={"PYTHONPATH": str(SRC), "PATH": ""})
    loaded = set(json.loads(result.stdout))
    assert "atakora.backend.config" in loaded
    assert sorted(m for m in loaded if m.split(".")[0] in ("pydantic", "pydantic_core")) == []


CLI_SYNTH = """
import json, sys
from atakora.cli import main
sys.argv = ["atakora", "synth", sys.argv[1], "--out", sys.argv[2]]
try:
    main()
except SystemExit as exit_:
    assert exit_.code in (0, None), exit_.code
sys.stderr.write(json.dumps(sorted(sys.modules)))
"""


def test_atakora_synth_on_the_command_line_loads_no_pydantic(tmp_path: Path) -> None:
    program = tmp_path / "app.py"
    program.write_text(
        "from atakora import App, ResourceGroupStack\n"
        "from atakora.backend import define_backend\n"
        "from atakora.components import CrudApi\n"
        "backend = define_backend({'users': CrudApi.define('UserApi', entity_name='User', schema={'id': 'string'})},"
        " environment='prod', monitoring=True)\n"
        "backend.add_to_stack(ResourceGroupStack(App(), 'Shop', resource_group_name='rg-shop', location='eastus'))\n",
        encoding="utf-8")
    result = subprocess.run([sys.executable, "-c", CLI_SYNTH, str(program), str(tmp_path / "out")],
                            capture_output=True, text=True, check=True, env={"PYTHONPATH": str(SRC), "PATH": ""},
                            cwd=tmp_path)
    loaded = set(json.loads(result.stderr))
    assert (tmp_path / "out" / "manifest.json").is_file()
    assert sorted(m for m in loaded if m.split(".")[0] in ("pydantic", "pydantic_core", "typer")) == []


def _graph(prefix: str) -> dict[str, set[str]]:
    """Module → the modules under ``prefix`` it imports at run time (local imports count, typing-only not)."""
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        if not name.startswith(prefix):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        typing_only = {line for node in ast.walk(tree)
                       if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
                       for line in range(node.lineno, (node.end_lineno or node.lineno) + 1)}
        targets = {t for line, t in _imports(path, name) if line not in typing_only}
        graph[name] = {t if t in modules else t.rsplit(".", 1)[0] for t in targets
                       if t.startswith(prefix) and (t in modules or t.rsplit(".", 1)[0] in modules)}
    return graph


def _reaches(graph: dict[str, set[str]], start: str, goal: str) -> bool:
    seen, todo = set(), list(graph.get(start, ()))
    while todo:
        current = todo.pop()
        if current == goal:
            return True
        if current not in seen:
            seen.add(current)
            todo.extend(graph.get(current, ()))
    return False


def test_the_backend_configuration_and_the_providers_do_not_import_each_other_in_a_cycle() -> None:
    graph = _graph("atakora.backend")
    assert not _reaches(graph, "atakora.backend.config", "atakora.backend.config")
    assert "atakora.backend.providers.base" in graph["atakora.backend.config"]


def test_the_cycle_check_sees_a_cycle() -> None:
    assert _reaches({"a": {"b"}, "b": {"a"}}, "a", "a")
    assert not _reaches({"a": {"b"}, "b": set()}, "a", "a")


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The modules that import each other in a cycle, as groups (strongly connected components)."""
    groups: list[list[str]] = []
    placed: set[str] = set()
    for start in sorted(graph):
        if start in placed or not _reaches(graph, start, start):
            continue
        group = sorted(m for m in graph if _reaches(graph, start, m) and _reaches(graph, m, start))
        placed.update(group)
        groups.append(group)
    return groups


def test_the_core_modules_import_each_other_without_a_cycle() -> None:
    assert _cycles(_graph("atakora.core")) == []


def test_no_core_module_is_in_an_import_cycle_through_other_packages() -> None:
    assert [group for group in _cycles(_graph("atakora")) if any(m.startswith("atakora.core") for m in group)] == []


def test_the_cycle_finder_names_every_module_of_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
