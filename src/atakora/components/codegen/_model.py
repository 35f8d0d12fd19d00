"""Input types of the code generator: one per member component of a Function App."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal, TypeVar, cast, get_args

from atakora.errors import ConfigurationError
from atakora.runtime import ALL_OPERATIONS, CrudSpec, CrudSpecError, default_settings_prefix
from atakora.runtime.cache import MAX_CACHE_TTL
from atakora.runtime.schema import schema_spec_key
from atakora.runtime.spec import AUTH_LEVEL_NAMES, MAX_HEALTH_TIMEOUT, AuthLevelName

from ._pysource import function_identifier, is_dotted_identifier, py_literal, snake_case

Trigger = Literal["http", "queue", "timer"]
AuthLevel = AuthLevelName
HttpMethod = Literal["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]

TRIGGERS: tuple[str, ...] = get_args(Trigger)
AUTH_LEVELS: tuple[str, ...] = AUTH_LEVEL_NAMES
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
_CRUD_FIXES = {
    "route_prefix": "use a relative route such as 'users' or 'v1/users' (no leading '/', no parameters)",
    "operations": f"list the operations the API offers, a non-empty subset of {list(ALL_OPERATIONS)}",
    "ttl": "set ttl=86400 for one day, -1 for per-item ttl only, or leave it out",
    "cache_ttl": (
        f"set cache={{'enabled': True, 'ttl': 300}} (seconds, at most {MAX_CACHE_TTL}) or disable the cache"
    ),
    "health_timeout_seconds": f"set health_check={{'timeout': 10}} (seconds, at most {MAX_HEALTH_TIMEOUT:g})",
    "auth_level": f"use one of {list(AUTH_LEVEL_NAMES)} ('anonymous' when Easy Auth authenticates the callers)",
    "authentication": "use auth='entra' (Microsoft Entra ID), 'function' (function keys) or 'anonymous'",
    "tenant_claim": "set auth to Entra ID and partition by a string field, e.g. partition_key='/tenantId', "
    "tenant_claim='tid'",
    "owner_claim": "set auth to Entra ID and name the claim, e.g. owner_claim='oid'",
    "owner_field": "declare the owner field as a string in the schema, e.g. 'ownerId': 'string'",
    "roles": "map operations to app role names, e.g. roles={'delete': ['Admin']}, with auth set to Entra ID",
    "allowed_tenants": "list tenant ids (GUIDs) with auth set to Entra ID",
    "partition_key": "use a path such as '/id' or '/category'",
    "schema": "map each field to 'string', 'number', 'boolean', 'timestamp', 'array', 'object' "
    "or {'type': ..., 'required': True}",
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


def crud_spec(component_id: str, **fields: Any) -> CrudSpec:
    """Build the runtime ``CrudSpec`` of a CrudApi from user input and check it for code generation.

    ``fields`` are ``CrudSpec``'s other fields.  Raises ConfigurationError (with ``field``,
    ``path=component_id`` and ``fix``) instead of the runtime's ValueError.
    """
    try:
        spec = CrudSpec(component_id, **fields)
    except CrudSpecError as exc:
        raise _error(component_id, exc.field, exc.detail, _CRUD_FIXES.get(exc.field, "")) from exc
    check_crud_spec(spec)
    return spec


_T = TypeVar("_T")


def per_spec(spec: CrudSpec, name: str, compute: Callable[[CrudSpec], _T]) -> _T:
    """``compute(spec)``, computed once per spec and kept in the spec as an attribute.

    A CrudSpec is frozen, so what code generation derives from it alone (that it was checked, its
    rendered registration) is the same every time it is asked for. The value is set as an attribute, not
    through ``vars(spec)``, which would give every spec a dictionary of its own.
    """
    key = f"_codegen_{name}"
    found = getattr(spec, key, _UNSET)
    if found is _UNSET:
        found = compute(spec)
        object.__setattr__(spec, key, found)
    return cast(_T, found)


_UNSET = object()


def check_crud_spec(spec: CrudSpec) -> None:
    """Check what code generation needs beyond the runtime's own checks in ``CrudSpec``.

    The component id must name functions and modules, the settings prefix must be an app setting
    prefix, the entity needs a name and the schema must render as a Python literal.  A spec that
    passed is not checked again.
    """
    per_spec(spec, "checked", _check_crud_spec)


def _check_crud_spec(spec: CrudSpec) -> bool:
    check_component_id(spec.component_id)
    _check_settings_prefix(spec.component_id, spec.settings_prefix)
    if not isinstance(spec.entity_name, str) or not spec.entity_name.strip():
        raise _error(spec.component_id, "entity_name", "entity_name is empty", "name the entity, e.g. 'User'")
    schema_literal(spec)
    return True


ARGUMENT_INDENT = 12
"""Indentation of the ``CrudSpec(...)`` arguments in the generated ``function_app.py``."""


def schema_literal(spec: CrudSpec) -> str:
    """The ``schema=`` argument of the spec's generated registration: rendered, and so checked, once per spec."""
    return per_spec(spec, "schema_literal", _schema_literal)


