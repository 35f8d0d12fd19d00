"""The Backend: collects requirements, plans sharing, provisions through providers, injects resources."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any, Generic, TypeVar, overload

from ..core.app import App, scratch_app
from ..core.assembly_files import PlanBackend, read_assembly_items
from ..core.construct import Construct
from ..core.expressions import Expr
from ..core.gcpause import gc_paused
from ..core.stack import ResourceGroupStack, Stack
from ..core.synthesis.indented import LazyList
from ..core.synthesis.streamed import JsonData, TextPieces
from ..errors import AtakoraError, ConfigurationError, ConstructError
from .component import BackendComponent, ComponentDefinition, is_backend_component
from .components import Components, DynamicComponents, as_definitions
from .config import BackendConfig, parse_backend_config
from .cors import CorsPolicy
from .diagram import write_backend_diagram
from .naming import DefaultNamingConvention, NamingConvention
from .owners import OwnerTracker, owners_artifact, owners_document
from .plan import SharingPlan
from .planner import PlanInput, make_plan
from .providers import default_providers
from .providers.base import ProviderContext, ProviderRegistry
from .providers.identities import access_summary
from .requirements import FunctionsRequirementConfig, ResourceRequirement
from .tags import backend_tags, shared_resource_tags
from .validation import ValidationResult

__all__ = ["Backend", "BackendScope", "backends_of", "define_backend"]

CT = TypeVar("CT", bound=Components)

COMPONENT_OUTPUTS = "componentOutputs"
"""The stack output holding, per backend, each component's outputs (endpoints, names)."""


class BackendScope(Construct):
    """The construct under which a backend's shared resources and components live."""

    def __init__(self, scope: Construct, id: str, backend: Backend[Any]) -> None:
        super().__init__(scope, id)
        self.backend = backend


