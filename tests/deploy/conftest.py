"""Fixtures for deploy tests: fake Azure clients that record calls, and hand-written assemblies."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from atakora.deploy import ArmClients, StorageAccessDenied

Call = tuple[Any, ...]


class FakePoller:
    """A finished long-running operation: returns ``value`` or raises ``error``."""

    def __init__(self, value: Any = None, error: BaseException | None = None) -> None:
        self.value = value
        self.error = error

    def result(self) -> Any:
        if self.error is not None:
            raise self.error
        return self.value


@dataclass
class FakeAzure:
    """Every fake client shares one call log, so tests can check the order across clients.

    ``failures`` maps ``(operation, deployment name or resource group)`` to an exception raised when
    called (for ``scm-host`` and ``sync-triggers`` the key is the Function App, for ``publish`` the SCM
    host); ``results`` maps the same keys to what the poller returns.
    """

    existing_groups: set[str] = field(default_factory=set)
    calls: list[Call] = field(default_factory=list)
    failures: dict[tuple[str, str], BaseException] = field(default_factory=dict)
    results: dict[tuple[str, str], Any] = field(default_factory=dict)
    subscriptions: list[str] = field(default_factory=list)
    published: dict[str, tuple[bytes, bool]] = field(default_factory=dict)
    resources: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Resources by lower-case id, as ``get_by_id`` returns them (absent ones are not found)."""
    storage_accounts: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Storage account ``properties`` by name (an absent account is open to public networks)."""
    blobs: dict[str, bytes] = field(default_factory=dict)
    """Uploaded blobs by ``<account>/<container>/<blob>``."""
    caller_ip: str = "20.30.40.50"
    """The public IP uploads come from, unless ``inside_vnet``."""
    inside_vnet: bool = False
    data_role: str | None = "Storage Blob Data Contributor"
    """The caller's data role on the storage accounts (None: no role; 'Storage Blob Data Reader': read only)."""
    network_delay: int = 0
    """How many uploads a new network rule still refuses (it takes a moment to apply)."""

    def _do(self, op: str, key: str, call: Call, default: Any = None) -> FakePoller:
        self.calls.append(call)
        if (op, key) in self.failures:
            raise self.failures[(op, key)]
        return FakePoller(self.results.get((op, key), default))

    # resource_groups
    def check_existence(self, resource_group_name: str) -> bool:
        self.calls.append(("rg.exists", resource_group_name))
        if ("rg.exists", resource_group_name) in self.failures:
            raise self.failures[("rg.exists", resource_group_name)]
        return resource_group_name in self.existing_groups

    def create_or_update(self, resource_group_name: str, parameters: Any) -> Any:
        self.calls.append(("rg.create", resource_group_name, parameters))
        self.existing_groups.add(resource_group_name)
        return {"name": resource_group_name}

    # deployments
    def begin_validate(self, resource_group_name: str, deployment_name: str, parameters: Any) -> FakePoller:
        return self._do("validate", deployment_name, ("validate", resource_group_name, deployment_name, parameters))

    def begin_what_if(self, resource_group_name: str, deployment_name: str, parameters: Any) -> FakePoller:
        return self._do("what-if", deployment_name, ("what-if", resource_group_name, deployment_name, parameters),
                        {"status": "Succeeded", "properties": {"changes": []}})

    def begin_create_or_update(self, resource_group_name: str, deployment_name: str, parameters: Any) -> FakePoller:
        return self._do("deploy", deployment_name, ("deploy", resource_group_name, deployment_name, parameters),
                        {"properties": {"provisioningState": "Succeeded", "outputs": {}}})

    def begin_validate_at_subscription_scope(self, deployment_name: str, parameters: Any) -> FakePoller:
        return self._do("validate", deployment_name, ("validate@sub", deployment_name, parameters))

    def begin_what_if_at_subscription_scope(self, deployment_name: str, parameters: Any) -> FakePoller:
        return self._do("what-if", deployment_name, ("what-if@sub", deployment_name, parameters),
                        {"status": "Succeeded", "properties": {"changes": []}})

    def begin_create_or_update_at_subscription_scope(self, deployment_name: str, parameters: Any) -> FakePoller:
        return self._do("deploy", deployment_name, ("deploy@sub", deployment_name, parameters),
                        {"properties": {"provisioningState": "Succeeded", "outputs": {}}})

    # app service
    def _app_call(self, op: str, key: str, call: Call) -> None:
        self.calls.append(call)
        if (op, key) in self.failures:
            raise self.failures[(op, key)]

    def scm_host(self, resource_group: str, site: str) -> str:
        self._app_call("scm-host", site, ("scm-host", resource_group, site))
        return f"{site}.scm.azurewebsites.net"

    def publish_zip(self, scm_host: str, data: bytes, *, remote_build: bool) -> None:
        self._app_call("publish", scm_host, ("publish", scm_host, remote_build))
        self.published[scm_host] = (data, remote_build)

    def sync_triggers(self, resource_group: str, site: str) -> None:
        self._app_call("sync-triggers", site, ("sync-triggers", resource_group, site))

    def restart(self, resource_group: str, site: str) -> None:
        self._app_call("restart", site, ("restart", resource_group, site))

    # storage
    def _account(self, name: str) -> dict[str, Any]:
        return self.storage_accounts.setdefault(name, {
            "publicNetworkAccess": "Enabled", "networkAcls": {"defaultAction": "Allow", "bypass": "AzureServices"},
            "primaryEndpoints": {"blob": f"https://{name}.blob.core.windows.net/"}})

    def account(self, resource_group: str, name: str) -> dict[str, Any]:
        self._app_call("storage.get", name, ("storage.get", resource_group, name))
        return json.loads(json.dumps(self._account(name)))

    def update_network(self, resource_group: str, name: str, *, public_network_access: str | None,
                       network_acls: Any) -> None:
        self._app_call("storage.network", name, ("storage.network", name, public_network_access,
                                                 [r["value"] for r in network_acls.get("ipRules") or []]))
        account = self._account(name)
        if public_network_access is not None:
            account["publicNetworkAccess"] = public_network_access
        account["networkAcls"] = json.loads(json.dumps(dict(network_acls)))

    def reachable(self, name: str) -> bool:
        """Whether an upload from here passes the account's network rules."""
        account = self._account(name)
        acls = account["networkAcls"]
        if self.inside_vnet:
            return True
        if account.get("publicNetworkAccess") == "Disabled":
            return False
        return acls.get("defaultAction", "Allow") == "Allow" or any(
            r["value"] == self.caller_ip for r in acls.get("ipRules") or [])

    def upload_blob(self, blob_endpoint: str, container: str, blob: str, data: bytes) -> None:
        name = blob_endpoint.split("//", 1)[1].split(".", 1)[0]
        self._app_call("upload", name, ("upload", name, f"{container}/{blob}"))
        if not self.reachable(name):
            raise StorageAccessDenied("AuthorizationFailure", "This request is not authorized to perform this "
                                                              "operation.")
        if self.network_delay:
            self.network_delay -= 1
            raise StorageAccessDenied("AuthorizationFailure")
        if self.data_role is None:
            raise StorageAccessDenied("AuthorizationFailure")
        if self.data_role == "Storage Blob Data Reader":
            raise StorageAccessDenied("AuthorizationPermissionMismatch")
        self.blobs[f"{name}/{container}/{blob}"] = data

    # resources
    def get_by_id(self, resource_id: str, *, api_version: str) -> Any:
        from azure.core.exceptions import ResourceNotFoundError

        self.calls.append(("get", resource_id, api_version))
        if resource_id.lower() not in self.resources:
            raise ResourceNotFoundError(f"{resource_id} not found")
        return self.resources[resource_id.lower()]

    def begin_delete_by_id(self, resource_id: str, *, api_version: str) -> FakePoller:
        self.calls.append(("delete", resource_id, api_version))
        if ("delete", resource_id) in self.failures:
            raise self.failures[("delete", resource_id)]
        self.resources.pop(resource_id.lower(), None)
        return FakePoller(None)

    # session
    def arm(self, subscription_id: str) -> ArmClients:
        self.subscriptions.append(subscription_id)
        return ArmClients(subscription_id=subscription_id, resource_groups=self, deployments=self, app_service=self,
                          resources=self, storage=self)

    def names(self) -> list[str]:
        """The operation of every call, in order."""
        return [str(c[0]) for c in self.calls]


