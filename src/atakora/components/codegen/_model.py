"""Input types of the code generator: one per member component of a Function App."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal, cast, get_args

from atakora.errors import ConfigurationError
from atakora.runtime import ALL_OPERATIONS, CrudSpec, default_settings_prefix
from atakora.runtime.cache import MAX_CACHE_TTL
from atakora.runtime.crud import MAX_HEALTH_TIMEOUT

from ._pysource import function_identifier, is_dotted_identifier, py_literal, snake_case

Trigger = Literal["http", "queue", "timer"]
AuthLevel = Literal["anonymous", "function", "admin"]
HttpMethod = Literal["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
Operation = Literal["create", "read", "update", "delete", "list"]

TRIGGERS: tuple[str, ...] = get_args(Trigger)
AUTH_LEVELS: tuple[str, ...] = get_args(AuthLevel)
HTTP_METHODS: tuple[str, ...] = get_args(HttpMethod)
DEFAULT_CONNECTION = "AzureWebJobsStorage"

_COMPONENT_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,79}$")
_FUNCTION_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,127}$")
_SETTINGS_PREFIX = re.compile(r"^[A-Z][A-Z0-9_]*$")
_SETTING_REF = re.compile(r"^%[A-Za-z_][A-Za-z0-9_.:-]*%$")
_QUEUE_NAME = re.compile(r"^(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$")
_CONNECTION = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_ROUTE = re.compile(r"^[A-Za-z0-9_{}:?*.~-]+(/[A-Za-z0-9_{}:?*.~-]+)*$")
_RESERVED_ROUTES = ("admin", "runtime")
_CRUD_FIELDS = {
    "cache_ttl": "cache_ttl",
    "health_timeout": "health_timeout",
    "route_prefix": "route_prefix",
    "operations": "operations",
    "ttl": "ttl",
    "partition key": "partition_key",
    "health_route": "health_route",
}
_CRON_FIELD = re.compile(r"^[0-9A-Za-z*/,-]+$")
_CRON_RANGES = (
    (0, 59, "second"),
    (0, 59, "minute"),
    (0, 23, "hour"),
    (1, 31, "day"),
    (1, 12, "month"),
    (0, 6, "day of week"),
)


@dataclass(frozen=True)
class FunctionSpec:
    """One user function of a FunctionsApp component.

    ``handler`` is ``'module:function'`` relative to the source directory (default
    ``'handlers:<snake_case name>'``).  HTTP: ``route`` (default: the function name), ``methods``
    (default None = any method), ``auth_level`` (default ``'function'``).  Queue: ``queue_name``
    (required) and ``connection`` (default ``'AzureWebJobsStorage'``, the identity-based host
    storage).  Timer: ``schedule`` (required, 6-field NCRONTAB such as ``'0 */5 * * * *'`` or an
    ``'%AppSetting%'`` reference) and ``run_on_startup`` (default False).
    """

    trigger: Trigger
    handler: str | None = None
    route: str | None = None
    methods: tuple[HttpMethod, ...] | None = None
    auth_level: AuthLevel = "function"
    queue_name: str | None = None
    connection: str = DEFAULT_CONNECTION
    schedule: str | None = None
    run_on_startup: bool = False

    def __post_init__(self) -> None:
        if self.methods is not None and not isinstance(self.methods, tuple):
            raw = cast(Sequence[str], self.methods)
            object.__setattr__(self, "methods", tuple(raw))

    def handler_ref(self, name: str) -> tuple[str, str]:
        """``(module, function)`` of the handler; the default is ``('handlers', snake_case(name))``."""
        module, _, function = (self.handler or f"handlers:{snake_case(name)}").partition(":")
        return module, function


@dataclass(frozen=True)
class CrudApiCode:
    """A CrudApi component as the code generator needs it; mirrors ``atakora.runtime.CrudSpec``.

    Defaults: ``partition_key='/id'``, ``ttl=None``, ``operations`` all five,
    ``settings_prefix`` the upper-snake ``component_id`` (``UserApi`` -> ``USER_API``),
    ``health_route=None`` (``<route_prefix>/health``), ``auth_level='function'``,
    ``cache_ttl=None`` (no read cache; else 1..86400 seconds of per-instance caching of reads and
    lists, see ``CrudSpec``), ``health_timeout=10.0`` (seconds the health route waits for the store
    ping before answering 503; from ``HealthCheckConfig.timeout``).
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
    auth_level: AuthLevel = "function"
    cache_ttl: int | None = None
    health_timeout: float = 10.0

    def __post_init__(self) -> None:
        _check_component_id(self.component_id)
        _check_cache_and_health(self.component_id, self.cache_ttl, self.health_timeout)
        object.__setattr__(self, "operations", tuple(self.operations))
        object.__setattr__(self, "schema", MappingProxyType(dict(self.schema)))
        _check_settings_prefix(self.component_id, self.settings_prefix)
        if self.auth_level not in AUTH_LEVELS:
            raise _error(
                self.component_id,
                "auth_level",
                f"unknown auth_level {self.auth_level!r}",
                f"use one of {list(AUTH_LEVELS)}",
            )
        try:
            py_literal(dict(self.schema))
        except (TypeError, ValueError) as exc:
            raise _error(
                self.component_id,
                "schema",
                f"schema cannot be generated: {exc}",
                "use only strings, numbers, booleans, None, lists and string-keyed dicts",
            ) from exc
        if not isinstance(self.entity_name, str) or not self.entity_name.strip():
            raise _error(
                self.component_id, "entity_name", "entity_name is empty", "name the entity, e.g. 'User'"
            )
        try:
            self.to_spec()
        except ValueError as exc:
            message = str(exc)
            field_name = next((f for needle, f in _CRUD_FIELDS.items() if needle in message), "schema")
            raise _error(self.component_id, field_name, message, "correct the CrudApi configuration") from exc

    @property
    def resolved_settings_prefix(self) -> str:
        """``settings_prefix`` or the one derived from ``component_id``."""
        return self.settings_prefix or default_settings_prefix(self.component_id)

    def to_spec(self) -> CrudSpec:
        """The runtime spec the generated code constructs."""
        return CrudSpec(
            component_id=self.component_id,
            entity_name=self.entity_name,
            route_prefix=self.route_prefix,
            schema=self.schema,
            partition_key=self.partition_key,
            ttl=self.ttl,
            operations=self.operations,
            settings_prefix=self.resolved_settings_prefix,
            health_route=self.health_route,
            auth_level=self.auth_level,
            cache_ttl=self.cache_ttl,
            health_timeout_seconds=self.health_timeout,
        )