class Backend(Generic[CT]):
    """A set of components sharing Azure resources. Create it with ``define_backend``."""

    def __init__(self, components: Mapping[str, ComponentDefinition[Any]] | type[CT], config: BackendConfig) -> None:
        self.config = config
        self._components_type: type[Components] = (
            components if isinstance(components, type) else DynamicComponents)
        self._definitions: dict[str, ComponentDefinition[Any]] = {}
        self._id_keys: dict[str, tuple[int, str]] = {}
        """Each component id and deployed id, to the position and key of the first definition carrying it."""
        for key, definition in as_definitions(components).items():
            self._add_definition(definition, key)
        self.registry = ProviderRegistry([*default_providers(), *config.providers])
        self._instances: dict[str, BackendComponent] = {}
        self.resources: dict[str, Any] = {}
        """Shared resources by ``type:key`` (``type:key#group/n`` for additional ones of a split)."""
        self._component_resources: dict[str, dict[str, Any]] = {}
        self._plan: SharingPlan | None = None
        self._naming: NamingConvention = self._naming_convention(config.location)
        self.scope: BackendScope | None = None
        self.owners: OwnerTracker | None = None
        """Which component made each resource (once added to a stack)."""

    # ----- identity and components ---------------------------------------------------------
    @property
    def backend_id(self) -> str:
        """The backend's id (config ``backend_id``, default 'backend'); part of every name."""
        return self.config.backend_id or "backend"

    @property
    def components(self) -> CT:
        """The component instances: attribute and mapping access (after ``add_to_stack``)."""
        return self._components_type(self._component, list(self._definitions))  # type: ignore[return-value]

    def _component(self, key: str) -> BackendComponent:
        if key not in self._instances:
            raise ConstructError(
                f"component {key!r} exists once the backend is added to a stack",
                fix="call backend.add_to_stack(stack) before using backend.components")
        return self._instances[key]

    def _add_definition(self, definition: ComponentDefinition[Any], key: str | None) -> None:
        if not isinstance(definition, ComponentDefinition):
            raise ConfigurationError(
                f"component {key!r} is {type(definition).__name__}, not a component definition", field=key or "",
                fix="pass definitions such as CrudApi.define('UserApi', ...) or ComponentDefinition(...)")
        name = key or _attribute_name(definition.component_id)
        if name in self._definitions:
            raise ConfigurationError(f"two components use the key {name!r}", field=name,
                                     fix="give each component a distinct key")
        ids = {definition.component_id, definition.deployed_id}
        clash = sorted(self._id_keys[i] for i in ids if i in self._id_keys)
        if clash:
            raise ConfigurationError(f"components {clash[0][1]!r} and {name!r} both have id "
                                     f"{definition.component_id!r}",
                                     field=name, fix="component ids must be unique within a backend")
        for identifier in ids:
            self._id_keys[identifier] = (len(self._definitions), name)
        self._definitions[name] = definition

    @property
    def definitions(self) -> Mapping[str, ComponentDefinition[Any]]:
        """The component definitions by key."""
        return dict(self._definitions)

    def add_component(self, definition: ComponentDefinition[Any], key: str | None = None) -> None:
        """Add a component before the backend is added to a stack (key: snake_case of its id by default)."""
        if self.scope is not None:
            raise ConstructError("components cannot be added after add_to_stack",
                                 fix="add every component before calling backend.add_to_stack(stack)")
        self._add_definition(definition, key)
        self._plan = None

    # ----- requirements and plan ------------------------------------------------------------
    def _instantiate(self, scope: Construct) -> dict[str, BackendComponent]:
        instances: dict[str, BackendComponent] = {}
        # Sorted by id: the order in which components were defined never changes the output.
        for key, definition in sorted(self._definitions.items(), key=lambda kv: kv[1].deployed_id):
            instance = definition.factory(scope, definition.deployed_id, definition.config, {})
            if not is_backend_component(instance):
                raise ConfigurationError(
                    f"the factory of {definition.component_id!r} returned {type(instance).__name__}, which lacks the "
                    "component protocol", field="factory",
                    fix="return an object with component_id, component_type, config, get_requirements(), "
                    "initialize(), validate_resources() and get_outputs()")
            instances[key] = instance
        return instances

    def _requirements(self, instances: Mapping[str, BackendComponent]) -> list[ResourceRequirement]:
        from .requirements import MonitoringRequirementConfig

        found: list[ResourceRequirement] = []
        monitoring = self.config.monitoring
        # One config for every component's monitoring requirement: they are equal (the backend's setting).
        watched = MonitoringRequirementConfig(
            retention_days=monitoring.retention_days, sampling_percentage=monitoring.sampling_percentage,
            workspace_name=monitoring.workspace_name) if monitoring is not None else None
        for instance in instances.values():
            for req in _hook(instance, "get_requirements")():
                if not isinstance(req, ResourceRequirement):
                    req = _coerce_requirement(req, instance.component_id)
                elif not req.component_id:
                    req = ResourceRequirement(req.resource_type, req.requirement_key, req.config, req.priority,
                                              req.validators, instance.component_id, req.shares_throughput)
                found.append(_with_backend_auth(req, self.config))
            if watched is not None:
                found.append(ResourceRequirement("monitoring", "shared", watched, component_id=instance.component_id))
        return found

    def _make_plan(self, instances: Mapping[str, BackendComponent], unique_seed: str) -> SharingPlan:
        from .cost.usage import current_usage

        self._naming = naming = self._naming_convention(unique_seed)
        usage = current_usage()
        plan = make_plan(PlanInput(
            backend_id=self.backend_id, environment=self.config.environment,
            components={i.component_id: i.component_type for i in instances.values()},
            requirements=self._requirements(instances), registry=self.registry, limits=self.config.limits,
            name_for=lambda resource_type, suffix: naming.format_resource_name(resource_type, self.backend_id, suffix),
            config=self.config, previous_placements=self._previous_placements(),
            stored_gb={i.component_id: usage.for_component(i.component_id).stored_gb for i in instances.values()}))
        self._config_warnings(plan)
        adaptations = getattr(naming, "adaptations", None)
        if isinstance(adaptations, dict):
            for entry in plan.resources:
                found = adaptations.get(entry.name)
                if found is not None:
                    entry.name_adaptation = found.describe()
        return plan

    def _naming_convention(self, unique_seed: str) -> NamingConvention:
        """The convention in force; a default convention without a seed gets this backend's (never mutated)."""
        given = self.config.naming
        if given is None or (isinstance(given, DefaultNamingConvention) and not given.unique_seed):
            environment = given.environment if isinstance(given, DefaultNamingConvention) else self.config.environment
            return DefaultNamingConvention(environment, unique_seed=unique_seed)
        return self.config.naming_convention

    def _config_warnings(self, plan: SharingPlan) -> None:
        for entry in plan.resources:
            if entry.resource_type == "functions":
                cors = getattr(entry.config, "cors", None) or CorsPolicy.parse(self.config.cors,
                                                                                path=self.backend_id)
                if cors is not None and cors.handled_by_app:
                    entry.notes.append(
                        "CORS is answered by the app's code, not App Service (siteConfig.cors is not set): "
                        "App Service CORS cannot limit methods (allowed_methods) or send a preflight max_age")
            auth = getattr(entry.config, "auth", None) if entry.resource_type == "functions" else None
            if entry.resource_type == "functions" and (auth or self.config.auth) == "anonymous":
                plan.warnings.append(
                    f"Function App {entry.name} ({', '.join(entry.members)}) accepts anonymous requests "
                    "(auth='anonymous'): anyone who can reach it can read and change its data; use "
                    "auth={'provider': 'entra', ...} or auth='function' unless the API is meant to be public")
        autoscale = self.config.auto_scale
        cosmos = [e for e in plan.resources if e.resource_type == "cosmos"]
        if autoscale is not None and cosmos and all(getattr(e.config, "enable_serverless", False) for e in cosmos):
            plan.warnings.append("auto_scale applies to provisioned Cosmos DB throughput, but every account here is "
                                 "serverless; set enable_serverless=False on the components that need autoscale")
        elif autoscale is not None and self.config.monitoring is None:
            plan.warnings.append("auto_scale.target_utilization is watched by an alert, which needs monitoring; "
                                 "set monitoring=True")

    def plan(self) -> SharingPlan:
        """The sharing plan (computed without creating resources when not yet added to a stack).

        Before ``add_to_stack`` the hashes in globally unique names are provisional: once added, they
        also depend on the stack's resource group, so that two backends alike in all else never clash.
        """
        if self._plan is None:
            stack = ResourceGroupStack(scratch_app(), "Plan", resource_group_name="rg-plan", location=self.config.location)
            self._plan = self._make_plan(self._instantiate(BackendScope(stack, self.backend_id, self)),
                                         self.config.location)
        return self._plan

    def _previous_placements(self) -> dict[str, str] | None:
        if self.scope is None:
            return None
        app = self.scope.node.find_ancestor(App)
        previous = (app.effective_outdir if app else Path("atakora.out")) / "plan.json"
        packed = _previous_plan(previous).get((self.backend_id, self.config.environment))
        return _placements(json.loads(packed)) if packed is not None else None

    def validate(self) -> ValidationResult:
        """Plan and check everything without raising: ``ValidationResult(valid, errors, warnings)``."""
        try:
            plan = self._plan if self._plan is not None else self.plan()
        except AtakoraError as error:
            return ValidationResult.of([str(error)])
        result = ValidationResult.of([], list(plan.warnings))
        for entry in plan.resources:
            provider = self.registry.for_requirement(entry.requirements[0])
            result = result + provider.validate_merged(entry.merged_requirement)
        if self.scope is not None:
            for instance in self._instances.values():
                result = result + _hook(instance, "validate_resources")(
                    self._component_resources.get(instance.component_id, {}))
        return result

    # ----- provisioning ---------------------------------------------------------------------
    def add_to_stack(self, stack: Stack, *, scope_id: str | None = None) -> None:
        """Create the shared resources and the components in ``stack`` (once).

        ``scope_id`` names the construct that holds them (default: the backend id).
        """
        from .providers.functions import SharedFunctionApp  # not with the package: importing it costs

        with gc_paused():
            self._add_to_stack(stack, scope_id)
        for shared in self.resources.values():
            if isinstance(shared, SharedFunctionApp):
                shared.build_package_ahead(stack.app)

    def _add_to_stack(self, stack: Stack, scope_id: str | None) -> None:
        if self.scope is not None:
            raise ConstructError(f"backend {self.backend_id!r} was already added to a stack",
                                 fix="create another backend for another stack")
        if not isinstance(stack, ResourceGroupStack):
            raise ConfigurationError("a backend deploys into a resource group", field="stack",
                                     fix="pass a ResourceGroupStack")
        stack.app.work_ahead.start()  # the packages of the backends added before are built meanwhile
        for other in backends_of(stack.app):
            other_stack = other.scope.node.scope if other.scope is not None else None
            if (isinstance(other_stack, ResourceGroupStack) and other_stack is not stack
                    and other_stack.resource_group_name.lower() == stack.resource_group_name.lower()
                    and other_stack.subscription_id == stack.subscription_id
                    and (other.backend_id, other.config.environment) == (self.backend_id, self.config.environment)):
                raise ConfigurationError(
                    f"stacks {other_stack.node.path!r} and {stack.node.path!r} deploy backend {self.backend_id!r} "
                    f"({self.config.environment}) into resource group {stack.resource_group_name!r}: their resources "
                    "would get the same names and the second deployment would replace the first",
                    field="backend_id", path=stack.node.path,
                    fix="give each backend its own id: define_backend(..., backend_id='orders')")
        scope_name = scope_id or self.backend_id
        if stack.node.try_find_child(scope_name) is not None:
            raise ConfigurationError(
                f"the stack already holds a construct named {scope_name!r} (another backend with the same backend_id?)",
                field="backend_id", path=stack.node.path,
                fix="give each backend in a stack its own id: define_backend(..., backend_id='orders')")
        self.scope = BackendScope(stack, scope_name, self)
        try:
            instances = self._instantiate(self.scope)
            self._plan = plan = self._make_plan(instances, _unique_seed(stack, self.config.location))
        except AtakoraError:
            stack.node.remove_child(self.scope.node.id)  # leave the stack as it was, so a fix can retry
            self.scope, self._plan = None, None
            raise
        errors: list[str] = []
        fields: list[str] = []
        for entry in plan.resources:
            provider = self.registry.for_requirement(entry.requirements[0])
            check = provider.validate_merged(entry.merged_requirement)
            if provider.exclusive and len(set(entry.members)) > 1:
                errors.append(f"components {', '.join(sorted(set(entry.members)))} would share one "
                              f"{provider.display_name or entry.resource_type} (key {entry.requirement_key!r}), "
                              "which serves one component; give them ids that differ in more than case and hyphens")
                fields.append(entry.key)
            errors.extend(f"{entry.key} ({', '.join(entry.members)}): {e}" for e in check.errors)
            fields.extend(entry.key for _ in check.errors)
        if errors:
            from ..errors import ValidationError

            raise ValidationError(errors, what=f"backend {self.backend_id!r}", path=stack.node.path, field=fields[0],
                                  fix="change the named components' settings as each error says")
        self.owners = tracker = OwnerTracker(self.scope)
        self._provision(plan, stack)
        for key, instance in instances.items():
            self._instances[key] = instance
            resources = self._component_resources[instance.component_id]
            _hook(instance, "initialize")(resources, self.scope)
            tracker.component_built(instance.component_id)
            result = _hook(instance, "validate_resources")(resources)
            if not result.valid:
                from ..errors import ValidationError

                raise ValidationError([f"[{instance.component_id}] {e}" for e in result.errors],
                                      what=f"component {instance.component_id!r}", path=stack.node.path,
                                      field=instance.component_id,
                                      fix="the component's validate_resources names what its resources lack")
        plan.access = access_summary(self.scope, self.config.identity)
        self._add_outputs(stack)
        for rule in self.config.rules:
            stack.app.add_rule(rule)
        _register_plan_artifact(self)

    def _add_outputs(self, stack: Stack) -> None:
        """Each component's outputs (endpoints, names) in the stack's one ``componentOutputs`` object output."""
        assert self.scope is not None
        values: dict[str, Any] = {}
        for instance in sorted(self._instances.values(), key=lambda i: i.component_id):
            shown = {k: v for k, v in _hook(instance, "get_outputs")().items() if _output_value(v)}
            if shown:
                values[instance.component_id] = shown
        if not values:
            return
        output = stack.outputs.get(COMPONENT_OUTPUTS)
        if output is None:
            output = stack.add_output(COMPONENT_OUTPUTS, {}, type="object")
        output.value[self.scope.node.id] = values

    def _provision(self, plan: SharingPlan, stack: Stack) -> None:
        assert self.scope is not None and self.owners is not None
        tracker = self.owners
        by_component: dict[str, dict[str, Any]] = {i: {} for i in plan.components}
        ordered = sorted(plan.resources, key=lambda e: self.registry.for_requirement(e.requirements[0]).provision_order)
        base_tags = backend_tags(self.config)
        for entry in ordered:
            provider = self.registry.for_requirement(entry.requirements[0])
            context = ProviderContext(
                backend=self, naming=self._naming,
                tags=shared_resource_tags(base_tags, entry.members), location=self.config.location,
                environment=self.config.environment, existing_resources=self.resources, config=self.config,
                stack=stack, plan_entry=entry,
                resource_lookup=lambda component, key: by_component.get(component, {}).get(key))
            resource = provider.provide_resource(entry.merged_requirement, self.scope, context)
            tracker.entry_built(entry)
            self.resources[entry.key] = resource
            key = f"{entry.resource_type}:{entry.requirement_key}"  # one string for every member's map
            for member in entry.members:
                by_component.setdefault(member, {})[key] = resource
        self._component_resources = by_component

    @overload
    def get_resource(self, resource_type: str, key: str | None = None) -> Any: ...

    @overload
    def get_resource(self, resource_type: str, key: str | None, *, component: str) -> Any: ...

    def get_resource(self, resource_type: str, key: str | None = None, *, component: str | None = None) -> Any:
        """The shared resource construct of ``resource_type`` (and ``key``; the first of the type when None).

        It is the typed resource itself (``functions``: the FunctionApp, ``cosmos``: the
        CosmosDbAccount, ``storage``: the StorageAccount, ``monitoring``: the ApplicationInsights,
        ``servicebus``: the namespace, ``frontdoor``: the profile), so it can be passed to any typed
        resource. None when the backend has no such resource. :meth:`get_shared` gives what the
        provider handed to components (the account with its databases and grants, ...).
        """
        shared = self.get_shared(resource_type, key, component=component)
        primary = getattr(shared, "primary_resource", None)
        return primary if primary is not None else shared

    def get_shared(self, resource_type: str, key: str | None = None, *, component: str | None = None) -> Any:
        """What the provider of ``resource_type`` created (and ``key``), as components receive it, or None."""
        if component is not None:
            return self._component_resources.get(component, {}).get(f"{resource_type}:{key or 'shared'}")
        if key is not None:
            return self.resources.get(f"{resource_type}:{key}")
        return next((r for k, r in self.resources.items() if k.split(":", 1)[0] == resource_type), None)


