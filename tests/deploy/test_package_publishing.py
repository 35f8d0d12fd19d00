"""Publishing function packages against fakes: run-from-package (Elastic Premium, dedicated), isolated backends."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from azure.core.exceptions import HttpResponseError

from atakora.deploy import Deployer, DeployError, DeployOptions, PipInstaller, PublishOptions, load_plan
from atakora.deploy.packages import SITE_PACKAGES, ready_to_run

from .conftest import FakeAzure, zip_bytes

SUB = "00000000-0000-0000-0000-000000000001"
PACKAGE = zip_bytes({"function_app.py": "import azure.functions as func\n", "requirements.txt": "azure-functions\n"})
CLOSED = {"publicNetworkAccess": "Disabled", "networkAcls": {"defaultAction": "Deny", "bypass": "AzureServices",
                                                             "ipRules": [], "virtualNetworkRules": []},
          "primaryEndpoints": {"blob": "https://sta.blob.core.windows.net/"}}


class FakeInstaller:
    """Records each install and writes one module per requirement, as pip would."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []

    def __call__(self, requirements: Path, target: Path, *, python_version: str) -> None:
        self.calls.append((requirements.read_text(), python_version))
        (target / "azure" / "functions").mkdir(parents=True)
        (target / "azure" / "functions" / "__init__.py").write_text("# installed\n")


def _assembly(assembly_dir: Callable[..., Path], data: bytes = PACKAGE, **destination: Any) -> Path:
    return assembly_dir([{"id": "Api", "assets": [{"kind": "function-package", "data": data, "destination": {
        "functionApp": "func-a", "deployment": "run-from-package", "storageAccount": "sta",
        "container": "function-releases", "blob": "func-a.zip", "runtime": "python", "runtimeVersion": "3.12",
        **destination}}]}])


def _deploy(azure: FakeAzure, root: Path, installer: Any = None, **publish: Any) -> Any:
    publish.setdefault("poll_interval", 0.0)
    publish.setdefault("ip_lookup", lambda: azure.caller_ip)
    options = DeployOptions(subscription_id=SUB, publish=PublishOptions(installer=installer or FakeInstaller(),
                                                                        **publish))
    return Deployer(azure).run(load_plan(root), options)


def _names(blob: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(blob)) as archive:
        return archive.namelist()


def test_a_run_from_package_app_gets_its_dependencies_then_the_blob_then_a_restart_and_a_trigger_sync(
        azure: FakeAzure, assembly_dir: Callable[..., Path]) -> None:
    installer = FakeInstaller()
    result = _deploy(azure, _assembly(assembly_dir), installer)
    assert result.ok, result.error
    assert installer.calls == [("azure-functions\n", "3.12")]
    blob = azure.blobs["sta/function-releases/func-a.zip"]
    assert _names(blob) == ["function_app.py", "requirements.txt", f"{SITE_PACKAGES}/azure/functions/__init__.py"]
    assert azure.names()[-4:] == ["storage.get", "upload", "restart", "sync-triggers"]
    assert "storage.network" not in azure.names()  # a public account is left alone
    assert result.stacks[0].assets[0].detail == (
        f"uploaded {len(blob)} bytes to https://sta.blob.core.windows.net/function-releases/func-a.zip; restarted "
        "Function App func-a and synced its triggers")


def test_a_redeploy_overwrites_the_same_blob_and_restarts_the_app_again(
        azure: FakeAzure, assembly_dir: Callable[..., Path], tmp_path: Path) -> None:
    _deploy(azure, _assembly(assembly_dir))
    first = azure.blobs["sta/function-releases/func-a.zip"]
    changed = zip_bytes({"function_app.py": "# v2\n", "requirements.txt": "azure-functions\n"})
    from .conftest import write_assembly

    _deploy(azure, write_assembly(tmp_path / "v2", [{"id": "Api", "assets": [{
        "kind": "function-package", "data": changed, "destination": {
            "functionApp": "func-a", "deployment": "run-from-package", "storageAccount": "sta",
            "container": "function-releases", "blob": "func-a.zip"}}]}]))
    assert list(azure.blobs) == ["sta/function-releases/func-a.zip"]
    assert azure.blobs["sta/function-releases/func-a.zip"] != first
    assert azure.names().count("restart") == 2 and azure.names()[-1] == "sync-triggers"


