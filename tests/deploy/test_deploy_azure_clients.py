"""The real client code paths without a network: the SDK session, and the App Service adapter against
a recording ARM client and a local fake SCM (Kudu) site."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from typing import Any, ClassVar

import pytest
from azure.core.credentials import AccessToken

from atakora.deploy import ArmAppService, ArmStorage, AzureSession, DeployError, StorageAccessDenied

from .conftest import zip_bytes

PACKAGE = zip_bytes({"function_app.py": "app = None\n", "host.json": "{}"})


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


def test_the_app_service_adapter_finds_the_scm_host_and_posts_sync_triggers() -> None:
    site = {"properties": {"hostNameSslStates": [
        {"name": "func-a-h4bkc.eastus-01.azurewebsites.net", "hostType": "Standard"},
        {"name": "func-a-h4bkc.scm.eastus-01.azurewebsites.net", "hostType": "Repository"}]}}
    client = _ArmClient(site)
    web = ArmAppService(client, credential=None, subscription_id="sub-1")
    assert web.scm_host("rg-a", "func-a") == "func-a-h4bkc.scm.eastus-01.azurewebsites.net"
    web.sync_triggers("rg-a", "func-a")
    base = "/subscriptions/sub-1/resourceGroups/rg-a/providers/Microsoft.Web/sites/func-a"
    assert client.requests == [("GET", f"{base}?api-version=2024-11-01"),
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
    assert isinstance(clients.app_service, ArmAppService)
    assert clients.app_service.credential is session.credential
    assert clients.app_service.subscription_id == "sub-1"


class _FakeKudu(http.server.BaseHTTPRequestHandler):
    """A SCM site: ``POST /api/publish`` answers 202; ``/api/deployments/latest`` reports the scripted states."""

    publish_status = 202
    states: ClassVar[list[int]] = []
    received: ClassVar[list[tuple[str, str, dict[str, str], bytes]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        type(self).received.append(("POST", self.path, dict(self.headers.items()), body))
        # Linux Kudu rejects a OneDeploy publish that does not say what it publishes
        self.send_response(self.publish_status if "type=zip" in self.path else 400)
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
    assert (method, path, body) == ("POST", "/api/publish?type=zip&RemoteBuild=true&Deployer=atakora", PACKAGE)
    assert headers["Authorization"] == "Bearer token"
    assert headers["Content-Type"] == "application/zip"
    assert [r[1] for r in handler.received[1:]] == ["/api/deployments/latest"] * 3


def test_a_failed_one_deploy_build_is_an_error_with_the_log_location(kudu: tuple[str, type[_FakeKudu]]) -> None:
    host, handler = kudu
    handler.states = [1, 3]
    with pytest.raises(DeployError, match=r"OneDeploy deployment on .* failed: build failed\n.*"
                                          r"/api/deployments/latest/log"):
        _one_deploy(host).publish_zip(host, PACKAGE, remote_build=False)
    assert handler.received[0][1] == "/api/publish?type=zip&RemoteBuild=false&Deployer=atakora"


def test_a_one_deploy_refused_while_another_runs_says_to_wait(kudu: tuple[str, type[_FakeKudu]]) -> None:
    host, handler = kudu
    handler.publish_status = 409
    with pytest.raises(DeployError, match="another deployment is running"):
        _one_deploy(host).publish_zip(host, PACKAGE, remote_build=True)


class _RecordingArm:
    def __init__(self, answer: dict[str, Any]) -> None:
        self.answer = answer
        self.requests: list[tuple[str, str, Any]] = []

    def send_request(self, request: Any) -> _Response:
        body = json.loads(request.content) if request.content else None
        self.requests.append((request.method, request.url, body))
        return _Response(self.answer if request.method == "GET" else None)


def test_the_storage_adapter_reads_the_account_and_patches_its_network_rules() -> None:
    arm = _RecordingArm({"properties": {"publicNetworkAccess": "Disabled"}})
    storage = ArmStorage(arm, None, "sub-1")
    assert storage.account("rg-a", "sta") == {"publicNetworkAccess": "Disabled"}
    storage.update_network("rg-a", "sta", public_network_access="Enabled",
                           network_acls={"defaultAction": "Deny", "ipRules": [{"value": "20.30.40.50"}]})
    storage.update_network("rg-a", "sta", public_network_access=None, network_acls={"defaultAction": "Deny"})
    url = "/subscriptions/sub-1/resourceGroups/rg-a/providers/Microsoft.Storage/storageAccounts/sta?api-version=2023-05-01"
    assert arm.requests == [
        ("GET", url, None),
        ("PATCH", url, {"properties": {"networkAcls": {"defaultAction": "Deny", "ipRules": [{"value": "20.30.40.50"}]},
                                       "publicNetworkAccess": "Enabled"}}),
        ("PATCH", url, {"properties": {"networkAcls": {"defaultAction": "Deny"}}}),
    ]


class _FakeBlobService(http.server.BaseHTTPRequestHandler):
    """Put Blob: 201, or 403 with an ``x-ms-error-code`` when ``deny`` is set."""

    deny: ClassVar[str] = ""
    received: ClassVar[list[tuple[str, dict[str, str], bytes]]] = []

    def do_PUT(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        type(self).received.append((self.path, dict(self.headers.items()), body))
        self.send_response(403 if self.deny else 201)
        if self.deny:
            self.send_header("x-ms-error-code", self.deny)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        return None


class _ScopedCredential(_Credential):
    scopes: ClassVar[list[str]] = []

    def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
        type(self).scopes.extend(scopes)
        return super().get_token(*scopes, **kwargs)


@pytest.mark.parametrize("deny", ["", "AuthorizationPermissionMismatch"])
def test_the_storage_adapter_puts_a_block_blob_with_a_storage_token(deny: str) -> None:
    handler = type("Blob", (_FakeBlobService,), {"deny": deny, "received": []})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        storage = ArmStorage(None, _ScopedCredential(), "sub", allow_http=True)
        endpoint = f"http://127.0.0.1:{server.server_address[1]}/"
        if deny:
            with pytest.raises(StorageAccessDenied) as raised:
                storage.upload_blob(endpoint, "function-releases", "func-a.zip", PACKAGE)
            assert raised.value.code == deny
        else:
            storage.upload_blob(endpoint, "function-releases", "func-a.zip", PACKAGE)
    finally:
        server.shutdown()
        server.server_close()
    path, headers, body = handler.received[0]
    assert (path, body) == ("/function-releases/func-a.zip", PACKAGE)
    assert headers["x-ms-blob-type"] == "BlockBlob" and headers["Authorization"] == "Bearer token"
    assert "https://storage.azure.com/.default" in _ScopedCredential.scopes


def test_the_management_adapter_sends_json_bodies_and_returns_the_answer() -> None:
    from atakora.deploy.azure import ArmManagement

    class Client:
        def __init__(self) -> None:
            self.sent: list[Any] = []

        def send_request(self, request: Any) -> _Response:
            self.sent.append(request)
            return _Response({"ok": True} if request.method == "PUT" else None)

    client = Client()
    api = ArmManagement(client)
    assert api.request("PUT", "/subscriptions/s/x?api-version=1", {"properties": {"a": 1}}) == {"ok": True}
    assert api.request("POST", "/subscriptions/s/y?api-version=1") is None
    assert json.loads(client.sent[0].content) == {"properties": {"a": 1}}
    assert client.sent[0].headers["Content-Type"].startswith("application/json")
    assert [r.method for r in client.sent] == ["PUT", "POST"]