_previous_plans: dict[tuple[Path, int, int, int], dict[tuple[str, str], bytes]] = {}


def _hook(instance: BackendComponent, name: str) -> Callable[..., Any]:
    """``instance``'s protocol method ``name``; an exception other than an AtakoraError it raises (a custom
    component's own bug) becomes a ConfigurationError naming the component and the method."""
    method = getattr(instance, name)

    def call(*args: Any) -> Any:
        try:
            return method(*args)
        except AtakoraError:
            raise
        except Exception as error:
            raise ConfigurationError(
                f"component {instance.component_id!r} ({instance.component_type}) raised {type(error).__name__} in "
                f"{name}(): {error}", field=name, path=str(instance.component_id),
                fix=f"correct the component's {name}() (or the config it reads); atakora -v shows the traceback",
            ) from error

    return call


def _placements(kept: dict[str, Any]) -> dict[str, str]:
    """A backend's previous placements by ``type:requirementKey:component`` (and its Cosmos database placements
    and highest shared RU/s), from what :func:`_previous_plan` keeps of its plan."""
    placements = {f"{kind}:{key}:{member}": entry for kind, key, entry, members in kept["resources"]
                  for member in members}
    placements.update({f"cosmos-database:{c}": str(d) for c, d in kept["databases"].items()})
    placements.update({f"cosmos-highest-rus:{d}": str(r) for d, r in kept["highest"].items()})
    return placements


