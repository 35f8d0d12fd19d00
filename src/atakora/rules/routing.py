"""Rules for global routing to Function Apps: Traffic Manager and Azure Front Door."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from ._model import AssemblyView, ResourceView, Violation
from ._registry import builtin

__all__ = ["app_probes_reach_an_anonymous_route", "apps_behind_one_origin_group_share_a_key",
           "front_door_origins_admit_only_their_profile", "private_link_origins_are_approved", "site_name_of",
           "static_website_origins_are_enabled", "traffic_manager_avoids_front_door_only_apps",
           "traffic_manager_targets_apps_as_azure_endpoints"]

TM_APP_SERVICE_DOCS = "https://learn.microsoft.com/azure/app-service/web-sites-traffic-manager"
_SITE_REF = re.compile(r"'Microsoft\.Web/sites',\s*'([^']+)'", re.IGNORECASE)
_APP_HOST = re.compile(r"^([a-z0-9][a-z0-9-]*)\.azurewebsites\.net$", re.IGNORECASE)


def site_name_of(value: Any) -> str | None:
    """The App Service app a rendered value points at: ``<name>.azurewebsites.net``, or an expression that
    references ``Microsoft.Web/sites`` (its id or its default host name)."""
    if not isinstance(value, str):
        return None
    if value.startswith("["):
        match = _SITE_REF.search(value)
        return match.group(1) if match else None
    host = _APP_HOST.match(value.strip().rstrip("."))
    return host.group(1) if host else None


def _function_app(assembly: AssemblyView, name: str) -> ResourceView | None:
    site = assembly.find("Microsoft.Web/sites", name)
    return site if site is not None and "functionapp" in str(site.body.get("kind", "")) else None


@builtin("AZ-TM-001", "error", title="Traffic Manager routes to App Service apps through Azure endpoints",
         docs=TM_APP_SERVICE_DOCS)
def traffic_manager_targets_apps_as_azure_endpoints(assembly: AssemblyView) -> Iterator[Violation]:
    """An App Service app answers only host names bound to it. As an Azure endpoint (``targetResourceId``)
    the app accepts the profile's ``<name>.trafficmanager.net``; as an external endpoint it does not, so
    every request through Traffic Manager gets 404."""
    for endpoint in assembly.resources("Microsoft.Network/trafficManagerProfiles/externalEndpoints"):
        site = site_name_of(endpoint.properties.get("target"))
        if site is not None:
            yield Violation(endpoint, f"external endpoint {endpoint.name} targets the App Service app {site}, which "
                                      "has no host name binding for the profile's trafficmanager.net name and answers "
                                      "404",
                            fix="pass target_resource=<the FunctionApp> (an azureEndpoints endpoint), or bind the "
                                "profile's name as a custom domain of the app")


def _operations(assembly: AssemblyView, site: str) -> Mapping[str, Mapping[str, Any]] | None:
    document = assembly.artifacts.get(f"openapi/{site}.json")
    if not isinstance(document, Mapping):
        return None
    paths = document.get("paths")
    return paths if isinstance(paths, Mapping) else None


def _probe_problem(assembly: AssemblyView, site: str, path: str, method: str) -> str | None:
    """Why a probe of ``method path`` on Function App ``site`` fails, or None when it reaches a route."""
    if not path.startswith("/api/"):
        return (f"probes {path}, but the Functions host serves HTTP routes under /api, so the probe gets 404 and "
                "the app is taken out of rotation")
    paths = _operations(assembly, site)
    if paths is None:
        return None  # the app's routes are not known (no generated OpenAPI document)
    operations = paths.get(path)
    if not isinstance(operations, Mapping):
        return (f"probes {path}, which is no route of the app (404); its anonymous routes are "
                f"{', '.join(sorted(p for p, ops in paths.items() if _anonymous(ops))) or 'none'}")
    operation = operations.get(method.lower())
    if not isinstance(operation, Mapping):
        return f"probes {path} with {method}, but the route answers {', '.join(m.upper() for m in operations)} only"
    if operation.get("security", [{}]) != []:
        return (f"probes {path}, which needs a function key; probes send none, so they get 401 and the app is "
                "taken out of rotation")
    return None


def _anonymous(operations: Any) -> bool:
    return isinstance(operations, Mapping) and any(
        isinstance(o, Mapping) and o.get("security", [{}]) == [] for o in operations.values())


@builtin("AZ-PROBE-001", "error", title="health probes of a Function App reach one of its routes that needs no key",
         docs="https://learn.microsoft.com/azure/traffic-manager/traffic-manager-monitoring")
def app_probes_reach_an_anonymous_route(assembly: AssemblyView) -> Iterator[Violation]:
    """Traffic Manager (GET) and Front Door (GET or HEAD) probe without credentials; a probe that gets 404
    or 401 marks every app unhealthy (Traffic Manager then answers with all of them, Front Door keeps none)."""
    profiles = {p.name: p for p in assembly.resources("Microsoft.Network/trafficManagerProfiles")}
    for endpoint in assembly.resources("Microsoft.Network/trafficManagerProfiles/azureEndpoints",
                                       "Microsoft.Network/trafficManagerProfiles/externalEndpoints"):
        profile = profiles.get(endpoint.name.split("/")[0])
        site = site_name_of(endpoint.properties.get("targetResourceId") or endpoint.properties.get("target"))
        if profile is None or site is None or _function_app(assembly, site) is None:
            continue
        monitor = profile.properties.get("monitorConfig") or {}
        if str(monitor.get("protocol", "HTTP")).upper() == "TCP":
            continue
        problem = _probe_problem(assembly, site, str(monitor.get("path", "/")), "GET")
        if problem:
            yield Violation(profile, f"Traffic Manager profile {profile.name} {problem} ({site})",
                            fix="set monitor_path to the app's health route, e.g. '/api/<route>/health' of a CrudApi")
    groups = {g.name: g for g in assembly.resources("Microsoft.Cdn/profiles/originGroups")}
    for origin in assembly.resources("Microsoft.Cdn/profiles/originGroups/origins"):
        group = groups.get(origin.name.rsplit("/", 1)[0])
        site = site_name_of(origin.properties.get("hostName"))
        if group is None or site is None or _function_app(assembly, site) is None:
            continue
        probe = group.properties.get("healthProbeSettings")
        if not isinstance(probe, Mapping):
            continue
        problem = _probe_problem(assembly, site, str(probe.get("probePath", "/")),
                                 str(probe.get("probeRequestType", "HEAD")))
        if problem:
            yield Violation(group, f"Front Door origin group {group.name} {problem} ({site})",
                            fix="set probe_path to the app's health route and probe_request_type='GET'")


def _front_door_origins(assembly: AssemblyView) -> Iterator[tuple[ResourceView, str, ResourceView]]:
    """``(origin, profile name, Function App)`` for every Front Door origin that is a Function App of the assembly."""
    for origin in assembly.resources("Microsoft.Cdn/profiles/originGroups/origins"):
        site_name = site_name_of(origin.properties.get("hostName"))
        site = _function_app(assembly, site_name) if site_name else None
        if site is not None:
            yield origin, origin.name.split("/")[0], site


def _admits_only(site: ResourceView, profile: str) -> bool:
    config = site.properties.get("siteConfig") or {}
    if config.get("ipSecurityRestrictionsDefaultAction") == "Allow":
        return False
    for rule in config.get("ipSecurityRestrictions") or ():
        if not isinstance(rule, Mapping) or str(rule.get("action", "Allow")) != "Allow":
            continue
        if rule.get("tag") != "ServiceTag" or str(rule.get("ipAddress", "")).lower() != "azurefrontdoor.backend":
            continue
        headers = {str(k).lower(): v for k, v in (rule.get("headers") or {}).items()}
        ids = headers.get("x-azure-fdid") or []
        if any(f"'Microsoft.Cdn/profiles', '{profile}'" in str(value) for value in ids):
            return True
    return False


@builtin("AZ-FD-001", "error", title="a Function App behind Front Door accepts only that Front Door's traffic",
         docs="https://learn.microsoft.com/azure/frontdoor/origin-security")
def front_door_origins_admit_only_their_profile(assembly: AssemblyView) -> Iterator[Violation]:
    """Callers who know the app's host name bypass Front Door (its WAF, caching, routing) unless the app
    accepts only the ``AzureFrontDoor.Backend`` service tag with the profile's ``X-Azure-FDID``
    (App Service access restrictions); the tag alone admits every customer's Front Door."""
    for origin, profile, site in _front_door_origins(assembly):
        if site.properties.get("publicNetworkAccess") == "Disabled":
            if not isinstance(origin.properties.get("sharedPrivateLinkResource"), Mapping):
                yield Violation(origin, f"origin {origin.name} is Function App {site.name}, which refuses public "
                                        "traffic, and has no private link: Front Door cannot reach it",
                                fix="use a Premium profile and pass private_link=<the app>, private_link_group_id="
                                    "'sites'")
            continue  # reached over private link only
        if not _admits_only(site, profile):
            yield Violation(site, f"Function App {site.name} is an origin of Front Door {profile} but can also be "
                                  "called directly, bypassing Front Door",
                            fix="restrict it to the profile: app.restrict_to_front_door(profile.front_door_id) "
                                "(FrontDoorOrigin does this for a Function App's host name), i.e. "
                                "ipSecurityRestrictions allowing the AzureFrontDoor.Backend service tag with header "
                                "x-azure-fdid = the profile's frontDoorId, default action Deny")


