"""Incompatible requirements split into separate resources (with a warning); capacity splits are stable."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from atakora.backend import ResourceRequirement, StorageRequirementConfig, define_backend
from atakora.components import FunctionsApp

from ._support import crud, probe, stack_for


def _of_type(backend: Any, resource_type: str) -> list[Any]:
    return [r for r in backend.plan().resources if r.resource_type == resource_type]


def _warning(backend: Any, prefix: str) -> str:
    [found] = [w for w in backend.plan().warnings if w.startswith(prefix)]
    return found


def test_serverless_and_provisioned_cosmos_needs_become_two_accounts_with_a_warning() -> None:
    backend = define_backend({"users": crud("UserApi"),
                              "orders": crud("OrderApi", enable_serverless=False, throughput=400)})
    accounts = _of_type(backend, "cosmos")
    assert sorted(a.members for a in accounts) == [["OrderApi"], ["UserApi"]]
    assert len({a.name for a in accounts}) == 2
    assert {a.config.enable_serverless for a in accounts} == {True, False}
    warning = _warning(backend, "cosmos:shared")
    assert "'OrderApi': provisioned" in warning and "'UserApi': serverless" in warning
    assert "creating 2 resources" in warning
    # Everything else is still shared.
    assert [r.members for r in _of_type(backend, "functions")] == [["OrderApi", "UserApi"]]


def test_python_311_and_312_functions_become_two_apps_with_a_warning() -> None:
    backend = define_backend({"a": FunctionsApp.define("Billing", version="3.11"),
                              "b": FunctionsApp.define("Reports", version="3.12")})
    apps = _of_type(backend, "functions")
    assert [(a.members, a.config.version) for a in apps] == [(["Billing"], "3.11"), (["Reports"], "3.12")]
    warning = _warning(backend, "functions:shared")
    assert "'Billing': python 3.11" in warning and "'Reports': python 3.12" in warning


def test_conflicting_environment_variable_values_become_two_apps_with_a_warning() -> None:
    backend = define_backend({"a": FunctionsApp.define("Billing", environment_variables={"MODE": "live"}),
                              "b": FunctionsApp.define("Reports", environment_variables={"MODE": "test"}),
                              "c": FunctionsApp.define("Audit", environment_variables={"MODE": "live"})})
    apps = _of_type(backend, "functions")
    assert [a.members for a in apps] == [["Audit", "Billing"], ["Reports"]]
    assert [a.config.environment_variables["MODE"] for a in apps] == ["live", "test"]
    assert "disagree on environment variable MODE" in _warning(backend, "functions:shared")


def test_equal_environment_variables_share_one_app() -> None:
    backend = define_backend({"a": FunctionsApp.define("Billing", environment_variables={"MODE": "live"}),
                              "b": FunctionsApp.define("Reports", environment_variables={"MODE": "live", "X": "1"})})
    [app] = _of_type(backend, "functions")
    assert dict(app.config.environment_variables) == {"MODE": "live", "X": "1"}


def _storage(component_id: str, sku: str, *containers: str) -> Any:
    return probe(component_id, ResourceRequirement("storage", "shared", StorageRequirementConfig(
        sku=sku, containers=containers)))  # type: ignore[arg-type]


def test_standard_and_premium_storage_become_two_accounts_with_a_warning() -> None:
    backend = define_backend({"a": _storage("Uploads", "Standard_LRS", "uploads"),
                              "b": _storage("Media", "Premium_LRS", "media"),
                              "c": _storage("Logs", "Standard_LRS", "logs")})
    accounts = _of_type(backend, "storage")
    assert [(a.members, a.config.sku) for a in accounts] == [(["Logs", "Uploads"], "Standard_LRS"),
                                                             (["Media"], "Premium_LRS")]
    assert "Premium performance" in _warning(backend, "storage:shared")
    assert all("-" not in a.name and a.name.islower() for a in accounts)


def test_incompatible_splits_synthesize_every_resource(tmp_path: Path) -> None:
    backend = define_backend({"users": crud("UserApi"), "orders": crud("OrderApi", enable_serverless=False,
                                                                       throughput=400)}, environment="prod")
    app, stack = stack_for(tmp_path)
    backend.add_to_stack(stack)
    app.synth()
    names = {r.name for r in backend.plan().resources if r.resource_type == "cosmos"}
    template = json.loads((tmp_path / "TestStack.json").read_text())
    accounts = {r["name"] for r in template["resources"] if r["type"] == "Microsoft.DocumentDB/databaseAccounts"}
    assert accounts == names


# ----- capacity ---------------------------------------------------------------------------------

def _three_apis(**extra: Any) -> dict[str, Any]:
    # Each CrudApi has 5 operations + 1 health route = 6 functions.
    return {**extra, "orders": crud("OrderApi"), "products": crud("ProductApi"), "users": crud("UserApi")}


def test_max_functions_per_app_splits_apps_deterministically() -> None:
    backend = define_backend(_three_apis(), environment="prod", limits={"max_functions_per_app": 10})
    apps = _of_type(backend, "functions")
    assert [a.members for a in apps] == [["OrderApi"], ["ProductApi"], ["UserApi"]]
    assert [a.key for a in apps] == ["functions:shared", "functions:shared#2", "functions:shared#3"]
    assert [a.config.function_count for a in apps] == [6, 6, 6]
    assert "split into 3 resources" in _warning(backend, "functions:shared")
    again = define_backend(dict(reversed(list(_three_apis().items()))), environment="prod",
                           limits={"max_functions_per_app": 10})
    assert [(a.key, a.name, a.members) for a in _of_type(again, "functions")] == [
        (a.key, a.name, a.members) for a in apps]


def test_members_fill_an_app_up_to_the_limit() -> None:
    backend = define_backend(_three_apis(), limits={"max_functions_per_app": 12})
    assert [a.members for a in _of_type(backend, "functions")] == [["OrderApi", "ProductApi"], ["UserApi"]]


def test_adding_a_component_never_moves_an_existing_one(tmp_path: Path) -> None:
    first = define_backend(_three_apis(), environment="prod", limits={"max_functions_per_app": 10})
    app, stack = stack_for(tmp_path)
    first.add_to_stack(stack)
    app.synth()
    written = json.loads((tmp_path / "plan.json").read_text())
    before = {m: r["name"] for r in written["backends"][0]["resources"] if r["type"] == "functions"
              for m in r["members"]}
    assert len(set(before.values())) == 3

    # 'AccountApi' sorts before every existing component.
    second = define_backend(_three_apis(accounts=crud("AccountApi")), environment="prod",
                            limits={"max_functions_per_app": 10})
    app2, stack2 = stack_for(tmp_path)
    second.add_to_stack(stack2)
    app2.synth()
    after = {m: r.name for r in _of_type(second, "functions") for m in r.members}
    assert {m: after[m] for m in before} == before
    assert after["AccountApi"] not in before.values()
    rewritten = json.loads((tmp_path / "plan.json").read_text())
    assert {m: r["name"] for r in rewritten["backends"][0]["resources"] if r["type"] == "functions"
            for m in r["members"]} == after


def test_without_a_previous_plan_the_new_component_takes_the_first_app() -> None:
    backend = define_backend(_three_apis(accounts=crud("AccountApi")), environment="prod",
                             limits={"max_functions_per_app": 10})
    assert _of_type(backend, "functions")[0].members == ["AccountApi"]


def test_adding_an_incompatible_component_never_moves_an_existing_one(tmp_path: Path) -> None:
    first = define_backend({"users": crud("UserApi")}, environment="prod")
    app, stack = stack_for(tmp_path)
    first.add_to_stack(stack)
    app.synth()
    [before] = _of_type(first, "cosmos")

    second = define_backend({"users": crud("UserApi"),
                             "audit": crud("AuditApi", enable_serverless=False, throughput=400)}, environment="prod")
    _, stack2 = stack_for(tmp_path)
    second.add_to_stack(stack2)
    after = {a.members[0]: a for a in _of_type(second, "cosmos")}
    assert (after["UserApi"].key, after["UserApi"].name) == (before.key, before.name)
    assert after["AuditApi"].name != before.name


def test_the_previous_plan_is_read_from_the_cli_output_directory(tmp_path: Path) -> None:
    from atakora import App, ResourceGroupStack
    from atakora.core.app import cli_session

    def synth(definitions: dict[str, Any]) -> dict[str, str]:
        backend = define_backend(definitions, environment="prod", limits={"max_functions_per_app": 10})
        with cli_session(tmp_path / "cli-out"):
            app = App(outdir=tmp_path / "unused")
            backend.add_to_stack(ResourceGroupStack(app, "S", resource_group_name="rg-test", location="eastus"))
            app.synth().write()  # the CLI writes once the program succeeded
        return {m: r.name for r in _of_type(backend, "functions") for m in r.members}

    before = synth(_three_apis())
    after = synth(_three_apis(accounts=crud("AccountApi")))
    assert {m: after[m] for m in before} == before
    assert not (tmp_path / "unused").exists()
