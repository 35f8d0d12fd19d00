"""The default Functions provider: one Function App per runtime and version, holding every member's code."""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from typing import TYPE_CHECKING, Any, Protocol

from ...core.app import App
from ...core.assets import Asset
from ...core.construct import Construct
from ...core.expressions import Expr, concat
from ...core.synthesis.ahead import same_objects
from ...core.synthesis.assembly import JsonFile, StagedJsonFile
from ...core.tokens import check_no_tokens
from ...errors import ConfigurationError, ProviderError, SynthesisError
from ...resources.authorization import BuiltInRole, RoleAssignment
from ...resources.storage import BlobContainer
from ...resources.web import AppServicePlan, FunctionApp
from ...resources.web_auth import EntraAuthSettings
from ..config import AuthSetting, EntraAuthConfig, ResourceLimits
from ..cors import CorsPolicy
from ..merge import FieldRule
from ..requirements import FunctionsRequirementConfig, ResourceRequirement
from ..tags import backend_tags
from ..validation import ValidationResult
from .base import BaseProvider, Compatibility, MergeReport, ProviderContext, typed_config
from .cosmos import PREFERRED_LOCATIONS_SETTING, preferred_locations
from .identities import ComponentIdentities, ComponentIdentity
from .monitoring import SharedMonitoring
from .network import network_for
from .secrets import SHARED_OWNER, BackendVault, vault_for
from .storage import SharedStorage

if TYPE_CHECKING:
    from ...core.synthesis.writer import Staging
    from ...runtime.spec import CrudSpec

__all__ = ["FunctionsProvider", "PackageBuilder", "SharedFunctionApp", "register_package_builder"]

_ZIP = "zip"
"""The package's own file among those built ahead (with its OpenAPI document)."""

OPENAPI_DOCUMENT = "openapi.json"
"""The package file holding the Function App's OpenAPI document (copied to ``openapi/<app>.json``)."""


class BuiltPackage(Protocol):
    """What a package builder returns: the deterministic zip of the app's code."""

    def zip_bytes(self) -> bytes:
        """The package as zip bytes."""
        ...

    def zip_pieces(self) -> Sequence[bytes]:
        """:meth:`zip_bytes` as the pieces it joins (shared runtime files: the same objects in every package)."""
        ...

    @property
    def files(self) -> Mapping[str, bytes]:
        """The package's files by path (``openapi.json`` among them when it has CrudApis)."""
        ...


class PackageBuilder(Protocol):
    """Builds one Function App's package from its CrudApis and user function groups."""

    def __call__(self, *, crud_apis: Sequence[CrudSpec], user_functions: Sequence[Any],
                 python_version: str) -> BuiltPackage: ...


_package_builder: PackageBuilder | None = None


def register_package_builder(builder: PackageBuilder) -> None:
    """Set the code generator that packages Function Apps (the components layer registers its own).

    The backend never imports components: the layer that adds code to an app provides the builder.
    """
    global _package_builder
    _package_builder = builder

FUNCTIONS_PER_APP = 200
"""The practical number of functions per app (seed 000: 'Total functions < 200')."""

SKU_SCALE = ("FC1", "B1", "B2", "B3", "S1", "S2", "S3", "P1v3", "P2v3", "P3v3", "EP1", "EP2", "EP3")
"""Plans from least to most capable, for the maximum strategy."""