def _previous_plan(path: Path) -> dict[tuple[str, str], bytes]:
    """The placements of a written ``plan.json`` by (backend id, environment), read once per file version and
    kept as each backend's JSON (parsed when that backend plans: kept as dictionaries, the placements of a large
    program would hold megabytes through the whole synthesis)."""
    try:
        stat = path.stat()
    except OSError:
        return {}
    key = (path.resolve(), stat.st_ino, stat.st_mtime_ns, stat.st_size)
    found = _previous_plans.get(key)
    if found is None:
        found = {}
        for backend in read_assembly_items(path, "backends", PlanBackend):  # one at a time: never the whole plan
            where = (backend.get("backendId"), backend.get("environment"))
            if where not in found:
                kept = {"resources": [[r["type"], r["requirementKey"], r["key"], r.get("members", [])]
                                      for r in backend.get("resources", [])],
                        "databases": backend.get("databasePlacements") or {},
                        "highest": backend.get("sharedThroughputHighest") or {}}
                found[where] = json.dumps(kept, separators=(",", ":")).encode()
        _previous_plans.clear()  # only the newest file is worth keeping
        _previous_plans[key] = found
    return found


def _output_value(value: Any) -> bool:
    if type(value) is str:  # the usual output
        return True
    if isinstance(value, (list, tuple)):
        return all(_output_value(v) for v in value)
    return isinstance(value, (str, int, float, bool, Expr))


