"""CrudApi: an entity stored in Cosmos DB behind generated Python Azure Functions (seeds 000–002)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from ..arguments import did_you_mean, options, validated
from ..backend.component import ComponentDefinition, ResourceMap
from ..backend.config import AuthSetting, EntraAuthConfig, parse_auth_setting
from ..backend.cors import CorsPolicy
from ..backend.planner import SHARED_KEY
from ..backend.providers.cosmos import SharedCosmos
from ..backend.providers.functions import SharedFunctionApp
from ..backend.providers.secrets import check_secret_names
from ..backend.requirements import (
    ContainerRequirement,
    CosmosRequirementConfig,
    DatabaseRequirement,
    FunctionsRequirementConfig,
    ResourceRequirement,
    StorageRequirementConfig,
)
from ..backend.validation import ValidationResult
from ..core.construct import Construct
from ..core.expressions import Expr, concat, named
from ..errors import ConfigurationError
from ..resources.managedidentity import UserAssignedIdentity
from ..runtime.access import DEFAULT_OWNER_FIELD, normalize_roles
from ..runtime.partition import PartitionKeyPath
from ..runtime.query import QueryFields, composite_indexes, unindexed_fields
from ..runtime.schema import EntitySchema
from ..runtime.settings import default_settings_prefix
from ..runtime.spec import ALL_OPERATIONS, Operation
from ._base import Component
from .codegen import check_component_id, crud_spec

__all__ = ["CacheConfig", "CrudApi", "CrudApiConfig", "HealthCheckConfig"]

READ_ONLY = frozenset({"read", "list"})
_INDEXING_KEYS = frozenset({"indexingMode", "automatic", "includedPaths", "excludedPaths", "compositeIndexes",
                            "spatialIndexes", "vectorIndexes"})
"""The properties of a Cosmos DB container's ARM ``indexingPolicy``."""
_HOST_STORAGE = StorageRequirementConfig()
"""What every CrudApi needs from Storage: the Function App host's account (one frozen value for all)."""


@dataclass(frozen=True)
class HealthCheckConfig:
    """The Function App's health check on this API's health route.

    ``path`` (default '/health', under the API's route) answers 200 when the store answers within
    ``timeout`` seconds (default 10). App Service probes every ``interval`` = 60 seconds (fixed by
    the platform) and replaces an instance after ``unhealthy_threshold`` failed probes (2-10,
    default 3; the app setting WEBSITE_HEALTHCHECK_MAXPINGFAILURES).
    """

    path: str = "/health"
    interval: int = 60
    timeout: int = 10
    unhealthy_threshold: int = 3


@dataclass(frozen=True)
class CacheConfig:
    """Response caching for reads: ``ttl`` seconds of ``Cache-Control: max-age`` (default off)."""

    enabled: bool = False
    ttl: int = 300


_D = TypeVar("_D")


def _unset() -> None:
    return None


