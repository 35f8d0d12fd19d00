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


def _flex_assembly(assembly_dir: Callable[..., Path], data: bytes = PACKAGE, **destination: Any) -> Path:
    return assembly_dir([{"id": "Api", "assets": [{"kind": "function-package", "data": data, "destination": {
        "functionApp": "func-a", "deployment": "flex-consumption", "storageAccount": "sta", "container": "pkg-a",
        **destination}}]}])


def test_a_flex_package_that_ships_its_dependencies_is_published_without_a_remote_build(
        azure: FakeAzure, assembly_dir: Callable[..., Path]) -> None:
    shipped = zip_bytes({"function_app.py": "import azure.functions as func\n", "requirements.txt": "azure-functions\n",
                         ".python_packages/lib/site-packages/azure/functions/__init__.py": ""})
    result = _deploy(azure, _flex_assembly(assembly_dir, shipped))
    assert azure.published["func-a.scm.azurewebsites.net"] == (shipped, False)
    assert azure.names()[-1] == "publish"
    assert "remote build" not in result.stacks[0].assets[0].detail


@pytest.mark.parametrize("mode", ["what-if", "validate"])
def test_what_if_and_validate_only_describe_a_flex_package_without_publishing_it(
        azure: FakeAzure, assembly_dir: Callable[..., Path], mode: str) -> None:
    azure.existing_groups.add("rg-api")
    result = _deploy(azure, _flex_assembly(assembly_dir), mode=mode)
    assert result.ok, result.error
    assert azure.names() == ["rg.exists", mode]
    assert azure.published == {}
    asset = result.stacks[0].assets[0]
    assert asset.status == "planned"
    assert asset.detail == f"would publish {len(PACKAGE)} bytes to Function App func-a through OneDeploy"


def test_a_publish_refused_for_lack_of_a_role_names_the_role(
        azure: FakeAzure, assembly_dir: Callable[..., Path]) -> None:
    error = HttpResponseError(message="Forbidden: the client does not have authorization")
    error.status_code = 403
    azure.failures[("publish", "func-a.scm.azurewebsites.net")] = error
    result = _deploy(azure, _flex_assembly(assembly_dir))
    assert not result.ok and result.stacks[0].status == "failed"
    message = str(result.error)
    assert message.startswith("[Api] could not publish the package to func-a:\n")
    assert "the client does not have authorization" in message
    assert "Contributor (or Website Contributor) on the Function App" in message


def test_an_authentication_failure_while_publishing_says_how_to_log_in(
        azure: FakeAzure, assembly_dir: Callable[..., Path]) -> None:
    azure.failures[("scm-host", "func-a")] = ClientAuthenticationError(
        "DefaultAzureCredential failed to retrieve a token from the included credentials.\n"
        "Attempted credentials:\n\tEnvironmentCredential: EnvironmentCredential authentication unavailable.")
    result = _deploy(azure, _flex_assembly(assembly_dir))
    message = str(result.error)
    assert message.startswith("[Api] could not authenticate to Azure to look up the SCM site of func-a: "
                              "DefaultAzureCredential failed to retrieve a token from the included credentials.\n")
    assert "Attempted credentials" not in message  # the chain of credentials is shown only with --verbose
    assert "az login" in message
    assert "publish" not in azure.names()


@pytest.mark.parametrize("deployment", ["zip-deploy", None])
def test_an_unknown_deployment_mode_is_an_error_naming_the_modes_atakora_deploys(
        azure: FakeAzure, assembly_dir: Callable[..., Path], deployment: str | None) -> None:
    result = _deploy(azure, assembly_dir([{"id": "Api", "assets": [{"kind": "function-package", "data": PACKAGE,
                                                                    "destination": {"functionApp": "func-a",
                                                                                    "deployment": deployment}}]}]))
    assert not result.ok
    message = str(result.error)
    assert message.startswith(f"[Api] asset Api/Asset0 has deployment {deployment!r}, which atakora cannot deploy")
    assert "expected 'flex-consumption' or 'run-from-package'; synthesize again" in message
    assert "scm-host" not in azure.names() and azure.published == {}


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
    assert "publish" not in azure.names()


def test_progress_events_name_each_stack_and_phase(azure: FakeAzure, assembly_dir: Callable[..., Path]) -> None:
    events: list[tuple[str, str]] = []
    plan = load_plan(assembly_dir([{"id": "A"}]))
    Deployer(azure, on_event=lambda e: events.append((e.stack_id, e.phase))).run(
        plan, DeployOptions(subscription_id=SUB))
    assert events == [("A", "resource-group"), ("A", "validate"), ("A", "deploy"), ("A", "done")]