def test_a_package_that_ships_its_dependencies_is_uploaded_as_it_is(
        azure: FakeAzure, assembly_dir: Callable[..., Path]) -> None:
    shipped = zip_bytes({"function_app.py": "x = 1\n", "requirements.txt": "azure-functions\n",
                         f"{SITE_PACKAGES}/azure/functions/__init__.py": ""})
    installer = FakeInstaller()
    assert _deploy(azure, _assembly(assembly_dir, shipped), installer).ok
    assert installer.calls == [] and azure.blobs["sta/function-releases/func-a.zip"] == shipped


def test_an_isolated_account_is_opened_for_the_caller_only_during_the_upload_then_restored(
        azure: FakeAzure, assembly_dir: Callable[..., Path]) -> None:
    azure.storage_accounts["sta"] = {**CLOSED, "networkAcls": dict(CLOSED["networkAcls"])}  # type: ignore[arg-type]
    result = _deploy(azure, _assembly(assembly_dir, isolated=True))
    assert result.ok, result.error
    network = [c for c in azure.calls if c[0] in ("storage.network", "upload")]
    assert network == [("storage.network", "sta", "Enabled", [azure.caller_ip]),
                       ("upload", "sta", "function-releases/func-a.zip"),
                       ("storage.network", "sta", "Disabled", [])]
    assert azure.storage_accounts["sta"] == CLOSED
    assert f"storage firewall opened for {azure.caller_ip} during the upload, then restored" in \
        result.stacks[0].assets[0].detail


def test_a_rule_that_takes_a_moment_to_apply_is_waited_for(
        azure: FakeAzure, assembly_dir: Callable[..., Path]) -> None:
    azure.storage_accounts["sta"] = {**CLOSED, "publicNetworkAccess": "Enabled"}
    azure.network_delay = 2
    result = _deploy(azure, _assembly(assembly_dir))
    assert result.ok, result.error
    assert azure.names().count("upload") == 3
    assert azure.storage_accounts["sta"]["networkAcls"]["ipRules"] == []


def test_the_firewall_is_restored_when_the_upload_is_refused_and_the_error_names_the_role(
        azure: FakeAzure, assembly_dir: Callable[..., Path]) -> None:
    azure.storage_accounts["sta"] = {**CLOSED, "networkAcls": dict(CLOSED["networkAcls"])}  # type: ignore[arg-type]
    azure.data_role = None
    result = _deploy(azure, _assembly(assembly_dir), firewall_wait=0.0)
    assert not result.ok
    message = str(result.error)
    assert "storage account sta refused the upload" in message
    assert 'az role assignment create --role "Storage Blob Data Contributor"' in message
    assert "/storageAccounts/sta/blobServices/default/containers/function-releases" in message
    assert azure.storage_accounts["sta"] == CLOSED
    assert "restart" not in azure.names()


def test_a_caller_who_may_only_read_blobs_is_told_to_get_storage_blob_data_contributor(
        azure: FakeAzure, assembly_dir: Callable[..., Path]) -> None:
    azure.data_role = "Storage Blob Data Reader"
    message = str(_deploy(azure, _assembly(assembly_dir)).error)
    assert "may read but not write blobs" in message and "Storage Blob Data Contributor" in message
    assert azure.names().count("upload") == 1  # a role problem is not retried


def test_a_caller_who_may_not_change_the_firewall_is_told_what_to_do(
        azure: FakeAzure, assembly_dir: Callable[..., Path]) -> None:
    azure.storage_accounts["sta"] = dict(CLOSED)
    error = HttpResponseError(message="AuthorizationFailed: no write permission")
    error.status_code = 403
    azure.failures[("storage.network", "sta")] = error
    message = str(_deploy(azure, _assembly(assembly_dir)).error)
    assert message.startswith(f"[Api] could not allow {azure.caller_ip} through the firewall of storage account sta")
    assert "Storage Account Contributor" in message and "--from-vnet" in message
    assert "upload" not in azure.names()


def test_a_firewall_that_cannot_be_restored_is_reported_with_the_commands_that_close_it(
        azure: FakeAzure, assembly_dir: Callable[..., Path]) -> None:
    azure.storage_accounts["sta"] = dict(CLOSED)
    original = azure.update_network
    calls = []

    def second_fails(*args: Any, **kwargs: Any) -> None:
        calls.append(args)
        if len(calls) == 2:
            raise RuntimeError("connection reset")
        original(*args, **kwargs)

    azure.update_network = second_fails  # type: ignore[method-assign]
    message = str(_deploy(azure, _assembly(assembly_dir)).error)
    assert "could not restore the firewall of storage account sta" in message
    assert f"az storage account network-rule remove --account-name sta --resource-group rg-api --ip-address " \
           f"{azure.caller_ip}" in message
    assert "--public-network-access Disabled" in message


