"""The generated Function App package: contents, determinism, style and golden files."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import atakora
import atakora.runtime
from atakora.components.codegen import (
    CrudSpec,
    FunctionPackage,
    UserFunctionsCode,
    build_function_package,
    write_local_project,
)

Golden = Callable[[str, Any], None]


@pytest.fixture
def package(user_api: CrudSpec, product_api: CrudSpec, jobs: UserFunctionsCode) -> FunctionPackage:
    """Two CrudApis and one FunctionsApp in one app."""
    return build_function_package(crud_apis=[user_api, product_api], user_functions=[jobs])


def _text(package: FunctionPackage, name: str) -> str:
    return package.files[name].decode("utf-8")


def test_the_same_components_give_a_byte_identical_zip_whatever_their_order(
    user_api: CrudSpec, product_api: CrudSpec, jobs: UserFunctionsCode
) -> None:
    first = build_function_package(crud_apis=[user_api, product_api], user_functions=[jobs])
    second = build_function_package(crud_apis=[product_api, user_api], user_functions=[jobs])
    assert first.zip_bytes() == second.zip_bytes()
    assert first.sha256 == second.sha256
    assert len(first.sha256) == 64


def test_a_changed_schema_or_user_file_gives_a_different_hash(
    user_api: CrudSpec, jobs: UserFunctionsCode, jobs_dir: Path
) -> None:
    base = build_function_package(crud_apis=[user_api], user_functions=[jobs])
    changed = replace(user_api, schema={**user_api.schema, "age": "number"})
    assert build_function_package(crud_apis=[changed], user_functions=[jobs]).sha256 != base.sha256
    (jobs_dir / "greetings.py").write_text("def greeting(name: str) -> str:\n    return name\n")
    assert build_function_package(crud_apis=[user_api], user_functions=[jobs]).sha256 != base.sha256


def test_zip_entries_are_sorted_with_a_fixed_timestamp_and_mode(package: FunctionPackage) -> None:
    with zipfile.ZipFile(io.BytesIO(package.zip_bytes())) as archive:
        infos = archive.infolist()
        assert [i.filename for i in infos] == sorted(package.files)
        assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
        assert {i.external_attr >> 16 for i in infos} == {0o100644}
        assert {i.compress_type for i in infos} == {zipfile.ZIP_DEFLATED}
        assert all(archive.read(name) == content for name, content in package.files.items())


def test_the_package_holds_the_app_the_runtime_and_the_user_code_without_junk(
    package: FunctionPackage,
) -> None:
    names = list(package.files)
    assert names == sorted(names)
    assert {
        "function_app.py",
        "host.json",
        "requirements.txt",
        "atakora_generated/__init__.py",
        "atakora_generated/jobs.py",
        "user_code/__init__.py",
    } <= set(names)
    user = sorted(n for n in names if n.startswith("user_code/jobs/"))
    assert user == [
        "user_code/jobs/__init__.py",
        "user_code/jobs/greetings.py",
        "user_code/jobs/handlers.py",
        "user_code/jobs/requirements.txt",
    ]
    assert package.files["user_code/jobs/__init__.py"] == b""
    assert not any("local.settings.json" in n or "__pycache__" in n or n.endswith(".pyc") for n in names)


def test_the_runtime_is_vendored_verbatim_as_atakora_runtime(package: FunctionPackage) -> None:
    root = Path(atakora.runtime.__file__).parent
    expected = {
        f"atakora_runtime/{p.relative_to(root).as_posix()}": p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and (p.suffix == ".py" or p.name == "py.typed") and "__pycache__" not in p.parts
    }
    vendored = {n: c for n, c in package.files.items() if n.startswith("atakora_runtime/")}
    assert vendored == expected
    assert "atakora_runtime/stores/sqlite.py" in vendored


def test_host_json_uses_the_v4_bundle_sampling_and_the_api_route_prefix(package: FunctionPackage) -> None:
    host = json.loads(package.files["host.json"])
    assert host["version"] == "2.0"
    assert host["extensionBundle"] == {
        "id": "Microsoft.Azure.Functions.ExtensionBundle",
        "version": "[4.*, 5.0.0)",
    }
    assert host["logging"]["applicationInsights"]["samplingSettings"]["isEnabled"] is True
    assert host["extensions"]["http"]["routePrefix"] == "api"


def test_requirements_merge_user_lines_and_extras_sorted_without_duplicates(
    user_api: CrudSpec, jobs: UserFunctionsCode, reports: UserFunctionsCode
) -> None:
    package = build_function_package(
        crud_apis=[user_api],
        user_functions=[jobs, reports],
        extra_requirements=["pydantic>=2", "httpx>=0.27"],
    )
    assert _text(package, "requirements.txt").splitlines() == [
        "azure-cosmos>=4.17",
        "azure-functions>=1.20",
        "azure-identity>=1.17",
        "httpx>=0.27",
        "pydantic>=2",
    ]


def test_an_app_without_crud_apis_needs_neither_cosmos_nor_identity(jobs: UserFunctionsCode) -> None:
    package = build_function_package(user_functions=[jobs])
    assert _text(package, "requirements.txt").splitlines() == ["azure-functions>=1.20", "httpx>=0.27"]
    assert "CrudSpec" not in _text(package, "function_app.py")


def test_generated_sources_have_a_header_without_timestamps_and_compile(package: FunctionPackage) -> None:
    for name in ("function_app.py", "atakora_generated/jobs.py"):
        source = _text(package, name)
        assert source.splitlines()[0] == f"# Generated by atakora {atakora.__version__}; do not edit."
        compile(source, name, "exec")
    assert "register_functions(atakora_generated.jobs.bp)" in _text(package, "function_app.py")
    assert "import user_code.jobs.handlers as _handlers" in _text(package, "atakora_generated/jobs.py")


@pytest.mark.skipif(
    shutil.which("ruff", path=str(Path(sys.executable).parent)) is None, reason="ruff missing"
)
def test_generated_sources_pass_ruff(package: FunctionPackage, tmp_path: Path) -> None:
    write_local_project(package, tmp_path)
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent))
    assert ruff is not None
    result = subprocess.run(
        [
            ruff,
            "check",
            "--isolated",
            "--select",
            "E,F,W,B,UP,I",
            "--line-length",
            "110",
            "--target-version",
            "py311",
            "function_app.py",
            "atakora_generated",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_schema_too_long_for_one_line_is_written_one_field_per_line(package: FunctionPackage) -> None:
    source = _text(package, "function_app.py")
    assert '            schema={\n                "id": "string",\n' in source
    assert all(len(line) <= 110 for line in source.splitlines())


def test_golden_function_app_py_host_json_and_blueprint(package: FunctionPackage, golden: Golden) -> None:
    golden("codegen/function_app_py", _text(package, "function_app.py").splitlines())
    golden("codegen/host_json", json.loads(package.files["host.json"]))
    golden("codegen/jobs_blueprint_py", _text(package, "atakora_generated/jobs.py").splitlines())


def test_write_local_project_points_each_crud_api_at_its_own_sqlite_file(
    package: FunctionPackage, tmp_path: Path
) -> None:
    root = write_local_project(package, tmp_path / "app")
    values = json.loads((root / "local.settings.json").read_text())["Values"]
    data = (tmp_path / "app" / ".data").resolve()
    assert values == {
        "AzureWebJobsStorage": "UseDevelopmentStorage=true",
        "FUNCTIONS_WORKER_RUNTIME": "python",
        "PRODUCT_API_SQLITE_PATH": str(data / "product_api.sqlite3"),
        "PRODUCT_API_STORE": "sqlite",
        "USER_API_SQLITE_PATH": str(data / "user_api.sqlite3"),
        "USER_API_STORE": "sqlite",
    }
    assert data.is_dir()
    assert all((root / name).read_bytes() == content for name, content in package.files.items())


def test_write_local_project_keeps_edited_settings_and_drops_stale_generated_files(
    package: FunctionPackage, tmp_path: Path
) -> None:
    root = write_local_project(package, tmp_path)
    settings = json.loads((root / "local.settings.json").read_text())
    settings["Values"]["USER_API_STORE"] = "cosmos"
    (root / "local.settings.json").write_text(json.dumps(settings))
    (root / "user_code" / "jobs" / "removed.py").write_text("")
    write_local_project(package, root)
    assert json.loads((root / "local.settings.json").read_text())["Values"]["USER_API_STORE"] == "cosmos"
    assert not (root / "user_code" / "jobs" / "removed.py").exists()


def test_http_only_apps_do_not_ask_for_local_storage(user_api: CrudSpec, tmp_path: Path) -> None:
    package = build_function_package(crud_apis=[user_api])
    values = json.loads((write_local_project(package, tmp_path) / "local.settings.json").read_text())[
        "Values"
    ]
    assert "AzureWebJobsStorage" not in values
    assert package.function_names == (
        "UserApi_create",
        "UserApi_delete",
        "UserApi_health",
        "UserApi_list",
        "UserApi_read",
        "UserApi_update",
    )


def test_the_package_zip_is_byte_identical_to_what_zipfile_writes_for_the_same_entries(
        user_api: CrudSpec, product_api: CrudSpec) -> None:
    from atakora.components.codegen._package import SHARED_COMPRESS_LEVEL, ZIP_COMPRESS_LEVEL

    package = build_function_package(crud_apis=[user_api, product_api])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(package.files):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            level = SHARED_COMPRESS_LEVEL if name.startswith("atakora_runtime/") else ZIP_COMPRESS_LEVEL
            archive.writestr(info, package.files[name], compresslevel=level)
    assert package.zip_bytes() == buffer.getvalue()
    again = build_function_package(crud_apis=[user_api, product_api])
    assert again.zip_bytes() == package.zip_bytes()  # the second package reuses the compressed runtime files
    with zipfile.ZipFile(io.BytesIO(package.zip_bytes())) as archive:
        assert archive.testzip() is None
        assert {n: archive.read(n) for n in archive.namelist()} == package.files


def test_packages_refer_to_one_shared_record_of_each_runtime_file_and_join_their_pieces_into_their_zip(
        user_api: CrudSpec, product_api: CrudSpec) -> None:
    import hashlib

    first = build_function_package(crud_apis=[user_api])
    second = build_function_package(crud_apis=[product_api])
    runtime = [name for name in first.files if name.startswith("atakora_runtime/")]
    shared = [piece for piece in first.zip_pieces() if any(id(piece) == id(p) for p in second.zip_pieces())]
    assert len(shared) == len(runtime)  # one record object per runtime file, in both packages
    assert first.zip_bytes() == b"".join(first.zip_pieces())
    assert first.sha256 == hashlib.sha256(first.zip_bytes()).hexdigest()
    with zipfile.ZipFile(io.BytesIO(second.zip_bytes())) as archive:
        assert {n: archive.read(n) for n in archive.namelist()} == second.files


def test_a_non_ascii_file_name_is_flagged_utf8_in_the_zip() -> None:
    from atakora.components.codegen._zip import deterministic_zip

    data = deterministic_zip({"café.txt": b"x", "a.txt": b"y"}, level=9)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.namelist() == ["a.txt", "café.txt"]
        assert archive.read("café.txt") == b"x"


def test_a_crud_spec_is_checked_once_and_keeps_no_rendered_source_or_function_names_after_packaging(
        user_api: CrudSpec, product_api: CrudSpec, monkeypatch: pytest.MonkeyPatch) -> None:
    from atakora.components.codegen import _model, _render

    calls: list[str] = []
    check, render = _model._check_crud_spec, _render._crud_registration
    monkeypatch.setattr(_model, "_check_crud_spec", lambda spec: calls.append("check") or check(spec))
    monkeypatch.setattr(_render, "_crud_registration", lambda spec: calls.append("render") or render(spec))
    fresh = replace(user_api)
    kept = set(vars(fresh))
    first = build_function_package(crud_apis=[fresh, product_api])
    second = build_function_package(crud_apis=[fresh])
    assert calls.count("check") == 2  # fresh and product_api, once each
    assert calls.count("render") == 3  # each package renders its specs' registrations
    assert set(vars(fresh)) == kept | {"_codegen_checked"}  # the schema literal is taken by the package
    assert first.files["function_app.py"].count(b"CrudSpec(") == 2
    assert second.files["function_app.py"] == build_function_package(crud_apis=[replace(user_api)]).files[
        "function_app.py"]


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
                    | st.text(), lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner)
                    | st.lists(inner).map(tuple), max_leaves=20), st.integers(0, 40))
def test_py_literal_writes_a_python_literal_of_the_same_value_with_strings_quoted_as_json_does(
        value: Any, indent: int) -> None:
    import ast

    from atakora.components.codegen._pysource import py_literal

    text = py_literal(value, indent)
    assert ast.literal_eval(text) == value
    if isinstance(value, str) and max(value, default="") <= "\uffff":
        assert text == json.dumps(value)


def test_py_literal_writes_a_character_beyond_the_basic_plane_as_one_character_not_a_surrogate_pair() -> None:
    import ast

    from atakora.components.codegen._pysource import py_literal

    assert py_literal("a\U0001f600\u00e9") == '"a\\U0001f600\\u00e9"'
    assert ast.literal_eval(py_literal({"enum": ["\U0001f600"]})) == {"enum": ["\U0001f600"]}


def test_the_schema_argument_is_rendered_once_when_the_spec_is_checked_and_reused_by_the_package(
        user_api: CrudSpec, monkeypatch: pytest.MonkeyPatch) -> None:
    from atakora.components.codegen import _model

    rendered: list[str] = []
    original = _model._schema_literal
    monkeypatch.setattr(_model, "_schema_literal", lambda spec: rendered.append(spec.component_id) or original(spec))
    fresh = replace(user_api)
    _model.check_crud_spec(fresh)
    source = build_function_package(crud_apis=[fresh]).files["function_app.py"].decode()
    assert rendered == ["UserApi"]
    assert f"            schema={original(fresh)},\n" in source


def test_checked_specs_of_one_schema_share_one_rendered_schema_argument(user_api: CrudSpec) -> None:
    from atakora.components.codegen import _model

    first, second = replace(user_api, component_id="First"), replace(user_api, component_id="Second")
    assert _model.schema_literal(first) is _model.schema_literal(second)


def test_specs_of_one_schema_render_it_once_and_schemas_alike_but_for_a_type_render_apart(
        user_api: CrudSpec, monkeypatch: pytest.MonkeyPatch) -> None:
    from atakora.components.codegen import _model, _pysource

    monkeypatch.setattr(_model, "_recent_schemas", {})
    rendered: list[object] = []
    original = _pysource.py_literal
    monkeypatch.setattr(_model, "py_literal", lambda value, *a: rendered.append(value) or original(value, *a))
    schema = {"id": "string", "price": {"type": "number", "maximum": 1}}
    first = _model.schema_literal(replace(user_api, schema=schema))
    assert _model.schema_literal(replace(user_api, component_id="OtherApi", schema=dict(schema))) == first
    assert len(rendered) == 1
    other = _model.schema_literal(replace(user_api, schema={"id": "string", "price": {"type": "number", "maximum": 1.0}}))
    assert len(rendered) == 2 and "1.0" in other and "1.0" not in first


def test_the_recent_schemas_kept_are_bounded(user_api: CrudSpec, monkeypatch: pytest.MonkeyPatch) -> None:
    from atakora.components.codegen import _model

    monkeypatch.setattr(_model, "_recent_schemas", {})
    for number in range(_model._RECENT_SCHEMAS + 5):
        _model.schema_literal(replace(user_api, schema={"id": "string", f"f{number}": "string"}))
    assert 0 < len(_model._recent_schemas) <= _model._RECENT_SCHEMAS