@dataclass(frozen=True)
class UserFunctionsCode:
    """The user functions of one FunctionsApp component and the directory holding their code.

    ``functions`` maps a function name to a FunctionSpec (or a dict of its fields).
    ``settings_prefix`` defaults to the upper-snake ``component_id``; the generated module exposes
    it as ``SETTINGS_PREFIX``.  The source directory is checked when the package is built.
    """

    component_id: str
    source_directory: Path
    functions: Mapping[str, FunctionSpec]
    settings_prefix: str | None = None

    def __post_init__(self) -> None:
        _check_component_id(self.component_id)
        _check_settings_prefix(self.component_id, self.settings_prefix)
        object.__setattr__(self, "source_directory", Path(self.source_directory))
        if not self.functions:
            raise _error(
                self.component_id,
                "functions",
                "no functions are declared",
                "declare at least one function, e.g. functions={'hello': FunctionSpec(trigger='http')}",
            )
        specs = {name: _as_spec(self.component_id, name, spec) for name, spec in self.functions.items()}
        for name, spec in specs.items():
            _check_function(self.component_id, name, spec)
        object.__setattr__(self, "functions", MappingProxyType(dict(sorted(specs.items()))))

    @property
    def resolved_settings_prefix(self) -> str:
        """``settings_prefix`` or the one derived from ``component_id``."""
        return self.settings_prefix or default_settings_prefix(self.component_id)


def _error(component_id: str, field_name: str, message: str, fix: str) -> ConfigurationError:
    return ConfigurationError(message, field=field_name, path=component_id, fix=fix)


def _check_component_id(component_id: str) -> None:
    if not isinstance(component_id, str) or not _COMPONENT_ID.match(component_id):
        raise ConfigurationError(
            f"component id {component_id!r} cannot name generated functions",
            field="component_id",
            path=str(component_id),
            fix="start with a letter and use only letters, digits, '_' and '-' (at most 80 characters)",
        )


