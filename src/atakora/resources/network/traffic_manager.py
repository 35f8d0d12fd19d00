"""Traffic Manager: DNS-based routing profiles and their endpoints (child resources)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal, get_args

from ...core.construct import Construct
from ...core.expressions import Expr, KnownExpr
from ...core.resource import Resource
from ...errors import ConfigurationError
from .._common import child_path, require_one_of, require_range, require_value, resource_ref
from ._versions import API_VERSIONS

__all__ = ["EndpointType", "RoutingMethod", "TrafficManagerEndpoint", "TrafficManagerProfile"]

RoutingMethod = Literal["Performance", "Weighted", "Priority", "Geographic", "MultiValue", "Subnet"]
MonitorProtocol = Literal["HTTP", "HTTPS", "TCP"]
EndpointType = Literal["azureEndpoints", "externalEndpoints", "nestedEndpoints"]
EnabledState = Literal["Enabled", "Disabled"]


class TrafficManagerProfile(Resource):
    """A Traffic Manager profile (``Microsoft.Network/trafficManagerProfiles``, location ``global``).

    Its DNS name is ``<relative_name>.trafficmanager.net`` (``relative_name`` defaults to ``name``
    and must be globally unique). Health probes default to HTTPS on port 443 at ``/health`` every
    30 seconds, 10 second timeout, 3 tolerated failures. Default DNS TTL: 60 seconds.
    """

    TYPE = "Microsoft.Network/trafficManagerProfiles"
    API_VERSION = API_VERSIONS[TYPE]
    LOCATION = "global"

    def __init__(self, scope: Construct, id: str, *, name: str, routing_method: RoutingMethod,
                 relative_name: str | None = None, ttl: int = 60, monitor_protocol: MonitorProtocol = "HTTPS",
                 monitor_port: int = 443, monitor_path: str = "/health", interval_in_seconds: Literal[10, 30] = 30,
                 timeout_in_seconds: int = 10, tolerated_number_of_failures: int = 3,
                 expected_status_code_ranges: Sequence[tuple[int, int]] = (), max_return: int | None = None,
                 enabled: bool = True, tags: Mapping[str, str] | None = None) -> None:
        """See the class docstring. ``max_return`` (1-8) is only for ``MultiValue`` routing."""
        path = child_path(scope, id)
        require_value(routing_method, field="routing_method", path=path, fix="pass routing_method='Weighted'")
        require_range(ttl, field="ttl", path=path, minimum=0, maximum=2147483647)
        require_range(monitor_port, field="monitor_port", path=path, minimum=1, maximum=65535)
        require_range(timeout_in_seconds, field="timeout_in_seconds", path=path, minimum=5,
                      maximum=9 if interval_in_seconds == 10 else 10)
        require_range(tolerated_number_of_failures, field="tolerated_number_of_failures", path=path, minimum=0,
                      maximum=9)
        if monitor_protocol != "TCP" and not monitor_path.startswith("/"):
            raise ConfigurationError(f"monitor_path {monitor_path!r} must start with '/'", field="monitor_path",
                                     path=path, fix="use a path such as '/health'")
        for low, high in expected_status_code_ranges:
            require_range(low, field="expected_status_code_ranges", path=path, minimum=100, maximum=999)
            require_range(high, field="expected_status_code_ranges", path=path, minimum=low, maximum=999)
        if max_return is not None:
            if routing_method != "MultiValue":
                raise ConfigurationError("max_return only applies to MultiValue routing", field="max_return",
                                         path=path, fix="drop max_return or use routing_method='MultiValue'")
            require_range(max_return, field="max_return", path=path, minimum=1, maximum=8)
        relative = relative_name or name
        if not isinstance(relative, str) or not relative.replace("-", "").isalnum() or len(relative) > 63:
            raise ConfigurationError(f"relative_name {relative!r} is not a valid DNS label", field="relative_name",
                                     path=path, fix="use letters, digits and hyphens, at most 63 characters")
        self.routing_method = routing_method
        self.relative_name = relative
        self.ttl = ttl
        self.monitor_protocol = monitor_protocol
        self.monitor_port = monitor_port
        self.monitor_path = monitor_path
        self.interval_in_seconds = interval_in_seconds
        self.timeout_in_seconds = timeout_in_seconds
        self.tolerated_number_of_failures = tolerated_number_of_failures
        self.expected_status_code_ranges = list(expected_status_code_ranges)
        self.max_return = max_return
        self.enabled = enabled
        self.endpoints: list[TrafficManagerEndpoint] = []
        super().__init__(scope, id, name=name, tags=tags)

    @property
    def fqdn(self) -> Expr:
        """The profile's DNS name, ``<relative_name>.trafficmanager.net``.

        It renders as the deployed ``dnsConfig.fqdn``; ``str()`` gives the name, known at synthesis.
        """
        return KnownExpr(self.attribute("dnsConfig", "fqdn"), f"{self.relative_name}.trafficmanager.net")

    def add_endpoint(self, id: str, *, name: str, target: str | Expr | None = None,
                     target_resource: Resource | Expr | None = None, weight: int | None = None,
                     priority: int | None = None, endpoint_status: EnabledState = "Enabled",
                     endpoint_location: str | None = None, geo_mapping: Sequence[str] = (),
                     min_child_endpoints: int | None = None) -> TrafficManagerEndpoint:
        """Create a :class:`TrafficManagerEndpoint` of this profile (same options and defaults)."""
        return TrafficManagerEndpoint(self, id, name=name, target=target, target_resource=target_resource,
                                      weight=weight, priority=priority, endpoint_status=endpoint_status,
                                      endpoint_location=endpoint_location, geo_mapping=geo_mapping,
                                      min_child_endpoints=min_child_endpoints)

    def render_properties(self) -> Mapping[str, Any]:
        """Status, routing method, DNS and monitor configuration (endpoints are child resources)."""
        monitor: dict[str, Any] = {"protocol": self.monitor_protocol, "port": self.monitor_port}
        if self.monitor_protocol != "TCP":
            monitor["path"] = self.monitor_path
        monitor.update({"intervalInSeconds": self.interval_in_seconds, "timeoutInSeconds": self.timeout_in_seconds,
                        "toleratedNumberOfFailures": self.tolerated_number_of_failures})
        if self.expected_status_code_ranges:
            monitor["expectedStatusCodeRanges"] = [{"min": lo, "max": hi} for lo, hi in self.expected_status_code_ranges]
        props: dict[str, Any] = {
            "profileStatus": "Enabled" if self.enabled else "Disabled",
            "trafficRoutingMethod": self.routing_method,
            "dnsConfig": {"relativeName": self.relative_name, "ttl": self.ttl},
            "monitorConfig": monitor,
        }
        if self.max_return is not None:
            props["maxReturn"] = self.max_return
        return props


class TrafficManagerEndpoint(Resource):
    """An endpoint of a :class:`TrafficManagerProfile`.

    ``target_resource`` (an Azure resource such as a web app or public IP, or its id) makes an
    ``azureEndpoints`` endpoint; another TrafficManagerProfile makes a ``nestedEndpoints`` one (its
    ``min_child_endpoints``, default 1, healthy endpoints keep it in rotation). A profile accepts one
    web app per Azure region: two apps of one region (blue/green) each go in a child profile. ``target`` (a DNS name or IP address, may be an expression) an
    ``externalEndpoints`` one. ``weight`` (1-1000) and ``priority`` (1-1000, unique in the profile)
    default to Azure's (1 and the next free priority). A standby endpoint is modelled with
    ``endpoint_status='Disabled'`` (Azure rejects weight 0). ``endpoint_location`` is required
    for external endpoints under Performance routing; ``geo_mapping`` under Geographic routing.
    """

    TYPE = "Microsoft.Network/trafficManagerProfiles/azureEndpoints"
    API_VERSION = API_VERSIONS[TYPE]

    def __init__(self, scope: TrafficManagerProfile, id: str, *, name: str, target: str | Expr | None = None,
                 target_resource: Resource | Expr | None = None, endpoint_type: EndpointType | None = None,
                 weight: int | None = None, priority: int | None = None, endpoint_status: EnabledState = "Enabled",
                 endpoint_location: str | None = None, geo_mapping: Sequence[str] = (),
                 min_child_endpoints: int | None = None) -> None:
        """See the class docstring; ``endpoint_type`` is inferred from ``target``/``target_resource``."""
        path = child_path(scope, id)
        if not isinstance(scope, TrafficManagerProfile):
            raise ConfigurationError("a Traffic Manager endpoint must be created under a TrafficManagerProfile",
                                     field="scope", path=path, fix="use profile.add_endpoint(...)")
        if target_resource is not None:
            target_resource = resource_ref(target_resource, Resource, field="target_resource", path=path)
        kind = _endpoint_type(target, target_resource, endpoint_type, path)
        if isinstance(target, str) and ("://" in target or "/" in target) and "${" not in target:
            host = target.split("://", 1)[-1].split("/", 1)[0]
            raise ConfigurationError(
                f"target {target!r} is a URL, but Traffic Manager answers DNS queries with a DNS name or IP address "
                "(paths and schemes are not part of DNS)", field="target", path=path,
                fix=f"pass target={host!r}, or target_resource=<the app> for an Azure app (the probe path is the "
                "profile's monitor_path)")
        if isinstance(target, str) and target.strip().rstrip(".").lower().endswith(".azurewebsites.net"):
            raise ConfigurationError(
                f"target {target!r} is an App Service app as an external endpoint: the app has no host name binding "
                "for the profile's trafficmanager.net name and answers 404", field="target", path=path,
                fix="pass target_resource=<the FunctionApp> (an Azure endpoint, whose app accepts the profile's name)")
        if min_child_endpoints is not None and kind != "nestedEndpoints":
            raise ConfigurationError("min_child_endpoints only applies to a child profile endpoint",
                                     field="min_child_endpoints", path=path,
                                     fix="drop it, or pass target_resource=<a TrafficManagerProfile>")
        require_range(min_child_endpoints, field="min_child_endpoints", path=path, minimum=1)
        if weight == 0:
            raise ConfigurationError(
                "weight is 0, but Azure requires a weight of at least 1", field="weight", path=path,
                fix="to keep an endpoint on standby with no traffic, set endpoint_status='Disabled' "
                    "(and a weight of 1-1000)")
        require_range(weight, field="weight", path=path, minimum=1, maximum=1000)
        require_range(priority, field="priority", path=path, minimum=1, maximum=1000)
        _check_against_profile(scope, priority, kind, endpoint_location, geo_mapping, path)
        _check_one_web_app_per_region(scope, target_resource, path)
        _check_app_probe(scope, target_resource, path)
        self.profile = scope
        self.endpoint_type = kind
        self.target = target
        self.target_resource = target_resource
        self.weight = weight
        self.priority = priority
        self.endpoint_status = endpoint_status
        self.endpoint_location = endpoint_location
        self.geo_mapping = list(geo_mapping)
        self.min_child_endpoints = (min_child_endpoints or 1) if kind == "nestedEndpoints" else None
        super().__init__(scope, id, name=name, resource_type=f"Microsoft.Network/trafficManagerProfiles/{kind}")
        scope.endpoints.append(self)

    def render_properties(self) -> Mapping[str, Any]:
        """Target, status, weight, priority, location and geo mapping (those that are set)."""
        props: dict[str, Any] = {}
        if self.target_resource is not None:
            props["targetResourceId"] = (self.target_resource.resource_id
                                         if isinstance(self.target_resource, Resource) else self.target_resource)
        if self.target is not None:
            props["target"] = self.target
        props["endpointStatus"] = self.endpoint_status
        if self.weight is not None:
            props["weight"] = self.weight
        if self.priority is not None:
            props["priority"] = self.priority
        if self.endpoint_location is not None:
            props["endpointLocation"] = self.endpoint_location
        if self.geo_mapping:
            props["geoMapping"] = list(self.geo_mapping)
        if self.min_child_endpoints is not None:
            props["minChildEndpoints"] = self.min_child_endpoints
        return props


def _endpoint_type(target: str | Expr | None, target_resource: Resource | Expr | None,
                   endpoint_type: EndpointType | None, path: str) -> EndpointType:
    if endpoint_type is not None:
        require_one_of(endpoint_type, get_args(EndpointType), field="endpoint_type", path=path)
    if target is not None and target_resource is not None:
        raise ConfigurationError("pass either target or target_resource, not both", field="target", path=path,
                                 fix="target_resource for an Azure resource, target for an external DNS name or IP")
    if target is None and target_resource is None:
        raise ConfigurationError("target or target_resource is required", field="target", path=path,
                                 fix="pass target_resource=<web app / public IP> or target='host.example.com'")
    kind: EndpointType = ("nestedEndpoints" if isinstance(target_resource, TrafficManagerProfile)
                          else "azureEndpoints" if target_resource is not None else "externalEndpoints")
    if endpoint_type is not None and endpoint_type != kind:
        need = "target_resource (the Azure resource or its id)" if endpoint_type == "azureEndpoints" else "target"
        raise ConfigurationError(f"an {endpoint_type} endpoint needs {need}", field="endpoint_type", path=path,
                                 fix=f"pass {need}, or drop endpoint_type to infer it")
    return kind


def _check_one_web_app_per_region(profile: TrafficManagerProfile, target: Resource | Expr | None, path: str) -> None:
    """Traffic Manager takes at most one App Service app per Azure region as Azure endpoints of a profile."""
    if not isinstance(target, Resource) or target.resource_type.lower() != "microsoft.web/sites":
        return
    for other in profile.endpoints:
        app = other.target_resource
        if (isinstance(app, Resource) and app.resource_type.lower() == "microsoft.web/sites"
                and isinstance(app.location, str) and app.location == target.location):
            raise ConfigurationError(
                f"endpoint {other.node.id!r} already targets a web app in {app.location}, and a Traffic Manager "
                "profile accepts one App Service app per Azure region", field="target_resource", path=path,
                fix="put each app in its own child TrafficManagerProfile (one endpoint each) and add the child "
                "profiles to this one with target_resource=<child profile> (nested endpoints)")


def _check_app_probe(profile: TrafficManagerProfile, target: Resource | Expr | None, path: str) -> None:
    """The Functions host serves HTTP routes under /api: a probe elsewhere gets 404 and the app leaves rotation."""
    if not isinstance(target, Resource) or target.resource_type.lower() != "microsoft.web/sites":
        return
    if getattr(target, "front_door_ids", None):
        raise ConfigurationError(
            f"{target.node.path} admits only Azure Front Door (it is a Front Door origin), but Traffic Manager sends "
            "clients to the app directly: they and Traffic Manager's probes would get 403", field="target_resource",
            path=path, fix="route to the app through Front Door alone, or leave it out of the Front Door origin group")
    if "functionapp" in str(getattr(target, "kind", "") or "") and profile.monitor_protocol != "TCP" and \
            not profile.monitor_path.startswith("/api/"):
        raise ConfigurationError(
            f"the profile probes {profile.monitor_path!r}, but Function App routes are under /api, so the probe gets "
            "404 and the app is taken out of rotation", field="monitor_path", path=path,
            fix="create the profile with monitor_path set to a route that needs no key, such as a CrudApi's "
                "'/api/<route>/health'")


def _check_against_profile(profile: TrafficManagerProfile, priority: int | None, kind: EndpointType,
                           endpoint_location: str | None, geo_mapping: Sequence[str], path: str) -> None:
    if priority is not None:
        for other in profile.endpoints:
            if other.priority == priority:
                raise ConfigurationError(f"priority {priority} is already used by endpoint {other.node.id!r}",
                                         field="priority", path=path, fix="give each endpoint its own priority")
    if profile.routing_method == "Performance" and kind != "azureEndpoints" and not endpoint_location:
        raise ConfigurationError("endpoint_location is required for external and nested endpoints under Performance routing",
                                 field="endpoint_location", path=path, fix="pass endpoint_location='eastus'")
    if profile.routing_method == "Geographic" and not geo_mapping:
        raise ConfigurationError("geo_mapping is required under Geographic routing", field="geo_mapping", path=path,
                                 fix="pass geo_mapping=['WORLD'] or region codes such as 'GEO-EU'")