def test_from_vnet_uploads_through_the_private_endpoint_and_fails_clearly_outside_it(
        azure: FakeAzure, assembly_dir: Callable[..., Path]) -> None:
    azure.storage_accounts["sta"] = dict(CLOSED)
    message = str(_deploy(azure, _assembly(assembly_dir), from_vnet=True).error)
    assert "with --from-vnet the upload must come from inside the virtual network" in message
    azure.inside_vnet = True
    assert _deploy(azure, _assembly(assembly_dir), from_vnet=True).ok
    assert "storage.network" not in azure.names()


@pytest.mark.parametrize("ip", ["10.1.2.3", "2001:4860::8888", "not-an-ip"])
def test_a_client_ip_a_storage_rule_cannot_allow_is_refused_with_the_fix(
        azure: FakeAzure, assembly_dir: Callable[..., Path], ip: str) -> None:
    azure.storage_accounts["sta"] = dict(CLOSED)
    message = str(_deploy(azure, _assembly(assembly_dir), client_ip=ip).error)
    assert "--client-ip" in message
    assert "storage.network" not in azure.names()


def test_an_isolated_flex_app_is_refused_before_anything_deploys_unless_the_deploy_runs_in_the_vnet(
        azure: FakeAzure, assembly_dir: Callable[..., Path]) -> None:
    root = assembly_dir([{"id": "Api", "assets": [{"kind": "function-package", "data": PACKAGE, "destination": {
        "functionApp": "func-a", "deployment": "flex-consumption", "storageAccount": "sta", "container": "pkg-a",
        "isolated": True, "sitePrivate": True}}]}])
    with pytest.raises(DeployError) as raised:
        _deploy(azure, root)
    assert "refuses public traffic" in str(raised.value) and "--from-vnet" in str(raised.value)
    assert azure.calls == []
    assert _deploy(azure, root, from_vnet=True).ok
    assert azure.names()[-1] == "publish"


def test_pip_installs_linux_wheels_of_the_apps_python_version_into_the_target() -> None:
    command = PipInstaller(python="python3").command(Path("req.txt"), Path("out"), python_version="3.12")
    assert command[:4] == ["python3", "-m", "pip", "install"]
    for flag in (["--target", "out"], ["--platform", "manylinux2014_x86_64"], ["--python-version", "3.12"],
                 ["--implementation", "cp"], ["-r", "req.txt"]):
        index = command.index(flag[0])
        assert command[index:index + 2] == flag
    assert "--only-binary=:all:" in command


def test_a_node_package_that_does_not_ship_node_modules_is_refused() -> None:
    with pytest.raises(DeployError, match="ship node_modules"):
        ready_to_run(zip_bytes({"package.json": "{}"}), runtime="node", runtime_version="20",
                     installer=FakeInstaller())


def test_a_trigger_sync_that_fails_while_the_host_restarts_is_retried_then_reported(
        azure: FakeAzure, assembly_dir: Callable[..., Path]) -> None:
    azure.failures[("sync-triggers", "func-a")] = HttpResponseError(message="BadRequest: the host is starting")
    result = _deploy(azure, _assembly(assembly_dir))
    assert azure.names().count("sync-triggers") == 3
    assert str(result.error).startswith("[Api] could not sync the triggers of func-a:\n")
    assert "the host is starting" in str(result.error)


def test_what_if_says_a_private_flex_app_is_published_from_inside_its_network(
        azure: FakeAzure, assembly_dir: Callable[..., Path]) -> None:
    azure.existing_groups.add("rg-api")
    root = assembly_dir([{"id": "Api", "assets": [{"kind": "function-package", "data": PACKAGE, "destination": {
        "functionApp": "func-a", "deployment": "flex-consumption", "sitePrivate": True}}]}])
    options = DeployOptions(subscription_id=SUB, mode="what-if")
    detail = Deployer(azure).run(load_plan(root), options).stacks[0].assets[0].detail
    assert detail.endswith("through OneDeploy (from inside its virtual network: pass --from-vnet there)")
