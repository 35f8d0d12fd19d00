"""Rules for Microsoft.Web (Function Apps and their plans)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from ._model import AssemblyView, ResourceView, Violation
from ._registry import builtin

__all__ = ["FLEX_MAXIMUM_INSTANCES", "FLEX_UNSUPPORTED_SETTINGS", "code_has_a_home", "distinct_host_ids",
           "effective_host_id", "flex_maximum_instance_count", "flex_unsupported_site_settings", "is_flex_site",
           "package_identity_is_attached", "package_url", "plan_of"]

FLEX_DOCS = "https://learn.microsoft.com/azure/azure-functions/functions-app-settings#flex-consumption-plan-deprecations"

FLEX_UNSUPPORTED_SETTINGS = frozenset(s.lower() for s in (
    "FUNCTIONS_EXTENSION_VERSION", "FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_WORKER_RUNTIME_VERSION",
    "FUNCTIONS_MAX_HTTP_CONCURRENCY", "FUNCTIONS_WORKER_PROCESS_COUNT", "FUNCTIONS_WORKER_DYNAMIC_CONCURRENCY_ENABLED",
    "SCM_DO_BUILD_DURING_DEPLOYMENT", "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING",
    "WEBSITE_CONTENTOVERVNET", "WEBSITE_CONTENTSHARE", "WEBSITE_DNS_SERVER", "WEBSITE_MAX_DYNAMIC_APPLICATION_SCALE_OUT",
    "WEBSITE_NODE_DEFAULT_VERSION", "WEBSITE_RUN_FROM_PACKAGE", "WEBSITE_SKIP_CONTENTSHARE_VALIDATION",
    "WEBSITE_VNET_ROUTE_ALL", "WEBSITE_HEALTHCHECK_MAXPINGFAILURES"))
"""App settings (lower case) that Flex Consumption does not support or ignores: runtime, scale, deployment
and build are set in ``functionAppConfig``, and the platform health check does not run on Flex."""


def is_flex_site(site: ResourceView) -> bool:
    """Whether a ``Microsoft.Web/sites`` resource runs on Flex Consumption (it has ``functionAppConfig``)."""
    return "functionAppConfig" in site.properties


@builtin("AZ-WEB-001", "error", title="Flex Consumption apps set no health check and no unsupported site settings",
         docs=FLEX_DOCS)
def flex_unsupported_site_settings(assembly: AssemblyView) -> Iterator[Violation]:
    """Flex Consumption ignores ``healthCheckPath`` (no platform health check) and rejects or ignores the
    deprecated app settings; a template that sets them promises behaviour the app does not have."""
    for site in assembly.resources("Microsoft.Web/sites"):
        if not is_flex_site(site):
            continue
        site_config = site.properties.get("siteConfig") or {}
        if "healthCheckPath" in site_config:
            yield Violation(site, f"Flex Consumption app {site.name} sets healthCheckPath, but the platform health "
                                  "check does not run on Flex Consumption: no instance is ever replaced by it",
                            fix="remove healthCheckPath; probe the health route from Front Door, Traffic Manager or "
                                "an availability test instead")
        bad = sorted(n for n in site.app_settings() if n.lower() in FLEX_UNSUPPORTED_SETTINGS)
        if bad:
            yield Violation(site, f"Flex Consumption app {site.name} sets {', '.join(bad)}, which Flex Consumption "
                                  "does not support (deployment fails or the setting is ignored)",
                            fix="remove them: runtime, scale and deployment are configured in functionAppConfig")


def effective_host_id(site: ResourceView) -> str:
    """The Functions host id of a site: its ``AzureFunctionsWebHost__hostid`` setting, else the first 32
    characters of its name (lower case)."""
    settings = {k.lower(): v for k, v in site.app_settings().items()}
    explicit = settings.get("azurefunctionswebhost__hostid") or settings.get("azurefunctionswebhost:hostid")
    return str(explicit) if explicit else site.name.lower()[:32]


def _host_storage(site: ResourceView) -> str | None:
    settings = {k.lower(): v for k, v in site.app_settings().items()}
    value = settings.get("azurewebjobsstorage__accountname") or settings.get("azurewebjobsstorage")
    return str(value) if value else None


@builtin("AZ-WEB-002", "error", title="Function Apps that share a storage account have distinct host ids",
         docs="https://learn.microsoft.com/azure/azure-functions/storage-considerations#host-id-considerations")
def distinct_host_ids(assembly: AssemblyView) -> Iterator[Violation]:
    """The host id (first 32 characters of the name unless set) keys the app's state in its storage
    account; two apps with the same id on one account collide and the v4 host stops (AZFD0004)."""
    seen: dict[tuple[str, str], ResourceView] = {}
    for site in assembly.resources("Microsoft.Web/sites"):
        if is_flex_site(site) or "functionapp" not in str(site.body.get("kind", "")):
            continue
        storage = _host_storage(site)
        if storage is None:
            continue
        key = (storage, effective_host_id(site))
        first = seen.setdefault(key, site)
        if first is not site:
            yield Violation(site, f"Function App {site.name} and {first.name} share storage account {storage} and "
                                  f"host id {key[1]!r}; the Functions host detects the collision (AZFD0004) and stops",
                            fix="set a distinct AzureFunctionsWebHost__hostid on each app (atakora does for its "
                                "apps), or give them separate storage accounts")


FLEX_MAXIMUM_INSTANCES = (1, 1000)
"""The range Flex Consumption accepts for ``functionAppConfig.scaleAndConcurrency.maximumInstanceCount``."""


@builtin("AZ-WEB-003", "error", title="a Flex Consumption app's maximum instance count is within 1-1000",
         docs="https://learn.microsoft.com/azure/azure-functions/event-driven-scaling#limit-scale-out")
def flex_maximum_instance_count(assembly: AssemblyView) -> Iterator[Violation]:
    """Azure rejects a ``maximumInstanceCount`` outside the documented range when it creates or updates the app."""
    low, high = FLEX_MAXIMUM_INSTANCES
    for site in assembly.resources("Microsoft.Web/sites"):
        if not is_flex_site(site):
            continue
        config = site.properties.get("functionAppConfig") or {}
        scale = config.get("scaleAndConcurrency") if isinstance(config, dict) else None
        count = scale.get("maximumInstanceCount") if isinstance(scale, dict) else None
        if count is None or isinstance(count, str):  # absent (Azure's default, 100) or an expression
            continue
        if isinstance(count, bool) or not isinstance(count, int) or not low <= count <= high:
            yield Violation(site, f"Flex Consumption app {site.name} sets maximumInstanceCount {count!r}; Azure "
                                  f"accepts {low} to {high} and refuses to create or update the app",
                            fix=f"set maximum_instance_count between {low} and {high} (default 100)")


STORAGE_DOCS = "https://learn.microsoft.com/azure/azure-functions/storage-considerations#create-an-app-without-azure-files"
_CONTENT_SHARE = "website_contentazurefileconnectionstring"
_RUN_FROM_PACKAGE = "website_run_from_package"


def plan_of(assembly: AssemblyView, site: ResourceView) -> ResourceView | None:
    """The ``serverfarms`` resource a site's ``serverFarmId`` names, if the assembly has it."""
    farm = str(site.properties.get("serverFarmId", ""))
    for plan in assembly.resources("Microsoft.Web/serverfarms"):
        if f"'{plan.name}'" in farm or farm.rstrip("/").endswith(f"/{plan.name}"):
            return plan
    return None