_STORAGE_REF = re.compile(r"'Microsoft\.Storage/storageAccounts',\s*'([^']+)'", re.IGNORECASE)


@builtin("AZ-FD-002", "error", title="a Front Door origin at a storage static website has the static website enabled",
         docs="https://learn.microsoft.com/azure/storage/blobs/storage-blob-static-website")
def static_website_origins_are_enabled(assembly: AssemblyView) -> Iterator[Violation]:
    """A storage account serves ``primaryEndpoints.web`` only with its static website on
    (``blobServices/default`` ``properties.staticWebsite.enabled``); otherwise Front Door gets 404."""
    for origin in assembly.resources("Microsoft.Cdn/profiles/originGroups/origins"):
        host = str(origin.properties.get("hostName", ""))
        match = _STORAGE_REF.search(host)
        if "primaryEndpoints.web" not in host or match is None:
            continue
        account = match.group(1)
        if assembly.find("Microsoft.Storage/storageAccounts", account) is None:
            continue  # an account of another program: its settings are not known here
        service = assembly.find("Microsoft.Storage/storageAccounts/blobServices", f"{account}/default")
        website = service.properties.get("staticWebsite") if service is not None else None
        if not (isinstance(website, Mapping) and website.get("enabled") is True):
            yield Violation(origin, f"origin {origin.name} is the static website of storage account {account}, "
                                    "which is not enabled, so Front Door gets 404 for every request",
                            fix="call account.enable_static_website(index_document='index.html') (the blob "
                                "service's staticWebsite setting)")