@dataclass
class SharedFunctionApp:
    """What components get for ``functions:<key>``: the app, its plan, its storage, its code package."""

    site: FunctionApp
    plan: AppServicePlan
    storage: SharedStorage
    deployment_container: BlobContainer | None
    """The Flex Consumption deployment container (None on the other plans)."""
    runtime: str
    runtime_version: str
    crud_apis: list[CrudSpec] = field(default_factory=list)
    user_functions: list[Any] = field(default_factory=list)
    """The FunctionsApp components' code (``atakora.components.codegen.UserFunctionsCode``)."""
    package: Asset | None = None
    auth: AuthSetting = "function"
    """How callers authenticate to this app: Entra ID (``authsettingsV2`` in front), function keys or none."""
    auth_settings: EntraAuthSettings | None = None

    identities: ComponentIdentities | None = field(default=None, repr=False)
    vault: Callable[[], BackendVault] | None = field(default=None, repr=False)
    """The backend's Key Vault, created on first use."""
    shared_secrets: tuple[str, ...] = ()
    """The backend's own ``secrets=``: every component's identity may read them."""
    cors: CorsPolicy | None = None
    """The app's CORS settings (``siteConfig.cors``), honoured by ``atakora dev`` too."""
    release_container: BlobContainer | None = None
    """Elastic Premium and dedicated plans: the container whose blob ``<app>.zip`` the app runs from."""

    @property
    def primary_resource(self) -> FunctionApp:
        """The site itself: what ``backend.get_resource(...)`` returns, to pass to typed resources."""
        return self.site

    @property
    def principal_id(self) -> Expr:
        """The app's system-assigned identity (the host's: host storage and monitoring only)."""
        return self.site.principal_id

    def identity_for(self, component_id: str, settings_prefix: str) -> ComponentIdentity:
        """The user-assigned identity ``component_id``'s code uses for data (created once, attached here)."""
        if self.identities is None:
            raise ProviderError(f"the Function App {self.site.node.path} was built without component identities",
                                path=component_id, fix="create the app with FunctionsProvider")
        fresh = component_id not in self.identities.attached
        identity = self.identities.for_component(component_id, settings_prefix)
        if fresh and self.shared_secrets:
            vault = self._vault(component_id)
            for name in self.shared_secrets:
                secret = vault.grant(SHARED_OWNER, name, identity)
                if name.lower() not in {n.lower() for n in self.site.app_settings}:
                    self.site.add_app_setting(name, vault.reference(secret))
        return identity

    def _vault(self, component_id: str) -> BackendVault:
        if self.vault is None:
            raise ProviderError(f"the Function App {self.site.node.path} has no Key Vault", path=component_id,
                                fix="create the app with FunctionsProvider")
        return self.vault()

    def add_secrets(self, component_id: str, settings_prefix: str, names: Sequence[str]) -> None:
        """App settings ``NAME`` as Key Vault references to ``component_id``'s own secrets, read with its identity."""
        if not names:
            return
        identity = self.identity_for(component_id, settings_prefix)
        vault = self._vault(component_id)
        for name in names:
            secret = vault.grant(component_id, name, identity)
            self.site.add_app_setting(name, vault.reference(secret))
        self.site.use_key_vault_reference_identity(identity)

    def choose_reference_identity(self) -> None:
        """Shared secrets only: resolve references with the first member's identity (prepare phase)."""
        if self.site.key_vault_reference_identity is None and self.shared_secrets and self.identities is not None \
                and self.identities.attached:
            self.site.use_key_vault_reference_identity(next(iter(self.identities.attached.values())))

    @property
    def default_host_name(self) -> Expr:
        """``<name>.azurewebsites.net`` at deployment time."""
        return self.site.default_host_name

    @property
    def api_base_url(self) -> Expr:
        """``https://<host>/api``: the base of every HTTP route in the app."""
        return concat("https://", self.site.default_host_name, "/api")

    def add_app_setting(self, name: str, value: str | Expr) -> None:
        """Add an app setting; names are checked for duplicates across all member components."""
        self.site.add_app_setting(name, value)

    def add_crud_api(self, code: CrudSpec) -> None:
        """Add a CrudApi's generated handlers to the app's package."""
        self.crud_apis.append(code)

    def add_user_functions(self, code: Any) -> None:
        """Add a component's own functions (source directory and triggers) to the app's package."""
        self.user_functions.append(code)

    def _check_cors_covers_every_function(self) -> None:
        """CORS answered by the generated code reaches the CRUD APIs, not users' own HTTP functions."""
        if self.cors is None or not self.cors.handled_by_app:
            return
        owners = sorted({str(code.component_id) for code in self.user_functions for spec in code.functions.values()
                         if (spec.get("trigger") if isinstance(spec, Mapping) else getattr(spec, "trigger", None))
                         == "http"})
        if owners:
            raise ConfigurationError(
                f"cors allowed_methods/max_age on Function App {self.site.resource_name} are answered by the "
                f"generated CRUD code, which does not wrap the HTTP functions of {', '.join(owners)}",
                field="cors", path=",".join(owners),
                fix="give those components their own app (their own cors=), or keep only allowed_origins and "
                "support_credentials (App Service CORS then covers every function)")

    def _package_inputs(self) -> tuple[object, ...]:
        """What the package is built from (its CRUD APIs' specs are values that never change)."""
        return (_package_builder, self.runtime_version, *self.crud_apis, *self.user_functions)

    def build_package_ahead(self, app: App) -> None:
        """Have ``app`` build the package of the CRUD APIs added so far in a forked process, before synthesis
        (which takes it if the app still holds exactly these; apps with FunctionsApp code, whose files may
        change meanwhile, are built by synthesis)."""
        builder, version, crud_apis = _package_builder, self.runtime_version, tuple(self.crud_apis)
        if builder is None or not crud_apis or self.user_functions:
            return

        def make() -> dict[str, Sequence[bytes]] | None:
            package = builder(crud_apis=crud_apis, user_functions=(), python_version=version)
            document = package.files.get(OPENAPI_DOCUMENT)
            if document is None or b"${" in document:  # tokens are checked by synthesis, which builds it then
                return None
            return {_ZIP: package.zip_pieces(), OPENAPI_DOCUMENT: (document,)}

        app.work_ahead.submit(self.site, self._package_inputs(), make)

    def build_package(self) -> None:
        """Build the deterministic package of every member's code as an asset (prepare phase)."""
        if self.package is not None or not (self.crud_apis or self.user_functions):
            return
        self._check_cors_covers_every_function()
        if _package_builder is None:
            raise ConfigurationError("no Function App package builder is registered", field="functions",
                                     fix="import atakora.components (it registers the code generator)")
        builder, crud_apis, user_functions = _package_builder, self.crud_apis, self.user_functions
        flex = self.deployment_container is not None
        account = self.storage.account
        isolated = self.site.public_network_access == "Disabled" or account.network_default_action == "Deny"
        destination: dict[str, Any] = {"functionApp": self.site.resource_name,
                                       "deployment": "flex-consumption" if flex else "run-from-package",
                                       "storageAccount": account.resource_name, "isolated": isolated,
                                       "sitePrivate": self.site.public_network_access == "Disabled",
                                       "runtime": self.runtime, "runtimeVersion": self.runtime_version}
        if self.deployment_container is not None:
            destination["container"] = self.deployment_container.resource_name
        elif self.release_container is not None:
            destination.update(container=self.release_container.resource_name,
                               blob=release_blob(str(self.site.resource_name)))
        app = self.site.node.find_ancestor(App)
        document_file = f"openapi/{self.site.resource_name}.json" if crud_apis and app is not None else None
        staging = app.staging if app is not None else None
        inputs = self._package_inputs()
        made = app.work_ahead.take(self.site, inputs) if app is not None and staging is not None else None
        if made is not None and document_file is not None:
            assert staging is not None
            try:
                staging.adopt(document_file, made[OPENAPI_DOCUMENT].path)
            except SynthesisError:  # the file made ahead is unreadable: the package is built here
                made = None

        def build() -> Sequence[bytes]:
            package = builder(crud_apis=crud_apis, user_functions=user_functions, python_version=self.runtime_version)
            document = package.files.get(OPENAPI_DOCUMENT)
            # Built in the synthesis it was defined in: written with it.
            if document_file is not None and document is not None and app is not None and app.staging is staging \
                    and staging is not None:
                if b"${" in document:
                    check_no_tokens(document.decode("utf-8"), app.tokens, where=document_file)
                staging.add(document_file, document)
            return package.zip_pieces()

        asset = self.package = Asset(self.site, "Package", data=build, kind="function-package",
                                     destination=destination)
        if made is not None:
            # A later prepare hook may add to the app: then the package is built here, with the rest.
            asset.made_elsewhere(made[_ZIP].path, (made[_ZIP].sha256, made[_ZIP].size),
                                 lambda: same_objects(self._package_inputs(), inputs))
        if document_file is not None and app is not None:
            app.add_artifact(document_file, partial(_openapi_artifact, app, document_file, asset, staging))