def _attribute_name(component_id: str) -> str:
    out: list[str] = []
    for i, ch in enumerate(component_id):
        if ch.isupper() and i and (component_id[i - 1].islower() or component_id[i - 1].isdigit()):
            out.append("_")
        out.append("_" if ch in "-. " else ch.lower())
    return "".join(out)


def _coerce_requirement(value: Any, component_id: str) -> ResourceRequirement:
    """Accept seed-style plain mappings ``{resource_type, requirement_key, config, priority}``."""
    if isinstance(value, Mapping):
        get = value.get
        rtype = get("resource_type", get("resourceType"))
        rkey = get("requirement_key", get("requirementKey"))
        if isinstance(rtype, str) and isinstance(rkey, str):
            return ResourceRequirement(rtype, rkey, get("config", {}), int(get("priority", 10)),
                                       tuple(get("validators", ())), component_id)
    raise ConfigurationError(f"component {component_id!r} returned a requirement that is not a ResourceRequirement",
                             field="get_requirements", path=component_id,
                             fix="return ResourceRequirement(resource_type, requirement_key, config, priority)")


def backends_of(app: App) -> list[Backend[Any]]:
    """The backends added to stacks of ``app``, in the order they were added."""
    return [data for kind, data in app.node.metadata if kind == _BACKEND_METADATA]


