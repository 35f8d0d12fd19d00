"""The real client code paths: azure-storage-blob against Azurite, and the SDK adapters without a network."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
from azure.core.credentials import AccessToken
from azure.storage.blob import BlobServiceClient

from atakora.deploy import (
    ArmAppService,
    AzureBlobUploader,
    AzureSession,
    Deployer,
    DeployError,
    DeployOptions,
    load_plan,
)

from .conftest import Azurite, FakeAzure, zip_bytes

PACKAGE = zip_bytes({"function_app.py": "app = None\n", "host.json": "{}"})


def _container(azurite: Azurite, name: str) -> BlobServiceClient:
    service = BlobServiceClient(azurite.blob_endpoint, credential=azurite.credential)
    if not service.get_container_client(name).exists():
        service.create_container(name)
    return service


@pytest.mark.node
def test_a_run_from_package_upload_lands_in_the_destination_container_of_azurite(
        azurite: Azurite, azure: FakeAzure, assembly_dir: Callable[..., Path]) -> None:
    service = _container(azurite, "pkg-func-a")
    azure.blob_uploader = AzureBlobUploader(azurite.credential, account_url=azurite.account_url)
    root = assembly_dir([{"id": "Api", "assets": [{"kind": "function-package", "data": PACKAGE, "destination": {
        "functionApp": "func-a", "deployment": "run-from-package", "storageAccount": "stfunca",
        "container": "pkg-func-a", "blob": "0123abcd.zip"}}]}])
    result = Deployer(azure).run(load_plan(root), DeployOptions(subscription_id="sub"))
    assert result.ok, result.error
    blob = service.get_blob_client("pkg-func-a", "0123abcd.zip")
    assert blob.download_blob().readall() == PACKAGE
    assert blob.get_blob_properties().content_settings.content_type == "application/zip"
    assert result.stacks[0].assets[0].detail.startswith(f"uploaded to {azurite.blob_endpoint}/pkg-func-a/0123abcd.zip")
    assert azure.names()[-2:] == ["restart", "sync-triggers"]

    # deploying again overwrites the blob (the deploy step is idempotent)
    assert Deployer(azure).run(load_plan(root), DeployOptions(subscription_id="sub")).ok
    assert [b.name for b in service.get_container_client("pkg-func-a").list_blobs()] == ["0123abcd.zip"]


@pytest.mark.node
def test_an_upload_to_a_missing_container_in_azurite_fails_naming_the_stack(
        azurite: Azurite, azure: FakeAzure, assembly_dir: Callable[..., Path]) -> None:
    azure.blob_uploader = AzureBlobUploader(azurite.credential, account_url=azurite.account_url)
    root = assembly_dir([{"id": "Api", "assets": [{"kind": "function-package", "data": PACKAGE, "destination": {
        "functionApp": "func-a", "deployment": "run-from-package", "storageAccount": "stfunca",
        "container": "no-such-container", "blob": "x.zip"}}]}])
    result = Deployer(azure).run(load_plan(root), DeployOptions(subscription_id="sub"))
    assert not result.ok
    message = str(result.error)
    assert message.startswith("[Api] could not upload the package to stfunca/no-such-container")
    assert "ContainerNotFound" in message
    assert "restart" not in azure.names()


class _Response:
    def __init__(self, body: Any) -> None:
        self.body = body

    def raise_for_status(self) -> None:
        return None

    def text(self) -> str:
        return "" if self.body is None else "x"

    def json(self) -> Any:
        return self.body


class _ArmClient:
    def __init__(self, site: dict[str, Any]) -> None:
        self.site = site
        self.requests: list[tuple[str, str]] = []

    def send_request(self, request: Any) -> _Response:
        self.requests.append((request.method, request.url))
        return _Response(self.site if request.method == "GET" else None)


def test_the_app_service_adapter_finds_the_scm_host_and_posts_restart_and_sync() -> None:
    site = {"properties": {"hostNameSslStates": [
        {"name": "func-a-h4bkc.eastus-01.azurewebsites.net", "hostType": "Standard"},
        {"name": "func-a-h4bkc.scm.eastus-01.azurewebsites.net", "hostType": "Repository"}]}}
    client = _ArmClient(site)
    web = ArmAppService(client, credential=None, subscription_id="sub-1")
    assert web.scm_host("rg-a", "func-a") == "func-a-h4bkc.scm.eastus-01.azurewebsites.net"
    web.restart("rg-a", "func-a")
    web.sync_triggers("rg-a", "func-a")
    base = "/subscriptions/sub-1/resourceGroups/rg-a/providers/Microsoft.Web/sites/func-a"
    assert client.requests == [("GET", f"{base}?api-version=2024-11-01"),
                               ("POST", f"{base}/restart?api-version=2024-11-01"),
                               ("POST", f"{base}/syncfunctiontriggers?api-version=2024-11-01")]
    assert ArmAppService(_ArmClient({}), None, "s").scm_host("rg", "app") == "app.scm.azurewebsites.net"


class _Credential:
    def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
        return AccessToken("token", 4_000_000_000)


def test_the_azure_session_builds_sdk_clients_with_the_given_credential() -> None:
    session = AzureSession(_Credential())
    clients = session.arm("sub-1")
    assert clients is session.arm("sub-1")
    assert type(clients.deployments).__name__ == "DeploymentsOperations"
    assert type(clients.resource_groups).__name__ == "ResourceGroupsOperations"
    assert callable(clients.deployments.begin_what_if_at_subscription_scope)
    assert isinstance(session.blobs, AzureBlobUploader)
    assert session.blobs.account_url("stx") == "https://stx.blob.core.windows.net"


class _FakeKudu(http.server.BaseHTTPRequestHandler):
    """A SCM site: ``POST /api/publish`` answers 202; ``/api/deployments/latest`` reports the scripted states."""

    publish_status = 202
    states: ClassVar[list[int]] = []
    received: ClassVar[list[tuple[str, str, dict[str, str], bytes]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        type(self).received.append(("POST", self.path, dict(self.headers.items()), body))
        self.send_response(self.publish_status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:
        type(self).received.append(("GET", self.path, dict(self.headers.items()), b""))
        state = type(self).states.pop(0) if len(type(self).states) > 1 else type(self).states[0]
        payload = json.dumps({"status": state, "status_text": "build failed" if state == 3 else ""}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        return None


@pytest.fixture
def kudu() -> Iterator[tuple[str, type[_FakeKudu]]]:
    handler = type("Kudu", (_FakeKudu,), {"states": [1, 2, 4], "received": [], "publish_status": 202})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    yield f"127.0.0.1:{server.server_address[1]}", handler
    server.shutdown()
    server.server_close()


def _one_deploy(scm: str) -> ArmAppService:
    return ArmAppService(None, _Credential(), "sub", poll_interval=0.01, publish_timeout=5, scm_scheme="http")


def test_one_deploy_posts_the_zip_with_a_bearer_token_and_waits_for_success(
        kudu: tuple[str, type[_FakeKudu]]) -> None:
    host, handler = kudu
    _one_deploy(host).publish_zip(host, PACKAGE, remote_build=True)
    method, path, headers, body = handler.received[0]
    assert (method, path, body) == ("POST", "/api/publish?RemoteBuild=true&Deployer=atakora", PACKAGE)
    assert headers["Authorization"] == "Bearer token"
    assert headers["Content-Type"] == "application/zip"
    assert [r[1] for r in handler.received[1:]] == ["/api/deployments/latest"] * 3


def test_a_failed_one_deploy_build_is_an_error_with_the_log_location(kudu: tuple[str, type[_FakeKudu]]) -> None:
    host, handler = kudu
    handler.states = [1, 3]
    with pytest.raises(DeployError, match=r"OneDeploy deployment on .* failed: build failed\n.*"
                                          r"/api/deployments/latest/log"):
        _one_deploy(host).publish_zip(host, PACKAGE, remote_build=False)
    assert handler.received[0][1] == "/api/publish?RemoteBuild=false&Deployer=atakora"


def test_a_one_deploy_refused_while_another_runs_says_to_wait(kudu: tuple[str, type[_FakeKudu]]) -> None:
    host, handler = kudu
    handler.publish_status = 409
    with pytest.raises(DeployError, match="another deployment is running"):
        _one_deploy(host).publish_zip(host, PACKAGE, remote_build=True)
