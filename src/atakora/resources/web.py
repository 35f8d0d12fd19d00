"""Microsoft.Web: App Service plans and Function Apps (Flex Consumption by default).

Secure defaults: HTTPS only, TLS 1.2 (site and SCM), FTP(S) off, HTTP/2, a system-assigned
managed identity, identity-based deployment and host storage (never keys), basic-auth publishing
credentials disabled.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any, Literal, get_args

from ..core.construct import Construct
from ..core.expressions import Expr
from ..core.resource import Resource
from ..errors import ConfigurationError
from ..rules.web import FLEX_UNSUPPORTED_SETTINGS
from ._common import child_path, identity_block, require_one_of, require_range
from .storage import BlobContainer, StorageAccount
from .web_runtimes import runtime_version_problem, supported_versions

__all__ = [
    "API_VERSIONS",
    "RUN_FROM_PACKAGE_IDENTITY_SETTING",
    "RUN_FROM_PACKAGE_SETTING",
    "AppServicePlan",
    "BasicPublishingCredentialsPolicy",
    "FunctionApp",
    "FunctionRuntime",
    "PlanSku",
]

_V = "2024-11-01"
API_VERSIONS: dict[str, str] = {
    "Microsoft.Web/serverfarms": _V,
    "Microsoft.Web/sites": _V,
    "Microsoft.Web/sites/basicPublishingCredentialsPolicies": _V,
}

PlanSku = Literal["FC1", "Y1", "EP1", "EP2", "EP3", "B1", "B2", "B3", "S1", "S2", "S3", "P1v2", "P2v2", "P3v2",
                  "P0v3", "P1v3", "P2v3", "P3v3"]
FunctionRuntime = Literal["python", "node", "dotnet-isolated", "java", "powershell"]
InstanceMemory = Literal[512, 2048, 4096]
ClientCertMode = Literal["Required", "Optional", "OptionalInteractiveUser"]
SitePublicNetworkAccess = Literal["Enabled", "Disabled"]

_TIERS = {"FC": "FlexConsumption", "Y": "Dynamic", "EP": "ElasticPremium", "B": "Basic", "S": "Standard"}
_FX_NAMES = {"python": "Python", "node": "Node", "dotnet-isolated": "DOTNET-ISOLATED", "java": "Java",
             "powershell": "PowerShell"}
# App settings that Flex Consumption rejects or ignores (functionAppConfig replaces them).
_FLEX_FORBIDDEN_SETTINGS = FLEX_UNSUPPORTED_SETTINGS


HOST_ID_SETTING = "AzureFunctionsWebHost__hostid"
RUN_FROM_PACKAGE_SETTING = "WEBSITE_RUN_FROM_PACKAGE"
RUN_FROM_PACKAGE_IDENTITY_SETTING = "WEBSITE_RUN_FROM_PACKAGE_BLOB_MI_RESOURCE_ID"
"""Run from a package URL read with a managed identity: 'SystemAssigned' or a user-assigned identity's id.
https://learn.microsoft.com/azure/azure-functions/deployment-zip-push#fetch-a-package-from-azure-blob-storage-by-using-a-managed-identity"""


def host_id(site_name: str) -> str:
    """A Functions host id for ``site_name``: the name when it fits 32 characters, else its first 23
    characters, a dash and 8 hex digits of its hash (distinct for names that share 32 characters)."""
    import hashlib

    name = site_name.lower()
    if len(name) <= 32:
        return name
    return f"{name[:23].rstrip('-')}-{hashlib.sha256(name.encode()).hexdigest()[:8]}"


def _tier(sku: str) -> str:
    if sku.endswith("v3"):
        return "PremiumV3"
    if sku.endswith("v2"):
        return "PremiumV2"
    prefix = sku.rstrip("0123456789")
    return _TIERS[prefix]