@pytest.fixture
def azure() -> FakeAzure:
    return FakeAzure()


def zip_bytes(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in sorted(files.items()):
            archive.writestr(name, text)
    return buffer.getvalue()


def template(parameters: dict[str, Any] | None = None, scope: str = "resourceGroup") -> dict[str, Any]:
    schema = ("https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"
              if scope == "resourceGroup" else
              "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#")
    return {"$schema": schema, "contentVersion": "1.0.0.0", "parameters": parameters or {}, "resources": []}


def write_assembly(root: Path, stacks: list[dict[str, Any]], *, order: list[str] | None = None) -> Path:
    """Write a cloud assembly by hand: each stack dict may give scope, resourceGroup, subscriptionId,
    location, parameters (template parameters), dependencies and assets ({kind, data, destination})."""
    root.mkdir(parents=True, exist_ok=True)
    entries = []
    for spec in stacks:
        stack_id = spec["id"]
        scope = spec.get("scope", "resourceGroup")
        params = spec.get("parameters", {})
        (root / f"{stack_id}.json").write_text(json.dumps(template(params, scope)))
        assets = []
        for n, asset in enumerate(spec.get("assets", [])):
            data: bytes = asset["data"]
            digest = hashlib.sha256(data).hexdigest()
            (root / "assets").mkdir(exist_ok=True)
            (root / "assets" / f"{digest}.zip").write_bytes(data)
            assets.append({"id": f"{stack_id}/Asset{n}", "kind": asset["kind"], "path": f"assets/{digest}.zip",
                           "sha256": digest, "size": len(data), "destination": asset["destination"]})
        entries.append({
            "id": stack_id, "stack": stack_id, "scope": scope,
            "resourceGroup": spec.get("resourceGroup", None if scope == "subscription" else f"rg-{stack_id.lower()}"),
            "subscriptionId": spec.get("subscriptionId"), "location": spec.get("location", "eastus"),
            "templateFile": f"{stack_id}.json", "resourceCount": 0,
            "parameters": {k: {"type": v["type"], "required": "defaultValue" not in v} for k, v in params.items()},
            "dependencies": spec.get("dependencies", []), "assets": assets,
        })
    manifest = {"version": "1.0", "atakora": "0.1.0", "deployOrder": order or [s["id"] for s in stacks],
                "stacks": entries, "artifacts": []}
    (root / "manifest.json").write_text(json.dumps(manifest, indent=2))
    return root


@pytest.fixture
def assembly_dir(tmp_path: Path) -> Callable[..., Path]:
    def make(stacks: list[dict[str, Any]], **kwargs: Any) -> Path:
        return write_assembly(tmp_path / "atakora.out", stacks, **kwargs)
    return make