@dataclass(frozen=True)
class CrudApiConfig:
    """Everything a CrudApi is configured with (see ``CrudApi.define``)."""

    entity_name: str
    schema: Mapping[str, Any]
    partition_key: str = "/id"
    ttl: int | None = None
    operations: tuple[Operation, ...] = ALL_OPERATIONS
    enable_serverless: bool = True
    throughput: int | None = None
    autoscale: bool = False
    cache: CacheConfig | None = None
    health_check: HealthCheckConfig | None = None
    database_name: str | None = None
    container_name: str | None = None
    dedicated_throughput: bool = False
    unique_keys: tuple[tuple[str, ...], ...] = ()
    indexing_policy: Mapping[str, Any] | None = None
    route_prefix: str | None = None
    priority: int = 10
    auth: AuthSetting | None = None
    """None: the backend's ``auth``."""
    cors: Any = None
    """A :class:`~atakora.backend.cors.CorsPolicy` (None: the backend's ``cors``)."""
    tenant_claim: str | None = None
    owner_claim: str | None = None
    owner_field: str = DEFAULT_OWNER_FIELD
    roles: Mapping[str, tuple[str, ...]] | None = None
    secrets: tuple[str, ...] = ()
    """App settings read from the backend's Key Vault with this API's identity."""

    # Derived values, computed once. Set (to None) by __init__ like the fields: attributes added later,
    # in varying order, would turn each instance's compact attribute storage into a full dict.
    _database: str | None = field(default_factory=_unset, init=False, repr=False, compare=False)
    _container: str | None = field(default_factory=_unset, init=False, repr=False, compare=False)
    _route: str | None = field(default_factory=_unset, init=False, repr=False, compare=False)
    _schema: EntitySchema | None = field(default_factory=_unset, init=False, repr=False, compare=False)

    def _derived(self, attribute: str, compute: Callable[[], _D]) -> _D:
        """The value kept in ``attribute``, computed by ``compute`` on first use."""
        value: _D | None = getattr(self, attribute)
        if value is None:
            value = compute()
            object.__setattr__(self, attribute, value)
        return value

    @property
    def resolved_database(self) -> str:
        """The database name (default ``<entity>-db``, as in seed 000)."""
        return self._derived("_database", lambda: self.database_name or f"{self.entity_name.lower()}-db")

    @property
    def resolved_container(self) -> str:
        """The container name (default: the entity name in lower case)."""
        return self._derived("_container", lambda: self.container_name or self.entity_name.lower())

    @property
    def resolved_route(self) -> str:
        """The route prefix (default: the plural of the entity name in kebab case, e.g. 'audit-logs')."""
        return self._derived("_route", lambda: self.route_prefix or _plural(_kebab(self.entity_name)))

    @property
    def entity_schema(self) -> EntitySchema:
        """``schema`` parsed (raises ValueError; :func:`_check` turns it into a ConfigurationError)."""
        return self._derived("_schema", lambda: EntitySchema.from_spec(self.schema))


def _kebab(name: str) -> str:
    out = []
    for i, ch in enumerate(name):
        if ch.isupper() and i and not name[i - 1].isupper():
            out.append("-")
        out.append(ch.lower())
    return "".join(out).replace("_", "-")


def _plural(word: str) -> str:
    if word.endswith(("data", "info", "s")) and not word.endswith(("ss",)):
        return word if not word.endswith("ss") else word + "es"
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith(("x", "z", "ch", "sh", "ss")):
        return word + "es"
    return word + "s"


