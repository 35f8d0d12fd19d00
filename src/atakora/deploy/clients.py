"""The operations the deploy step calls, as protocols: the Azure SDK clients fit them, and so do test fakes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

__all__ = [
    "AppServiceApi",
    "ArmClients",
    "DeploySession",
    "DeploymentsApi",
    "ManagementApi",
    "Poller",
    "ResourceGroupsApi",
    "ResourcesApi",
    "StorageAccessDenied",
    "StorageApi",
]

T_co = TypeVar("T_co", covariant=True)


class Poller(Protocol[T_co]):
    """A long-running operation (``azure.core.polling.LROPoller``)."""

    def result(self) -> T_co:
        """Wait for the operation to finish and return its result."""
        ...


class ResourceGroupsApi(Protocol):
    """``ResourceManagementClient.resource_groups`` (the operations atakora calls)."""

    def check_existence(self, resource_group_name: str) -> bool:
        """Whether the resource group exists."""
        ...

    def create_or_update(self, resource_group_name: str, parameters: Any) -> Any:
        """Create the resource group (body: ``{"location": ..., "tags": {...}}``)."""
        ...


class DeploymentsApi(Protocol):
    """``DeploymentsMgmtClient.deployments``: validate, what-if and deploy at both scopes.

    Bodies are plain dicts in ARM's REST shape (``{"properties": {"mode", "template", "parameters"}}``);
    results are mappings in that shape too (the SDK's models are mappings).
    """

    def begin_validate(self, resource_group_name: str, deployment_name: str, parameters: Any) -> Poller[Any]:
        """Validate a resource-group deployment."""
        ...

    def begin_what_if(self, resource_group_name: str, deployment_name: str, parameters: Any) -> Poller[Any]:
        """Predict the changes of a resource-group deployment."""
        ...

    def begin_create_or_update(self, resource_group_name: str, deployment_name: str,
                               parameters: Any) -> Poller[Any]:
        """Deploy a template to a resource group."""
        ...

    def begin_validate_at_subscription_scope(self, deployment_name: str, parameters: Any) -> Poller[Any]:
        """Validate a subscription deployment (the body has a location)."""
        ...

    def begin_what_if_at_subscription_scope(self, deployment_name: str, parameters: Any) -> Poller[Any]:
        """Predict the changes of a subscription deployment."""
        ...

    def begin_create_or_update_at_subscription_scope(self, deployment_name: str, parameters: Any) -> Poller[Any]:
        """Deploy a template at subscription scope."""
        ...


class ResourcesApi(Protocol):
    """``ResourceManagementClient.resources``: read and delete one resource by id (``--prune``)."""

    def get_by_id(self, resource_id: str, *, api_version: str) -> Any:
        """The resource (a mapping with ``tags``); raises ``ResourceNotFoundError`` when it is gone."""
        ...

    def begin_delete_by_id(self, resource_id: str, *, api_version: str) -> Poller[Any]:
        """Delete the resource."""
        ...


class AppServiceApi(Protocol):
    """The few Function App operations of a code deployment (ARM and the app's SCM site)."""

    def scm_host(self, resource_group: str, site: str) -> str:
        """The host name of the app's SCM (Kudu) site."""
        ...

    def publish_zip(self, scm_host: str, data: bytes, *, remote_build: bool) -> None:
        """Deploy a zip through the SCM site's OneDeploy endpoint and wait until it finished."""
        ...

    def sync_triggers(self, resource_group: str, site: str) -> None:
        """Tell the platform about the app's current triggers."""
        ...

    def restart(self, resource_group: str, site: str) -> None:
        """Restart the app (it reads its package URL again)."""
        ...


class StorageAccessDenied(Exception):
    """The blob service refused a request (HTTP 403); ``code`` is its ``x-ms-error-code``:
    ``AuthorizationFailure`` (the network rules, or no data role at all) or ``AuthorizationPermissionMismatch``
    (a data role without write permission)."""

    def __init__(self, code: str, message: str = "") -> None:
        super().__init__(message or code)
        self.code = code


class StorageApi(Protocol):
    """A storage account's network rules (management plane) and a blob upload (data plane, Entra token)."""

    def account(self, resource_group: str, name: str) -> Mapping[str, Any]:
        """The account's ARM ``properties`` (``publicNetworkAccess``, ``networkAcls``, ``primaryEndpoints``)."""
        ...

    def update_network(self, resource_group: str, name: str, *, public_network_access: str | None,
                       network_acls: Mapping[str, Any]) -> None:
        """PATCH the account's ``publicNetworkAccess`` (unless None) and ``networkAcls``."""
        ...

    def upload_blob(self, blob_endpoint: str, container: str, blob: str, data: bytes) -> None:
        """Write ``data`` as block blob ``container/blob`` (overwriting it); raises :class:`StorageAccessDenied`
        on HTTP 403."""
        ...


class ManagementApi(Protocol):
    """Plain ARM REST calls (``ResourceManagementClient.send_request``) for the deploy steps."""

    def request(self, method: str, url: str, body: Any = None) -> Any:
        """``method`` on ``url`` (``/subscriptions/...?api-version=...``) with a JSON ``body``; the JSON answer."""
        ...


@dataclass(frozen=True)
class ArmClients:
    """The management clients of one subscription."""

    subscription_id: str
    resource_groups: ResourceGroupsApi
    deployments: DeploymentsApi
    app_service: AppServiceApi
    resources: ResourcesApi | None = None
    """Generic resource operations (needed only by ``--prune``)."""
    storage: StorageApi | None = None
    """Storage network rules and blob uploads (needed by packages that run from a blob)."""
    management: ManagementApi | None = None
    """Plain ARM REST calls (needed only by deploy steps)."""


class DeploySession(Protocol):
    """Where the deployer gets its clients: one set per subscription."""

    def arm(self, subscription_id: str) -> ArmClients:
        """The management clients of ``subscription_id``."""
        ...


def plain(value: Any) -> Any:
    """An SDK result (a model that is a mapping, or has ``as_dict``) as plain dicts and lists."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    as_dict = getattr(value, "as_dict", None)
    if callable(as_dict):
        return plain(as_dict())
    return value