class AppServicePlan(Resource):
    """An App Service plan (``serverfarms``).

    Default: Flex Consumption (FC1, kind 'functionapp'), Linux. Elastic Premium (EP1-EP3, kind
    'elastic') takes ``maximum_elastic_worker_count`` (default 20). Dedicated plans (B1..P3v3) take
    ``capacity`` (instances). Zone redundancy is off by default (not every region has zones); with it
    on, dedicated and Elastic Premium plans get at least 2 instances.
    """

    TYPE = "Microsoft.Web/serverfarms"
    API_VERSION = API_VERSIONS[TYPE]

    def __init__(self, scope: Construct, id: str, *, name: str | Expr, location: str | Expr | None = None,
                 tags: Mapping[str, str] | None = None, sku: PlanSku = "FC1", linux: bool = True,
                 zone_redundant: bool = False, maximum_elastic_worker_count: int | None = None,
                 capacity: int | None = None) -> None:
        path = child_path(scope, id)
        if sku == "FC1" and not linux:
            raise ConfigurationError("Flex Consumption (FC1) plans run Linux only", field="linux", path=path,
                                     fix="remove linux=False, or choose another sku")
        elastic = sku.startswith("EP")
        if maximum_elastic_worker_count is not None and not elastic:
            raise ConfigurationError(f"maximum_elastic_worker_count applies only to Elastic Premium plans, not {sku}",
                                     field="maximum_elastic_worker_count", path=path,
                                     fix="remove it, or use sku='EP1' (or EP2, EP3)")
        require_range(maximum_elastic_worker_count, field="maximum_elastic_worker_count", path=path, minimum=1,
                      maximum=100)
        serverless = sku in ("FC1", "Y1")
        if capacity is not None and serverless:
            raise ConfigurationError(f"capacity does not apply to {sku} plans, which scale on demand",
                                     field="capacity", path=path, fix="remove capacity")
        require_range(capacity, field="capacity", path=path, minimum=1, maximum=100)
        if zone_redundant and sku == "Y1":
            raise ConfigurationError("Consumption (Y1) plans cannot be zone redundant", field="zone_redundant",
                                     path=path, fix="use sku='FC1' (Flex Consumption) or a Premium plan")
        if zone_redundant and not serverless:
            capacity = max(capacity or 2, 2)
        kind = "functionapp" if serverless else "elastic" if elastic else ("linux" if linux else "app")
        sku_block: dict[str, Any] = {"name": sku, "tier": _tier(sku)}
        if capacity is not None:
            sku_block["capacity"] = capacity
        super().__init__(scope, id, name=name, location=location, tags=tags, sku=sku_block, kind=kind)
        self.sku_name: str = sku
        self.linux = linux
        self.zone_redundant = zone_redundant
        self.maximum_elastic_worker_count = (maximum_elastic_worker_count or 20) if elastic else None

    @property
    def is_flex_consumption(self) -> bool:
        """True for the Flex Consumption (FC1) sku."""
        return self.sku_name == "FC1"

    @property
    def is_consumption(self) -> bool:
        """True for plans without fixed instances (FC1 and Y1): no always-on, no instance count."""
        return self.sku_name in ("FC1", "Y1")

    def render_properties(self) -> Mapping[str, Any]:
        """``reserved`` (Linux), ``zoneRedundant`` and, for Elastic Premium, ``maximumElasticWorkerCount``."""
        props: dict[str, Any] = {"reserved": self.linux, "zoneRedundant": self.zone_redundant}
        if self.maximum_elastic_worker_count is not None:
            props["maximumElasticWorkerCount"] = self.maximum_elastic_worker_count
        return props


class BasicPublishingCredentialsPolicy(Resource):
    """Allows or forbids basic-auth (user name and password) publishing over 'ftp' or 'scm'. Default: forbid."""

    TYPE = "Microsoft.Web/sites/basicPublishingCredentialsPolicies"
    API_VERSION = API_VERSIONS[TYPE]

    def __init__(self, site: FunctionApp, id: str, *, name: Literal["ftp", "scm"], allow: bool = False) -> None:
        super().__init__(site, id, name=name, location=site.location, properties={"allow": allow})