def _check(component_id: str, config: CrudApiConfig) -> None:
    def fail(field: str, message: str, fix: str) -> None:
        raise ConfigurationError(message, field=field, path=component_id, fix=fix)

    if not config.entity_name or not config.entity_name.replace("_", "").isalnum():
        fail("entity_name", f"entity_name {config.entity_name!r} must be letters and digits",
             "use a name such as 'User' or 'AuditLog'")
    try:
        schema = config.entity_schema
    except ValueError as error:
        raise ConfigurationError(f"schema: {error}", field="schema", path=component_id,
                                 fix=getattr(error, "fix", "map each field to 'string', 'number', 'boolean', "
                                             "'timestamp', 'array', 'object' or {'type': ..., 'required': True}")
                                 ) from None
    unknown_ops = [op for op in config.operations if op not in ALL_OPERATIONS]
    if unknown_ops or not config.operations:
        fail("operations", f"operations {list(config.operations)!r} must be a non-empty subset of "
             f"{list(ALL_OPERATIONS)}", "list the operations the API offers, e.g. ['read', 'list']")
    pk = config.partition_key
    if not pk.startswith("/") or pk == "/":
        fail("partition_key", f"partition_key {pk!r} must be a path such as '/id' or '/category'",
             "start the path with '/'")
    top = pk.strip("/").split("/")[0]
    if top != "id" and top not in schema.fields:
        fail("partition_key", f"partition_key {pk!r} names field {top!r}, which is not in the schema",
             f"add {top!r} to the schema or choose a partition key from it: {', '.join(schema.fields)}")
    for key in config.unique_keys:
        for path in key:
            if path.strip("/").split("/")[0] not in (*schema.fields, "id"):
                fail("unique_keys", f"unique key path {path!r} is not a schema field", "use paths of schema fields")
    if config.ttl is not None and config.ttl > 2**31 - 1:
        fail("ttl", f"ttl {config.ttl} is larger than Cosmos DB's 32-bit limit ({2**31 - 1} seconds)",
             "use at most 2147483647 seconds, or -1 for no default expiry")
    unknown_index = sorted(set(config.indexing_policy or {}) - _INDEXING_KEYS)
    if unknown_index:
        hint = did_you_mean(unknown_index[0], sorted(_INDEXING_KEYS))
        fail("indexing_policy", f"indexing_policy has unknown key(s) {unknown_index}{hint}; Cosmos DB would ignore "
             "them", f"use only {', '.join(sorted(_INDEXING_KEYS))}")
    if config.ttl is not None and (config.ttl == 0 or config.ttl < -1):
        fail("ttl", f"ttl {config.ttl} must be -1 (on, no default) or a positive number of seconds",
             "set ttl=86400 for one day, or leave it out")
    if config.throughput is not None:
        if config.enable_serverless:
            fail("throughput", "throughput needs a provisioned account but enable_serverless is True",
                 "set enable_serverless=False, or remove throughput to stay serverless")
        step = 1000 if config.autoscale else 100
        low = 1000 if config.autoscale else 400
        if config.throughput < low or config.throughput % step:
            fail("throughput", f"throughput {config.throughput} must be at least {low} RU/s in steps of {step}"
                 f"{' (autoscale maximum)' if config.autoscale else ''}", f"use {low} or a multiple of {step}")
    if config.cache is not None and not 1 <= config.cache.ttl <= 86400:
        fail("cache.ttl", f"cache.ttl is {config.cache.ttl}; use 1-86400 seconds", "set cache={'enabled': True, 'ttl': 300}")
    health = config.health_check
    if health is not None:
        if health.interval != 60:
            fail("health_check.interval", f"health_check.interval is {health.interval}, but App Service probes "
                 "health every 60 seconds and cannot be changed", "remove interval (or set 60)")
        if not 2 <= health.unhealthy_threshold <= 10:
            fail("health_check.unhealthy_threshold", f"health_check.unhealthy_threshold is "
                 f"{health.unhealthy_threshold}; App Service accepts 2-10 failed probes", "set a value from 2 to 10")
        if not 1 <= health.timeout <= 60:
            fail("health_check.timeout", f"health_check.timeout is {health.timeout}; use 1-60 seconds",
                 "set timeout=10")
        if not health.path.startswith("/") or " " in health.path:
            fail("health_check.path", f"health_check.path {health.path!r} must start with '/'", "use '/health'")
    if config.autoscale and config.throughput is None:
        fail("autoscale", "autoscale needs throughput (the autoscale maximum in RU/s)", "set throughput=4000")


