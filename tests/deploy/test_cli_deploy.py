"""``atakora deploy`` in-process with fake Azure clients: happy paths, previews and every kind of error."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from azure.core.exceptions import ClientAuthenticationError, HttpResponseError
from click.testing import CliRunner

from atakora.cli import deploy as deploy_module
from atakora.cli.main import app

from .conftest import FakeAzure, zip_bytes

QUICKSTART = Path(__file__).resolve().parents[2] / "examples" / "quickstart.py"
SUB = "11111111-2222-3333-4444-555555555555"
runner = CliRunner()


@pytest.fixture(autouse=True)
def fake_azure(monkeypatch: pytest.MonkeyPatch, azure: FakeAzure) -> FakeAzure:
    monkeypatch.setattr(deploy_module, "make_session", lambda: azure)
    monkeypatch.delenv("AZURE_SUBSCRIPTION_ID", raising=False)
    return azure


def _invoke(*args: str, input: str | None = None) -> tuple[int, str]:
    result = runner.invoke(app, ["deploy", *args], input=input)
    return result.exit_code, result.output


def test_deploying_an_assembly_prints_the_plan_progress_and_a_summary(
        azure: FakeAzure, assembly_dir: Callable[..., Path]) -> None:
    azure.results[("deploy", "atakora-Api")] = {"properties": {"provisioningState": "Succeeded",
                                                               "outputs": {"apiUrl": {"value": "https://x/api"}}}}
    root = assembly_dir([{"id": "Data"}, {"id": "Api"}])
    code, out = _invoke("--assembly", str(root), "--subscription", SUB, "--yes")
    assert code == 0, out
    assert "atakora deploy (deploy)" in out and "rg-data (sub" in out
    assert out.index("✓ Data deployed") < out.index("✓ Api deployed")
    assert "summary" in out and "output apiUrl = https://x/api" in out
    assert "deploy finished: 2 stack(s)" in out
    assert azure.names().count("deploy") == 2


def test_deploying_a_program_synthesizes_it_then_publishes_its_function_package(
        azure: FakeAzure, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("AZURE_SUBSCRIPTION_ID", SUB)
    code, out = _invoke(str(QUICKSTART), "--yes")
    assert code == 0, out
    assert "synthesized 1 stack(s)" in out
    manifest = json.loads((tmp_path / "atakora.out" / "manifest.json").read_text())
    asset = manifest["stacks"][0]["assets"][0]
    app_name = asset["destination"]["functionApp"]
    data, remote_build = azure.published[f"{app_name}.scm.azurewebsites.net"]
    assert data == (tmp_path / "atakora.out" / asset["path"]).read_bytes()
    assert remote_build
    assert azure.subscriptions == [SUB]
    assert "published to Function App" in out


def test_what_if_prints_the_predicted_changes_and_deploys_nothing(
        azure: FakeAzure, assembly_dir: Callable[..., Path]) -> None:
    azure.existing_groups.add("rg-api")
    azure.results[("what-if", "atakora-Api")] = {"status": "Succeeded", "properties": {"changes": [
        {"changeType": "Create", "resourceId": "/subscriptions/s/resourceGroups/rg-api/providers/Microsoft.Web/"
                                               "sites/func-a"},
        {"changeType": "NoChange", "resourceId": "/subscriptions/s/resourceGroups/rg-api/providers/X/y"}]}}
    code, out = _invoke("--assembly", str(assembly_dir([{"id": "Api"}])), "--subscription", SUB, "--what-if")
    assert code == 0, out
    assert "Create: 1, NoChange: 1" in out
    assert "+ create Microsoft.Web/sites func-a" in out
    assert "X/y" not in out
    assert "deploy" not in azure.names() and "rg.create" not in azure.names()


def test_a_missing_subscription_says_how_to_set_one(azure: FakeAzure, assembly_dir: Callable[..., Path]) -> None:
    code, out = _invoke("--assembly", str(assembly_dir([{"id": "Api"}])), "--yes")
    assert code == 1
    assert "[Api] no Azure subscription id" in out
    assert "--subscription ID or set AZURE_SUBSCRIPTION_ID" in out
    assert azure.calls == []


def test_a_failing_stack_exits_non_zero_naming_the_stack_and_skipping_the_rest(
        azure: FakeAzure, assembly_dir: Callable[..., Path]) -> None:
    azure.failures[("validate", "atakora-web")] = HttpResponseError(message="InvalidTemplate: bad expression")
    root = assembly_dir([{"id": "web"}, {"id": "Api"}])
    code, out = _invoke("--assembly", str(root), "--subscription", SUB, "--yes")
    assert code == 1
    assert "error: [web] template validation failed:" in out  # a lower-case id is not taken for markup
    assert "InvalidTemplate: bad expression" in out
    assert "✗ web failed" in out and "- Api skipped" in out
    assert "rg-api" not in {c[1] for c in azure.calls}


def test_an_authentication_failure_says_to_run_az_login(
        azure: FakeAzure, assembly_dir: Callable[..., Path]) -> None:
    azure.failures[("rg.exists", "rg-api")] = ClientAuthenticationError("DefaultAzureCredential failed to retrieve")
    code, out = _invoke("--assembly", str(assembly_dir([{"id": "Api"}])), "--subscription", SUB, "--yes")
    assert code == 1
    assert "could not authenticate to Azure" in out and "az login" in out and "AZURE_CLIENT_ID" in out


def test_deploying_without_yes_asks_first_and_stops_when_declined(
        azure: FakeAzure, assembly_dir: Callable[..., Path]) -> None:
    root = assembly_dir([{"id": "Api"}])
    code, out = _invoke("--assembly", str(root), "--subscription", SUB, input="n\n")
    assert code == 1
    assert "Deploy 1 stack(s) to Azure?" in out and "nothing was deployed" in out and "--yes" in out
    assert azure.calls == []
    code, out = _invoke("--assembly", str(root), "--subscription", SUB, input="y\n")
    assert code == 0, out


def test_the_program_and_assembly_options_exclude_each_other(tmp_path: Path) -> None:
    code, out = _invoke()
    assert code == 1 and "either your program" in out
    code, out = _invoke(str(QUICKSTART), "--assembly", str(tmp_path))
    assert code == 1 and "either your program" in out
    code, out = _invoke("--assembly", str(tmp_path), "--what-if", "--validate-only")
    assert code == 1


def test_parameters_from_a_file_and_from_param_reach_the_deployment(
        azure: FakeAzure, assembly_dir: Callable[..., Path], tmp_path: Path) -> None:
    azure.existing_groups.add("rg-api")
    root = assembly_dir([{"id": "Api", "parameters": {"tier": {"type": "string"}, "count": {"type": "int"}}}])
    file = tmp_path / "params.json"
    file.write_text(json.dumps({"tier": "S1", "count": 1}))
    code, out = _invoke("--assembly", str(root), "--subscription", SUB, "--validate-only",
                        "--parameters", str(file), "--param", "count=5")
    assert code == 0, out
    validate = next(c for c in azure.calls if c[0] == "validate")
    assert validate[3]["properties"]["parameters"] == {"tier": {"value": "S1"}, "count": {"value": 5}}
    code, out = _invoke("--assembly", str(root), "--subscription", SUB, "--validate-only")
    assert code == 1 and "needs a value for: tier (string), count (int)" in out


def test_selecting_a_stack_deploys_only_that_one(azure: FakeAzure, assembly_dir: Callable[..., Path]) -> None:
    root = assembly_dir([{"id": "A"}, {"id": "B"}])
    code, out = _invoke("--assembly", str(root), "--subscription", SUB, "--yes", "--stack", "B")
    assert code == 0, out
    assert {c[1] for c in azure.calls} == {"rg-b"}
    code, out = _invoke("--assembly", str(root), "--subscription", SUB, "--yes", "--stack", "C")
    assert code == 1 and "no stack 'C'" in out and "choose from: A, B" in out


def test_static_site_commands_are_printed_after_the_deployment(
        azure: FakeAzure, assembly_dir: Callable[..., Path]) -> None:
    root = assembly_dir([{"id": "Web", "assets": [{"kind": "static-site", "data": zip_bytes({"index.html": "x"}),
                                                   "destination": {"staticSite": "stapp-web", "outputLocation": "."}}]}])
    code, out = _invoke("--assembly", str(root), "--subscription", SUB, "--yes")
    assert code == 0, out
    assert "deployment-token flow of the swa CLI" in out
    assert "swa deploy" in out and "az staticwebapp secrets list --name stapp-web" in out


def test_a_run_from_package_app_is_described_by_validate_only_and_published_by_deploy(
        azure: FakeAzure, assembly_dir: Callable[..., Path]) -> None:
    package = zip_bytes({"function_app.py": "app = None\n", ".python_packages/lib/site-packages/x.py": ""})
    root = assembly_dir([{"id": "Api", "assets": [{"kind": "function-package", "data": package, "destination": {
        "functionApp": "func-a", "deployment": "run-from-package", "storageAccount": "sta",
        "container": "function-releases", "blob": "func-a.zip", "runtime": "python", "runtimeVersion": "3.12"}}]}])
    azure.existing_groups.add("rg-api")
    code, out = _invoke("--assembly", str(root), "--subscription", SUB, "--validate-only")
    assert code == 0, out
    assert "would upload" in out and "function-releases/func-a.zip of storage account sta" in out
    assert "upload" not in azure.names()
    azure.storage_accounts["sta"] = {"publicNetworkAccess": "Disabled", "networkAcls": {"defaultAction": "Deny"},
                                     "primaryEndpoints": {"blob": "https://sta.blob.core.windows.net/"}}
    code, out = _invoke("--assembly", str(root), "--subscription", SUB, "--yes", "--client-ip", azure.caller_ip)
    assert code == 0, out
    assert azure.blobs["sta/function-releases/func-a.zip"] == package
    assert azure.names()[-6:] == ["storage.get", "storage.network", "upload", "storage.network", "restart",
                                  "sync-triggers"]
    assert azure.storage_accounts["sta"]["publicNetworkAccess"] == "Disabled"
    assert f"opened for {azure.caller_ip}" in out


def test_from_vnet_leaves_the_storage_firewall_alone(
        azure: FakeAzure, assembly_dir: Callable[..., Path]) -> None:
    package = zip_bytes({"function_app.py": "app = None\n"})
    root = assembly_dir([{"id": "Api", "assets": [{"kind": "function-package", "data": package, "destination": {
        "functionApp": "func-a", "deployment": "run-from-package", "storageAccount": "sta",
        "container": "function-releases", "blob": "func-a.zip"}}]}])
    azure.storage_accounts["sta"] = {"publicNetworkAccess": "Disabled", "networkAcls": {"defaultAction": "Deny"}}
    azure.inside_vnet = True
    code, out = _invoke("--assembly", str(root), "--subscription", SUB, "--yes", "--from-vnet")
    assert code == 0, out
    assert "storage.network" not in azure.names()
    assert azure.blobs["sta/function-releases/func-a.zip"] == package


def test_deploy_prints_each_component_endpoint_with_its_deployed_value(
        azure: FakeAzure, assembly_dir: Callable[..., Path]) -> None:
    deployed = {"MyStack-resources": {"UserApi": {"api_endpoint": "https://func-x.azurewebsites.net/api/users",
                                                  "route": "users"}}}
    azure.results[("deploy", "atakora-Api")] = {"properties": {"provisioningState": "Succeeded",
                                                               "outputs": {"componentOutputs": {"value": deployed}}}}
    root = assembly_dir([{"id": "Api"}])
    code, out = _invoke("--assembly", str(root), "--subscription", SUB, "--yes")
    assert code == 0, out
    assert ("output componentOutputs.MyStack-resources.UserApi.api_endpoint = "
            "https://func-x.azurewebsites.net/api/users") in out


def test_an_isolated_flex_app_is_refused_before_the_first_azure_call_with_what_to_do(
        azure: FakeAzure, assembly_dir: Callable[..., Path]) -> None:
    root = assembly_dir([{"id": "Data"}, {"id": "Api", "assets": [{
        "kind": "function-package", "data": zip_bytes({"function_app.py": "x = 1\n"}),
        "destination": {"functionApp": "func-a", "deployment": "flex-consumption", "sitePrivate": True}}]}])
    code, out = _invoke("--assembly", str(root), "--subscription", SUB, "--yes")
    assert code == 1
    assert "func-a refuses public traffic" in out and "--from-vnet" in out
    assert [n for n in azure.names() if n in ("validate", "deploy")] == []