def _openapi_artifact(app: App, name: str, package: Asset, staging: Staging | None) -> JsonFile:
    """The package's OpenAPI document as the assembly's ``openapi/<app>.json``: written into the synthesis'
    staging directory when the package was built, else read from the zip (the assembly keeps no second,
    uncompressed copy)."""
    if staging is not None and app.staging is staging:
        package.make()
        if not os.path.isfile(os.path.join(staging.path, name)):
            raise _no_document(name)
        return StagedJsonFile(partial(staging.read, name))
    try:
        _read_member(package.data, OPENAPI_DOCUMENT)
    except KeyError:
        raise _no_document(name) from None
    return JsonFile(lambda: _read_member(package.data, OPENAPI_DOCUMENT))  # another synthesis of the app


def _no_document(name: str) -> ProviderError:
    return ProviderError(f"the Function App package has no {OPENAPI_DOCUMENT}, which its CRUD APIs document "
                         f"(the assembly's {name})", field="package",
                         fix="register a package builder (register_package_builder) that writes the CRUD APIs' "
                             f"OpenAPI document as {OPENAPI_DOCUMENT}, as atakora.components' builder does")


def _read_member(zipped: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(zipped)) as archive:
        return archive.read(name)


def _functions(requirement: ResourceRequirement) -> FunctionsRequirementConfig:
    return typed_config(requirement, FunctionsRequirementConfig)


