"""FunctionsApp: a component's own functions (http, queue, timer) in the shared Function App."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ..arguments import shown, validated
from ..backend.component import ComponentDefinition, ResourceMap
from ..backend.planner import SHARED_KEY
from ..backend.providers.functions import SharedFunctionApp
from ..backend.providers.secrets import check_secret_names
from ..backend.providers.storage import SharedStorage
from ..backend.requirements import FunctionsRequirementConfig, ResourceRequirement, StorageRequirementConfig
from ..backend.validation import ValidationResult
from ..core.construct import Construct
from ..core.expressions import Expr
from ..core.paths import absolute, is_directory
from ..errors import ConfigurationError
from ..resources.authorization import BuiltInRole, RoleAssignment
from ..resources.managedidentity import UserAssignedIdentity
from ..resources.web_runtimes import DEFAULT_VERSIONS, runtime_version_problem, supported_versions
from ..runtime.settings import default_settings_prefix
from ._base import Component
from .codegen import FunctionSpec, UserFunctionsCode, check_component_id, validated_function_spec

__all__ = ["FunctionsApp", "FunctionsAppConfig"]

Runtime = Literal["python", "node", "dotnet-isolated", "java", "powershell"]
Sku = Literal["FC1", "EP1", "EP2", "EP3", "B1", "B2", "B3", "S1", "S2", "S3", "P1v3", "P2v3", "P3v3"]
_SETTING_NAME = re.compile(r"^[A-Za-z0-9_.]+$")
_EXTENSION = re.compile(r"^[A-Za-z][A-Za-z0-9_.]*@\d+(\.\d+)*(-[A-Za-z0-9.]+)?$")


@dataclass(frozen=True)
class FunctionsAppConfig:
    """Everything a FunctionsApp is configured with (see ``FunctionsApp.define``)."""

    runtime: Runtime = "python"
    version: str = "3.11"
    functions: Mapping[str, FunctionSpec] = field(default_factory=dict)
    source_directory: Path | None = None
    environment_variables: Mapping[str, str | Expr] = field(default_factory=dict)
    sku: Sku = "FC1"
    always_on: bool = False
    extensions: tuple[str, ...] = ()
    priority: int = 10
    secrets: tuple[str, ...] = ()


def _make_config(component_id: str, runtime: str, version: str | None, functions: Mapping[str, Any],
                 source_directory: str | Path | None, environment_variables: Mapping[str, Any], sku: str,
                 always_on: bool, extensions: Sequence[str], priority: int,
                 secrets: Sequence[str] = ()) -> FunctionsAppConfig:
    check_component_id(component_id, field="id")
    def fail(field_: str, message: str, fix: str) -> ConfigurationError:
        return ConfigurationError(message, field=field_, path=component_id, fix=fix)

    if runtime not in DEFAULT_VERSIONS:
        raise fail("runtime", f"runtime {runtime!r} is not supported", f"use one of {sorted(DEFAULT_VERSIONS)}")
    version = version or DEFAULT_VERSIONS[runtime]
    problem = runtime_version_problem(runtime, version, sku)
    if problem:
        raise fail("version", problem, f"pass version={supported_versions(runtime, sku)[-1]!r} "
                   f"(or one of {', '.join(supported_versions(runtime, sku))})")
    camel = {"queueName": "queue_name", "runOnStartup": "run_on_startup", "authLevel": "auth_level"}
    specs: dict[str, FunctionSpec] = {}
    for name, spec in functions.items():
        if isinstance(spec, Mapping):
            spec = {camel.get(k, k): (tuple(v) if k == "methods" and isinstance(v, list) else v) for k, v in spec.items()}
        specs[name] = validated_function_spec(component_id, name, spec)
    for key in environment_variables:
        if not _SETTING_NAME.match(key):
            raise fail("environment_variables", f"app setting name {key!r} may contain only letters, digits, '.' "
                       "and '_' (App Service's rule)", f"rename it, e.g. {re.sub(r'[^A-Za-z0-9_.]', '_', key)!r}")
    for extension in extensions:
        if not _EXTENSION.match(extension):
            raise fail("extensions", f"extension {extension!r} is not 'name@version'",
                       "write it as 'Microsoft.Azure.WebJobs.Extensions.Storage@5.3.0'")
    for key, value in environment_variables.items():
        if not isinstance(value, (str, Expr)):
            raise fail("environment_variables", f"environment variable {key} must be a string, not "
                       f"{type(value).__name__}", f"pass str({value!r})")
    source = Path(source_directory) if source_directory is not None else None
    if source is not None and not is_directory(source):
        raise fail("source_directory", f"source directory {shown(str(source), 120)} ({shown(str(absolute(source)), 160)}) "
                   "does not exist",
                   "pass the folder that holds your handlers module (relative paths start at the current directory)")
    if runtime != "python" and source is not None:
        raise fail("source_directory", f"code packaging is built for Python; runtime {runtime!r} apps are created "
                   "without a package", "deploy non-Python code with your own tooling, or use runtime='python'")
    if runtime == "python" and specs and source is None:
        raise fail("source_directory", "functions need source_directory, the folder with their handlers",
                   "pass source_directory='./functions' holding handlers.py")
    return FunctionsAppConfig(runtime=runtime, version=version,  # type: ignore[arg-type]
                              functions=specs, source_directory=source,
                              environment_variables=dict(environment_variables), sku=sku,  # type: ignore[arg-type]
                              always_on=always_on, extensions=tuple(extensions), priority=priority,
                              secrets=check_secret_names(component_id, secrets))


class FunctionsApp(Component):
    """Your own functions (HTTP, queue and timer triggers) from a source directory.

    Joins the backend's shared Function App when runtime and version match; otherwise it gets a
    separate app (with a warning in the plan). ``FunctionsApp(scope, id, ...)`` creates its own app.
    For Python, atakora packages ``source_directory`` with generated bindings; for other runtimes it
    builds the infrastructure only (the app, its plan, the queues that queue triggers read, sizing by
    function count) and you deploy the code. ``extensions`` ('name@version') decide sharing: apps
    whose members need different versions of one extension are split; Python apps get every binding
    from the Functions extension bundle.
    """

    config: FunctionsAppConfig

    component_type = "FunctionsApp"

    @validated
    def __init__(self, scope: Construct, id: str, *, runtime: Runtime = "python", version: str | None = None,
                 functions: Mapping[str, FunctionSpec | Mapping[str, Any]] | None = None,
                 source_directory: str | Path | None = None,
                 environment_variables: Mapping[str, str | Expr] | None = None, sku: Sku = "FC1",
                 always_on: bool = False, extensions: Sequence[str] = (), priority: int = 10,
                 secrets: Sequence[str] = ()) -> None:
        config = _make_config(id, runtime, version, functions or {}, source_directory, environment_variables or {},
                              sku, always_on, extensions, priority, secrets)
        self._build_standalone(scope, id, config)

    def _setup(self) -> None:
        self.functions_app: SharedFunctionApp | None = None
        self.identity: UserAssignedIdentity | None = None


    @classmethod
    @validated
    def define(cls, id: str, *, runtime: Runtime = "python", version: str | None = None,
               functions: Mapping[str, FunctionSpec | Mapping[str, Any]] | None = None,
               source_directory: str | Path | None = None,
               environment_variables: Mapping[str, str | Expr] | None = None, sku: Sku = "FC1",
               always_on: bool = False, extensions: Sequence[str] = (), priority: int = 10
               , previous_ids: Sequence[str] = (), protect: bool = False,
               secrets: Sequence[str] = ()) -> ComponentDefinition[FunctionsApp]:
        """Define a FunctionsApp for a backend.

        ``functions`` maps names to {trigger: 'http'|'queue'|'timer', route, methods, queue_name,
        schedule, handler}; handlers default to ``handlers:<name_in_snake_case>`` in
        ``source_directory``. Defaults: Python 3.11 on Flex Consumption (FC1), no always-on.
        ``previous_ids`` (default none): ids the component was deployed with; it keeps the first one's
        identity in Azure (tags, app settings), so a rename changes nothing there. ``protect`` (default
        False): refuse any deployment that loses its data, even with ``--allow-data-loss``.
        ``secrets`` (default none): names of app settings that hold secrets, read from the backend's Key
        Vault as Key Vault references with this component's identity (``atakora secrets set`` stores them).
        """
        config = _make_config(id, runtime, version, functions or {}, source_directory, environment_variables or {},
                              sku, always_on, extensions, priority, secrets)
        return cls._definition(id, config, previous_ids=previous_ids, protect=protect)

    def get_requirements(self) -> Sequence[ResourceRequirement]:
        """Functions (runtime, version, plan, settings) and Storage (host storage and trigger queues)."""
        c = self.config
        queues = self._own_queues()
        routes = tuple(sorted({s.route or name for name, s in c.functions.items() if s.trigger == "http"}))
        return [
            ResourceRequirement("functions", SHARED_KEY, FunctionsRequirementConfig(
                runtime=c.runtime, version=c.version, sku=c.sku, always_on=c.always_on,
                environment_variables=dict(c.environment_variables), extensions=c.extensions,
                function_count=len(c.functions), routes=routes, secret_owner=self.component_id if c.secrets else None),
                c.priority, component_id=self.component_id),
            ResourceRequirement("storage", SHARED_KEY, StorageRequirementConfig(queues=queues), c.priority,
                                component_id=self.component_id),
        ]

    def _own_queues(self) -> tuple[str, ...]:
        """The storage queues this component's queue triggers read (not '%SETTING%' references)."""
        return tuple(sorted({s.queue_name for s in self.config.functions.values() if s.trigger == "queue"
                             and s.queue_name and not s.queue_name.startswith("%")}))

    def validate_resources(self, resources: ResourceMap) -> ValidationResult:
        """A Function App was injected."""
        if isinstance(resources.get(f"functions:{SHARED_KEY}"), SharedFunctionApp):
            return ValidationResult.of()
        return ValidationResult.of([f"no Function App was injected for {self.component_id}"])

    def initialize(self, resources: ResourceMap, scope: Construct) -> None:
        """Give this component its own identity (with roles on its own queues) and add its functions."""
        functions = resources[f"functions:{SHARED_KEY}"]
        if not isinstance(functions, SharedFunctionApp):
            raise ConfigurationError(f"{self.component_id} needs an injected Function App", path=self.node.path)
        self.functions_app = functions
        c = self.config
        prefix = default_settings_prefix(self.component_id)
        self.identity = identity = functions.identity_for(self.component_id, prefix)
        functions.add_secrets(self.component_id, prefix, c.secrets)
        storage = resources.get(f"storage:{SHARED_KEY}")
        if isinstance(storage, SharedStorage):
            for name in self._own_queues():
                if scope.node.try_find_child(f"{identity.node.id}-QueueContributor-{name}") is not None:
                    continue  # the shared identity already holds it
                RoleAssignment(scope, f"{identity.node.id}-QueueContributor-{name}",
                               role=BuiltInRole.STORAGE_QUEUE_DATA_CONTRIBUTOR, principal=identity,
                               target=storage.queues[name])
        if c.functions and c.source_directory is not None:
            functions.add_user_functions(UserFunctionsCode(
                component_id=self.component_id, source_directory=c.source_directory, functions=dict(c.functions),
                settings_prefix=default_settings_prefix(self.component_id)))

    @property
    def api_base_url(self) -> Expr:
        """``https://<host>/api`` of the app this component runs in."""
        if self.functions_app is None:
            raise ConfigurationError(f"{self.component_id} has no app before it is added to a stack",
                                     path=self.node.path, fix="call backend.add_to_stack(stack) first")
        return self.functions_app.api_base_url

    def get_outputs(self) -> Mapping[str, Any]:
        """api_base_url and the function names."""
        return {"api_base_url": self.api_base_url, "functions": sorted(self.config.functions)}
