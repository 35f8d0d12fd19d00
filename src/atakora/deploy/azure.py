"""The real clients: Azure SDK for Python with ``DefaultAzureCredential`` (no keys anywhere)."""

from __future__ import annotations

import time
from typing import Any

from .clients import ArmClients, StorageAccessDenied
from .errors import DeployError

__all__ = ["ArmAppService", "ArmManagement", "ArmStorage", "AzureSession"]

WEB_API_VERSION = "2024-11-01"
STORAGE_API_VERSION = "2023-05-01"
BLOB_SERVICE_VERSION = "2023-11-03"
"""Put Blob takes up to 5000 MiB in one request from service version 2019-12-12 on."""
ARM_SCOPE = "https://management.azure.com/.default"
STORAGE_SCOPE = "https://storage.azure.com/.default"
# Kudu deployment states: 0 pending, 1 building, 2 deploying, 3 failed, 4 success.
_KUDU_FAILED, _KUDU_SUCCESS = 3, 4


class ArmAppService:
    """Function App operations over ARM (``Microsoft.Web/sites``) and the app's SCM site, without azure-mgmt-web.

    ``arm_client`` is a ``ResourceManagementClient`` (its ``send_request`` signs ARM requests).
    ``publish_timeout`` (default 900 s) bounds the wait for a OneDeploy deployment, polled every
    ``poll_interval`` (default 5 s). ``scm_scheme`` (default ``https``) exists for tests against a
    local fake SCM site; bearer tokens are sent over plain HTTP only then.
    """

    def __init__(self, arm_client: Any, credential: Any, subscription_id: str, *,
                 publish_timeout: float = 900.0, poll_interval: float = 5.0, scm_scheme: str = "https") -> None:
        self.arm_client = arm_client
        self.credential = credential
        self.subscription_id = subscription_id
        self.publish_timeout = publish_timeout
        self.poll_interval = poll_interval
        self.scm_scheme = scm_scheme

    def _site_url(self, resource_group: str, site: str, action: str = "") -> str:
        suffix = f"/{action}" if action else ""
        return (f"/subscriptions/{self.subscription_id}/resourceGroups/{resource_group}/providers/Microsoft.Web/"
                f"sites/{site}{suffix}?api-version={WEB_API_VERSION}")

    def _arm(self, method: str, url: str) -> Any:
        from azure.core.rest import HttpRequest

        response = self.arm_client.send_request(HttpRequest(method, url))
        response.raise_for_status()
        return response.json() if response.text() else None

    def scm_host(self, resource_group: str, site: str) -> str:
        """The ``Repository`` host of the site (``<name>.scm.azurewebsites.net`` or a regional unique name)."""
        data = self._arm("GET", self._site_url(resource_group, site)) or {}
        properties = data.get("properties") or {}
        for state in properties.get("hostNameSslStates") or []:
            if state.get("hostType") == "Repository" and state.get("name"):
                return str(state["name"])
        for host in properties.get("enabledHostNames") or []:
            if ".scm." in host:
                return str(host)
        return f"{site}.scm.azurewebsites.net"


    def sync_triggers(self, resource_group: str, site: str) -> None:
        """``POST .../sites/{site}/syncfunctiontriggers``."""
        self._arm("POST", self._site_url(resource_group, site, "syncfunctiontriggers"))

    def restart(self, resource_group: str, site: str) -> None:
        """``POST .../sites/{site}/restart``."""
        self._arm("POST", self._site_url(resource_group, site, "restart"))

    def publish_zip(self, scm_host: str, data: bytes, *, remote_build: bool) -> None:
        """``POST https://<scm>/api/publish?type=zip&RemoteBuild=..`` (OneDeploy), then poll
        ``/api/deployments/latest``. OneDeploy needs ``type`` (Linux Kudu rejects a publish without it)."""
        from azure.core import PipelineClient
        from azure.core.pipeline.policies import (
            BearerTokenCredentialPolicy,
            HeadersPolicy,
            ProxyPolicy,
            RetryPolicy,
            UserAgentPolicy,
        )
        from azure.core.rest import HttpRequest, HttpResponse

        policies: list[Any] = [HeadersPolicy(), UserAgentPolicy(sdk_moniker="atakora-deploy"), ProxyPolicy(),
                               RetryPolicy(), BearerTokenCredentialPolicy(self.credential, ARM_SCOPE)]
        base = f"{self.scm_scheme}://{scm_host}"
        options = {"enforce_https": self.scm_scheme == "https"}
        client: PipelineClient[HttpRequest, HttpResponse] = PipelineClient(base_url=base, policies=policies)
        with client:
            request = HttpRequest("POST", f"{base}/api/publish?type=zip&RemoteBuild={str(remote_build).lower()}"
                                  "&Deployer=atakora", content=data,
                                  headers={"Content-Type": "application/zip", "Cache-Control": "no-cache"})
            response = client.send_request(request, **options)
            if response.status_code == 409:
                raise DeployError(f"another deployment is running on {scm_host}",
                                  fix=f"wait for it ({base}/api/deployments/latest) and deploy again")
            response.raise_for_status()
            if response.status_code != 202:
                return
            deadline = time.monotonic() + self.publish_timeout
            while time.monotonic() < deadline:
                time.sleep(self.poll_interval)
                status = client.send_request(HttpRequest("GET", f"{base}/api/deployments/latest"), **options)
                if status.status_code >= 400:
                    continue
                body = status.json() or {}
                if body.get("status") == _KUDU_SUCCESS:
                    return
                if body.get("status") == _KUDU_FAILED:
                    raise DeployError(f"the OneDeploy deployment on {scm_host} failed: "
                                      f"{body.get('status_text') or body.get('message') or 'no details'}",
                                      fix=f"see {base}/api/deployments/latest/log")
            raise DeployError(f"the OneDeploy deployment on {scm_host} did not finish in {self.publish_timeout:.0f}s",
                              fix=f"follow it at {base}/api/deployments/latest")