FLEX_MAXIMUM_INSTANCES = (1, 1000)
"""Flex Consumption's range for the maximum instance count (Azure Functions event-driven scaling, "Limit
scale-out": https://learn.microsoft.com/azure/azure-functions/event-driven-scaling#limit-scale-out)."""


def _check_maximum_instances(requirement: ResourceRequirement) -> None:
    """A component's ``maximum_instance_count`` must be one Flex Consumption accepts (an int in 1-1000)."""
    value = _functions(requirement).maximum_instance_count
    low, high = FLEX_MAXIMUM_INSTANCES
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ConfigurationError(
            f"maximum_instance_count is {value!r}, but Flex Consumption accepts {low} to {high} instances",
            field="maximum_instance_count", path=requirement.component_id,
            fix=f"set maximum_instance_count between {low} and {high} (default 100)")

def _major(runtime: str, version: str) -> str:
    return version if runtime == "python" else version.split(".", 1)[0]


class FunctionsProvider(BaseProvider):
    """Creates Function Apps on Flex Consumption (default) with identity-based host storage."""

    provider_id = "functions"
    supported_types = ("functions",)
    provision_order = 40
    limit_field = "max_function_apps"
    display_name = "Function App"

    def merge_rules(self) -> Mapping[str, FieldRule]:
        """Settings, extensions, routes: union; plan, always-on, scale: maximum; CORS origins: intersection."""
        return {
            "environment_variables": FieldRule("union"),
            "extensions": FieldRule("union"),
            "routes": FieldRule("union"),
            "health_routes": FieldRule("union"),
            "health_check_paths": FieldRule("union"),
            "health_check_max_ping_failures": FieldRule("maximum"),
            "sku": FieldRule("maximum", SKU_SCALE),
            "always_on": FieldRule("maximum"),
            "maximum_instance_count": FieldRule("maximum"),
            "instance_memory_mb": FieldRule("maximum"),
            "function_count": FieldRule("maximum"),  # placeholder rule; merge_with_report sums the counts
            "allowed_origins": FieldRule("intersection"),
        }

    def merge_with_report(self, requirements: Sequence[ResourceRequirement]) -> MergeReport:
        """As the base merge, but ``function_count`` is the members' total."""
        for requirement in requirements:
            _check_maximum_instances(requirement)
        report = super().merge_with_report(requirements)
        total = sum(_functions(r).function_count for r in requirements)
        merged = replace(report.requirement, config=replace(report.requirement.config, function_count=total))
        return MergeReport(merged, {**report.strategies, "function_count": "sum"}, report.warnings)

    def compatibility(self, requirement: ResourceRequirement) -> Compatibility:
        """One app runs one runtime at one (major) version."""
        config = _functions(requirement)
        version = _major(config.runtime, config.version)
        return Compatibility(signature=(config.runtime, version), label=f"{config.runtime}{version.replace('.', '')}",
                             reason=f"{config.runtime} {version}")

    def exclusive_values(self, requirement: ResourceRequirement) -> Mapping[str, object]:
        """Members of one app agree on environment variables and extension versions, share no routes, and at
        most one has its own secrets (an app resolves Key Vault references with one identity)."""
        config = _functions(requirement)
        values: dict[str, object] = {f"environment variable {k}": v for k, v in config.environment_variables.items()}
        values.update({f"the version of extension {e.split('@')[0]}": e for e in config.extensions})
        # One app serves a route once: components with the same route get separate apps.
        values.update({f"who serves the route /api/{route}": requirement.component_id for route in config.routes})
        if config.secret_owner:
            values["whose identity resolves Key Vault references"] = config.secret_owner
        # App Service Authentication is app-wide: components that authenticate differently get separate apps.
        # (None: the backend's, which is function keys; the backend fills in any other.)
        values["the app's authentication (auth)"] = config.auth if config.auth is not None else "function"
        # CORS is app-wide (siteConfig.cors) too.
        values["the app's CORS settings (cors)"] = config.cors if config.cors is not None else "the backend's"
        return values

    def capacity_units(self, requirement: ResourceRequirement) -> int:
        """Each function counts."""
        return _functions(requirement).function_count

    def capacity_limit(self, limits: ResourceLimits) -> int | None:
        """``max_functions_per_app``, else 200."""
        return limits.max_functions_per_app or FUNCTIONS_PER_APP

    def validate_merged(self, requirement: ResourceRequirement) -> ValidationResult:
        """Always-on needs a dedicated or Elastic Premium plan."""
        config = _functions(requirement)
        errors = []
        if config.always_on and config.sku == "FC1":
            errors.append("always_on is not available on the Flex Consumption plan (FC1); choose sku 'EP1' or a "
                          "dedicated plan such as 'B1', or drop always_on")
        return ValidationResult.of(errors) + super().validate_merged(requirement)

    def provide_resource(self, requirement: ResourceRequirement, scope: Construct,
                         context: ProviderContext) -> SharedFunctionApp:
        """Plan, app, deployment container, role assignments on host storage and monitoring, app settings."""
        config = _functions(requirement)
        entry = context.plan_entry
        first = entry.members[0]
        storage = context.resource_for(first, "storage:shared") or next(
            (r for k, r in context.existing_resources.items() if k.startswith("storage:")), None)
        if not isinstance(storage, SharedStorage):
            raise ProviderError(f"Function App {entry.name} has no storage account for its host",
                                path=",".join(entry.members),
                                fix="add a 'storage' requirement (key 'shared') to the component that needs functions")
        suffix = entry.construct_suffix
        cors = config.cors if config.cors is not None else CorsPolicy.parse(
            context.config.cors, path=context.backend.backend_id)
        plan = AppServicePlan(scope, f"Plan-{suffix}", name=context.naming.format_resource_name(
            "plan", context.backend.backend_id, entry.name_suffix), tags=context.tags, sku=config.sku)
        container = storage.container(_package_container(entry.name)) if config.sku == "FC1" else None
        network = network_for(scope, context)
        site = FunctionApp(
            scope, f"Functions-{suffix}", name=entry.name, plan=plan, tags=context.tags, runtime=config.runtime,
            runtime_version=config.version, deployment_storage=container, host_storage=storage.account,
            maximum_instance_count=config.maximum_instance_count if config.sku == "FC1" else None,
            instance_memory_mb=config.instance_memory_mb, health_check_path=None if config.sku == "FC1" else next(iter(config.health_check_paths or config.health_routes), None),
            # platform CORS (siteConfig.cors) unless the app's code answers CORS (methods or max-age)
            cors_allowed_origins=(() if cors is not None and cors.handled_by_app else cors.allowed_origins
                                  if cors is not None else config.allowed_origins or ()),
            cors_support_credentials=cors.support_credentials if cors is not None and not cors.handled_by_app
            else False,
            always_on=config.always_on if config.sku != "FC1" else None,
            virtual_network_subnet_id=network.integration_subnet_id if network is not None else None)
        if network is not None:
            network.secure_function_app(site, storage.account)
        releases = None
        if config.sku != "FC1":
            releases = _run_from_release_blob(scope, site, storage)
        for role in (BuiltInRole.STORAGE_BLOB_DATA_OWNER, BuiltInRole.STORAGE_QUEUE_DATA_CONTRIBUTOR,
                     BuiltInRole.STORAGE_TABLE_DATA_CONTRIBUTOR):
            RoleAssignment(scope, f"{site.node.id}-{role.name.title().replace('_', '')}", role=role,
                           principal=site, target=storage.account)
        monitoring = context.resource_for(first, "monitoring:shared")
        if isinstance(monitoring, SharedMonitoring):
            site.add_app_setting("APPLICATIONINSIGHTS_CONNECTION_STRING", monitoring.insights.connection_string)
            site.add_app_setting("APPLICATIONINSIGHTS_AUTHENTICATION_STRING", "Authorization=AAD")
            RoleAssignment(scope, f"{site.node.id}-MetricsPublisher", role=BuiltInRole.MONITORING_METRICS_PUBLISHER,
                           principal=site, target=monitoring.insights)
        if config.health_check_max_ping_failures is not None and config.sku != "FC1":
            site.add_app_setting("WEBSITE_HEALTHCHECK_MAXPINGFAILURES", str(config.health_check_max_ping_failures))
        for name, value in sorted(config.environment_variables.items()):
            site.add_app_setting(name, value)
        preferred = preferred_locations(context)
        if preferred:
            site.add_app_setting(PREFERRED_LOCATIONS_SETTING, ",".join(preferred))
        identities = ComponentIdentities(scope, site, context.naming, context.backend.backend_id, context.tags,
                                         context.config.identity)
        vault_context = replace(context, tags=dict(backend_tags(context.config)))
        auth: AuthSetting = config.auth if config.auth is not None else context.config.auth
        shared = SharedFunctionApp(site=site, plan=plan, storage=storage, deployment_container=container,
                                   runtime=config.runtime, runtime_version=config.version, auth=auth,
                                   identities=identities, vault=lambda: vault_for(scope, vault_context),
                                   shared_secrets=tuple(context.config.secrets), cors=cors,
                                   release_container=releases)
        if isinstance(auth, EntraAuthConfig):
            _check_excluded_paths(auth, config, entry.members)
            # Health probes call without a token; everything else needs one (401 otherwise).
            excluded = (*config.health_check_paths, *config.health_routes, *auth.excluded_paths)
            shared.auth_settings = EntraAuthSettings(
                site, tenant_id=auth.tenant_id, client_id=auth.client_id, allowed_tenants=auth.allowed_tenants,
                allowed_audiences=auth.allowed_audiences,
                allowed_client_applications=auth.allowed_client_applications, excluded_paths=excluded)
        app = scope.node.find_ancestor(App)
        if app is not None:
            app.add_prepare_hook(shared.build_package)
            app.add_prepare_hook(shared.choose_reference_identity)
        return shared