def _needs_content_share(plan: ResourceView) -> bool:
    """Elastic Premium (and Windows Consumption) plans keep an app's code on an Azure Files content share by
    default; dedicated and Flex Consumption plans do not."""
    sku = plan.body.get("sku") or {}
    tier = str(sku.get("tier", "")) if isinstance(sku, Mapping) else ""
    name = str(sku.get("name", "")) if isinstance(sku, Mapping) else ""
    windows_consumption = tier == "Dynamic" and not plan.properties.get("reserved", False)
    return tier == "ElasticPremium" or name.upper().startswith("EP") or windows_consumption


def package_url(site: ResourceView) -> str | None:
    """The site's ``WEBSITE_RUN_FROM_PACKAGE`` when it is a URL (or an expression that makes one), else None."""
    value = {k.lower(): v for k, v in site.app_settings().items()}.get(_RUN_FROM_PACKAGE)
    if isinstance(value, str) and value.startswith(("http", "[")):
        return value
    return None


@builtin("AZ-WEB-004", "error", title="an Elastic Premium app without an Azure Files content share runs from a "
         "package URL", docs=STORAGE_DOCS)
def code_has_a_home(assembly: AssemblyView) -> Iterator[Violation]:
    """An Elastic Premium app keeps its code on an Azure Files content share, which needs a connection string
    (``WEBSITE_CONTENTAZUREFILECONNECTIONSTRING``). With identity-only storage there is none, so the app must
    run from a package in blob storage (``WEBSITE_RUN_FROM_PACKAGE`` set to its URL); with neither, the code
    has nowhere to live and the app starts with no functions."""
    for site in assembly.resources("Microsoft.Web/sites"):
        if is_flex_site(site) or "functionapp" not in str(site.body.get("kind", "")):
            continue
        plan = plan_of(assembly, site)
        if plan is None or not _needs_content_share(plan):
            continue
        settings = {k.lower() for k in site.app_settings()}
        if _CONTENT_SHARE in settings or package_url(site) is not None:
            continue
        yield Violation(site, f"Function App {site.name} on Elastic Premium plan {plan.name} has neither an Azure "
                              "Files content share (WEBSITE_CONTENTAZUREFILECONNECTIONSTRING) nor a package URL "
                              "(WEBSITE_RUN_FROM_PACKAGE): its code has nowhere to live, so it starts with no "
                              "functions",
                        fix="run it from a package in a private blob container read with the app's managed identity "
                            "(WEBSITE_RUN_FROM_PACKAGE=<blob URL> and Storage Blob Data Reader; atakora's Functions "
                            "provider does both), or give it a content share connection string")


