"""The deployer against fake Azure clients: order, resource groups, parameters, modes, scopes, failures, assets."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from azure.core.exceptions import ClientAuthenticationError, HttpResponseError

from atakora.deploy import Deployer, DeployError, DeployOptions, load_plan

from .conftest import FakeAzure, zip_bytes

SUB = "00000000-0000-0000-0000-000000000001"
PACKAGE = zip_bytes({"function_app.py": "import azure.functions as func\n", "requirements.txt": "azure-functions\n"})


def _deploy(azure: FakeAzure, root: Path, **options: Any) -> Any:
    options.setdefault("subscription_id", SUB)
    return Deployer(azure).run(load_plan(root), DeployOptions(**options))


def test_stacks_deploy_in_deploy_order_each_after_its_resource_group(
        azure: FakeAzure, assembly_dir: Callable[..., Path]) -> None:
    root = assembly_dir([{"id": "Data"}, {"id": "Api", "dependencies": ["Data"]}], order=["Data", "Api"])
    result = _deploy(azure, root)
    assert result.ok
    assert [(c[0], c[1]) for c in azure.calls] == [
        ("rg.exists", "rg-data"), ("rg.create", "rg-data"), ("validate", "rg-data"), ("deploy", "rg-data"),
        ("rg.exists", "rg-api"), ("rg.create", "rg-api"), ("validate", "rg-api"), ("deploy", "rg-api"),
    ]
    assert azure.calls[1][2] == {"location": "eastus", "tags": {"created-by": "atakora"}}
    assert [s.deployment_name for s in result.stacks] == ["atakora-Data", "atakora-Api"]
    assert [s.status for s in result.stacks] == ["deployed", "deployed"]
    assert result.stacks[0].resource_group_created
    assert azure.subscriptions == [SUB, SUB]


def test_an_existing_resource_group_is_left_as_it_is(azure: FakeAzure, assembly_dir: Callable[..., Path]) -> None:
    azure.existing_groups.add("rg-api")
    _deploy(azure, assembly_dir([{"id": "Api"}]))
    assert azure.names() == ["rg.exists", "validate", "deploy"]


def test_parameters_reach_validation_and_deployment_as_arm_values(
        azure: FakeAzure, assembly_dir: Callable[..., Path]) -> None:
    root = assembly_dir([{"id": "Api", "parameters": {"count": {"type": "int"},
                                                       "tier": {"type": "string", "defaultValue": "S1"}}}])
    _deploy(azure, root, parameters={"count": "3"})
    validate, deploy = (c for c in azure.calls if c[0] in ("validate", "deploy"))
    for call in (validate, deploy):
        body = call[3]
        assert body["properties"]["parameters"] == {"count": {"value": 3}}
        assert body["properties"]["mode"] == "Incremental"
        assert body["properties"]["template"]["parameters"]["count"] == {"type": "int"}
        assert "location" not in body


def test_what_if_deploys_nothing_and_reports_the_predicted_changes(
        azure: FakeAzure, assembly_dir: Callable[..., Path]) -> None:
    azure.existing_groups.add("rg-api")
    azure.results[("what-if", "atakora-Api")] = {"status": "Succeeded", "properties": {"changes": [
        {"changeType": "Create", "resourceId": "/subscriptions/x/resourceGroups/rg-api/providers/A/b"},
        {"changeType": "NoChange", "resourceId": "/subscriptions/x/resourceGroups/rg-api/providers/A/c"}]}}
    root = assembly_dir([{"id": "Api", "assets": [{"kind": "function-package", "data": PACKAGE, "destination": {
        "functionApp": "func-a", "deployment": "flex-consumption", "storageAccount": "st", "container": "pkg",
        "blob": None}}]}])
    result = _deploy(azure, root, mode="what-if")
    assert azure.names() == ["rg.exists", "what-if"]
    assert "whatIfSettings" in azure.calls[1][3]["properties"]
    stack = result.stacks[0]
    assert stack.status == "previewed"
    assert [(c.change_type, c.resource_id.rsplit("/", 1)[1]) for c in stack.changes] == [("Create", "b"),
                                                                                          ("NoChange", "c")]
    assert stack.assets[0].status == "planned"
    assert "would publish" in stack.assets[0].detail


def test_validate_only_deploys_nothing_and_creates_no_resource_group(
        azure: FakeAzure, assembly_dir: Callable[..., Path]) -> None:
    azure.existing_groups.add("rg-a")
    root = assembly_dir([{"id": "A"}, {"id": "B"}])
    result = _deploy(azure, root, mode="validate")
    assert azure.names() == ["rg.exists", "validate", "rg.exists"]
    assert [s.status for s in result.stacks] == ["validated", "validated"]
    assert "rg-b does not exist yet and would be created" in result.stacks[1].notes[0]
    assert "only once its group exists" in result.stacks[1].notes[1]


def test_subscription_scope_stacks_use_the_subscription_variants_with_a_location(
        azure: FakeAzure, assembly_dir: Callable[..., Path]) -> None:
    root = assembly_dir([{"id": "Groups", "scope": "subscription", "location": "westeurope"}, {"id": "Api"}])
    _deploy(azure, root)
    assert azure.names()[:2] == ["validate@sub", "deploy@sub"]
    for call in azure.calls[:2]:
        assert call[1] == "atakora-Groups"
        assert call[2]["location"] == "westeurope"
    _deploy(azure, root, mode="what-if")
    assert "what-if@sub" in azure.names()
    assert next(c for c in azure.calls if c[0] == "what-if@sub")[2]["location"] == "westeurope"


def test_a_failing_stack_stops_the_later_ones_and_the_error_names_it(
        azure: FakeAzure, assembly_dir: Callable[..., Path]) -> None:
    azure.failures[("deploy", "atakora-Api")] = HttpResponseError(message="Conflict: the name is taken")
    root = assembly_dir([{"id": "Data"}, {"id": "Api"}, {"id": "Web"}])
    result = _deploy(azure, root)
    assert not result.ok
    assert [s.status for s in result.stacks] == ["deployed", "failed", "skipped"]
    assert "rg-web" not in {c[1] for c in azure.calls}
    assert result.error is not None and result.error.stack_id == "Api"
    assert str(result.error).startswith("[Api] deployment failed:")
    assert "the name is taken" in str(result.error)


def test_template_validation_errors_are_shown_with_their_details_and_the_stack_id(
        azure: FakeAzure, assembly_dir: Callable[..., Path]) -> None:
    azure.results[("validate", "atakora-Api")] = {"error": {
        "code": "InvalidTemplate", "message": "Deployment template validation failed",
        "details": [{"code": "InvalidResourceName", "message": "name 'x_y' is invalid"}]}}
    result = _deploy(azure, assembly_dir([{"id": "Api"}]))
    assert azure.names()[-1] == "validate"
    message = str(result.error)
    assert message.startswith("[Api] template validation failed:\nInvalidTemplate: Deployment template")
    assert "  InvalidResourceName: name 'x_y' is invalid" in message


def test_an_authentication_failure_says_how_to_log_in(azure: FakeAzure, assembly_dir: Callable[..., Path]) -> None:
    azure.failures[("rg.exists", "rg-api")] = ClientAuthenticationError("DefaultAzureCredential failed")
    result = _deploy(azure, assembly_dir([{"id": "Api"}]))
    assert result.error is not None
    assert "could not authenticate to Azure" in str(result.error)
    assert "az login" in str(result.error) and "AZURE_CLIENT_ID" in str(result.error)


def test_a_stack_without_a_subscription_id_fails_before_any_call(
        azure: FakeAzure, assembly_dir: Callable[..., Path]) -> None:
    root = assembly_dir([{"id": "Api"}])
    with pytest.raises(DeployError, match=r"\[Api\] no Azure subscription id.*\n.*--subscription.*"
                                          "AZURE_SUBSCRIPTION_ID"):
        _deploy(azure, root, subscription_id=None)
    assert azure.calls == []


def test_the_manifests_subscription_wins_over_the_default(azure: FakeAzure, assembly_dir: Callable[..., Path]) -> None:
    _deploy(azure, assembly_dir([{"id": "A", "subscriptionId": "sub-a"}, {"id": "B"}]))
    assert azure.subscriptions == ["sub-a", SUB]


def test_a_flex_consumption_package_is_published_through_one_deploy_after_its_stack(
        azure: FakeAzure, assembly_dir: Callable[..., Path]) -> None:
    root = assembly_dir([{"id": "Api", "assets": [{"kind": "function-package", "data": PACKAGE, "destination": {
        "functionApp": "func-a", "deployment": "flex-consumption", "storageAccount": "sta", "container": "pkg-a",
        "blob": None}}]}])
    result = _deploy(azure, root)
    assert azure.names() == ["rg.exists", "rg.create", "validate", "deploy", "scm-host", "publish"]
    assert azure.calls[4] == ("scm-host", "rg-api", "func-a")
    assert azure.published["func-a.scm.azurewebsites.net"] == (PACKAGE, True)
    asset = result.stacks[0].assets[0]
    assert asset.status == "deployed"
    assert "OneDeploy" in asset.detail and "remote build" in asset.detail


def test_a_run_from_package_package_is_uploaded_then_the_app_restarts(
        azure: FakeAzure, assembly_dir: Callable[..., Path]) -> None:
    root = assembly_dir([{"id": "Api", "assets": [{"kind": "function-package", "data": PACKAGE, "destination": {
        "functionApp": "func-a", "deployment": "run-from-package", "storageAccount": "sta", "container": "pkg-a",
        "blob": "abc.zip"}}]}])
    result = _deploy(azure, root)
    assert azure.names()[-3:] == ["upload", "restart", "sync-triggers"]
    assert azure.uploads[("sta", "pkg-a", "abc.zip")] == PACKAGE
    assert "https://sta.blob.core.windows.net/pkg-a/abc.zip" in result.stacks[0].assets[0].detail


def test_static_site_content_gets_the_swa_commands_instead_of_an_upload(
        azure: FakeAzure, assembly_dir: Callable[..., Path], tmp_path: Path) -> None:
    root = assembly_dir([{"id": "Web", "assets": [{"kind": "static-site", "data": zip_bytes({"index.html": "hi"}),
                                                   "destination": {
        "staticSite": "stapp-web", "deployment": "static-web-app", "appLocation": ".", "outputLocation": "dist",
        "configFile": "staticwebapp.config.json", "buildCommand": "npm ci && npm run build"}}]}])
    result = _deploy(azure, root, workdir=tmp_path / "work")
    asset = result.stacks[0].assets[0]
    assert result.ok and asset.status == "manual"
    assert "swa CLI" in asset.detail
    commands = "\n".join(asset.commands)
    assert f"unzip -q {root / 'assets'}" in commands
    assert f"(cd {tmp_path / 'work' / 'stapp-web'} && npm ci && npm run build)" in commands
    assert "staticwebapp.config.json" in commands
    assert ("SWA_CLI_DEPLOYMENT_TOKEN=\"$(az staticwebapp secrets list --name stapp-web --resource-group rg-web "
            "--query properties.apiKey -o tsv)\" swa deploy") in commands
    assert commands.endswith("dist --env production")
    assert "upload" not in azure.names()


def test_an_upload_refused_for_lack_of_a_data_role_says_which_role_to_assign(
        azure: FakeAzure, assembly_dir: Callable[..., Path]) -> None:
    class Refusing:
        def upload(self, account: str, container: str, blob: str, data: bytes) -> str:
            error = HttpResponseError(message="AuthorizationPermissionMismatch")
            error.status_code = 403
            raise error

    azure.blob_uploader = Refusing()
    root = assembly_dir([{"id": "Api", "assets": [{"kind": "function-package", "data": PACKAGE, "destination": {
        "functionApp": "func-a", "deployment": "run-from-package", "storageAccount": "sta", "container": "pkg-a",
        "blob": "abc.zip"}}]}])
    result = _deploy(azure, root)
    message = str(result.error)
    assert message.startswith("[Api] could not upload the package to sta/pkg-a")
    assert "Storage Blob Data Contributor" in message
    assert "restart" not in azure.names()


def test_progress_events_name_each_stack_and_phase(azure: FakeAzure, assembly_dir: Callable[..., Path]) -> None:
    events: list[tuple[str, str]] = []
    plan = load_plan(assembly_dir([{"id": "A"}]))
    Deployer(azure, on_event=lambda e: events.append((e.stack_id, e.phase))).run(
        plan, DeployOptions(subscription_id=SUB))
    assert events == [("A", "resource-group"), ("A", "validate"), ("A", "deploy"), ("A", "done")]
