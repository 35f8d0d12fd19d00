"""Backend configuration (seeds 000–003): validated, with unknown fields rejected by name."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Literal

from ..arguments import deeply_nested, shown, too_deep, validating
from ..config_model import ConfigModel, after, before, convert, is_pydantic_error, model_check
from ..config_model import field as Field
from ..errors import ConfigurationError
from .providers.base import BaseProvider
from .secret_names import check_secret_names
from .service_tags import normalize_service_tag

if TYPE_CHECKING:
    from .naming import NamingConvention

__all__ = [
    "AlertingConfig",
    "AuthSetting",
    "AutoScaleConfig",
    "BackendConfig",
    "CosmosConfig",
    "EntraAuthConfig",
    "FailoverPolicy",
    "MonitoringConfig",
    "NetworkingConfig",
    "ResourceLimits",
    "parse_auth_setting",
    "parse_backend_config",
]

ConsistencyLevel = Literal["Eventual", "ConsistentPrefix", "Session", "BoundedStaleness", "Strong"]


class _Model(ConfigModel):
    """A configuration model whose bad field is a ConfigurationError naming it (not pydantic's own error).

    Nested models (validated inside an outer one) leave the error to the outermost model, which
    knows the whole path of the field.
    """

    @classmethod
    def describe_error(cls, error: Any, data: Mapping[str, Any]) -> Exception:
        return _describe(error, cls.__name__, data)


class AlertingConfig(_Model):
    """Alerts on the shared Application Insights: errors per 5 minutes and average latency in ms."""

    enabled: bool = True
    error_threshold: int = Field(default=5, ge=1)
    latency_threshold: int = Field(default=1000, ge=1, description="milliseconds")
    email_receivers: tuple[str, ...] = ()


class MonitoringConfig(_Model):
    """Log Analytics + Application Insights for the backend. Defaults: 30 days, 100% sampling."""

    enabled: bool = True
    retention_days: int = Field(default=30, ge=30, le=730)
    sampling_percentage: float = Field(default=100, gt=0, le=100)
    workspace_name: str | None = None
    alerting: AlertingConfig | None = None


class NetworkingConfig(_Model):
    """Network isolation: 'public' (default) or 'isolated' with a VNet and private endpoints.

    Isolated without ``vnet_name``: the backend creates a VNet (``address_space``, default
    10.0.0.0/16) with an integration subnet (``subnet_name``, default 'snet-functions') and a
    private-endpoint subnet (``private_endpoint_subnet_name``, default 'snet-private-endpoints').
    With ``vnet_name`` (subnets ``subnet_name``, default 'backend-subnet', and
    ``private_endpoint_subnet_name``, default 'private-endpoint-subnet'): the program's
    VirtualNetwork of that name in the backend's stack when there is one; else, with
    ``existing=True``, the VNet of that name that already exists in the stack's resource group;
    else the backend creates the VNet with that name (and the subnets and NSG as above).
    ``private_endpoints`` True (default): data services get private
    endpoints and no public access; False: service endpoints and VNet rules. ``service_tags``:
    NSG service tags the integration subnet may reach on 443 (everything else on the Internet is
    denied outbound when given; default none: no outbound restriction).
    """

    mode: Literal["public", "isolated"] = "public"
    vnet_name: str | None = None
    subnet_name: str | None = None
    private_endpoint_subnet_name: str | None = None
    private_endpoints: bool = True
    address_space: str = "10.0.0.0/16"
    service_tags: tuple[str, ...] = ()
    existing: bool = False

    @before("vnet_name", "subnet_name", "private_endpoint_subnet_name")
    @staticmethod
    def _names(value: Any) -> Any:
        return literal_name(value)

    @after("address_space")
    @staticmethod
    def _address_space(value: str) -> str:
        import ipaddress

        try:
            network = ipaddress.ip_network(value, strict=True)
        except ValueError as exc:
            raise ValueError(f"address_space must be a CIDR block such as '10.0.0.0/16' ({exc})") from None
        if network.version != 4 or network.prefixlen > 25:
            raise ValueError("address_space must be an IPv4 block of /25 or larger (two subnets of at least /27)")
        return value

    @after("service_tags")
    @staticmethod
    def _service_tags(value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(normalize_service_tag(tag) for tag in value)

    @model_check
    def _existing_needs_a_name(self) -> None:
        if self.existing and self.vnet_name is None:
            raise ValueError("existing=True references a virtual network by name; set vnet_name to its name")


class ResourceLimits(_Model):
    """Upper bounds on what the backend may create; None means unlimited (default)."""

    max_cosmos_accounts: int | None = Field(default=None, ge=1)
    max_function_apps: int | None = Field(default=None, ge=1)
    max_storage_accounts: int | None = Field(default=None, ge=1)
    max_functions_per_app: int | None = Field(default=None, ge=1)
    max_containers_per_storage: int | None = Field(default=None, ge=1)
    max_throughput_per_database: int | None = Field(default=None, ge=400)


class AutoScaleConfig(_Model):
    """Cosmos DB autoscale for provisioned throughput (RU/s).

    Containers without their own throughput get autoscale up to ``max_throughput`` (default 4000,
    in steps of 1000). Cosmos DB scales between 10% of the maximum and the maximum, so
    ``min_throughput`` (default 400) is a floor the maximum must guarantee: max >= 10 x min. With
    monitoring on, an alert fires when normalized RU consumption exceeds ``target_utilization`` percent
    (default 70): the sign to raise the maximum.
    """

    enabled: bool = True
    min_throughput: int = Field(default=400, ge=100)
    max_throughput: int = Field(default=4000, ge=1000)
    target_utilization: int = Field(default=70, ge=1, le=100)

    @model_check
    def _bounds(self) -> None:
        if self.max_throughput % 1000:
            raise ValueError("max_throughput must be a multiple of 1000 (Cosmos autoscale steps)")
        if self.max_throughput // 10 < self.min_throughput:
            raise ValueError(
                f"Cosmos DB autoscale scales down to 10% of max_throughput ({self.max_throughput // 10} RU/s), below "
                f"min_throughput {self.min_throughput}; set max_throughput to at least {self.min_throughput * 10}")


class FailoverPolicy(_Model):
    """A Cosmos region and its failover priority (0 = write region)."""

    location_name: str
    priority: int = Field(ge=0)

    @after("location_name")
    @staticmethod
    def _region(value: str) -> str:
        return cosmos_region(value)


def cosmos_region(value: str) -> str:
    """``value`` when it names an Azure region ('eastus' or Cosmos DB's 'East US'), else ValueError."""
    from ..core.regions import REGIONS, region_problem

    if value.replace(" ", "").lower() in REGIONS:
        return value
    problem = region_problem(value)
    if problem:
        raise ValueError(problem)
    return value


class CosmosConfig(_Model):
    """Backend-wide Cosmos DB settings (seed 003 examples 2 and 8).

    ``failover_policies``: the account's regions (priority 0 writes); ``enable_multi_region``
    (default False): every region accepts writes. ``use_existing`` with ``account_name`` (and
    ``resource_group_name`` when it lives in another resource group of the subscription): no
    account is created; databases, containers and data-plane role assignments are deployed into
    the existing account. ``read_location``: the region the apps read from first
    (``COSMOS_PREFERRED_LOCATIONS``).
    """

    enable_multi_region: bool = False
    failover_policies: tuple[FailoverPolicy, ...] = ()
    consistency_level: ConsistencyLevel | None = None
    enable_automatic_failover: bool = False
    use_existing: bool = False
    account_name: str | None = None

    @before("account_name")
    @staticmethod
    def _account_name(value: Any) -> Any:
        return literal_name(value)
    resource_group_name: str | None = None
    read_location: str | None = None

    @after("read_location")
    @staticmethod
    def _read_location(value: str | None) -> str | None:
        return cosmos_region(value) if value is not None else None
    shared_throughput: int | None = Field(default=None, ge=400, multiple_of=100)
    """RU/s of each manual shared-throughput database (default: the largest throughput its components ask for)."""
    shared_autoscale_max_throughput: int | None = Field(default=None, ge=1000, multiple_of=1000)
    """Autoscale maximum RU/s of each autoscale shared database (default: the largest maximum asked for)."""

    @model_check
    def _existing(self) -> None:
        if self.use_existing and not self.account_name:
            raise ValueError("use_existing needs account_name (the existing Cosmos account to use)")
        priorities = [p.priority for p in self.failover_policies]
        if len(set(priorities)) != len(priorities):
            raise ValueError("failover_policies priorities must be distinct")
        if self.failover_policies and 0 not in priorities:
            raise ValueError("one failover policy needs priority 0 (the write region)")
        regions = [p.location_name.replace(" ", "").lower() for p in self.failover_policies]
        if len(set(regions)) != len(regions):
            raise ValueError("failover_policies name a region twice; list each region once")
        if self.enable_multi_region and len(self.failover_policies) < 2:
            raise ValueError("enable_multi_region (multi-region writes) needs failover_policies with two or more "
                             "regions")
        if self.enable_multi_region and self.consistency_level == "Strong":
            raise ValueError("Strong consistency cannot be used with multi-region writes; choose 'Session' or "
                             "'BoundedStaleness', or set enable_multi_region=False")
        if self.use_existing and (self.failover_policies or self.enable_multi_region or self.consistency_level
                                  or self.enable_automatic_failover):
            raise ValueError("use_existing reuses an account as it is; failover_policies, enable_multi_region, "
                             "consistency_level and enable_automatic_failover belong to the backend that owns it")
        if not self.use_existing and (self.account_name or self.resource_group_name):
            raise ValueError("account_name and resource_group_name name an existing account; set use_existing=True")


class EntraAuthConfig(_Model):
    """Microsoft Entra ID in front of the Function App (App Service Authentication, ``authsettingsV2``).

    ``tenant_id`` and ``client_id``: the directory and the app registration of the API (GUIDs).
    ``allowed_tenants`` (default: only ``tenant_id``): directories whose users may call; naming
    others makes the app multi-tenant (the ``organizations`` issuer, tenant checked by the
    generated code); ``['*']``: any organizational directory. ``allowed_audiences`` (default ``api://<client_id>`` and ``<client_id>``):
    accepted token audiences. ``allowed_client_applications`` (default: any): client ids of the
    apps that may call. ``excluded_paths``: extra paths served without a token (health routes
    always are), e.g. a public OpenAPI document.
    """

    provider: Literal["entra"] = "entra"
    tenant_id: str
    client_id: str
    allowed_tenants: tuple[str, ...] = ()
    allowed_audiences: tuple[str, ...] = ()
    allowed_client_applications: tuple[str, ...] = ()
    excluded_paths: tuple[str, ...] = ()

    @after("tenant_id", "client_id")
    @staticmethod
    def _guid(value: str, info: Any) -> str:
        from ..resources.web_auth import is_guid

        if not is_guid(value):
            raise ValueError(f"{info.field_name} must be a GUID from the app registration's Overview page in the "
                             "Microsoft Entra admin center")
        return value

    @after("allowed_tenants", "allowed_client_applications")
    @staticmethod
    def _guids(value: tuple[str, ...], info: Any) -> tuple[str, ...]:
        from ..resources.web_auth import is_guid

        if info.field_name == "allowed_tenants" and "*" in value:
            if len(value) > 1:
                raise ValueError("allowed_tenants ['*'] already allows every directory; list no tenant ids with it")
            return value
        bad = [v for v in value if not is_guid(v)]
        if bad:
            raise ValueError(f"{info.field_name} must be GUIDs (tenant or application ids), not {bad}")
        return value

    @after("excluded_paths")
    @staticmethod
    def _paths(value: tuple[str, ...]) -> tuple[str, ...]:
        bad = [p for p in value if not p.startswith("/")]
        if bad:
            raise ValueError(f"excluded_paths must start with '/' (e.g. '/api/openapi.json'), not {bad}")
        return value

    @property
    def all_tenants(self) -> tuple[str, ...]:
        """Every tenant that may call (``tenant_id`` first); empty when any directory may (``['*']``)."""
        if "*" in self.allowed_tenants:
            return ()
        return tuple(dict.fromkeys((self.tenant_id, *self.allowed_tenants)))


AuthSetting = EntraAuthConfig | Literal["function", "anonymous"]
"""How callers authenticate: Entra ID tokens, function keys ('function', the default) or nothing ('anonymous')."""


def _auth_value(value: Any) -> Any:
    if value == "entra":
        raise ValueError("auth='entra' needs the app registration: pass auth={'provider': 'entra', 'tenant_id': "
                         "'<guid>', 'client_id': '<guid>'}")
    if isinstance(value, Mapping) and "provider" not in value:
        raise ValueError("auth needs 'provider': 'entra' (the only identity provider supported)")
    return value


class BackendConfig(_Model):
    """Everything a backend can be configured with. Defaults: environment 'dev', location 'eastus'."""

    environment: str = "dev"
    location: str = "eastus"
    backend_id: str | None = None
    monitoring: MonitoringConfig | None = None
    networking: NetworkingConfig = NetworkingConfig()
    naming: Any = None
    tags: dict[str, str] = Field(default_factory=dict)
    providers: tuple[Any, ...] = ()
    limits: ResourceLimits = ResourceLimits()
    enforce_https: bool = True
    use_managed_identity: bool = True
    auto_scale: AutoScaleConfig | None = None
    cosmos_config: CosmosConfig | None = None
    auth: AuthSetting = "function"
    """Authentication of every Function App (a CrudApi may override it with ``auth=``)."""
    cors: Any = None
    """CORS of every Function App: ``{"allowed_origins": [...], "support_credentials": bool}`` (a CrudApi may
    override it with ``cors=``); rendered to ``siteConfig.cors`` and honoured by ``atakora dev``."""
    rules: tuple[Any, ...] = ()
    """Your own preflight rules (``atakora.rules.Rule``), run in every synthesis of the App (default none)."""

    secrets: tuple[str, ...] = ()
    """Secrets every component may read (Key Vault references as app settings, set with `atakora secrets set`)."""
    identity: Literal["per-component", "shared"] = "per-component"
    """'per-component' (default): each component's code uses its own user-assigned identity with only
    its own data roles; 'shared': one identity for every component of the backend (fewer objects, but
    each component can then reach every other component's data)."""

    @before("secrets")
    @staticmethod
    def _secrets(value: Any) -> Any:
        try:
            return check_secret_names("backend", value)
        except ConfigurationError as error:
            raise ValueError(f"{error.detail}; {error.fix}") from None

    @before("auth")
    @staticmethod
    def _auth(value: Any) -> Any:
        return _auth_value(value)

    @before("monitoring")
    @staticmethod
    def _monitoring(value: Any) -> Any:
        if isinstance(value, bool):
            return MonitoringConfig() if value else None
        if isinstance(value, Mapping) and value.get("enabled") is False:
            return None
        if isinstance(value, MonitoringConfig) and not value.enabled:
            return None
        return value

    @before("networking")
    @staticmethod
    def _networking(value: Any) -> Any:
        if value is None:
            return NetworkingConfig()
        if isinstance(value, str):
            return {"mode": value}
        return value

    @before("auto_scale")
    @staticmethod
    def _auto_scale(value: Any) -> Any:
        if isinstance(value, bool):
            return AutoScaleConfig() if value else None
        if isinstance(value, Mapping) and value.get("enabled") is False:
            return None
        return value

    @after("location")
    @staticmethod
    def _location(value: str) -> str:
        from ..core.regions import region_problem

        problem = region_problem(value)
        if problem:
            raise ValueError(problem)
        return value

    @after("tags")
    @staticmethod
    def _tags(value: dict[str, str]) -> dict[str, str]:
        from ..core.tags import MAX_TAGS, tag_problem

        problem = tag_problem(value)
        if problem is None and len(value) > MAX_TAGS - 3:
            problem = f"{len(value)} tags; with environment, managed-by and atakora-components at most {MAX_TAGS - 3}"
        if problem:
            raise ValueError(problem)
        return value

    @model_check
    def _atakora_tags(self) -> None:
        """The tags atakora sets itself are not silently replaced: a different user value is an error."""
        for name, value in self.tags.items():
            key = name.lower()
            if key == "environment" and value == self.environment:
                continue
            if key in ("environment", "managed-by", "atakora-components"):
                what = (f"the backend's environment ({self.environment!r}); set environment= instead"
                        if key == "environment" else "atakora's own value; remove it")
                raise ValueError(f"tags: tag {name!r} is set by atakora on every resource to {what}")

    @after("enforce_https", "use_managed_identity")
    @staticmethod
    def _secure_only(value: bool, info: Any) -> bool:
        if not value:
            what = ("every endpoint atakora creates is HTTPS only (TLS 1.2)" if info.field_name == "enforce_https"
                    else "atakora grants access through managed identities and never writes keys or "
                    "connection strings")
            raise ValueError(f"{info.field_name}=False is not supported: {what}; remove the setting")
        return value

    @after("backend_id")
    @staticmethod
    def _backend_id(value: str | None) -> str | None:
        if value is not None and (not value or not value.isascii() or not value.replace("-", "").isalnum()):
            raise ValueError("backend_id must be ASCII letters, digits and '-' (for example 'shop'); it is part of "
                             "every resource name")
        return value

    @after("environment")
    @staticmethod
    def _environment(value: str) -> str:
        if not value or not value.replace("-", "").replace("_", "").isalnum() or not value.isascii():
            raise ValueError("environment must be ASCII letters, digits, '-' or '_' (for example 'prod')")
        return value

    @after("naming")
    @staticmethod
    def _naming(value: Any) -> Any:
        if isinstance(value, Mapping) and set(value) <= {"format_resource_name", "formatResourceName"} and value:
            value = next(iter(value.values()))
        if value is None or callable(value) or hasattr(value, "format_resource_name"):
            return value
        raise ValueError("naming must be a NamingConvention or a function (resource_type, backend_id, suffix) -> str")

    @after("providers")
    @staticmethod
    def _providers(value: tuple[Any, ...]) -> tuple[Any, ...]:
        for provider in value:
            if not isinstance(provider, BaseProvider):
                raise ValueError(f"{provider!r} is not a provider; subclass atakora.backend.BaseProvider")  # noqa: TRY004
        return value

    @after("rules")
    @staticmethod
    def _rules(value: tuple[Any, ...]) -> tuple[Any, ...]:
        from ..rules import Rule

        for rule in value:
            if not isinstance(rule, Rule):
                raise ValueError(f"{rule!r} is not a preflight rule; make one with @atakora.rules.rule(...)")  # noqa: TRY004
        return value

    @property
    def naming_convention(self) -> NamingConvention:
        """The naming convention in force (the default one when none was given)."""
        from .naming import CustomNamingConvention, DefaultNamingConvention

        if self.naming is None or isinstance(self.naming, (DefaultNamingConvention, CustomNamingConvention)):
            return self.naming or DefaultNamingConvention(self.environment)
        if hasattr(self.naming, "format_resource_name"):
            method: Callable[[str, str, str | None], str] = self.naming.format_resource_name
            return CustomNamingConvention(method, label=f"{type(self.naming).__name__}.format_resource_name")
        function: Callable[[str, str, str | None], str] = self.naming
        return CustomNamingConvention(function)


def literal_name(value: Any) -> Any:
    """A resource's literal name from the resource or its ``.name`` expression (``vnet.name``); else ``value``."""
    from ..core.expressions import ResourceNameExpr
    from ..core.resource import Resource

    resource = value.resource if isinstance(value, ResourceNameExpr) else value
    if isinstance(resource, Resource):
        if not isinstance(resource.resource_name, str):
            raise ValueError(f"the name of {resource.node.path} is computed at deployment; pass a literal name")  # noqa: TRY004
        return resource.resource_name
    return value


def _union_errors(error: Any) -> list[Any]:
    """The errors of the union member that fits the input (an ``auth`` dict or string), branch names removed."""
    kept = []
    for item in error.errors():
        loc = item["loc"]
        branch = next((str(p) for p in loc if str(p) in ("EntraAuthConfig",) or str(p).startswith("literal[")), None)
        if branch is not None:
            depth = [str(p) for p in loc].index(branch)
            given = item.get("input")
            is_dict_branch = branch == "EntraAuthConfig"
            if depth == len(loc) - 1:  # the error is about the whole value
                if is_dict_branch != isinstance(given, Mapping):
                    continue
            elif not is_dict_branch:
                continue
            item = {**item, "loc": tuple(p for p in loc if str(p) != branch)}
        kept.append(item)
    return kept


def _describe(error: Any, where: str, fields: Mapping[str, Any] | None = None) -> ConfigurationError:
    from ..arguments import configuration_error

    backend_id = (fields or {}).get("backend_id")
    path = where or (f"backend {backend_id}" if isinstance(backend_id, str) else "backend")
    nested: dict[str, type[ConfigModel]] = {
        "monitoring": MonitoringConfig, "networking": NetworkingConfig, "limits": ResourceLimits,
        "auto_scale": AutoScaleConfig, "cosmos_config": CosmosConfig, "alerting": AlertingConfig,
        "auth": EntraAuthConfig, "failover_policies": FailoverPolicy}
    owners: dict[str, Mapping[str, Any]] = {}
    for item in _union_errors(error):
        loc = [str(p) for p in item["loc"]][:-1]
        model: type[ConfigModel] = BackendConfig
        for part in loc:
            model = nested.get(part, model)
        owners[".".join(loc)] = model.model_fields_spec()
    return configuration_error(_union_errors(error), path=path, what="the backend configuration",
                               fields=BackendConfig.model_fields_spec(), owners=owners)


def parse_backend_config(config: BackendConfig | None, fields: Mapping[str, Any], *, where: str = "") -> BackendConfig:
    """Build a BackendConfig from ``config=`` and/or keyword fields; errors name the field and the fix."""
    if config is not None and not isinstance(config, BackendConfig):
        raise ConfigurationError(f"config must be a BackendConfig, got {shown(config)}", field="config", path=where,
                                 fix="pass config=BackendConfig(environment='prod', ...), or give the same options "
                                     "as keywords (define_backend(components, environment='prod', ...))")
    try:
        if config is not None and not fields:
            return config
        given = {name: getattr(config, name) for name in config.model_fields_set} if config is not None else {}
        with validating():
            return BackendConfig(**{**given, **fields})
    except RecursionError:
        if deeply_nested(fields.values()):
            raise too_deep(where or "the backend configuration") from None
        raise
    except ValueError as error:
        if not is_pydantic_error(error):
            raise
        raise _describe(error, where, {**given, **fields}) from None


def parse_auth_setting(value: Any, *, where: str) -> AuthSetting:
    """Check a component's ``auth=`` override like the backend's; errors name the field and the fix."""
    try:
        with validating():
            setting: AuthSetting = convert(AuthSetting, _auth_value(value))
            return setting
    except ValueError as error:
        problems = ([f"{'.'.join(str(p) for p in e['loc']) or 'auth'}: {e['msg']}" for e in _union_errors(error)]
                    if is_pydantic_error(error) else [str(error)])
        raise ConfigurationError("invalid auth: " + "; ".join(problems), field="auth", path=where,
                                 fix="use auth='function', auth='anonymous' or auth={'provider': 'entra', "
                                 "'tenant_id': '<guid>', 'client_id': '<guid>'}") from None
