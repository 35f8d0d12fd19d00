"""Build the deployable package of one Function App from its member components."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

from atakora import __version__
from atakora.core.synthesis.writer import dump_lines
from atakora.errors import ConfigurationError
from atakora.runtime.openapi import DOCUMENT_LINES, openapi_document
from atakora.runtime.spec import CrudSpec

from ._model import HTTP_METHODS, UserFunctionsCode, check_crud_spec
from ._pysource import function_identifier, module_identifier
from ._render import (
    GENERATED_PACKAGE,
    OPENAPI_FILE,
    RUNTIME_PACKAGE,
    USER_CODE_PACKAGE,
    ResolvedComponent,
    ResolvedFunction,
    render_blueprint,
    render_function_app,
    render_host_json,
)
from ._sources import (
    check_source_directory,
    handler_is_async,
    iter_tree,
    merge_requirements,
    requirement_lines,
    runtime_files,
)
from ._zip import zip_pieces

BASE_REQUIREMENTS = ("azure-functions>=1.20",)
CRUD_REQUIREMENTS = ("azure-cosmos>=4.17", "azure-identity>=1.17")
PATTERN_REQUIREMENTS = ("google-re2>=1.1",)  # the runtime matches schema patterns with RE2 (linear time)
"""4.17 matches compact region names ('westus2') in preferred_locations."""
PYTHON_VERSIONS = ("3.11", "3.12", "3.13")  # the runtime needs 3.11 (fromisoformat with "Z")
ZIP_COMPRESS_LEVEL = 1
"""Deflate level of each app's own files (mostly openapi.json, which deflates 18-25x at any level). At 3,000
CrudApis in 150 apps, zipping takes 0.18 s at level 9, 0.10 s at 6, 0.06 s at 3 and 0.05 s at 1, and a
package is 67.0, 67.2, 68.4 and 68.7 KB: level 1 costs 2.5 % of bytes for a third of the time of 6."""
SHARED_COMPRESS_LEVEL = 9
"""Deflate level of the runtime files every package holds alike: compressed once per process."""


@dataclass(frozen=True)
class FunctionPackage:
    """The files of one Function App package, keyed by POSIX path (sorted).

    ``crud_settings_prefixes`` are the app-setting prefixes of its CrudApis (``<PREFIX>_STORE``,
    ``<PREFIX>_COSMOS_ENDPOINT``, ...); ``function_names`` every registered function;
    ``needs_storage_triggers`` is True when a queue or timer function needs ``AzureWebJobsStorage``.
    """

    files: dict[str, bytes]
    python_version: str
    function_names: tuple[str, ...]
    crud_settings_prefixes: tuple[str, ...]
    needs_storage_triggers: bool

    def zip_bytes(self) -> bytes:
        """A deterministic zip: sorted entries, 1980-01-01 timestamps, mode 0644, deflate level 1 (the
        shared runtime files, compressed once: 9)."""
        return b"".join(self._pieces)

    def zip_pieces(self) -> tuple[bytes, ...]:
        """:meth:`zip_bytes` as the pieces it joins; the runtime files' records are the same objects in every
        package, so a holder of the pieces keeps only the app's own files and directory per package."""
        return self._pieces

    @cached_property
    def _pieces(self) -> tuple[bytes, ...]:
        shared = frozenset(name for name in self.files if name.startswith(RUNTIME_PACKAGE + "/"))
        return zip_pieces(self.files, level=ZIP_COMPRESS_LEVEL, shared=shared, shared_level=SHARED_COMPRESS_LEVEL)

    @property
    def sha256(self) -> str:
        """Hex SHA-256 of :meth:`zip_bytes` (content address of the package)."""
        digest = hashlib.sha256()
        for piece in self._pieces:
            digest.update(piece)
        return digest.hexdigest()