def _check_cache_and_health(component_id: str, cache_ttl: object, health_timeout: object) -> None:
    if cache_ttl is not None and (
        isinstance(cache_ttl, bool) or not isinstance(cache_ttl, int) or not 1 <= cache_ttl <= MAX_CACHE_TTL
    ):
        raise _error(
            component_id,
            "cache_ttl",
            f"cache ttl {cache_ttl!r} is not a whole number of seconds from 1 to {MAX_CACHE_TTL}",
            "set cache={'enabled': True, 'ttl': 300} (seconds, at most one day) or disable the cache",
        )
    if (
        isinstance(health_timeout, bool)
        or not isinstance(health_timeout, (int, float))
        or not 0 < health_timeout <= MAX_HEALTH_TIMEOUT
    ):
        raise _error(
            component_id,
            "health_timeout",
            f"health check timeout {health_timeout!r} must be more than 0 and at most {MAX_HEALTH_TIMEOUT:g} seconds",
            "set health_check={'timeout': 10} (seconds)",
        )


def _check_settings_prefix(component_id: str, prefix: str | None) -> None:
    if prefix is not None and not _SETTINGS_PREFIX.match(prefix):
        raise _error(
            component_id,
            "settings_prefix",
            f"settings_prefix {prefix!r} is not an app setting prefix",
            "use upper-case letters, digits and '_', starting with a letter, e.g. 'USER_API'",
        )


def validated_function_spec(component_id: str, name: str, spec: FunctionSpec | Mapping[str, Any]) -> FunctionSpec:
    """``spec`` as a checked FunctionSpec (trigger, handler form, route, queue, schedule); errors name the field."""
    checked = _as_spec(component_id, name, spec)
    _check_function(component_id, name, checked)
    return checked


def _as_spec(component_id: str, name: str, spec: FunctionSpec | Mapping[str, Any]) -> FunctionSpec:
    if isinstance(spec, FunctionSpec):
        return spec
    if not isinstance(spec, Mapping):
        raise _error(
            component_id,
            f"functions.{name}",
            f"function {name!r} must be a FunctionSpec or a dict",
            "pass FunctionSpec(trigger=...)",
        )
    known = {f.name for f in fields(FunctionSpec)}
    unknown = sorted(set(spec) - known)
    if unknown:
        raise _error(
            component_id,
            f"functions.{name}",
            f"function {name!r} has unknown fields {unknown}",
            f"use only {sorted(known)}",
        )
    if "trigger" not in spec:
        raise _error(
            component_id,
            f"functions.{name}.trigger",
            f"function {name!r} has no trigger",
            f"set trigger to one of {list(TRIGGERS)}",
        )
    return FunctionSpec(**spec)


def _check_function(component_id: str, name: str, spec: FunctionSpec) -> None:
    where = f"functions.{name}"
    if not isinstance(name, str) or not _FUNCTION_NAME.match(function_identifier(component_id, name)):
        raise _error(
            component_id,
            where,
            f"function name {name!r} cannot name an Azure function",
            "use letters, digits, '_' and '-' (the full name <ComponentId>_<name> is at most 128)",
        )
    if spec.trigger not in TRIGGERS:
        raise _error(
            component_id,
            f"{where}.trigger",
            f"function {name!r} has unknown trigger {spec.trigger!r}",
            f"use one of {list(TRIGGERS)}",
        )
    _check_handler(component_id, name, spec)
    _check_trigger_fields(component_id, name, spec)
    if spec.trigger == "http":
        _check_http(component_id, name, spec)
    elif spec.trigger == "queue":
        _check_queue(component_id, name, spec)
    else:
        _check_timer(component_id, name, spec)


def _check_handler(component_id: str, name: str, spec: FunctionSpec) -> None:
    module, function = spec.handler_ref(name)
    if not is_dotted_identifier(module) or not function.isidentifier():
        raise _error(
            component_id,
            f"functions.{name}.handler",
            f"handler {spec.handler!r} of function {name!r} is not 'module:function'",
            "write it like 'handlers:process_order' (module path relative to source_directory)",
        )