def _uses_function_keys(assembly: AssemblyView, site: ResourceView) -> bool:
    """Whether callers of the app authenticate with function keys (no Entra ID authentication in front)."""
    auth = assembly.find("Microsoft.Web/sites/config", f"{site.name}/authsettingsV2")
    return auth is None or not (auth.properties.get("globalValidation") or {}).get("requireAuthentication")


@builtin("AZ-FD-003", "error", title="Function Apps behind one Front Door origin group accept one shared key",
         docs="https://learn.microsoft.com/azure/azure-functions/function-keys-how-to")
def apps_behind_one_origin_group_share_a_key(assembly: AssemblyView) -> Iterator[Violation]:
    """Front Door sends each request to any origin of the group; every Function App has its own keys, so a
    client's key works on one app only and its other requests get 401. ``atakora deploy`` gives the apps
    one host key (deploy step ``share-function-key``); Entra ID tokens are valid on every app."""
    groups: dict[str, list[ResourceView]] = {}
    for origin, _, site in _front_door_origins(assembly):
        if _uses_function_keys(assembly, site):
            groups.setdefault(origin.name.rsplit("/", 1)[0], []).append(site)
    shared = [{str(a.get("site")) for a in step.get("apps") or ()} for step in assembly.steps("share-function-key")]
    for group_name, sites in sorted(groups.items()):
        names = {s.name for s in sites}
        if len(names) < 2 or any(names <= covered for covered in shared):
            continue
        group = assembly.find("Microsoft.Cdn/profiles/originGroups", group_name)
        yield Violation(group if group is not None else sites[0],
                        f"origin group {group_name} spreads requests over Function Apps {', '.join(sorted(names))}, "
                        "each with its own function keys, so a client's key is refused (401) by the others",
                        fix="add the apps with FrontDoorOrigin (its deploy step gives them one shared host key), or "
                            "authenticate callers with Entra ID (auth=EntraAuthConfig(...)), valid on every app")