PACKAGE_IDENTITY_DOCS = ("https://learn.microsoft.com/azure/azure-functions/deployment-zip-push"
                         "#fetch-a-package-from-azure-blob-storage-by-using-a-managed-identity")


@builtin("AZ-WEB-005", "error", title="a package URL is read with an identity the app has", docs=PACKAGE_IDENTITY_DOCS)
def package_identity_is_attached(assembly: AssemblyView) -> Iterator[Violation]:
    """Without a SAS, the platform fetches ``WEBSITE_RUN_FROM_PACKAGE`` with the identity that
    ``WEBSITE_RUN_FROM_PACKAGE_BLOB_MI_RESOURCE_ID`` names (default: the system-assigned one); an identity
    the app does not have fetches nothing, so no function starts."""
    for site in assembly.resources("Microsoft.Web/sites"):
        url = package_url(site)
        if url is None or "sig=" in url:
            continue
        settings = {k.lower(): v for k, v in site.app_settings().items()}
        wanted = str(settings.get("website_run_from_package_blob_mi_resource_id") or "SystemAssigned")
        identity = site.body.get("identity") or {}
        kinds = str(identity.get("type", "")) if isinstance(identity, Mapping) else ""
        attached = identity.get("userAssignedIdentities") or {} if isinstance(identity, Mapping) else {}
        has = "SystemAssigned" in kinds if wanted.lower() == "systemassigned" else wanted in attached
        if not has:
            yield Violation(site, f"Function App {site.name} reads its package URL with identity {wanted}, which it "
                                  "does not have: the platform cannot fetch the package and no function starts",
                            fix="set WEBSITE_RUN_FROM_PACKAGE_BLOB_MI_RESOURCE_ID to 'SystemAssigned' (with the "
                                "system-assigned identity on) or to the resource id of one of the app's "
                                "user-assigned identities")