class ArmStorage:
    """A storage account's network rules over ARM and blob uploads with an Entra token (no account keys).

    ``arm_client`` is a ``ResourceManagementClient`` (its ``send_request`` signs ARM requests).
    ``allow_http`` (default False) exists for tests against a local fake blob service only.
    """

    def __init__(self, arm_client: Any, credential: Any, subscription_id: str, *, allow_http: bool = False) -> None:
        self.arm_client = arm_client
        self.credential = credential
        self.subscription_id = subscription_id
        self.allow_http = allow_http

    def _url(self, resource_group: str, name: str) -> str:
        return (f"/subscriptions/{self.subscription_id}/resourceGroups/{resource_group}/providers/"
                f"Microsoft.Storage/storageAccounts/{name}?api-version={STORAGE_API_VERSION}")

    def _arm(self, method: str, url: str, body: Any = None) -> Any:
        from azure.core.rest import HttpRequest

        response = self.arm_client.send_request(HttpRequest(method, url, json=body))
        response.raise_for_status()
        return response.json() if response.text() else None

    def account(self, resource_group: str, name: str) -> Any:
        """``GET .../storageAccounts/{name}``: its ``properties``."""
        return (self._arm("GET", self._url(resource_group, name)) or {}).get("properties") or {}

    def update_network(self, resource_group: str, name: str, *, public_network_access: str | None,
                       network_acls: Any) -> None:
        """``PATCH .../storageAccounts/{name}`` with ``networkAcls`` (and ``publicNetworkAccess``)."""
        properties: dict[str, Any] = {"networkAcls": dict(network_acls)}
        if public_network_access is not None:
            properties["publicNetworkAccess"] = public_network_access
        self._arm("PATCH", self._url(resource_group, name), {"properties": properties})

    def upload_blob(self, blob_endpoint: str, container: str, blob: str, data: bytes) -> None:
        """``PUT <endpoint>/<container>/<blob>`` (Put Blob, a block blob, overwritten)."""
        from urllib.parse import quote

        from azure.core import PipelineClient
        from azure.core.pipeline.policies import (
            BearerTokenCredentialPolicy,
            HeadersPolicy,
            ProxyPolicy,
            RetryPolicy,
            UserAgentPolicy,
        )
        from azure.core.rest import HttpRequest, HttpResponse

        base = blob_endpoint.rstrip("/")
        policies: list[Any] = [HeadersPolicy(), UserAgentPolicy(sdk_moniker="atakora-deploy"), ProxyPolicy(),
                               RetryPolicy(), BearerTokenCredentialPolicy(self.credential, STORAGE_SCOPE)]
        client: PipelineClient[HttpRequest, HttpResponse] = PipelineClient(base_url=base, policies=policies)
        with client:
            response = client.send_request(HttpRequest(
                "PUT", f"{base}/{quote(container)}/{quote(blob)}", content=data,
                headers={"x-ms-blob-type": "BlockBlob", "x-ms-version": BLOB_SERVICE_VERSION,
                         "Content-Type": "application/zip"}), enforce_https=not self.allow_http)
            if response.status_code == 403:
                raise StorageAccessDenied(response.headers.get("x-ms-error-code", ""), response.text()[:500])
            response.raise_for_status()

class ArmManagement:
    """Plain ARM REST calls signed by ``arm_client`` (a ``ResourceManagementClient``)."""

    def __init__(self, arm_client: Any) -> None:
        self.arm_client = arm_client

    def request(self, method: str, url: str, body: Any = None) -> Any:
        """``method url`` with a JSON body; the JSON answer (None when empty)."""
        from azure.core.rest import HttpRequest

        response = self.arm_client.send_request(HttpRequest(method, url, json=body) if body is not None
                                                else HttpRequest(method, url))
        response.raise_for_status()
        return response.json() if response.text() else None


class AzureSession:
    """Clients for real Azure: ``DefaultAzureCredential`` unless ``credential`` is given (created on first use)."""

    def __init__(self, credential: Any = None) -> None:
        self._credential = credential
        self._arm: dict[str, ArmClients] = {}

    @property
    def credential(self) -> Any:
        """The token credential (``DefaultAzureCredential`` by default)."""
        if self._credential is None:
            from azure.identity import DefaultAzureCredential

            self._credential = DefaultAzureCredential()
        return self._credential

    def arm(self, subscription_id: str) -> ArmClients:
        """The management clients of ``subscription_id`` (created once)."""
        if subscription_id not in self._arm:
            try:
                from azure.mgmt.resource.deployments import DeploymentsMgmtClient
                from azure.mgmt.resource.resources import ResourceManagementClient
            except ImportError as error:
                raise DeployError(f"the Azure management SDK is not installed ({error.name})",
                                  fix="pip install 'atakora[deploy]'") from None
            resources = ResourceManagementClient(self.credential, subscription_id)
            deployments = DeploymentsMgmtClient(self.credential, subscription_id)
            self._arm[subscription_id] = ArmClients(
                subscription_id=subscription_id, resource_groups=resources.resource_groups,
                deployments=deployments.deployments,
                app_service=ArmAppService(resources, self.credential, subscription_id), resources=resources.resources,
                storage=ArmStorage(resources, self.credential, subscription_id),
                management=ArmManagement(resources))
        return self._arm[subscription_id]
