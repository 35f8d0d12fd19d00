"""Rules for Microsoft.Web (Function Apps and their plans)."""

from __future__ import annotations

from collections.abc import Iterator

from ._model import AssemblyView, ResourceView, Violation
from ._registry import builtin

__all__ = ["FLEX_UNSUPPORTED_SETTINGS", "flex_unsupported_site_settings", "is_flex_site"]

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
