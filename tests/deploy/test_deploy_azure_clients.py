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

from atakora.deploy import ArmAppService, AzureSession, DeployError

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