def _check_trigger_fields(component_id: str, name: str, spec: FunctionSpec) -> None:
    allowed = {
        "http": {"route", "methods"},
        "queue": {"queue_name"},
        "timer": {"schedule"},
    }[spec.trigger]
    for field_name in ("route", "methods", "queue_name", "schedule"):
        if getattr(spec, field_name) is not None and field_name not in allowed:
            raise _error(
                component_id,
                f"functions.{name}.{field_name}",
                f"{field_name} does not apply to the {spec.trigger} trigger of function {name!r}",
                f"remove {field_name} or change the trigger",
            )


def _check_http(component_id: str, name: str, spec: FunctionSpec) -> None:
    route = spec.route if spec.route is not None else name
    if not _ROUTE.match(route) or route.split("/")[0].lower() in _RESERVED_ROUTES:
        raise _error(
            component_id,
            f"functions.{name}.route",
            f"route {route!r} of function {name!r} is not valid",
            "use a relative route like 'orders/{id}' without leading '/', not starting with admin/runtime",
        )
    if spec.auth_level not in AUTH_LEVELS:
        raise _error(
            component_id,
            f"functions.{name}.auth_level",
            f"unknown auth_level {spec.auth_level!r}",
            f"use one of {list(AUTH_LEVELS)}",
        )
    if spec.methods is not None:
        bad = [m for m in spec.methods if not isinstance(m, str) or m.upper() not in HTTP_METHODS]
        if bad or not spec.methods:
            raise _error(
                component_id,
                f"functions.{name}.methods",
                f"methods {list(spec.methods)} are not valid",
                f"use a non-empty list of {list(HTTP_METHODS)}",
            )


def _check_queue(component_id: str, name: str, spec: FunctionSpec) -> None:
    if not spec.queue_name:
        raise _error(
            component_id,
            f"functions.{name}.queue_name",
            f"queue trigger function {name!r} needs a queue_name",
            "set queue_name to the Storage queue to listen on, e.g. queue_name='orders'",
        )
    if not (_QUEUE_NAME.match(spec.queue_name) or _SETTING_REF.match(spec.queue_name)):
        raise _error(
            component_id,
            f"functions.{name}.queue_name",
            f"queue_name {spec.queue_name!r} of function {name!r} is not a valid Storage queue name",
            "use 3-63 lower-case letters, digits and single hyphens, or an '%AppSetting%' reference",
        )
    if not _CONNECTION.match(spec.connection or ""):
        raise _error(
            component_id,
            f"functions.{name}.connection",
            f"connection {spec.connection!r} of function {name!r} is not an app setting prefix",
            "use a setting name such as 'AzureWebJobsStorage'",
        )


def _check_timer(component_id: str, name: str, spec: FunctionSpec) -> None:
    if not spec.schedule:
        raise _error(
            component_id,
            f"functions.{name}.schedule",
            f"timer trigger function {name!r} needs a schedule",
            "set schedule to a 6-field NCRONTAB expression, e.g. '0 */5 * * * *' (every 5 minutes)",
        )
    problem = cron_problem(spec.schedule)
    if problem:
        raise _error(
            component_id,
            f"functions.{name}.schedule",
            f"schedule {spec.schedule!r} of function {name!r} is invalid: {problem}",
            "use 6 fields '{second} {minute} {hour} {day} {month} {day-of-week}', e.g. '0 0 * * * *'",
        )
    if not isinstance(spec.run_on_startup, bool):
        raise _error(
            component_id,
            f"functions.{name}.run_on_startup",
            "run_on_startup must be True or False",
            "pass a bool",
        )


def cron_problem(schedule: str) -> str | None:
    """Describe what is wrong with a 6-field NCRONTAB expression, or None when it is fine."""
    if _SETTING_REF.match(schedule):
        return None
    parts = schedule.split()
    if len(parts) != 6:
        return f"NCRONTAB needs 6 fields (with seconds), found {len(parts)}"
    for part, (low, high, label) in zip(parts, _CRON_RANGES, strict=True):
        if not _CRON_FIELD.match(part):
            return f"the {label} field {part!r} has characters NCRONTAB does not allow"
        for number in re.findall(r"\d+", part.split("/")[0]):
            if not low <= int(number) <= high:
                return f"the {label} field {part!r} is outside {low}-{high}"
    return None
