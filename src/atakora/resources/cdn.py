"""Microsoft.Cdn: Azure Front Door Standard/Premium profiles, endpoints, origins, routes, domains and rules."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

from ..core.construct import Construct
from ..core.expressions import Expr, RenderContext
from ..core.resource import Resource
from ..core.stack import ResourceGroupStack
from ..core.steps import DeployStep
from ..errors import ConfigurationError
from ._common import child_path, require_one_of, require_range, require_value, resource_ref
from .network._util import check_fqdn
from .network.dns import DnsCnameRecord, DnsTxtRecord, DnsZone
from .storage import StorageAccount
from .web import FunctionApp

__all__ = [
    "API_VERSIONS",
    "DEFAULT_COMPRESSED_CONTENT_TYPES",
    "SHARED_KEY_NAME",
    "FrontDoorCustomDomain",
    "FrontDoorEndpoint",
    "FrontDoorOrigin",
    "FrontDoorOriginGroup",
    "FrontDoorProfile",
    "FrontDoorRoute",
    "FrontDoorRule",
    "FrontDoorRuleSet",
    "RuleAction",
    "RuleCondition",
    "cache_override_action",
    "host_from_url",
    "response_header_action",
    "url_file_extension_condition",
    "url_path_condition",
    "url_rewrite_action",
]

API_VERSIONS: dict[str, str] = {
    "Microsoft.Cdn/profiles": "2025-12-01",
    "Microsoft.Cdn/profiles/afdEndpoints": "2025-12-01",
    "Microsoft.Cdn/profiles/afdEndpoints/routes": "2025-12-01",
    "Microsoft.Cdn/profiles/originGroups": "2025-12-01",
    "Microsoft.Cdn/profiles/originGroups/origins": "2025-12-01",
    "Microsoft.Cdn/profiles/customDomains": "2025-12-01",
    "Microsoft.Cdn/profiles/ruleSets": "2025-12-01",
    "Microsoft.Cdn/profiles/ruleSets/rules": "2025-12-01",
}

SHARED_KEY_NAME = "frontdoor"
"""The host key that every Function App behind one origin group shares (``atakora deploy`` sets it)."""

FrontDoorSku = Literal["Standard_AzureFrontDoor", "Premium_AzureFrontDoor"]
MatchOperator = Literal["Any", "Equal", "Contains", "BeginsWith", "EndsWith", "LessThan", "LessThanOrEqual",
                        "GreaterThan", "GreaterThanOrEqual", "RegEx"]
Transform = Literal["Lowercase", "Uppercase", "Trim", "UrlDecode", "UrlEncode", "RemoveNulls"]
QueryStringCaching = Literal["IgnoreQueryString", "UseQueryString", "IgnoreSpecifiedQueryStrings",
                             "IncludeSpecifiedQueryStrings"]

DEFAULT_COMPRESSED_CONTENT_TYPES: tuple[str, ...] = (
    "application/javascript", "application/json", "application/manifest+json", "application/xml",
    "application/xhtml+xml", "application/x-javascript", "application/vnd.ms-fontobject", "font/otf", "font/ttf",
    "image/svg+xml", "text/css", "text/csv", "text/html", "text/javascript", "text/plain", "text/xml",
)
"""Content types Front Door compresses by default (web text assets and fonts)."""


class _UrlHost(Expr):
    __slots__ = ("url",)

    def __init__(self, url: Expr) -> None:
        self.url = url

    def render_inner(self, ctx: RenderContext) -> str:
        return f"split({self.url.render_inner(ctx)}, '/')[2]"

    def resources(self) -> Iterator[Resource]:
        return self.url.resources()


def host_from_url(url: Expr) -> Expr:
    """The host name of a URL expression, e.g. a storage account's ``primaryEndpoints.web``
    (``https://acct.z13.web.core.windows.net/`` → ``acct.z13.web.core.windows.net``)."""
    return _UrlHost(url)


# ----- rule conditions and actions ----------------------------------------------------------
@dataclass(frozen=True)
class RuleCondition:
    """A delivery rule match condition; build it with the ``*_condition`` helpers."""

    name: str
    parameters: Mapping[str, Any] = field(default_factory=dict)

    def to_arm(self) -> dict[str, Any]:
        """The ARM ``conditions[]`` entry."""
        return {"name": self.name, "parameters": dict(self.parameters)}


@dataclass(frozen=True)
class RuleAction:
    """A delivery rule action; build it with the ``*_action`` helpers."""

    name: str
    parameters: Mapping[str, Any] = field(default_factory=dict)

    def to_arm(self) -> dict[str, Any]:
        """The ARM ``actions[]`` entry."""
        return {"name": self.name, "parameters": dict(self.parameters)}


def _match(type_name: str, operator: str, match_values: Sequence[str], negate: bool,
           transforms: Sequence[Transform], *, field_name: str) -> dict[str, Any]:
    allowed = (*get_args(MatchOperator), "Wildcard") if field_name == "url_path_condition" else get_args(MatchOperator)
    require_one_of(operator, allowed, field=f"{field_name}.operator", path="")
    for t in transforms:
        require_one_of(t, get_args(Transform), field=f"{field_name}.transforms", path="")
    if operator != "Any" and not match_values:
        raise ConfigurationError(f"{field_name} with operator {operator!r} needs match_values",
                                 field="match_values", fix="pass match_values=[...] or operator='Any'")
    return {"typeName": type_name, "operator": operator, "negateCondition": negate,
            "matchValues": list(match_values), "transforms": list(transforms)}


def url_file_extension_condition(operator: MatchOperator, match_values: Sequence[str] = (), *,
                                 negate: bool = False, transforms: Sequence[Transform] = ()) -> RuleCondition:
    """Match the request's file extension (``LessThan ['1']``: the path has no extension)."""
    params = _match("DeliveryRuleUrlFileExtensionMatchConditionParameters", operator, match_values, negate,
                    transforms, field_name="url_file_extension_condition")
    return RuleCondition("UrlFileExtension", params)


def url_path_condition(operator: MatchOperator | Literal["Wildcard"], match_values: Sequence[str] = (), *,
                       negate: bool = False, transforms: Sequence[Transform] = ()) -> RuleCondition:
    """Match the request path (without the leading ``/``)."""
    params = _match("DeliveryRuleUrlPathMatchConditionParameters", operator, match_values, negate, transforms,
                    field_name="url_path_condition")
    return RuleCondition("UrlPath", params)


def url_rewrite_action(source_pattern: str, destination: str, *, preserve_unmatched_path: bool = False) -> RuleAction:
    """Rewrite the path sent to the origin (prefix ``source_pattern`` → ``destination``)."""
    for name, value in (("source_pattern", source_pattern), ("destination", destination)):
        if not value.startswith("/"):
            raise ConfigurationError(f"url_rewrite_action {name} {value!r} must start with '/'", field=name,
                                     fix="use a path such as '/index.html'")
    return RuleAction("UrlRewrite", {"typeName": "DeliveryRuleUrlRewriteActionParameters",
                                     "sourcePattern": source_pattern, "destination": destination,
                                     "preserveUnmatchedPath": preserve_unmatched_path})


def cache_override_action(cache_duration_seconds: int | None, *,
                          cache_behavior: Literal["HonorOrigin", "OverrideAlways",
                                                  "OverrideIfOriginMissing"] = "OverrideAlways",
                          query_string_caching_behavior: QueryStringCaching = "IgnoreQueryString",
                          compression: bool = True) -> RuleAction:
    """Override the route's caching (``RouteConfigurationOverride``): cache for
    ``cache_duration_seconds`` (1 second to 366 days; None with ``HonorOrigin``)."""
    require_one_of(cache_behavior, ("HonorOrigin", "OverrideAlways", "OverrideIfOriginMissing"),
                   field="cache_behavior", path="")
    require_one_of(query_string_caching_behavior, get_args(QueryStringCaching),
                   field="query_string_caching_behavior", path="")
    cache: dict[str, Any] = {"queryStringCachingBehavior": query_string_caching_behavior,
                             "isCompressionEnabled": "Enabled" if compression else "Disabled",
                             "cacheBehavior": cache_behavior}
    if cache_behavior != "HonorOrigin":
        if cache_duration_seconds is None:
            raise ConfigurationError(f"cache_duration_seconds is required with cache_behavior {cache_behavior!r}",
                                     field="cache_duration_seconds", fix="pass cache_duration_seconds=3600")
        require_range(cache_duration_seconds, field="cache_duration_seconds", path="", minimum=1,
                      maximum=366 * 86400)
        cache["cacheDuration"] = _duration(cache_duration_seconds)
    return RuleAction("RouteConfigurationOverride", {
        "typeName": "DeliveryRuleRouteConfigurationOverrideActionParameters", "cacheConfiguration": cache})


def response_header_action(header_name: str, value: str | None = None, *,
                           action: Literal["Append", "Overwrite", "Delete"] = "Overwrite") -> RuleAction:
    """Set (``Overwrite``, default), append or delete a response header, e.g.
    ``response_header_action('Cache-Control', 'public, max-age=3600')``."""
    require_one_of(action, ("Append", "Overwrite", "Delete"), field="action", path="")
    require_value(header_name, field="header_name", path="", fix="pass the header's name, e.g. 'Cache-Control'")
    if action != "Delete" and value is None:
        raise ConfigurationError(f"response_header_action {action!r} needs a value", field="value",
                                 fix="pass the header value, or action='Delete'")
    params: dict[str, Any] = {"typeName": "DeliveryRuleHeaderActionParameters", "headerAction": action,
                              "headerName": header_name}
    if value is not None:
        params["value"] = value
    return RuleAction("ModifyResponseHeader", params)


def _duration(seconds: int) -> str:
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    clock = f"{hours:02d}:{minutes:02d}:{secs:02d}"
    return f"{days}.{clock}" if days else clock


# ----- resources -------------------------------------------------------------------------------
class FrontDoorProfile(Resource):
    """An Azure Front Door Standard/Premium profile (``Microsoft.Cdn/profiles``, location ``global``).

    Defaults: ``Standard_AzureFrontDoor``, origin response timeout 60 seconds, no managed identity.
    ``front_door_id`` is the value origins can check in the ``X-Azure-FDID`` header.
    """

    TYPE = "Microsoft.Cdn/profiles"
    API_VERSION = API_VERSIONS[TYPE]
    LOCATION = "global"

    def __init__(self, scope: Construct, id: str, *, name: str | Expr, sku: FrontDoorSku = "Standard_AzureFrontDoor",
                 origin_response_timeout_seconds: int = 60, system_assigned_identity: bool = False,
                 tags: Mapping[str, str] | None = None) -> None:
        """See the class docstring; ``origin_response_timeout_seconds``: 16-240."""
        path = child_path(scope, id)
        require_range(origin_response_timeout_seconds, field="origin_response_timeout_seconds", path=path,
                      minimum=16, maximum=240)
        identity = {"type": "SystemAssigned"} if system_assigned_identity else None
        self.sku_name: str = sku
        super().__init__(scope, id, name=name, tags=tags, sku={"name": sku}, identity=identity,
                         properties={"originResponseTimeoutSeconds": origin_response_timeout_seconds})

    @property
    def front_door_id(self) -> Expr:
        """The profile's Front Door id (sent to origins in ``X-Azure-FDID``)."""
        return self.attribute("frontDoorId")


def _require_parent(scope: Construct, kind: type[Resource], what: str, path: str) -> None:
    if not isinstance(scope, kind):
        raise ConfigurationError(f"a {what} must be created under a {kind.__name__}", field="scope", path=path,
                                 fix=f"pass the {kind.__name__} as scope")


class FrontDoorEndpoint(Resource):
    """A Front Door endpoint (``profiles/afdEndpoints``, location ``global``) with a generated host
    name ``<name>-<hash>.z01.azurefd.net`` (``host_name``). Default: enabled, hash reused per tenant."""

    TYPE = "Microsoft.Cdn/profiles/afdEndpoints"
    API_VERSION = API_VERSIONS[TYPE]
    LOCATION = "global"
    TAGGABLE = True

    def __init__(self, scope: FrontDoorProfile, id: str, *, name: str | Expr, enabled: bool = True,
                 domain_name_label_scope: Literal["TenantReuse", "SubscriptionReuse", "ResourceGroupReuse",
                                                  "NoReuse"] = "TenantReuse",
                 tags: Mapping[str, str] | None = None) -> None:
        """See the class docstring."""
        path = child_path(scope, id)
        _require_parent(scope, FrontDoorProfile, "Front Door endpoint", path)
        super().__init__(scope, id, name=name, tags=tags, properties={
            "enabledState": "Enabled" if enabled else "Disabled",
            "autoGeneratedDomainNameLabelScope": domain_name_label_scope})

    @property
    def host_name(self) -> Expr:
        """The endpoint's host name, e.g. ``web-abc123.z01.azurefd.net``."""
        return self.attribute("hostName")


class FrontDoorOriginGroup(Resource):
    """A group of origins (``profiles/originGroups``) with load balancing and health probes.

    Defaults: HTTPS ``HEAD /`` probes every 100 seconds; 4 samples, 3 must succeed; 50 ms
    additional latency; no session affinity. ``health_probe=False`` turns probes off (fine for a
    single origin).
    """

    TYPE = "Microsoft.Cdn/profiles/originGroups"
    API_VERSION = API_VERSIONS[TYPE]

    def __init__(self, scope: FrontDoorProfile, id: str, *, name: str | Expr, health_probe: bool = True,
                 probe_path: str = "/", probe_protocol: Literal["Http", "Https"] = "Https",
                 probe_request_type: Literal["GET", "HEAD"] = "HEAD", probe_interval_in_seconds: int = 100,
                 sample_size: int = 4, successful_samples_required: int = 3,
                 additional_latency_in_milliseconds: int = 50, session_affinity: bool = False) -> None:
        """See the class docstring; ``probe_interval_in_seconds``: 1-255."""
        path = child_path(scope, id)
        _require_parent(scope, FrontDoorProfile, "Front Door origin group", path)
        require_range(probe_interval_in_seconds, field="probe_interval_in_seconds", path=path, minimum=1, maximum=255)
        require_range(sample_size, field="sample_size", path=path, minimum=1, maximum=255)
        require_range(successful_samples_required, field="successful_samples_required", path=path, minimum=1,
                      maximum=sample_size)
        require_range(additional_latency_in_milliseconds, field="additional_latency_in_milliseconds", path=path,
                      minimum=0, maximum=1000)
        if not probe_path.startswith("/"):
            raise ConfigurationError(f"probe_path {probe_path!r} must start with '/'", field="probe_path", path=path,
                                     fix="use a path such as '/' or '/health'")
        props: dict[str, Any] = {
            "loadBalancingSettings": {"sampleSize": sample_size, "successfulSamplesRequired": successful_samples_required,
                                      "additionalLatencyInMilliseconds": additional_latency_in_milliseconds},
            "sessionAffinityState": "Enabled" if session_affinity else "Disabled",
        }
        if health_probe:
            props["healthProbeSettings"] = {"probePath": probe_path, "probeRequestType": probe_request_type,
                                            "probeProtocol": probe_protocol,
                                            "probeIntervalInSeconds": probe_interval_in_seconds}
        self.origins: list[FrontDoorOrigin] = []
        self.function_apps: list[FunctionApp] = []
        """The Function Apps among the origins (each restricted to this profile)."""
        self.key_sharing: DeployStep | None = None
        super().__init__(scope, id, name=name, properties=props)

    def add_function_app(self, app: FunctionApp) -> None:
        """Note a Function App origin. Front Door sends a client's requests to any of them, so apps that
        take function keys get one shared host key (``SHARED_KEY_NAME``), set by ``atakora deploy``."""
        if app in self.function_apps:
            return
        self.function_apps.append(app)
        keyed = self.keyed_apps
        if len(keyed) >= 2 and self.key_sharing is None:
            self.key_sharing = DeployStep(self, "ShareFunctionKey", kind="share-function-key",
                                          details=self._key_sharing_details, after=list[Resource](keyed))
        elif self.key_sharing is not None and app in keyed:
            self.key_sharing.after.append(app)

    @property
    def keyed_apps(self) -> list[FunctionApp]:
        """The Function App origins whose callers use function keys (not Entra ID tokens, valid everywhere)."""
        from .web_auth import EntraAuthSettings

        return [a for a in self.function_apps if not any(isinstance(c, EntraAuthSettings) for c in a.node.children)]

    def _key_sharing_details(self) -> dict[str, Any]:
        apps = []
        for app in self.keyed_apps:
            stack = app.node.find_ancestor(ResourceGroupStack)
            apps.append({"resourceGroup": stack.resource_group_name if stack is not None else None,
                         "site": app.resource_name if isinstance(app.resource_name, str) else app.node.path})
        return {"keyName": SHARED_KEY_NAME, "apps": apps}


class FrontDoorOrigin(Resource):
    """An origin of a :class:`FrontDoorOriginGroup` (``profiles/originGroups/origins``).

    ``host_name`` is a bare host name or an expression, e.g. ``host_from_url(storage web endpoint)``
    or a function app's default host name; ``origin_host_header`` defaults to it. A Function App's
    host name makes the app accept this profile's traffic only (``AzureFrontDoor.Backend`` and its
    ``X-Azure-FDID``, :meth:`FunctionApp.restrict_to_front_door`) and is rendered as the app's
    ``<name>.azurewebsites.net``. Defaults: ports
    80/443, priority 1, weight 1000, enabled, certificate name check on.
    """

    TYPE = "Microsoft.Cdn/profiles/originGroups/origins"
    API_VERSION = API_VERSIONS[TYPE]

    def __init__(self, scope: FrontDoorOriginGroup, id: str, *, name: str | Expr, host_name: str | Expr,
                 origin_host_header: str | Expr | None = None, http_port: int = 80, https_port: int = 443,
                 priority: int = 1, weight: int = 1000, enabled: bool = True,
                 enforce_certificate_name_check: bool = True, private_link: Resource | Expr | None = None,
                 private_link_group_id: str | None = None, private_link_location: str | Expr | None = None) -> None:
        """See the class docstring; ``priority`` 1-5, ``weight`` 1-1000. ``private_link`` (Premium
        only): reach the origin resource through a Front Door managed private endpoint with
        ``private_link_group_id`` (e.g. ``'web'`` for a storage static website, ``'sites'``); the
        target's owner approves the connection after deployment. Location defaults to the target's."""
        path = child_path(scope, id)
        _require_parent(scope, FrontDoorOriginGroup, "Front Door origin", path)
        app = _function_app_of(host_name)
        if app is not None:
            _check_app_origin(scope, app, private_link, path)
            # Reached through Front Door only: the app accepts this profile alone. Its classic host name keeps
            # the profile's template free of a reference to the app, whose restriction references the profile.
            if isinstance(scope.parent, FrontDoorProfile) and private_link is None:
                app.restrict_to_front_door(scope.parent.front_door_id)
            if app.classic_host_name is not None:
                host_name = app.classic_host_name
                if origin_host_header is None:
                    origin_host_header = host_name
            scope.add_function_app(app)
        self.target_resource: Resource | None = app
        """The Function App this origin is (None for other hosts)."""
        _check_static_website(host_name, path)
        if private_link is not None:
            private_link = resource_ref(private_link, Resource, field="private_link", path=path)
        shared = _private_link(scope, private_link, private_link_group_id, private_link_location, path)
        require_value(host_name, field="host_name", path=path, fix="pass host_name='app.example.net'")
        check_fqdn(host_name, field="host_name", path=path)
        if origin_host_header is not None:
            check_fqdn(origin_host_header, field="origin_host_header", path=path)
        require_range(http_port, field="http_port", path=path, minimum=1, maximum=65535)
        require_range(https_port, field="https_port", path=path, minimum=1, maximum=65535)
        require_range(priority, field="priority", path=path, minimum=1, maximum=5)
        require_range(weight, field="weight", path=path, minimum=1, maximum=1000)
        super().__init__(scope, id, name=name, depends_on=scope.origins[-1:], properties={
            "hostName": host_name,
            "originHostHeader": origin_host_header if origin_host_header is not None else host_name,
            "httpPort": http_port,
            "httpsPort": https_port,
            "priority": priority,
            "weight": weight,
            "enabledState": "Enabled" if enabled else "Disabled",
            "enforceCertificateNameCheck": enforce_certificate_name_check,
            **({"sharedPrivateLinkResource": shared} if shared else {}),
        })
        scope.origins.append(self)
        if shared:
            self._approve_private_link(private_link, shared)

    def _approve_private_link(self, target: Resource | Expr | None, shared: dict[str, Any]) -> None:
        """Front Door's managed private endpoint stays Pending (the origin unreachable) until the target's owner
        approves it: ``atakora deploy`` approves the connection Front Door requested for this origin."""
        shared["requestMessage"] = f"atakora: Front Door origin {self.node.path}"
        details: dict[str, Any] = {"requestMessage": shared["requestMessage"], "groupId": shared["groupId"]}
        if isinstance(target, Resource) and isinstance(target.resource_name, str):
            stack = target.node.find_ancestor(ResourceGroupStack)
            details["target"] = {"resourceGroup": stack.resource_group_name if stack is not None else None,
                                 "type": target.resource_type, "name": target.resource_name,
                                 "apiVersion": target.api_version}
        else:
            details["target"] = None
        DeployStep(self, "ApprovePrivateLink", kind="approve-private-link", details=details,
                   after=[target] if isinstance(target, Resource) else [])


def _check_app_origin(group: FrontDoorOriginGroup, app: FunctionApp, private_link: Resource | Expr | None,
                      path: str) -> None:
    """Front Door reaches a Function App's routes under /api, and a closed app over private link only."""
    if app.public_network_access == "Disabled" and private_link is None:
        raise ConfigurationError(
            f"Function App {app.node.path} refuses public traffic, so Front Door cannot reach it over the internet",
            field="private_link", path=path,
            fix="use a Premium_AzureFrontDoor profile and pass private_link=<the app>, private_link_group_id='sites'")
    probe = group.properties.get("healthProbeSettings") if isinstance(group.properties, Mapping) else None
    probe_path = str(probe.get("probePath", "/")) if isinstance(probe, Mapping) else None
    if probe_path is not None and not probe_path.startswith("/api/"):
        raise ConfigurationError(
            f"origin group {group.node.path} probes {probe_path!r}, but a Function App serves its routes under /api: "
            "the probe gets 404 and Front Door takes the app out of rotation", field="probe_path", path=path,
            fix="create the origin group with probe_path set to a route that needs no key (a CrudApi's "
                "'/api/<route>/health') and probe_request_type='GET'")


def _check_static_website(host_name: str | Expr, path: str) -> None:
    """An origin at a storage account's static website endpoint needs the static website switched on."""
    if not isinstance(host_name, Expr) or "primaryEndpoints.web" not in repr(host_name):
        return
    for account in host_name.resources():
        if isinstance(account, StorageAccount) and not account.static_website_enabled:
            raise ConfigurationError(
                f"the origin is the static website of storage account {account.node.path}, which is not enabled: "
                "Front Door would get 404 for every request", field="host_name", path=path,
                fix="call account.enable_static_website(index_document='index.html') before adding the origin")


def _function_app_of(host_name: str | Expr) -> FunctionApp | None:
    """The Function App whose host name ``host_name`` is (an expression over that one app), if any."""
    if not isinstance(host_name, Expr):
        return None
    apps = {id(r): r for r in host_name.resources() if isinstance(r, FunctionApp)}
    return next(iter(apps.values())) if len(apps) == 1 else None


def _private_link(group: FrontDoorOriginGroup, target: Resource | Expr | None, group_id: str | None,
                  location: str | Expr | None, path: str) -> dict[str, Any] | None:
    if target is None:
        if group_id is not None or location is not None:
            raise ConfigurationError("private_link_group_id/private_link_location need private_link",
                                     field="private_link", path=path, fix="pass private_link=<the origin resource>")
        return None
    profile = group.parent
    if isinstance(profile, FrontDoorProfile) and profile.sku_name != "Premium_AzureFrontDoor":
        raise ConfigurationError("private_link origins need the Premium_AzureFrontDoor sku", field="private_link",
                                 path=path, fix="create the FrontDoorProfile with sku='Premium_AzureFrontDoor'")
    require_value(group_id, field="private_link_group_id", path=path,
                  fix="pass private_link_group_id='web' (storage static website), 'blob' or 'sites'")
    if location is None:
        if not isinstance(target, Resource) or target.location is None:
            raise ConfigurationError("private_link_location is required for this target", field="private_link_location",
                                     path=path, fix="pass private_link_location='eastus' (the target's region)")
        location = target.location
    return {"privateLink": {"id": target.resource_id if isinstance(target, Resource) else target},
            "groupId": group_id, "privateLinkLocation": location,
            "requestMessage": "Azure Front Door private link origin"}  # made unique per origin by the origin


def custom_domain_holder(scope: Resource, host_name: str) -> FrontDoorCustomDomain | None:
    """The custom domain of the App that already has ``host_name`` (Front Door takes a host name once)."""
    wanted = host_name.strip().rstrip(".").lower()
    return next((r for r in scope.stack.app.created_resources if isinstance(r, FrontDoorCustomDomain)
                 and r.host_name.lower() == wanted), None)


class FrontDoorCustomDomain(Resource):
    """A custom domain of a profile (``profiles/customDomains``) with a Front Door managed
    certificate and TLS 1.2 minimum (defaults). Prove ownership with a ``_dnsauth`` TXT record
    holding ``validation_token`` — :meth:`add_dns_records` creates it and the CNAME in Azure DNS."""

    TYPE = "Microsoft.Cdn/profiles/customDomains"
    API_VERSION = API_VERSIONS[TYPE]

    def __init__(self, scope: FrontDoorProfile, id: str, *, name: str | Expr, host_name: str,
                 dns_zone: DnsZone | Expr | None = None,
                 certificate_type: Literal["ManagedCertificate", "CustomerCertificate"] = "ManagedCertificate",
                 secret: Expr | None = None, minimum_tls_version: Literal["TLS12", "TLS13"] = "TLS12") -> None:
        """``host_name``: e.g. ``'app.example.com'``. ``dns_zone``: the Azure DNS zone that hosts it
        (default: none). ``secret``: a ``profiles/secrets`` id, required for ``CustomerCertificate``."""
        path = child_path(scope, id)
        _require_parent(scope, FrontDoorProfile, "Front Door custom domain", path)
        require_value(host_name, field="host_name", path=path, fix="pass host_name='app.example.com'")
        check_fqdn(host_name, field="host_name", path=path)
        other = custom_domain_holder(scope, host_name)
        if other is not None:
            raise ConfigurationError(f"host name {host_name!r} is already the custom domain {other.node.path}; a host "
                                     "name belongs to one Front Door custom domain", field="host_name", path=path,
                                     fix="give each custom domain its own host name")
        if certificate_type == "CustomerCertificate" and secret is None:
            raise ConfigurationError("certificate_type 'CustomerCertificate' needs secret", field="secret", path=path,
                                     fix="pass secret=<id of a profiles/secrets resource>, or use ManagedCertificate")
        if isinstance(dns_zone, DnsZone) and isinstance(dns_zone.resource_name, str):
            zone = dns_zone.resource_name.lower()
            if not (host_name.lower() == zone or host_name.lower().endswith("." + zone)):
                raise ConfigurationError(f"host_name {host_name!r} is not in DNS zone {zone!r}", field="host_name",
                                         path=path, fix=f"use a name under {zone}, or pass the zone that hosts it")
        self.host_name = host_name
        self.dns_zone = dns_zone
        tls: dict[str, Any] = {"certificateType": certificate_type, "minimumTlsVersion": minimum_tls_version}
        if secret is not None:
            tls["secret"] = {"id": secret}
        props: dict[str, Any] = {"hostName": host_name, "tlsSettings": tls}
        if dns_zone is not None:
            props["azureDnsZone"] = {"id": dns_zone.resource_id if isinstance(dns_zone, DnsZone) else dns_zone}
        super().__init__(scope, id, name=name, properties=props)

    @property
    def validation_token(self) -> Expr:
        """The token for the ``_dnsauth.<host>`` TXT record that proves domain ownership."""
        return self.attribute("validationProperties", "validationToken")

    def add_dns_records(self, zone: DnsZone, endpoint: FrontDoorEndpoint, *, ttl: int = 3600) -> tuple[
            DnsCnameRecord, DnsTxtRecord]:
        """In ``zone``: a CNAME from the domain to ``endpoint`` and the ``_dnsauth`` validation TXT."""
        zone_name = str(zone.resource_name).lower() if isinstance(zone.resource_name, str) else ""
        relative = self.host_name.lower()
        if not zone_name or not relative.endswith("." + zone_name):
            raise ConfigurationError(f"host_name {self.host_name!r} is not a sub-domain of zone {zone_name!r}",
                                     field="zone", path=self.node.path,
                                     fix="pass the DNS zone whose name the custom domain ends with")
        relative = relative[: -len(zone_name) - 1]
        cname = DnsCnameRecord(zone, f"{self.node.id}-cname", name=relative, target=endpoint.host_name, ttl=ttl)
        txt = DnsTxtRecord(zone, f"{self.node.id}-dnsauth", name=f"_dnsauth.{relative}",
                           values=[self.validation_token], ttl=ttl)
        return cname, txt


class FrontDoorRuleSet(Resource):
    """A rule set (``profiles/ruleSets``); add rules with :meth:`add_rule` or the typed helpers
    :meth:`add_spa_rewrite_rule` and :meth:`add_cache_rule`."""

    TYPE = "Microsoft.Cdn/profiles/ruleSets"
    API_VERSION = API_VERSIONS[TYPE]

    def __init__(self, scope: FrontDoorProfile, id: str, *, name: str) -> None:
        """An empty rule set; ``name``: letters and digits, starting with a letter."""
        _require_parent(scope, FrontDoorProfile, "Front Door rule set", child_path(scope, id))
        self.rules: list[FrontDoorRule] = []
        super().__init__(scope, id, name=name, properties={})

    def _next_order(self) -> int:
        return max((r.order for r in self.rules), default=0) + 1

    def add_rule(self, id: str, *, name: str, conditions: Sequence[RuleCondition], actions: Sequence[RuleAction],
                 order: int | None = None, stop_processing: bool = False) -> FrontDoorRule:
        """Create a :class:`FrontDoorRule` (order defaults to after the last rule)."""
        return FrontDoorRule(self, id, name=name, conditions=conditions, actions=actions,
                             order=self._next_order() if order is None else order, stop_processing=stop_processing)

    def add_spa_rewrite_rule(self, id: str = "SpaRewrite", *, name: str = "SpaRewrite",
                             index_document: str = "index.html", order: int | None = None) -> FrontDoorRule:
        """Single-page app routing: a path without a file extension is served ``/index_document``."""
        document = index_document.lstrip("/")
        require_value(document, field="index_document", path=child_path(self, id), fix="pass 'index.html'")
        return self.add_rule(id, name=name, order=order,
                             conditions=[url_file_extension_condition("LessThan", ["1"])],
                             actions=[url_rewrite_action("/", "/" + document)])

    def add_cache_rule(self, id: str = "CacheControl", *, name: str = "CacheControl", max_age_seconds: int,
                       mode: Literal["edge", "browser"] = "edge", order: int | None = None,
                       conditions: Sequence[RuleCondition] = ()) -> FrontDoorRule:
        """Caching for ``max_age_seconds``: ``edge`` (default) overrides Front Door's cache duration
        (``RouteConfigurationOverride``); ``browser`` sets ``Cache-Control: public, max-age=N``."""
        require_one_of(mode, ("edge", "browser"), field="mode", path=child_path(self, id))
        require_range(max_age_seconds, field="max_age_seconds", path=child_path(self, id), minimum=1,
                      maximum=366 * 86400)
        action = (cache_override_action(max_age_seconds) if mode == "edge"
                  else response_header_action("Cache-Control", f"public, max-age={max_age_seconds}"))
        return self.add_rule(id, name=name, order=order, conditions=conditions, actions=[action])


class FrontDoorRule(Resource):
    """A rule of a :class:`FrontDoorRuleSet` (``profiles/ruleSets/rules``): up to 10 conditions
    (all must match; none: always) and 1-5 actions. ``order`` is unique in the rule set;
    ``stop_processing`` skips later rules when this one matches (default: continue)."""

    TYPE = "Microsoft.Cdn/profiles/ruleSets/rules"
    API_VERSION = API_VERSIONS[TYPE]

    def __init__(self, scope: FrontDoorRuleSet, id: str, *, name: str, order: int,
                 conditions: Sequence[RuleCondition], actions: Sequence[RuleAction],
                 stop_processing: bool = False) -> None:
        """See the class docstring."""
        path = child_path(scope, id)
        _require_parent(scope, FrontDoorRuleSet, "Front Door rule", path)
        require_range(order, field="order", path=path, minimum=0, maximum=1000)
        clash = next((r for r in scope.rules if r.order == order), None)
        if clash is not None:
            raise ConfigurationError(f"order {order} is already used by rule {clash.node.id!r}", field="order",
                                     path=path, fix="give each rule of the rule set its own order")
        if len(conditions) > 10:
            raise ConfigurationError(f"a rule has at most 10 conditions, not {len(conditions)}", field="conditions",
                                     path=path, fix="split the rule")
        if not 1 <= len(actions) <= 5:
            raise ConfigurationError(f"a rule needs 1-5 actions, not {len(actions)}", field="actions", path=path,
                                     fix="pass actions=[url_rewrite_action(...)] or another *_action helper")
        for item in (*conditions, *actions):
            if not isinstance(item, (RuleCondition, RuleAction)):
                raise ConfigurationError(f"{item!r} is not a RuleCondition/RuleAction", field="conditions", path=path,
                                         fix="build conditions and actions with the helpers of atakora.resources.cdn")
        self.order: int = order
        super().__init__(scope, id, name=name, depends_on=scope.rules[-1:], properties={
            "order": order,
            "conditions": [c.to_arm() for c in conditions],
            "actions": [a.to_arm() for a in actions],
            "matchProcessingBehavior": "Stop" if stop_processing else "Continue",
        })
        scope.rules.append(self)


class FrontDoorRoute(Resource):
    """A route of a :class:`FrontDoorEndpoint` (``afdEndpoints/routes``) to an origin group.

    Defaults: patterns ``['/*']``; HTTPS only with HTTP redirected to HTTPS (``Http`` is accepted
    only for the redirect); HTTPS to the origin; linked to the endpoint's own domain; caching on,
    query strings ignored, compression on for ``DEFAULT_COMPRESSED_CONTENT_TYPES``. The route
    deploys after the group's origins (ARM requires them) and after the rule sets' rules.
    """

    TYPE = "Microsoft.Cdn/profiles/afdEndpoints/routes"
    API_VERSION = API_VERSIONS[TYPE]

    def __init__(self, scope: FrontDoorEndpoint, id: str, *, name: str | Expr, origin_group: FrontDoorOriginGroup,
                 patterns_to_match: Sequence[str] = ("/*",), rule_sets: Sequence[FrontDoorRuleSet] = (),
                 custom_domains: Sequence[FrontDoorCustomDomain] = (), origin_path: str | None = None,
                 https_redirect: bool = True,
                 forwarding_protocol: Literal["HttpsOnly", "HttpOnly", "MatchRequest"] = "HttpsOnly",
                 link_to_default_domain: bool = True, enabled: bool = True, caching: bool = True,
                 query_string_caching_behavior: QueryStringCaching = "IgnoreQueryString",
                 query_parameters: Sequence[str] = (), compression: bool = True,
                 content_types_to_compress: Sequence[str] = DEFAULT_COMPRESSED_CONTENT_TYPES) -> None:
        """See the class docstring; ``query_parameters`` go with the ``*SpecifiedQueryStrings`` behaviors."""
        path = child_path(scope, id)
        _require_parent(scope, FrontDoorEndpoint, "Front Door route", path)
        if not isinstance(origin_group, FrontDoorOriginGroup):
            raise ConfigurationError("origin_group must be a FrontDoorOriginGroup", field="origin_group", path=path,
                                     fix="pass the FrontDoorOriginGroup the route sends traffic to")
        if isinstance(patterns_to_match, str):
            raise ConfigurationError("patterns_to_match must be a list", field="patterns_to_match", path=path,
                                     fix=f"pass patterns_to_match=[{patterns_to_match!r}]")
        require_value(list(patterns_to_match), field="patterns_to_match", path=path, fix="pass ['/*']")
        for pattern in patterns_to_match:
            if not pattern.startswith("/"):
                raise ConfigurationError(f"patterns_to_match entry {pattern!r} must start with '/'",
                                         field="patterns_to_match", path=path, fix="use a pattern such as '/*'")
        specified = query_string_caching_behavior.endswith("SpecifiedQueryStrings")
        if specified != bool(query_parameters):
            raise ConfigurationError(
                "query_parameters go with (and only with) the IgnoreSpecified/IncludeSpecified query string behaviors",
                field="query_parameters", path=path,
                fix="pass both query_string_caching_behavior='IncludeSpecifiedQueryStrings' and query_parameters, "
                    "or neither")
        if not link_to_default_domain and not custom_domains:
            raise ConfigurationError("a route without link_to_default_domain needs custom_domains",
                                     field="custom_domains", path=path,
                                     fix="pass custom_domains=[...] or keep link_to_default_domain=True")
        if origin_path is not None and not origin_path.startswith("/"):
            raise ConfigurationError(f"origin_path {origin_path!r} must start with '/'", field="origin_path",
                                     path=path, fix="use a path such as '/app'")
        self.origin_group = origin_group
        self.rule_sets = list(rule_sets)
        props: dict[str, Any] = {
            "originGroup": {"id": origin_group.resource_id},
            "supportedProtocols": ["Http", "Https"] if https_redirect else ["Https"],
            "patternsToMatch": list(patterns_to_match),
            "forwardingProtocol": forwarding_protocol,
            "linkToDefaultDomain": "Enabled" if link_to_default_domain else "Disabled",
            "httpsRedirect": "Enabled" if https_redirect else "Disabled",
            "enabledState": "Enabled" if enabled else "Disabled",
        }
        if origin_path is not None:
            props["originPath"] = origin_path
        if rule_sets:
            props["ruleSets"] = [{"id": rs.resource_id} for rs in rule_sets]
        if custom_domains:
            props["customDomains"] = [{"id": d.resource_id} for d in custom_domains]
        if caching:
            cache: dict[str, Any] = {"queryStringCachingBehavior": query_string_caching_behavior}
            if query_parameters:
                cache["queryParameters"] = ",".join(query_parameters)
            cache["compressionSettings"] = {"isCompressionEnabled": compression,
                                            "contentTypesToCompress": list(content_types_to_compress) if compression
                                            else []}
            props["cacheConfiguration"] = cache
        super().__init__(scope, id, name=name, properties=props)
        self.node.add_validation(self._check_origins)

    def _check_origins(self) -> list[str]:
        if self.origin_group.origins:
            return []
        return [(f"origin group {self.origin_group.node.path!r} has no origins; a route needs at least one "
                "(fix: add a FrontDoorOrigin to the group)")]

    def render(self, ctx: RenderContext) -> dict[str, Any]:
        """Render, depending on every origin of the group and every rule of the rule sets."""
        for origin in self.origin_group.origins:
            ctx.note_dependency(origin)
        for rule_set in self.rule_sets:
            for rule in rule_set.rules:
                ctx.note_dependency(rule)
        return super().render(ctx)