@builtin("AZ-FD-004", "error", title="a Front Door private link origin's connection is approved at deployment",
         docs="https://learn.microsoft.com/azure/frontdoor/private-link")
def private_link_origins_are_approved(assembly: AssemblyView) -> Iterator[Violation]:
    """Front Door Premium reaches a private link origin through a managed private endpoint whose connection
    stays Pending, and the origin unreachable, until the target's owner approves it (deploy step
    ``approve-private-link``)."""
    approved = {str(s.get("requestMessage")) for s in assembly.steps("approve-private-link")}
    for origin in assembly.resources("Microsoft.Cdn/profiles/originGroups/origins"):
        shared = origin.properties.get("sharedPrivateLinkResource")
        if not isinstance(shared, Mapping):
            continue
        if str(shared.get("requestMessage")) not in approved:
            yield Violation(origin, f"origin {origin.name} reaches its target over private link, but nothing approves "
                                    "the private endpoint connection Front Door requests: it stays Pending and the "
                                    "origin unreachable",
                            fix="create the origin with FrontDoorOrigin(private_link=...) (atakora deploy approves "
                                "the connection), or approve it on the target after each deployment")


def _front_door_only(site: ResourceView) -> bool:
    """Whether the app's access restrictions admit Azure Front Door alone (default action Deny)."""
    config = site.properties.get("siteConfig") or {}
    rules = [r for r in config.get("ipSecurityRestrictions") or () if isinstance(r, Mapping)]
    allows = [r for r in rules if str(r.get("action", "Allow")) == "Allow"]
    return bool(allows) and config.get("ipSecurityRestrictionsDefaultAction") != "Allow" and all(
        r.get("tag") == "ServiceTag" and str(r.get("ipAddress", "")).lower() == "azurefrontdoor.backend"
        for r in allows)


@builtin("AZ-TM-002", "error", title="Traffic Manager does not route to an app that admits only Front Door",
         docs="https://learn.microsoft.com/azure/traffic-manager/traffic-manager-how-it-works")
def traffic_manager_avoids_front_door_only_apps(assembly: AssemblyView) -> Iterator[Violation]:
    """Traffic Manager answers DNS only: clients then connect to the app directly, and an app that admits
    only Azure Front Door refuses them (403), as it refuses Traffic Manager's probes."""
    for endpoint in assembly.resources("Microsoft.Network/trafficManagerProfiles/azureEndpoints"):
        name = site_name_of(endpoint.properties.get("targetResourceId"))
        site = assembly.find("Microsoft.Web/sites", name) if name else None
        if site is not None and _front_door_only(site):
            yield Violation(endpoint, f"endpoint {endpoint.name} sends clients to {site.name}, which admits only Azure "
                                      "Front Door: they (and Traffic Manager's probes) get 403",
                            fix="route to the app through Front Door alone (drop the Traffic Manager endpoint), or "
                                "give the app its own origin without Front Door's restriction")