def build_function_package(
    *,
    crud_apis: Sequence[CrudSpec] = (),
    user_functions: Sequence[UserFunctionsCode] = (),
    python_version: str = "3.11",
    extra_requirements: Sequence[str] = (),
) -> FunctionPackage:
    """Generate the package of one Function App holding every given component.

    Components are ordered by component id, so the result does not depend on argument order.
    ``python_version`` (default ``'3.11'``) is recorded for the app's runtime stack;
    ``extra_requirements`` (default none) are added to ``requirements.txt``.
    Raises ConfigurationError for invalid or conflicting components.
    """
    if python_version not in PYTHON_VERSIONS:
        raise ConfigurationError(
            f"python_version {python_version!r} is not supported",
            field="python_version",
            fix=f"use one of {list(PYTHON_VERSIONS)}",
        )
    if not crud_apis and not user_functions:
        raise ConfigurationError(
            "a Function App package needs at least one component",
            field="components",
            fix="pass crud_apis=[...] or user_functions=[...]",
        )
    apis = sorted(crud_apis, key=lambda c: c.component_id)
    for api in apis:
        check_crud_spec(api)
    groups = sorted(user_functions, key=lambda c: c.component_id)
    _check_unique_components(apis, groups)
    resolved = [_resolve(group) for group in groups]
    api_names = [a.function_names for a in apis]  # computed when read: once per package
    _check_unique_functions(apis, api_names, resolved)
    _check_unique_routes(apis, resolved)

    files: dict[str, bytes] = {
        "function_app.py": render_function_app(apis, resolved, __version__).encode(),
        "host.json": render_host_json().encode(),
    }
    for relative, content in runtime_files().items():
        files[f"{RUNTIME_PACKAGE}/{relative}"] = content
    requirements = [list(BASE_REQUIREMENTS), list(CRUD_REQUIREMENTS) if apis else []]
    if any(f.pattern is not None for api in apis for f in api.entity_schema().fields.values()):
        requirements.append(list(PATTERN_REQUIREMENTS))
    requirements.append(
        requirement_lines("\n".join(extra_requirements), where="", source="extra_requirements")
    )
    if resolved:
        files[f"{GENERATED_PACKAGE}/__init__.py"] = b'"""Blueprints generated by atakora; do not edit."""\n'
        files[f"{USER_CODE_PACKAGE}/__init__.py"] = b'"""User code of the FunctionsApp components."""\n'
    for group, component in zip(groups, resolved, strict=True):
        files[f"{GENERATED_PACKAGE}/{component.module}.py"] = render_blueprint(
            component, __version__
        ).encode()
        user_files, user_requirements = _user_files(group, component)
        files.update(user_files)
        requirements.append(user_requirements)
    files["requirements.txt"] = merge_requirements(requirements).encode()
    if apis:
        document = openapi_document(apis, title=f"CRUD APIs of {', '.join(a.component_id for a in apis)}")
        # One path and one component per line, by the C encoder: readable, diffable and cheap to write.
        files[OPENAPI_FILE] = dump_lines(document, DOCUMENT_LINES)
    names = [name for api in api_names for name in api]
    names += [f.function_name for c in resolved for f in c.functions]
    return FunctionPackage(
        files=dict(sorted(files.items())),
        python_version=python_version,
        function_names=tuple(sorted(names)),
        crud_settings_prefixes=tuple(a.resolved_settings_prefix for a in apis),
        needs_storage_triggers=any(f.spec.trigger != "http" for c in resolved for f in c.functions),
    )


def _resolve(group: UserFunctionsCode) -> ResolvedComponent:
    directory = check_source_directory(group)
    functions = []
    for name, spec in group.functions.items():
        is_async = handler_is_async(group, directory, name)
        module, attribute = spec.handler_ref(name)
        functions.append(
            ResolvedFunction(
                name, function_identifier(group.component_id, name), spec, module, attribute, is_async
            )
        )
    return ResolvedComponent(
        group.component_id,
        module_identifier(group.component_id),
        group.resolved_settings_prefix,
        tuple(functions),
    )


def _user_files(group: UserFunctionsCode, component: ResolvedComponent) -> tuple[dict[str, bytes], list[str]]:
    root = f"{USER_CODE_PACKAGE}/{component.module}"
    directory = check_source_directory(group)
    files = {f"{root}/{relative}": path.read_bytes() for relative, path in iter_tree(directory)}
    files.setdefault(f"{root}/__init__.py", b"")
    requirements: list[str] = []
    source = directory / "requirements.txt"
    if source.is_file():
        requirements = requirement_lines(
            source.read_text(encoding="utf-8"), where=group.component_id, source=str(source)
        )
    return files, requirements