class CrudApi(Component):
    """A REST API over one entity: Cosmos container + generated functions in the (shared) Function App.

    In a backend use ``CrudApi.define(id, ...)``; ``CrudApi(scope, id, ...)`` creates its own
    dedicated Cosmos account, Function App and Storage account (the traditional baseline).
    """

    config: CrudApiConfig

    component_type = "CrudApi"

    @validated
    def __init__(self, scope: Construct, id: str, *, entity_name: str, schema: Mapping[str, str | Mapping[str, Any]],
                 partition_key: str = "/id", ttl: int | None = None, operations: Sequence[Operation] = ALL_OPERATIONS,
                 enable_serverless: bool = True, throughput: int | None = None, autoscale: bool = False,
                 cache: CacheConfig | Mapping[str, Any] | None = None,
                 health_check: HealthCheckConfig | Mapping[str, Any] | None = None,
                 database_name: str | None = None, container_name: str | None = None,
                 unique_keys: str | Sequence[str | Sequence[str]] = (), indexing_policy: Mapping[str, Any] | None = None,
                 route_prefix: str | None = None, priority: int = 10, auth: AuthSetting | Mapping[str, Any] | None = None,
                 tenant_claim: str | None = None, owner_claim: str | None = None,
                 owner_field: str = DEFAULT_OWNER_FIELD, roles: Mapping[str, Sequence[str]] | None = None,
                 secrets: Sequence[str] = (), cors: Mapping[str, Any] | None = None) -> None:
        config = _make_config(id, locals())
        self._build_standalone(scope, id, config)

    def _setup(self) -> None:
        self._settings_prefix: str | None = None
        self._endpoint: Expr | None = None
        self.cosmos: SharedCosmos | None = None
        self.functions: SharedFunctionApp | None = None
        self.identity: UserAssignedIdentity | None = None


    @classmethod
    @validated
    def define(cls, id: str, *, entity_name: str, schema: Mapping[str, str | Mapping[str, Any]], partition_key: str = "/id",
               ttl: int | None = None, operations: Sequence[Operation] = ALL_OPERATIONS, enable_serverless: bool = True,
               throughput: int | None = None, autoscale: bool = False,
               cache: CacheConfig | Mapping[str, Any] | None = None,
               health_check: HealthCheckConfig | Mapping[str, Any] | None = None, database_name: str | None = None,
               container_name: str | None = None, unique_keys: str | Sequence[str | Sequence[str]] = (),
               indexing_policy: Mapping[str, Any] | None = None, route_prefix: str | None = None,
               priority: int = 10, auth: AuthSetting | Mapping[str, Any] | None = None,
               tenant_claim: str | None = None, owner_claim: str | None = None,
               owner_field: str = DEFAULT_OWNER_FIELD,
               roles: Mapping[str, Sequence[str]] | None = None, previous_ids: Sequence[str] = (),
               protect: bool = False, secrets: Sequence[str] = (),
               dedicated_throughput: bool = False,
               cors: Mapping[str, Any] | None = None) -> ComponentDefinition[CrudApi]:
        """Define a CrudApi for a backend.

        Defaults: partition key '/id', all five operations, serverless Cosmos, no TTL, database
        '<entity>-db', container '<entity>', route '<entities>'. ``throughput`` (RU/s) needs
        ``enable_serverless=False``; with ``autoscale=True`` it is the autoscale maximum. Provisioned
        throughput without ``database_name`` goes into a shared-throughput database of the backend
        (manual and autoscale apart; see ``atakora.backend.cosmos_sharing``);
        ``dedicated_throughput=True`` keeps the API's own database and container throughput (a noisy
        or critical container).

        ``auth`` (default: the backend's) is 'function' (function keys), 'anonymous' or
        ``{'provider': 'entra', 'tenant_id': ..., 'client_id': ...}``. With Entra ID:
        ``tenant_claim='tid'`` confines each caller to the partition named by its tenant (the
        partition key must be a string field such as '/tenantId'); ``owner_claim='oid'`` stores the
        caller in ``owner_field`` (default 'ownerId', a string schema field) and shows each caller
        only its own items; ``roles={'delete': ['Admin']}`` lets only those app roles run an operation.
        ``previous_ids`` (default none): ids the component was deployed with; it keeps the first one's
        identity in Azure (tags, app settings), so a rename changes nothing there. ``protect`` (default
        False): refuse any deployment that loses its data, even with ``--allow-data-loss``.
        """
        return cls._definition(id, _make_config(id, locals()), previous_ids=previous_ids, protect=protect)

    # ----- component protocol --------------------------------------------------------------
    @property
    def settings_prefix(self) -> str:
        """Prefix of this component's app settings ('UserApi' → 'USER_API')."""
        if self._settings_prefix is None:
            self._settings_prefix = default_settings_prefix(self.component_id)
        return self._settings_prefix

    def get_requirements(self) -> Sequence[ResourceRequirement]:
        """Cosmos (database + container), Functions (its routes) and Storage (the host's)."""
        c = self.config
        autoscale_max = c.throughput if c.autoscale else None
        container = ContainerRequirement(
            name=c.resolved_container, partition_key=c.partition_key, ttl=c.ttl, unique_keys=c.unique_keys,
            indexing_policy=_indexing_policy(c), throughput=None if c.autoscale else c.throughput,
            autoscale_max_throughput=autoscale_max)
        prefix = self.settings_prefix
        settings = {f"{prefix}_STORE": "cosmos", f"{prefix}_DATABASE_NAME": c.resolved_database,
                    f"{prefix}_CONTAINER_NAME": c.resolved_container}
        health = c.health_check
        health_path = f"/api/{c.resolved_route}/{health.path.strip('/')}" if health else None
        return [
            ResourceRequirement("cosmos", SHARED_KEY, CosmosRequirementConfig(
                enable_serverless=c.enable_serverless,
                databases=(DatabaseRequirement(c.resolved_database, (container,)),)), c.priority,
                component_id=self.component_id,
                shares_throughput=(not c.dedicated_throughput and c.database_name is None and not c.enable_serverless
                                   and c.throughput is not None)),
            ResourceRequirement("functions", SHARED_KEY, FunctionsRequirementConfig(
                runtime="python", version="3.11", environment_variables=settings,
                function_count=len(c.operations) + 1, routes=(c.resolved_route,),
                health_check_paths=(health_path,) if health_path else (),
                health_routes=(health_path or f"/api/{c.resolved_route}/health",),
                health_check_max_ping_failures=health.unhealthy_threshold if health else None, auth=c.auth, cors=c.cors,
                secret_owner=self.component_id if c.secrets else None),
                c.priority,
                component_id=self.component_id),
            ResourceRequirement("storage", SHARED_KEY, _HOST_STORAGE, c.priority,
                                component_id=self.component_id),
        ]

    def validate_resources(self, resources: ResourceMap) -> ValidationResult:
        """The injected Cosmos and Functions resources are there and hold this API's container."""
        errors = []
        cosmos = resources.get(f"cosmos:{SHARED_KEY}")
        if not isinstance(cosmos, SharedCosmos):
            errors.append(f"no Cosmos DB account was injected for {self.component_id}")
        elif (cosmos.database_of(self.component_id, self.config.resolved_database),
              self.config.resolved_container) not in cosmos.containers:
            errors.append(f"the shared Cosmos account lacks container "
                          f"{cosmos.database_of(self.component_id, self.config.resolved_database)}/"
                          f"{self.config.resolved_container}")
        if not isinstance(resources.get(f"functions:{SHARED_KEY}"), SharedFunctionApp):
            errors.append(f"no Function App was injected for {self.component_id}")
        return ValidationResult.of(errors)

    def initialize(self, resources: ResourceMap, scope: Construct) -> None:
        """Grant this API's own identity least-privilege access to its container; add its code and settings."""
        cosmos = resources[f"cosmos:{SHARED_KEY}"]
        functions = resources[f"functions:{SHARED_KEY}"]
        if not isinstance(cosmos, SharedCosmos) or not isinstance(functions, SharedFunctionApp):
            raise ConfigurationError(f"{self.component_id} needs injected Cosmos and Functions resources",
                                     path=self.node.path, fix="add the component to a backend")
        c = self.config
        self.cosmos, self.functions = cosmos, functions
        container = cosmos.container(cosmos.database_of(self.component_id, c.resolved_database), c.resolved_container)
        role: Literal["reader", "contributor"] = "reader" if set(c.operations) <= READ_ONLY else "contributor"
        self.identity = functions.identity_for(self.component_id, self.settings_prefix)
        functions.add_secrets(self.component_id, self.settings_prefix, c.secrets)
        cosmos.grant_data_access(self.identity, role, container)
        functions.add_app_setting(f"{self.settings_prefix}_COSMOS_ENDPOINT", cosmos.endpoint)
        functions.add_crud_api(crud_spec(
            self.component_id, entity_name=c.entity_name, route_prefix=c.resolved_route,
            schema=c.schema, partition_key=c.partition_key, ttl=c.ttl, operations=tuple(c.operations),
            settings_prefix=self.settings_prefix, **self._access_fields(functions.auth),
            health_route=(f"{c.resolved_route}/{c.health_check.path.strip('/')}" if c.health_check else None),
            cache_ttl=(c.cache.ttl if c.cache and c.cache.enabled else None), unindexed_fields=_unindexed(c),
            cors=functions.cors.rules().as_dict() if functions.cors and functions.cors.handled_by_app else None,
            health_timeout_seconds=(c.health_check.timeout if c.health_check else 10.0)))
        self._endpoint = named(concat("https://", functions.default_host_name, f"/api/{c.resolved_route}"),
                               self.value_label("api_endpoint"))

    def _access_fields(self, auth: AuthSetting) -> dict[str, Any]:
        """The runtime spec's authentication fields for the app's ``auth``."""
        c = self.config
        entra = isinstance(auth, EntraAuthConfig)
        fields: dict[str, Any] = {
            "authentication": "entra" if entra else auth,
            # Easy Auth authenticates callers in front of the app, so no function key is asked for.
            "auth_level": "function" if auth == "function" else "anonymous",
            "tenant_claim": c.tenant_claim, "owner_claim": c.owner_claim, "owner_field": c.owner_field,
            "roles": dict(c.roles or {}),
        }
        if isinstance(auth, EntraAuthConfig):
            fields["allowed_tenants"] = auth.all_tenants
        return fields

    @property
    def api_endpoint(self) -> str:
        """``https://<site name>.azurewebsites.net/api/<route>``.

        A plain string when the Function App's name is known at synthesis (atakora's names are
        deterministic); otherwise a printable token (``${MyStack/UserApi.api_endpoint}``) that
        templates turn back into the deployed value. The stack output ``componentOutputs`` always
        holds the deployed value.
        """
        if self._endpoint is None or self.functions is None:
            raise ConfigurationError(f"{self.component_id} has no endpoint before it is added to a stack",
                                     path=self.node.path, fix="call backend.add_to_stack(stack) first")
        site_name = self.functions.site.resource_name
        if isinstance(site_name, str):
            return f"https://{site_name}.azurewebsites.net/api/{self.config.resolved_route}"
        return str(self._endpoint)

    @property
    def api_endpoint_expression(self) -> Expr:
        """The endpoint as the deploy-time ARM expression (``reference(...).defaultHostName``)."""
        if self._endpoint is None:
            raise ConfigurationError(f"{self.component_id} has no endpoint before it is added to a stack",
                                     path=self.node.path, fix="call backend.add_to_stack(stack) first")
        return self._endpoint

    @property
    def database_name(self) -> str:
        """The Cosmos database holding this API's container (its shared-throughput one once placed)."""
        if self.cosmos is not None:
            return self.cosmos.database_of(self.component_id, self.config.resolved_database)
        return self.config.resolved_database

    @property
    def container_name(self) -> str:
        """The Cosmos container holding the entities."""
        return self.config.resolved_container

    def get_outputs(self) -> Mapping[str, Any]:
        """api_endpoint, database_name, container_name, route."""
        return {"api_endpoint": self.api_endpoint_expression, "database_name": self.database_name,
                "container_name": self.container_name, "route": self.config.resolved_route}