_BACKEND_METADATA = "atakora:backend"


def _register_plan_artifact(backend: Backend[Any]) -> None:
    assert backend.scope is not None
    app = backend.scope.node.find_ancestor(App)
    if app is None:
        return
    app.node.add_metadata(_BACKEND_METADATA, backend)
    # Serialized once, each backend's part made only when the writer reaches it (the assembly keeps the bytes
    # written; rules parse them only when they look).
    app.add_artifact("plan.json", lambda: JsonData(
        {"version": "1.0", "backends": LazyList(b.plan().to_json() for b in backends_of(app))},
        lambda: {"version": "1.0", "backends": [b.plan().to_json() for b in backends_of(app)]}), pure=True,
        reads_units=False)
    app.add_artifact("diagram.mmd", lambda: TextPieces(
        lambda put: write_backend_diagram(put, backends_of(app), app.rendered_units)), pure=True)
    app.add_artifact("components.json", lambda: _owners(app), pure=True, reads_units=False)


def _owners(app: App) -> JsonData:
    """components.json: the owners of every backend's resources, stack by stack."""
    trackers = [b.owners for b in backends_of(app) if b.owners]
    protected = [d.deployed_id for b in backends_of(app) for d in b.definitions.values() if d.protect]
    return JsonData(owners_document(trackers, protected), lambda: owners_artifact(trackers, protected))


@overload
def define_backend(components: type[CT], *, config: BackendConfig | None = None, **fields: Any) -> Backend[CT]: ...


@overload
def define_backend(components: Mapping[str, ComponentDefinition[Any]], *, config: BackendConfig | None = None,
                   **fields: Any) -> Backend[DynamicComponents]: ...


@overload
def define_backend(components: None = None, *, config: BackendConfig | None = None,
                   **fields: Any) -> BackendBuilder: ...


def define_backend(components: Mapping[str, ComponentDefinition[Any]] | type[CT] | None = None, *,
                   config: BackendConfig | None = None, **fields: Any) -> Backend[Any] | BackendBuilder:
    """Define a backend from components (a mapping or a ``Components`` class) and configuration.

    Config fields are keyword arguments (``environment='prod'``, ``monitoring=True``) or
    ``config=BackendConfig(...)``. Without components it returns a ``BackendBuilder`` (seed 003 ex. 4).
    """
    parsed = parse_backend_config(config, fields)
    if components is None:
        return BackendBuilder(config=parsed)
    return Backend(components, parsed)


from .builder import BackendBuilder


def _with_backend_auth(req: ResourceRequirement, config: BackendConfig) -> ResourceRequirement:
    """A Functions requirement without its own ``auth`` gets the backend's when that is not the default
    (function keys), so members compare and the plan shows the authentication in force."""
    if (req.resource_type != "functions" or not isinstance(req.config, FunctionsRequirementConfig)
            or req.config.auth is not None or config.auth == "function"):
        return req
    return replace(req, config=replace(req.config, auth=config.auth))


def _unique_seed(stack: ResourceGroupStack, location: str) -> str:
    """What the hash of globally unique names includes: the App's project id (when the program has one),
    the resource group and the location."""
    project = stack.app.project_id
    base = f"{stack.resource_group_name}/{location}"
    return f"{project}/{base}" if project else base
