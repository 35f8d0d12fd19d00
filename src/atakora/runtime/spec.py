"""The configuration of one generated CRUD API as the runtime sees it, checked on construction.

Pure data (no HTTP imports): synthesis builds these to generate code and the OpenAPI document.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from types import MappingProxyType
from typing import Any, Literal, get_args

from .access import DEFAULT_OWNER_FIELD, AccessPolicy, Authentication, normalize_roles, policy_problems
from .cache import MAX_CACHE_TTL
from .cors import CorsRules
from .partition import PartitionKeyPath
from .query import QueryFields
from .schema import EntitySchema, schema_spec_key
from .settings import default_settings_prefix

Operation = Literal["create", "read", "update", "delete", "list"]
ALL_OPERATIONS: tuple[Operation, ...] = ("create", "read", "update", "delete", "list")
AuthLevelName = Literal["anonymous", "function", "admin"]
AUTH_LEVEL_NAMES: tuple[AuthLevelName, ...] = get_args(AuthLevelName)
PK_QUERY_PARAM = "pk"
MAX_PAGE_SIZE = 100
MAX_HEALTH_TIMEOUT = 230.0  # the Azure front end drops requests after 230 seconds
_NO_ROLES: Mapping[str, tuple[str, ...]] = MappingProxyType({})
_FROZEN_SCHEMAS: dict[object, Mapping[str, Any]] = {}
"""Read-only schemas by :func:`schema_spec_key`: the specs of one schema share one (APIs often do)."""
_MAX_FROZEN_SCHEMAS = 256


def _frozen_schema(schema: Mapping[str, Any]) -> Mapping[str, Any]:
    """A read-only copy of ``schema``, the same object for schemas alike in every value and type."""
    key = schema_spec_key(schema)
    found = _FROZEN_SCHEMAS.get(key) if key is not None else None
    if found is None:
        found = MappingProxyType(dict(schema))
        if key is not None:
            if len(_FROZEN_SCHEMAS) >= _MAX_FROZEN_SCHEMAS:
                _FROZEN_SCHEMAS.pop(next(iter(_FROZEN_SCHEMAS)))
            _FROZEN_SCHEMAS[key] = found
    return found


_ROUTE_PREFIX = re.compile(r"^[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*$")
_NOT_NAME_CHARACTER = re.compile(r"[^A-Za-z0-9_]")
"""What a registered function name cannot hold (each becomes ``_``)."""


@dataclass(frozen=True)
class CrudSpec:
    """Configuration of one CrudApi component as seen by the runtime.

    ``partition_key`` defaults to ``/id``; ``ttl`` (default None = no expiry) is the container
    default TTL in seconds (``-1`` enables per-item ``ttl`` only); ``operations`` defaults to
    all five; ``settings_prefix`` defaults to the upper-snake component id; ``health_route``
    defaults to ``{route_prefix}/health``; ``auth_level`` defaults to ``function``.

    ``cache_ttl`` (default None = no cache; 1..86400 seconds) serves item reads and list pages
    from an in-memory LRU cache of this instance for that many seconds and sends
    ``Cache-Control: private, max-age=<cache_ttl>``; writes through this instance invalidate
    the item and every cached list at once, but other instances (scale-out) may serve data up
    to ``cache_ttl`` seconds old.  Without a cache, reads send ``Cache-Control: no-cache`` (clients
    revalidate with ``If-None-Match``).  ``health_timeout_seconds`` (default 10) bounds the store
    ping of the health route, which answers 503 when the store fails or is slower.

    ``authentication`` (default ``function``: function keys) is ``entra`` behind App Service
    Authentication (then ``auth_level`` must be ``anonymous``): every operation needs a valid
    ``X-MS-CLIENT-PRINCIPAL`` (401), and ``tenant_claim``, ``owner_claim``/``owner_field``, ``roles``
    and ``allowed_tenants`` apply (see :mod:`.authorization`).

    Lists take equality filters and ``order_by`` (see :mod:`.query`); ``unindexed_fields`` (default
    none) are fields the container's indexing policy leaves out, which lists cannot be ordered by.
    ``cors`` (default None: CORS, if any, is the platform's) is the app's :class:`~.cors.CorsRules` as
    a mapping when its code answers CORS itself (see :mod:`.cors`).

    Construction checks every field and raises :class:`CrudSpecError` (a ValueError naming the
    field); ``schema`` is copied read-only and ``operations`` made a tuple.  The parsed schema is
    computed once per spec; the function names and query fields when read.
    """

    component_id: str
    entity_name: str
    route_prefix: str
    schema: Mapping[str, str | Mapping[str, Any]]
    partition_key: str = "/id"
    ttl: int | None = None
    operations: tuple[Operation, ...] = ALL_OPERATIONS
    settings_prefix: str | None = None
    health_route: str | None = None
    auth_level: AuthLevelName = "function"
    cache_ttl: int | None = None
    health_timeout_seconds: float = 10.0
    authentication: Authentication = "function"
    tenant_claim: str | None = None
    owner_claim: str | None = None
    owner_field: str = DEFAULT_OWNER_FIELD
    roles: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    allowed_tenants: tuple[str, ...] = ()
    unindexed_fields: tuple[str, ...] = ()
    cors: Mapping[str, Any] | None = None

    def __post_init__(self) -> None:
        def fail(field: str, message: str) -> CrudSpecError:
            return CrudSpecError(field, message, self.component_id)

        if not isinstance(self.schema, Mapping):
            raise fail("schema", f"schema must be a mapping of field names to types, not {self.schema!r}")
        # Derived values first, in one order for every spec (attributes added in varying order would
        # turn each spec's compact attribute storage into a full dict).
        object.__setattr__(self, "_partition_key_path", None)
        object.__setattr__(self, "_entity_schema", None)
        object.__setattr__(self, "schema", _frozen_schema(self.schema))
        object.__setattr__(self, "operations", tuple(self.operations))
        object.__setattr__(self, "unindexed_fields", tuple(self.unindexed_fields))
        if self.cors is not None:
            try:
                self.cors_rules  # noqa: B018 - parsed once here
            except (KeyError, TypeError, ValueError) as exc:
                raise fail("cors", f"cors must map allowed_origins (and optionally allowed_methods, max_age, "
                           f"support_credentials): {exc}") from exc
        if not isinstance(self.route_prefix, str) or not _ROUTE_PREFIX.match(self.route_prefix):
            raise fail("route_prefix", f"route_prefix {self.route_prefix!r} must be like 'users' or 'v1/users'")
        unknown = sorted(set(self.operations) - set(ALL_OPERATIONS))
        if unknown or not self.operations:
            raise fail("operations", f"operations must be a non-empty subset of {list(ALL_OPERATIONS)}")
        if self.ttl is not None and (isinstance(self.ttl, bool) or self.ttl == 0 or self.ttl < -1):
            raise fail("ttl", "ttl must be None, -1 or a positive number of seconds")
        ttl = self.cache_ttl
        if ttl is not None and (isinstance(ttl, bool) or not isinstance(ttl, int) or not 1 <= ttl <= MAX_CACHE_TTL):
            raise fail("cache_ttl", f"cache_ttl must be None or an integer from 1 to {MAX_CACHE_TTL} seconds")
        timeout = self.health_timeout_seconds
        if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not 0 < timeout <= MAX_HEALTH_TIMEOUT:
            limit = f"more than 0 and at most {MAX_HEALTH_TIMEOUT:g}"
            raise fail("health_timeout_seconds", f"health_timeout_seconds must be {limit}")
        if self.auth_level not in AUTH_LEVEL_NAMES:
            raise fail("auth_level", f"auth_level {self.auth_level!r} must be one of {list(AUTH_LEVEL_NAMES)}")
        try:
            pk = self.partition_key
            object.__setattr__(self, "_partition_key_path",
                               _partition_key_path(pk) if type(pk) is str else PartitionKeyPath.parse(pk))
        except ValueError as exc:
            raise fail("partition_key", str(exc)) from exc
        try:
            object.__setattr__(self, "_entity_schema",
                               EntitySchema.from_spec(self.schema, allow_item_ttl=self.ttl is not None))
        except ValueError as exc:
            raise fail("schema", str(exc)) from exc
        self._check_access(fail)

    def _check_access(self, fail: Callable[[str, str], CrudSpecError]) -> None:
        try:
            roles = normalize_roles(self.roles)
            object.__setattr__(self, "roles", roles if roles else _NO_ROLES)  # most specs: one shared empty map
        except ValueError as exc:
            raise fail("roles", str(exc)) from exc
        tenants = self.allowed_tenants
        object.__setattr__(self, "allowed_tenants", (tenants,) if isinstance(tenants, str) else tuple(tenants))
        if self.authentication != "function" and self.auth_level != "anonymous":
            raise fail("auth_level", f"with authentication={self.authentication!r} no function key is checked, so "
                       f"auth_level must be 'anonymous' (not {self.auth_level!r})")
        types = {name: spec.type for name, spec in self.entity_schema().fields.items()}
        problems = policy_problems(self.access_policy, self.partition_key_path, types,
                                   self.operations)
        if problems:
            raise fail(*problems[0])

    @property
    def access_policy(self) -> AccessPolicy:
        """The authentication and authorization rules of this API."""
        return AccessPolicy(self.authentication, self.tenant_claim, self.owner_claim, self.owner_field,
                            self.roles, self.allowed_tenants)

    def entity_schema(self) -> EntitySchema:
        """The parsed schema spec (per-item ``ttl`` is allowed when ``ttl`` is set); parsed once."""
        schema: EntitySchema = getattr(self, "_entity_schema")  # noqa: B009 - set in __post_init__, not a field
        return schema

    @cached_property
    def cors_rules(self) -> CorsRules | None:
        """``cors`` parsed (None when the platform, or nobody, does CORS)."""
        return CorsRules.of(self.cors) if self.cors is not None else None

    @property
    def query_fields(self) -> QueryFields:
        """What lists may filter and order by (``unindexed_fields`` cannot be ordered by); ``QueryFields.of``
        shares one per schema, partition key and unindexed fields, so the spec keeps none."""
        return QueryFields.of(self.entity_schema(), self.partition_key_path, self.unindexed_fields)

    @property
    def partition_key_path(self) -> PartitionKeyPath:
        """``partition_key`` parsed (on construction)."""
        path: PartitionKeyPath = getattr(self, "_partition_key_path")  # noqa: B009 - as entity_schema
        return path

    @property
    def resolved_settings_prefix(self) -> str:
        """``settings_prefix`` or the one derived from ``component_id``."""
        return self.settings_prefix or default_settings_prefix(self.component_id)

    @property
    def function_prefix(self) -> str:
        """Prefix of the registered function names, unique per component (computed when read, not kept)."""
        component_id = self.component_id
        if component_id.isascii() and component_id.replace("_", "").isalnum():
            return component_id  # the common id is a name already
        return _NOT_NAME_CHARACTER.sub("_", component_id)

    def function_name(self, operation: str) -> str:
        """The registered name of ``operation`` (one of the operations or ``health``)."""
        return f"{self.function_prefix}_{operation}"

    @property
    def resolved_health_route(self) -> str:
        """``health_route`` or ``{route_prefix}/health``."""
        return self.health_route or f"{self.route_prefix}/health"

    @cached_property
    def reserved_ids(self) -> frozenset[str]:
        """Ids an item cannot take because a route under ``{route_prefix}/`` already has that name."""
        head, _, last = self.resolved_health_route.strip("/").rpartition("/")
        return frozenset({last}) if head.lower() == self.route_prefix.lower() else frozenset()

    @property
    def function_names(self) -> tuple[str, ...]:
        """Every registered function name: one per operation, then the health route's (computed when read: code
        generation reads them once per package, and a spec kept for synthesis need not hold them)."""
        prefix = self.function_prefix
        return tuple(f"{prefix}_{op}" for op in (*self.operations, "health"))


@lru_cache(maxsize=256)
def _partition_key_path(path: str) -> PartitionKeyPath:
    """``path`` parsed, shared by the specs of one partition key (raises ValueError, which is not kept)."""
    return PartitionKeyPath.parse(path)


class CrudSpecError(ValueError):
    """An invalid :class:`CrudSpec` field; ``field`` names it and ``detail`` says what is wrong."""

    def __init__(self, field: str, detail: str, component_id: object) -> None:
        super().__init__(f"CrudSpec {component_id!r}: {detail}")
        self.field = field
        self.detail = detail