def _unindexed(config: CrudApiConfig) -> tuple[str, ...]:
    """The fields ``indexing_policy`` leaves out of the index (lists cannot be ordered by them)."""
    names = ["id", *(name for name in config.schema if name != "id")]
    return unindexed_fields(names, config.indexing_policy)


def _indexing_policy(config: CrudApiConfig) -> Mapping[str, Any] | None:
    """``indexing_policy`` plus the composite indexes every ``order_by`` of the API needs (see runtime.query).

    Without ``indexing_policy`` the policy is shared by every API of the same parsed schema and partition
    key (requirements are read-only values)."""
    needed = _needed_indexes(config.entity_schema, config.partition_key, _unindexed(config))
    if config.indexing_policy is None:
        return needed[1]
    policy = dict(config.indexing_policy)
    listed = [list(index) for index in policy.get("compositeIndexes", [])]
    present = [[(p.get("path"), p.get("order", "ascending")) for p in index] for index in listed]
    for index in needed[0]:
        if index not in present:
            listed.append([{"path": path, "order": order} for path, order in index])
    if listed:
        policy["compositeIndexes"] = listed
    return policy or None


_Indexes = tuple[list[list[tuple[str, str]]], dict[str, Any] | None]
_NEEDED: dict[tuple[int, str, tuple[str, ...]], tuple[EntitySchema, _Indexes]] = {}
"""By (schema object, partition key, unindexed fields); each entry holds its schema, so its id stays its own."""


