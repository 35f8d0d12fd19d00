"""The runtime package can be vendored verbatim into a Function App as ``atakora_runtime``."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import atakora.runtime

RUNTIME_DIR = Path(atakora.runtime.__file__).parent
ALLOWED_TOP_LEVEL = {"azure", "re2"} | set(sys.stdlib_module_names)  # re2: google-re2, for patterns


def _imports(path: Path) -> list[tuple[str, int]]:
    found: list[tuple[str, int]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, 0) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            found.append((node.module or "", node.level))
    return found


def test_runtime_imports_only_relative_stdlib_azure_and_re2_modules() -> None:
    for path in RUNTIME_DIR.rglob("*.py"):
        for module, level in _imports(path):
            if level == 0:
                assert module.split(".")[0] in ALLOWED_TOP_LEVEL, f"{path.name} imports {module}"


def test_vendored_copy_serves_requests_as_atakora_runtime(tmp_path: Path) -> None:
    shutil.copytree(RUNTIME_DIR, tmp_path / "atakora_runtime", ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "function_app.py").write_text(
        "import azure.functions as func\n"
        "from atakora_runtime import CrudSpec, SqliteStore, crud_blueprint\n"
        "app = func.FunctionApp()\n"
        "app.register_functions(crud_blueprint(\n"
        "    CrudSpec(component_id='UserApi', entity_name='User', route_prefix='users',\n"
        "             schema={'name': 'string'}),\n"
        "    store_factory=SqliteStore))\n"
    )
    check = (
        "import sys, function_app\n"
        "assert not any(m == 'atakora' or m.startswith('atakora.') for m in sys.modules)\n"
        "from atakora_runtime import LocalHost\n"
        "r = LocalHost(function_app.app).request('POST', '/api/users', json={'name': 'A'})\n"
        "print(r.status_code)\n"
    )
    result = subprocess.run(
        [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(tmp_path)!r})\n" + check],
        check=False, capture_output=True, text=True, cwd=tmp_path, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "201"


def test_function_app_indexes_unique_names_and_http_annotations() -> None:
    import inspect

    import azure.functions as func

    from atakora.runtime import CrudSpec, crud_blueprint

    app = func.FunctionApp()
    app.register_functions(crud_blueprint(CrudSpec("UserApi", "User", "users", {})))
    functions = app.get_functions()
    assert sorted(str(f.get_function_name()) for f in functions) == [
        "UserApi_create", "UserApi_delete", "UserApi_health", "UserApi_list", "UserApi_read", "UserApi_update",
    ]
    signature = inspect.signature(functions[0].get_user_function())
    assert signature.parameters["req"].annotation is func.HttpRequest
    assert signature.return_annotation is func.HttpResponse