def _check_excluded_paths(auth: EntraAuthConfig, config: FunctionsRequirementConfig, members: Sequence[str]) -> None:
    """A path excluded from authentication must not expose an API route: the code there trusts the caller
    that App Service Authentication validated, and an excluded path has none."""
    health = {p.rstrip("/").lower() for p in (*config.health_check_paths, *config.health_routes)}
    for path in auth.excluded_paths:
        wanted = path.rstrip("/").lower()
        for route in config.routes:
            base = f"/api/{route}".lower()
            if wanted not in health and (wanted == base or wanted.startswith(base + "/") or base.startswith(wanted + "/")
                                         or wanted in ("", "/api")):
                from ...errors import ConfigurationError

                raise ConfigurationError(
                    f"auth.excluded_paths {path!r} would serve the API route /api/{route} without a token",
                    field="auth.excluded_paths", path=",".join(members),
                    fix="exclude only paths outside the APIs (e.g. '/api/openapi.json'); health routes are "
                    "excluded already")


RELEASES_CONTAINER = "function-releases"
"""The container (in the host storage account) that Elastic Premium and dedicated apps run their package from."""


def release_blob(app_name: str) -> str:
    """The blob an app runs from: ``<app>.zip``, the same on every deployment (a redeploy overwrites it, then
    restarts the app and syncs its triggers, as the platform requires for a package updated in place)."""
    return f"{app_name}.zip"


def _run_from_release_blob(scope: Construct, site: FunctionApp, storage: SharedStorage) -> BlobContainer:
    """Elastic Premium and dedicated plans: run from ``function-releases/<app>.zip`` read with the app's
    identity (the one it uses for host storage), which may read that container only.

    With identity-only host storage there is no Azure Files content share (it needs a connection string),
    so the app must run from a package URL:
    https://learn.microsoft.com/azure/azure-functions/storage-considerations#create-an-app-without-azure-files
    """
    releases = storage.container(RELEASES_CONTAINER)
    site.run_from_package_url(concat(releases.url, "/" + release_blob(str(site.resource_name))))
    RoleAssignment(scope, f"{site.node.id}-PackageReader", role=BuiltInRole.STORAGE_BLOB_DATA_READER,
                   principal=site, target=releases)
    return releases


def _package_container(app_name: str) -> str:
    cleaned = "".join(ch for ch in app_name.lower() if ch.isalnum() or ch == "-").strip("-")
    return f"pkg-{cleaned}"[:63].rstrip("-")