def _needed_indexes(schema: EntitySchema, partition_key: str, unindexed: tuple[str, ...]) -> _Indexes:
    """The composite indexes the lists need, and the indexing policy that is just them (None: none needed)."""
    key = (id(schema), partition_key, unindexed)
    entry = _NEEDED.get(key)
    if entry is not None and entry[0] is schema:
        return entry[1]
    pk = PartitionKeyPath.parse(partition_key)
    indexes = composite_indexes(QueryFields.of(schema, pk, unindexed), pk)
    policy = {"compositeIndexes": [[{"path": path, "order": order} for path, order in index] for index in indexes]}
    if len(_NEEDED) >= 1024:
        _NEEDED.clear()
    _NEEDED[key] = (schema, (indexes, policy if indexes else None))
    return _NEEDED[key][1]


_CONFIG_FIELDS = tuple(f.name for f in dataclasses.fields(CrudApiConfig) if f.init)
"""The parameters of ``CrudApi.define`` and ``CrudApi(...)`` that are configuration (not scope, id and the like)."""


def _unique_keys(component_id: str, keys: str | Sequence[str | Sequence[str]]) -> tuple[tuple[str, ...], ...]:
    """Seed style (a list of paths, each its own key) or a list of keys, each a list of paths."""
    out = tuple((key,) if isinstance(key, str) else tuple(key) for key in ([keys] if isinstance(keys, str) else keys))
    if not all(out):
        raise ConfigurationError(f"unique_keys {list(keys)!r} has an empty key", field="unique_keys",
                                 path=component_id, fix="pass unique_keys=['/email'] or [['/tenantId', '/email']]")
    return out