def take_schema_literal(spec: CrudSpec) -> str:
    """:func:`schema_literal`, no longer kept in the spec: its package, which wants it once, is being built."""
    literal: str | None = getattr(spec, "_codegen_schema_literal", None)
    if literal is None:
        return _schema_literal(spec)
    object.__delattr__(spec, "_codegen_schema_literal")
    return literal


_recent_schemas: dict[object, str] = {}
"""The latest schemas rendered, by :func:`schema_spec_key` (APIs often share one schema); at most
:data:`_RECENT_SCHEMAS` of them are kept."""
_RECENT_SCHEMAS = 256


def _schema_literal(spec: CrudSpec) -> str:
    key = schema_spec_key(spec.schema)
    known = _recent_schemas.get(key) if key is not None else None
    if known is not None:
        return known
    try:
        # Interned: the specs of one schema share one string until their packages take it.
        rendered = sys.intern(py_literal(dict(spec.schema), ARGUMENT_INDENT, ARGUMENT_INDENT + len("schema=")))
    except (TypeError, ValueError) as exc:
        raise _error(
            spec.component_id,
            "schema",
            f"schema cannot be generated: {exc}",
            "use only strings, numbers, booleans, None, lists and string-keyed dicts",
        ) from exc
    if key is not None:
        if len(_recent_schemas) >= _RECENT_SCHEMAS:
            _recent_schemas.clear()
        _recent_schemas[key] = rendered
    return rendered


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
        check_component_id(self.component_id)
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


def check_component_id(component_id: str, field: str = "component_id") -> None:
    """Refuse a component id that cannot name the functions generated for it (CrudApi and FunctionsApp check
    it at define, where the argument is ``id``)."""
    if not isinstance(component_id, str) or not _COMPONENT_ID.match(component_id):
        raise ConfigurationError(
            f"component id {component_id!r} cannot name generated functions",
            field=field,
            path=str(component_id),
            fix="start with a letter and use only letters, digits, '_' and '-' (at most 80 characters)",
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
    """``spec`` checked against FunctionSpec's annotations (``atakora.arguments.options``)."""
    from atakora.arguments import options

    if isinstance(spec, FunctionSpec):
        spec = {f.name: getattr(spec, f.name) for f in fields(FunctionSpec)}
    elif isinstance(spec, Mapping) and isinstance(spec.get("methods"), list):
        spec = {**spec, "methods": tuple(spec["methods"])}
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
    checked = options(FunctionSpec, spec, field=f"functions.{name}", path=component_id)
    assert checked is not None
    return checked


def _check_function(component_id: str, name: str, spec: FunctionSpec) -> None:
    where = f"functions.{name}"
    if not isinstance(name, str) or not _FUNCTION_NAME.match(function_identifier(component_id, name)):
        raise _error(
            component_id,
            where,
            f"function name {name!r} cannot name an Azure function",
            "use letters, digits, '_' and '-' (the full name <ComponentId>_<name> is at most 128)",
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
        "http": {"route", "methods", "auth_level"},
        "queue": {"queue_name", "connection"},
        "timer": {"schedule", "run_on_startup"},
    }[spec.trigger]
    defaults = {f.name: f.default for f in fields(FunctionSpec)}
    for field_name in ("route", "methods", "queue_name", "schedule", "auth_level", "connection", "run_on_startup"):
        if getattr(spec, field_name) != defaults[field_name] and field_name not in allowed:
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
        for item in part.split(","):
            for number in re.findall(r"\d+", item.split("/")[0]):
                if not low <= int(number) <= high:
                    return f"the {label} field {part!r} is outside {low}-{high}"
            step = item.split("/")[1] if "/" in item else None
            if step is not None and (not step.isdigit() or int(step) == 0):
                return f"the {label} field {part!r} has step {step!r}; a step is a whole number of at least 1"
    return None