class FunctionApp(Resource):
    """A Function App (``sites``, kind 'functionapp,linux') on ``plan``.

    Flex Consumption plans need ``deployment_storage``: a blob container (or its URL) that holds
    the package, read with the app's system-assigned identity (or ``deployment_storage_identity``,
    a user-assigned identity). ``host_storage`` (AzureWebJobsStorage, identity-based) defaults to
    the deployment container's account. Defaults: Python 3.11, system-assigned identity, HTTPS
    only, TLS 1.2, FTPS disabled, HTTP/2, public network access 'Enabled', no CORS origins,
    always-on on dedicated plans, basic publishing credentials disabled, Flex scale: 100 instances
    of 2048 MB.
    """

    TYPE = "Microsoft.Web/sites"
    API_VERSION = API_VERSIONS[TYPE]

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        name: str | Expr,
        plan: AppServicePlan,
        location: str | Expr | None = None,
        tags: Mapping[str, str] | None = None,
        runtime: FunctionRuntime = "python",
        runtime_version: str = "3.11",
        deployment_storage: BlobContainer | str | Expr | None = None,
        deployment_storage_identity: Resource | Expr | None = None,
        host_storage: StorageAccount | None = None,
        maximum_instance_count: int | None = None,
        instance_memory_mb: InstanceMemory = 2048,
        app_settings: Mapping[str, str | Expr] | None = None,
        health_check_path: str | None = None,
        cors_allowed_origins: Sequence[str] = (),
        cors_support_credentials: bool = False,
        always_on: bool | None = None,
        virtual_network_subnet_id: str | Expr | None = None,
        vnet_route_all_enabled: bool | None = None,
        public_network_access: SitePublicNetworkAccess = "Enabled",
        client_cert_mode: ClientCertMode | None = None,
        system_assigned_identity: bool = True,
        user_assigned_identities: Sequence[Resource | Expr] = (),
        basic_publishing_credentials: bool = False,
    ) -> None:
        path = child_path(scope, id)
        self._check(path, plan, runtime, runtime_version, deployment_storage, deployment_storage_identity,
                    maximum_instance_count, instance_memory_mb, health_check_path, cors_allowed_origins,
                    cors_support_credentials, always_on, public_network_access, client_cert_mode,
                    system_assigned_identity, user_assigned_identities)
        if deployment_storage_identity is not None and isinstance(deployment_storage_identity, Resource) and \
                deployment_storage_identity not in user_assigned_identities:
            user_assigned_identities = [*user_assigned_identities, deployment_storage_identity]
        linux = plan.linux
        super().__init__(scope, id, name=name, location=location, tags=tags,
                         kind="functionapp,linux" if linux else "functionapp",
                         identity=identity_block(system_assigned=system_assigned_identity,
                                                 user_assigned=user_assigned_identities))
        self.plan = plan
        self.runtime = runtime
        self.runtime_version = runtime_version
        self.deployment_storage = deployment_storage
        self.deployment_storage_identity = deployment_storage_identity
        self.maximum_instance_count = maximum_instance_count
        self.instance_memory_mb = instance_memory_mb
        self.health_check_path = health_check_path
        self.cors_allowed_origins = list(cors_allowed_origins)
        self.cors_support_credentials = cors_support_credentials
        self.always_on = always_on if always_on is not None else (None if plan.is_consumption or
                                                                  plan.sku_name.startswith("EP") else True)
        self.virtual_network_subnet_id = virtual_network_subnet_id
        self.vnet_route_all_enabled = (vnet_route_all_enabled if vnet_route_all_enabled is not None
                                       else virtual_network_subnet_id is not None)
        self.public_network_access = public_network_access
        self.client_cert_mode = client_cert_mode
        self.key_vault_reference_identity: Resource | None = None
        self.attached_identities: list[Resource] = [i for i in user_assigned_identities if isinstance(i, Resource)]
        self.front_door_ids: list[Expr] = []
        """Front Door profiles (their ``frontDoorId``) that alone may call the app (see :meth:`restrict_to_front_door`)."""
        self._app_settings: dict[str, str | Expr] = {}
        """Values in the order added, by case-insensitive key (the name itself when it is upper-case ASCII)."""
        self._setting_names: dict[str, str] = {}
        """The names that are not their own key."""
        for key, value in (app_settings or {}).items():
            self.add_app_setting(key, value)
        if host_storage is None and isinstance(deployment_storage, BlobContainer):
            host_storage = deployment_storage.account
        self.host_storage = host_storage
        if isinstance(deployment_storage, BlobContainer):
            self.add_dependency(deployment_storage)
        if host_storage is not None and host_storage.network_default_action == "Deny" and \
                virtual_network_subnet_id is None:
            self.node.add_metadata("warning", f"storage account {host_storage.node.path} denies public networks "
                                   "and this app has no VNet integration, so it cannot reach its storage; set "
                                   "network_default_action='Allow' or virtual_network_subnet_id")
        if host_storage is not None:
            self.add_dependency(host_storage)
        if not basic_publishing_credentials:
            BasicPublishingCredentialsPolicy(self, "FtpPublishingPolicy", name="ftp")
            BasicPublishingCredentialsPolicy(self, "ScmPublishingPolicy", name="scm")

    @staticmethod
    def _check(path: str, plan: AppServicePlan, runtime: str, version: str,
               deployment_storage: BlobContainer | str | Expr | None, deployment_identity: Resource | Expr | None,
               maximum_instance_count: int | None, instance_memory_mb: int, health_check_path: str | None,
               origins: Sequence[str], credentials: bool, always_on: bool | None, public_network_access: str,
               client_cert_mode: str | None, system_assigned: bool, user_assigned: Sequence[Resource | Expr]) -> None:
        if not isinstance(plan, AppServicePlan):
            raise ConfigurationError("plan must be an AppServicePlan", field="plan", path=path,
                                     fix="create an AppServicePlan and pass plan=that_plan")
        problem = runtime_version_problem(runtime, version, plan.sku_name, linux=plan.linux)
        if problem:
            raise ConfigurationError(problem, field="runtime_version", path=path,
                                     fix=f"set runtime_version to one of "
                                         f"{', '.join(supported_versions(runtime, plan.sku_name, linux=plan.linux))}")
        if runtime == "python" and not plan.linux:
            raise ConfigurationError("Python Function Apps run on Linux only", field="plan", path=path,
                                     fix="use a Linux plan (linux=True, the default)")
        if not version:
            raise ConfigurationError("runtime_version is required", field="runtime_version", path=path,
                                     fix="pass runtime_version='3.11'")
        require_one_of(public_network_access, get_args(SitePublicNetworkAccess), field="public_network_access",
                       path=path)
        if client_cert_mode is not None:
            require_one_of(client_cert_mode, get_args(ClientCertMode), field="client_cert_mode", path=path)
        if plan.is_flex_consumption:
            if deployment_storage is None:
                raise ConfigurationError("Flex Consumption apps need deployment_storage", field="deployment_storage",
                                         path=path, fix="pass deployment_storage=<a BlobContainer for the package>")
            if deployment_identity is None and not system_assigned:
                raise ConfigurationError("deployment storage is read with the system-assigned identity, which is off",
                                         field="deployment_storage_identity", path=path,
                                         fix="keep system_assigned_identity=True or pass deployment_storage_identity")
            require_one_of(instance_memory_mb, get_args(InstanceMemory), field="instance_memory_mb", path=path)
            require_range(maximum_instance_count, field="maximum_instance_count", path=path, minimum=1, maximum=1000)
        else:
            for field_, value in (("deployment_storage", deployment_storage),
                                  ("deployment_storage_identity", deployment_identity),
                                  ("maximum_instance_count", maximum_instance_count)):
                if value is not None:
                    raise ConfigurationError(f"{field_} applies only to Flex Consumption plans (FC1)", field=field_,
                                             path=path, fix=f"remove {field_}, or use a plan with sku='FC1'")
        if always_on and plan.is_consumption:
            raise ConfigurationError(f"always_on is not available on {plan.sku_name} (consumption) plans",
                                     field="always_on", path=path,
                                     fix="remove always_on, or use an Elastic Premium or dedicated plan")
        if health_check_path is not None and plan.is_flex_consumption:
            raise ConfigurationError("health_check_path is not supported on Flex Consumption (FC1): the platform "
                                     "health check does not run there", field="health_check_path", path=path,
                                     fix="remove it and probe the health route from Front Door, Traffic Manager or "
                                         "an availability test; or use an Elastic Premium or dedicated plan")
        if health_check_path is not None and not health_check_path.startswith("/"):
            raise ConfigurationError(f"health_check_path {health_check_path!r} must start with '/'",
                                     field="health_check_path", path=path, fix="use a path like '/api/health'")
        if credentials and "*" in origins:
            raise ConfigurationError("cors_support_credentials cannot be used with the '*' origin",
                                     field="cors_allowed_origins", path=path, fix="list the allowed origins")

    # ----- attributes --------------------------------------------------------------------
    @functools.cached_property
    def default_host_name(self) -> Expr:
        """The app's host name (``<name>.azurewebsites.net``, at deployment time; one expression per app)."""
        return self.attribute("defaultHostName")

    # ----- identities ----------------------------------------------------------------------
    def add_user_assigned_identity(self, identity: Resource) -> None:
        """Attach a user-assigned identity (once; the system-assigned identity stays)."""
        if identity in self.attached_identities:
            return
        self.attached_identities.append(identity)
        block = dict(self.identity or {"type": "None"})
        attached = dict(block.get("userAssignedIdentities", {}))
        attached[identity.resource_id] = {}
        kinds = ["SystemAssigned"] if "SystemAssigned" in str(block["type"]) else []
        self.identity = {"type": ", ".join([*kinds, "UserAssigned"]), "userAssignedIdentities": attached}

    def use_key_vault_reference_identity(self, identity: Resource) -> None:
        """Resolve Key Vault references with ``identity`` (``keyVaultReferenceIdentity``); one per app."""
        if self.key_vault_reference_identity is not None and self.key_vault_reference_identity is not identity:
            raise ConfigurationError(
                f"the app already resolves Key Vault references with {self.key_vault_reference_identity.node.path}",
                field="key_vault_reference_identity", path=self.node.path,
                fix="give the components with secrets separate Function Apps, or share one identity")
        self.add_user_assigned_identity(identity)
        self.key_vault_reference_identity = identity

    # ----- access restrictions -------------------------------------------------------------
    @property
    def classic_host_name(self) -> str | None:
        """``<name>.azurewebsites.net`` when the name is known at synthesis: the default host name of an app
        created without a regional unique host name (atakora never asks for one), else None."""
        return f"{self.resource_name}.azurewebsites.net" if isinstance(self.resource_name, str) else None

    def restrict_to_front_door(self, front_door_id: Expr) -> None:
        """Accept requests only from Azure Front Door (service tag ``AzureFrontDoor.Backend``) carrying
        ``X-Azure-FDID: <front_door_id>`` (a profile's ``frontDoorId``); everything else gets 403.

        Front Door's health probes pass too (from the same service tag, marked ``X-FD-HealthProbe: 1``,
        a header Front Door removes from client requests). The SCM site keeps its own, open
        rules (``scmIpSecurityRestrictionsUseMain: false``) so code can still be published.
        """
        if not any(existing is front_door_id for existing in self.front_door_ids):
            self.front_door_ids.append(front_door_id)

    def _access_restrictions(self) -> dict[str, Any]:
        if not self.front_door_ids:
            return {}
        front_door = {"action": "Allow", "tag": "ServiceTag", "ipAddress": "AzureFrontDoor.Backend"}
        return {"ipSecurityRestrictions": [
                    {"name": "AllowFrontDoor", "description": "Only this program's Azure Front Door profile(s)",
                     **front_door, "priority": 100, "headers": {"x-azure-fdid": list(self.front_door_ids)}},
                    # Front Door marks its health probes (clients cannot: it strips X-FD-* from requests).
                    {"name": "AllowFrontDoorProbes", "description": "Azure Front Door health probes",
                     **front_door, "priority": 110, "headers": {"x-fd-healthprobe": ["1"]}}],
                "ipSecurityRestrictionsDefaultAction": "Deny",
                "scmIpSecurityRestrictionsUseMain": False}

    # ----- code ------------------------------------------------------------------------------
    def run_from_package_url(self, url: str | Expr, *, identity: Resource | None = None) -> None:
        """Run the app from the zip at ``url``, a private blob read with a managed identity (Elastic Premium
        and dedicated plans; Flex Consumption has ``deployment_storage`` instead).

        Sets ``WEBSITE_RUN_FROM_PACKAGE`` to the URL and ``WEBSITE_RUN_FROM_PACKAGE_BLOB_MI_RESOURCE_ID`` to
        ``identity``'s resource id (a user-assigned identity, attached here) or ``SystemAssigned`` (default).
        The identity needs Storage Blob Data Reader on the blob; after a new package is uploaded the app is
        restarted and its triggers synced (``atakora deploy`` does both).
        """
        if self.plan.is_flex_consumption:
            raise ConfigurationError("Flex Consumption apps do not run from a package URL", field="app_settings",
                                     path=self.node.path, fix="use deployment_storage (functionAppConfig) instead")
        if identity is not None:
            self.add_user_assigned_identity(identity)
        elif self.identity is None or "SystemAssigned" not in str(self.identity.get("type", "")):
            raise ConfigurationError("the package URL is read with the system-assigned identity, which is off",
                                     field="system_assigned_identity", path=self.node.path,
                                     fix="keep system_assigned_identity=True or pass identity=<user-assigned>")
        self.add_app_setting(RUN_FROM_PACKAGE_SETTING, url)
        self.add_app_setting(RUN_FROM_PACKAGE_IDENTITY_SETTING,
                             identity.resource_id if identity is not None else "SystemAssigned")

    # ----- app settings --------------------------------------------------------------------
    @property
    def app_settings(self) -> dict[str, str | Expr]:
        """The app settings added so far (a copy)."""
        return dict(self._settings())

    def add_app_setting(self, name: str, value: str | Expr) -> None:
        """Add an app setting (an environment variable); a name may be added once (case-insensitive)."""
        if not name or not isinstance(name, str):
            raise ConfigurationError("an app setting needs a name", field="app_settings", path=self.node.path,
                                     fix="pass a non-empty name")
        if not isinstance(value, (str, Expr)):
            raise ConfigurationError(f"app setting {name!r} has a {type(value).__name__} value; values are strings",
                                     field="app_settings", path=self.node.path, fix=f"pass str({value!r})")
        key = _setting_key(name)
        if key in self._app_settings:
            raise ConfigurationError(f"app setting {name!r} is already set", field="app_settings",
                                     path=self.node.path, fix="set each app setting once")
        if self.plan.is_flex_consumption and name.lower() in _FLEX_FORBIDDEN_SETTINGS:
            raise ConfigurationError(f"app setting {name!r} is not supported on Flex Consumption",
                                     field="app_settings", path=self.node.path,
                                     fix="remove it: runtime, scale and deployment are set in functionAppConfig")
        # Names are compared case-insensitively; the usual upper-case name is its own key (no second string).
        self._app_settings[key] = value
        if key != name:
            self._setting_names[key] = name

    def _settings(self) -> list[tuple[str, str | Expr]]:
        """(name, value) of the settings added, in order."""
        names = self._setting_names
        return [(names.get(key, key), value) for key, value in self._app_settings.items()]

    def _all_settings(self) -> list[dict[str, Any]]:
        settings = self._settings()
        names = {n.lower() for n, _ in settings}

        def default(name: str, value: str | Expr) -> None:
            if name.lower() not in names:
                settings.append((name, value))

        if not self.plan.is_flex_consumption:
            default("FUNCTIONS_EXTENSION_VERSION", "~4")
            default("FUNCTIONS_WORKER_RUNTIME", self.runtime)
            if isinstance(self.resource_name, str):
                # The host id defaults to the first 32 characters of the name: apps that share a storage
                # account and those characters collide (AZFD0004, the v4 host stops). Make it distinct.
                default(HOST_ID_SETTING, host_id(self.resource_name))
        if self.host_storage is not None and not any(n.startswith("azurewebjobsstorage") for n in names):
            account = self.host_storage
            default("AzureWebJobsStorage__accountName",
                    account.resource_name if isinstance(account.resource_name, str) else account.name)
            if self.identity is not None and self.identity["type"] == "UserAssigned":
                identity = self.deployment_storage_identity
                if isinstance(identity, Resource):
                    default("AzureWebJobsStorage__credential", "managedidentity")
                    default("AzureWebJobsStorage__clientId", identity.attribute("clientId"))
        return [{"name": n, "value": v} for n, v in settings]

    # ----- rendering ---------------------------------------------------------------------
    def _function_app_config(self) -> dict[str, Any]:
        storage = self.deployment_storage
        url = storage.url if isinstance(storage, BlobContainer) else storage
        identity = self.deployment_storage_identity
        auth: dict[str, Any] = {"type": "SystemAssignedIdentity"}
        if identity is not None:
            auth = {"type": "UserAssignedIdentity", "userAssignedIdentityResourceId":
                    identity.resource_id if isinstance(identity, Resource) else identity}
        scale: dict[str, Any] = {"maximumInstanceCount": self.maximum_instance_count or 100,
                                 "instanceMemoryMB": self.instance_memory_mb}
        return {"deployment": {"storage": {"type": "blobContainer", "value": url, "authentication": auth}},
                "scaleAndConcurrency": scale,
                "runtime": {"name": self.runtime, "version": self.runtime_version}}

    def _site_config(self) -> dict[str, Any]:
        config: dict[str, Any] = {"appSettings": self._all_settings(), "minTlsVersion": "1.2",
                                  "scmMinTlsVersion": "1.2", "ftpsState": "Disabled", "http20Enabled": True}
        if not self.plan.is_flex_consumption and self.plan.linux:
            config["linuxFxVersion"] = f"{_FX_NAMES[self.runtime]}|{self.runtime_version}"
        if self.always_on is not None:
            config["alwaysOn"] = self.always_on
        if self.health_check_path is not None:
            config["healthCheckPath"] = self.health_check_path
        if self.cors_allowed_origins:
            config["cors"] = {"allowedOrigins": self.cors_allowed_origins,
                              "supportCredentials": self.cors_support_credentials}
        if self.virtual_network_subnet_id is not None:
            config["vnetRouteAllEnabled"] = self.vnet_route_all_enabled
        config.update(self._access_restrictions())
        return config

    def render_properties(self) -> Mapping[str, Any]:
        """The site's ``properties``, computed from its typed fields."""
        props: dict[str, Any] = {"serverFarmId": self.plan.resource_id, "reserved": self.plan.linux,
                                 "httpsOnly": True, "publicNetworkAccess": self.public_network_access}
        if self.client_cert_mode is not None:
            props["clientCertEnabled"] = True
            props["clientCertMode"] = self.client_cert_mode
        if self.virtual_network_subnet_id is not None:
            props["virtualNetworkSubnetId"] = self.virtual_network_subnet_id
        if self.key_vault_reference_identity is not None:
            props["keyVaultReferenceIdentity"] = self.key_vault_reference_identity.resource_id
        if self.plan.is_flex_consumption:
            props["functionAppConfig"] = self._function_app_config()
        props["siteConfig"] = self._site_config()
        return props


def _setting_key(name: str) -> str:
    """A key equal for names equal case-insensitively (``lower()``); an ASCII one is upper-case, so the usual
    ``UPPER_CASE`` name is its own key."""
    lowered = name.lower()
    if not lowered.isascii():
        return lowered
    key = lowered.upper()
    return name if key == name else key  # the name itself, not an equal copy