def _make_config(component_id: str, values: Mapping[str, Any]) -> CrudApiConfig:
    check_component_id(component_id, field="id")
    fields = {k: values[k] for k in _CONFIG_FIELDS if k in values}
    fields["cache"] = options(CacheConfig, fields["cache"], field="cache", path=component_id)
    fields["health_check"] = options(HealthCheckConfig, fields["health_check"], field="health_check",
                                     path=component_id)
    fields["operations"] = tuple(fields["operations"])
    fields["unique_keys"] = _unique_keys(component_id, fields["unique_keys"])
    fields["secrets"] = check_secret_names(component_id, fields["secrets"])
    if fields.get("auth") is not None:
        fields["auth"] = parse_auth_setting(fields["auth"], where=component_id)
    fields["cors"] = CorsPolicy.parse(fields.get("cors"), path=component_id)
    try:
        fields["roles"] = normalize_roles(fields.get("roles")) or None
    except ValueError as error:
        raise ConfigurationError(str(error), field="roles", path=component_id,
                                 fix="map operations to app role names, e.g. roles={'delete': ['Admin']}") from None
    for name in ("tenant_claim", "owner_claim"):
        if fields.get(name) is not None and (not isinstance(fields[name], str) or not fields[name]):
            raise ConfigurationError(f"{name} must name a token claim, not {fields[name]!r}", field=name,
                                     path=component_id, fix=f"pass {name}='tid'" if name == "tenant_claim"
                                     else f"pass {name}='oid'")
    config = CrudApiConfig(**fields)
    _check(component_id, config)
    return config