def _conflict(
    what: str, first: str, second: str, fix: str, field_name: str = "component_id"
) -> ConfigurationError:
    return ConfigurationError(
        f"{what} is used by both {first} and {second}", field=field_name, path=second, fix=fix
    )


def _check_unique_components(apis: Sequence[CrudSpec], groups: Sequence[UserFunctionsCode]) -> None:
    seen: dict[str, str] = {}
    modules: dict[str, str] = {}
    prefixes: dict[str, str] = {}
    components: list[CrudSpec | UserFunctionsCode] = [*apis, *groups]
    for component in components:
        cid = component.component_id
        if cid.lower() in seen:
            raise _conflict(
                f"component id {cid!r}", seen[cid.lower()], cid, "give every component a unique id"
            )
        seen[cid.lower()] = cid
        if isinstance(component, UserFunctionsCode):
            module = module_identifier(cid)
            if module in modules:
                raise _conflict(
                    f"generated module name {module!r}",
                    modules[module],
                    cid,
                    "rename one component so their snake_case ids differ",
                )
            modules[module] = cid
        prefix = component.resolved_settings_prefix
        if prefix in prefixes:
            raise _conflict(
                f"settings prefix {prefix!r}",
                prefixes[prefix],
                cid,
                "set a distinct settings_prefix on one of the components",
                "settings_prefix",
            )
        prefixes[prefix] = cid


def _check_unique_functions(apis: Sequence[CrudSpec], api_names: Sequence[tuple[str, ...]],
                            resolved: Sequence[ResolvedComponent]) -> None:
    owners: dict[str, str] = {}
    entries = [(name, a.component_id, "operations") for a, names in zip(apis, api_names, strict=True)
               for name in names]
    entries += [
        (f.function_name, c.component_id, f"functions.{f.name}") for c in resolved for f in c.functions
    ]
    for name, owner, field_name in entries:
        key = name.lower()
        if key in owners:
            raise _conflict(
                f"function name {name!r}",
                owners[key],
                owner,
                "rename the function; names are <ComponentId>_<name> and case-insensitive in Azure",
                field_name,
            )
        owners[key] = owner


_GET = frozenset({"GET"})
_CRUD_ROUTES = {
    "create": ("", frozenset({"POST"})),
    "list": ("", _GET),
    "read": ("/{id}", _GET),
    "update": ("/{id}", frozenset({"PUT"})),
    "delete": ("/{id}", frozenset({"DELETE"})),
}
_PARAMETER = re.compile(r"\{[^}]*\}")


def _route_entries(
    apis: Sequence[CrudSpec], resolved: Sequence[ResolvedComponent]
) -> Iterable[tuple[str, frozenset[str], str, str]]:
    for api in apis:
        for operation in api.operations:
            suffix, methods = _CRUD_ROUTES[operation]
            yield api.route_prefix + suffix, methods, api.component_id, "route_prefix"
        yield api.health_route or f"{api.route_prefix}/health", _GET, api.component_id, "health_route"
    for component in resolved:
        for function in component.functions:
            if function.spec.trigger == "http":
                methods = frozenset(m.upper() for m in function.spec.methods or HTTP_METHODS)
                yield function.route, methods, component.component_id, f"functions.{function.name}.route"


def _check_unique_routes(apis: Sequence[CrudSpec], resolved: Sequence[ResolvedComponent]) -> None:
    seen: dict[str, list[tuple[frozenset[str], str]]] = {}  # by route shape: linear in the routes
    for route, methods, owner, field_name in _route_entries(apis, resolved):
        path = route.strip("/")
        shape = (_PARAMETER.sub("{}", path) if "{" in path else path).lower()
        same_shape = seen.setdefault(shape, [])
        for other_methods, other_owner in same_shape:
            common = methods & other_methods
            if common:
                raise _conflict(
                    f"route {route!r} ({', '.join(sorted(common))})",
                    other_owner,
                    owner,
                    "change the route or methods so every route and method pair is served once",
                    field_name,
                )
        same_shape.append((methods, owner))
