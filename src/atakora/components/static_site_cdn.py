"""StaticSiteWithCdn: a Static Web App behind Azure Front Door, with caching, compression, SPA rules,
CORS headers and a custom domain with a managed certificate (seed 003, example 2)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from ..arguments import shown, validated
from ..backend.component import ComponentDefinition, ResourceMap
from ..backend.planner import SHARED_KEY
from ..backend.requirements import ResourceRequirement
from ..backend.validation import ValidationResult
from ..core.assets import Asset
from ..core.construct import Construct
from ..core.expressions import Expr, concat, named, resource_id
from ..core.resource import Resource
from ..errors import ConfigurationError
from ..resources.cdn import (
    FrontDoorCustomDomain,
    FrontDoorEndpoint,
    FrontDoorOrigin,
    FrontDoorOriginGroup,
    FrontDoorProfile,
    FrontDoorRoute,
    FrontDoorRuleSet,
    RuleAction,
    RuleCondition,
    cache_override_action,
    custom_domain_holder,
    response_header_action,
)
from ..resources.network._versions import API_VERSIONS as DNS_API_VERSIONS
from ..resources.network.dns import DnsZone
from ..resources.web_static import StaticWebApp
from ._base import Component
from .static_site import (
    SiteSku,
    StaticSiteConfig,
    check_site_config,
    site_asset,
    site_requirement_key,
)

__all__ = ["CorsConfig", "StaticSiteWithCdn", "StaticSiteWithCdnConfig"]

FrontDoorTier = Literal["Standard", "Premium"]
_FQDN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_ORIGIN = re.compile(r"^https?://[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?$")
MAX_CORS_ORIGINS = 25
_MAX_CACHE_SECONDS = 366 * 86400


@dataclass(frozen=True)
class CorsConfig:
    """CORS headers Front Door adds to the site's responses.

    ``allowed_origins``: ``['*']`` (any origin) or full origins such as ``'https://app.example.com'``.
    A response header holds one origin, so with several origins Front Door answers each listed
    ``Origin`` request header with that origin (one rule per origin, ``Vary: Origin`` appended);
    other origins get no ``Access-Control-Allow-Origin``. ``allowed_methods`` default GET, HEAD,
    OPTIONS; ``max_age`` (seconds browsers cache a preflight) default 3600.
    """

    allowed_origins: tuple[str, ...] = ()
    allowed_methods: tuple[str, ...] = ("GET", "HEAD", "OPTIONS")
    max_age: int = 3600


@dataclass(frozen=True)
class StaticSiteWithCdnConfig:
    """Everything a StaticSiteWithCdn is configured with (see ``StaticSiteWithCdn.define``)."""

    site: StaticSiteConfig
    custom_domain: str | None = None
    dns_zone_name: str | None = None
    create_dns_zone: bool = False
    enable_compression: bool = True
    cache_max_age: int = 3600
    cors: CorsConfig | None = None
    front_door_tier: FrontDoorTier = "Standard"
    priority: int = 10


def _cors(component_id: str, cors: CorsConfig | Mapping[str, Any] | None) -> CorsConfig | None:
    def fail(message: str, fix: str) -> ConfigurationError:
        return ConfigurationError(message, field="cors", path=component_id, fix=fix)

    if cors is None:
        return None
    if isinstance(cors, Mapping):
        values = {("allowed_origins" if k == "allowedOrigins" else "allowed_methods" if k == "allowedMethods"
                   else "max_age" if k == "maxAge" else k): v for k, v in cors.items()}
        unknown = sorted(set(values) - {"allowed_origins", "allowed_methods", "max_age"})
        if unknown:
            raise fail(f"unknown cors setting(s) {unknown}", "use allowed_origins, allowed_methods and max_age")
        for key in ("allowed_origins", "allowed_methods"):
            if isinstance(values.get(key), str):
                raise fail(f"cors {key} must be a list", f"pass [{values[key]!r}]")
            if isinstance(values.get(key), list):
                values[key] = tuple(values[key])
        cors = CorsConfig(**values)
    if not isinstance(cors, CorsConfig):
        raise fail(f"cors must be a CorsConfig or a mapping, not {type(cors).__name__}",
                   "pass cors={'allowed_origins': ['https://app.example.com']}")
    for key, example in (("allowed_origins", "['https://app.example.com']"), ("allowed_methods", "['GET', 'HEAD']")):
        value = getattr(cors, key)
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            raise fail(f"cors {key} must be a list of strings, got {shown(value)}", f"pass {key}={example}")
    if isinstance(cors.max_age, bool) or not isinstance(cors.max_age, int):
        raise fail(f"cors max_age must be a whole number of seconds, got {shown(cors.max_age)}", "use max_age=3600")
    origins = tuple(o.rstrip("/").lower() for o in cors.allowed_origins)
    if not origins:
        raise fail("cors needs allowed_origins", "pass cors={'allowed_origins': ['*']} or leave cors out")
    if "*" in origins and len(origins) > 1:
        raise fail(f"allowed_origins {list(cors.allowed_origins)} mixes '*' with origins; '*' already allows all",
                   "pass ['*'] alone, or list only the origins")
    bad = [o for o in origins if o != "*" and not _ORIGIN.match(o)]
    if bad:
        raise fail(f"allowed_origins {bad} are not origins", "write 'https://host' or 'https://host:port' (no path)")
    if len(origins) > MAX_CORS_ORIGINS:
        raise fail(f"{len(origins)} allowed origins need a Front Door rule each; at most {MAX_CORS_ORIGINS} are "
                   "supported", "use '*' or fewer origins")
    methods = tuple(m.upper() for m in cors.allowed_methods)
    if not methods or any(m not in ("GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE") for m in methods):
        raise fail(f"allowed_methods {list(cors.allowed_methods)} must be HTTP methods",
                   "use e.g. ['GET', 'HEAD', 'OPTIONS']")
    if not 0 <= cors.max_age <= 86400:
        raise fail(f"cors max_age {cors.max_age} must be 0-86400 seconds", "use 3600")
    return CorsConfig(allowed_origins=tuple(dict.fromkeys(origins)), allowed_methods=methods, max_age=cors.max_age)


def _make_config(component_id: str, *, source_directory: str | Path | None, build_command: str | None,
                 output_directory: str | None, index_document: str, error_document: str | None,
                 enable_spa_mode: bool, custom_domain: str | None, dns_zone_name: str | None,
                 create_dns_zone: bool, enable_compression: bool, cache_max_age: int,
                 cors: CorsConfig | Mapping[str, Any] | None, sku: str, front_door_tier: str,
                 headers: Mapping[str, str] | None, priority: int) -> StaticSiteWithCdnConfig:
    def fail(field_name: str, message: str, fix: str) -> ConfigurationError:
        return ConfigurationError(message, field=field_name, path=component_id, fix=fix)

    site = check_site_config(component_id, source_directory=source_directory, build_command=build_command,
                             output_directory=output_directory, index_document=index_document,
                             error_document=error_document, enable_spa_mode=enable_spa_mode, sku=sku,
                             headers=headers, priority=priority, require_source=False)
    if source_directory is None:
        for name, value in (("headers", headers), ("error_document", error_document)):
            if value:
                raise fail(name, f"{name} goes into the site's generated staticwebapp.config.json, which needs "
                           "source_directory", f"pass source_directory=..., or drop {name}")
    domain = custom_domain.strip().rstrip(".").lower() if custom_domain else None
    zone = dns_zone_name.strip().rstrip(".").lower() if dns_zone_name else None
    if domain is not None and not _FQDN.match(domain):
        raise fail("custom_domain", f"custom_domain {custom_domain!r} is not a host name",
                   "pass the bare name, e.g. 'app.example.com' (no 'https://' or path)")
    if zone is not None:
        if not _FQDN.match(zone):
            raise fail("dns_zone_name", f"dns_zone_name {dns_zone_name!r} is not a DNS zone name",
                       "pass the zone, e.g. 'example.com'")
        if domain is None:
            raise fail("dns_zone_name", "dns_zone_name needs custom_domain",
                       "pass custom_domain='app.example.com', or drop dns_zone_name")
        if domain == zone:
            raise fail("custom_domain", f"custom_domain {domain!r} is the zone apex, which a CNAME cannot point at",
                       "use a sub-domain such as 'www." + zone + "' (apex domains need an alias record)")
        if not domain.endswith("." + zone):
            raise fail("custom_domain", f"custom_domain {domain!r} is not in DNS zone {zone!r}",
                       f"use a name under {zone}, or pass the zone that hosts {domain}")
    if create_dns_zone and zone is None:
        raise fail("create_dns_zone", "create_dns_zone needs dns_zone_name", "pass dns_zone_name='example.com'")
    if isinstance(cache_max_age, bool) or not isinstance(cache_max_age, int) or not \
            0 <= cache_max_age <= _MAX_CACHE_SECONDS:
        raise fail("cache_max_age", f"cache_max_age {cache_max_age!r} must be 0 (no caching) to {_MAX_CACHE_SECONDS} "
                   "seconds (366 days)", "use 3600 (one hour)")
    if front_door_tier not in ("Standard", "Premium"):
        raise fail("front_door_tier", f"front_door_tier {front_door_tier!r} is not a Front Door tier",
                   "use 'Standard' or 'Premium'")
    return StaticSiteWithCdnConfig(site=site, custom_domain=domain, dns_zone_name=zone, create_dns_zone=create_dns_zone,
                                   enable_compression=enable_compression, cache_max_age=cache_max_age,
                                   cors=_cors(component_id, cors), front_door_tier=front_door_tier,  # type: ignore[arg-type]
                                   priority=priority)


class _ExistingZoneRecord(Resource):
    """A record set in a DNS zone that this template does not create (it already exists in the resource group)."""

    LOCATION = "none"
    TAGGABLE = False

    @validated
    def __init__(self, scope: Construct, id: str, *, zone_name: str, name: str, properties: Mapping[str, Any],
                 record_type: Literal["CNAME", "TXT"]) -> None:
        resource_type = f"Microsoft.Network/dnsZones/{record_type}"
        super().__init__(scope, id, name=name, properties=properties, resource_type=resource_type,
                         api_version=DNS_API_VERSIONS[resource_type])
        self.name_segments = (zone_name, name)


def _rule_set_name(component_id: str) -> str:
    cleaned = "".join(ch for ch in component_id if ch.isalnum())
    if not cleaned or not cleaned[0].isalpha():
        cleaned = "Site" + cleaned
    return (cleaned[:55] + "Rules")[:60]


def _origin_condition(origin: str) -> RuleCondition:
    return RuleCondition("RequestHeader", {
        "typeName": "DeliveryRuleRequestHeaderConditionParameters", "operator": "Equal", "selector": "Origin",
        "negateCondition": False, "matchValues": [origin], "transforms": ["Lowercase"]})


class StaticSiteWithCdn(Component):
    """A static site (its own Static Web App) served through Azure Front Door.

    Every CDN site of a backend shares one Front Door profile (Standard by default) and gets its
    own endpoint, origin group (HTTPS health probe on '/'), origin (the site's default host name),
    route (HTTPS only, HTTP redirected, caching and compression), rule set (SPA rewrite, cache
    duration, CORS headers) and, with ``custom_domain``, a custom domain with a Front Door managed
    certificate. ``StaticSiteWithCdn(scope, id, ...)`` creates its own profile.
    """

    config: StaticSiteWithCdnConfig

    component_type = "StaticSiteWithCdn"

    @validated
    def __init__(self, scope: Construct, id: str, *, source_directory: str | Path | None = None,
                 build_command: str | None = None, output_directory: str | None = None,
                 index_document: str = "index.html", error_document: str | None = None,
                 enable_spa_mode: bool = False, custom_domain: str | None = None, dns_zone_name: str | None = None,
                 create_dns_zone: bool = False, enable_compression: bool = True, cache_max_age: int = 3600,
                 cors: CorsConfig | Mapping[str, Any] | None = None, sku: SiteSku = "Free",
                 front_door_tier: FrontDoorTier = "Standard", headers: Mapping[str, str] | None = None,
                 priority: int = 10) -> None:
        """See ``define``; creates the site's own Static Web App and Front Door profile."""
        config = _make_config(id, source_directory=source_directory, build_command=build_command,
                              output_directory=output_directory, index_document=index_document,
                              error_document=error_document, enable_spa_mode=enable_spa_mode,
                              custom_domain=custom_domain, dns_zone_name=dns_zone_name, create_dns_zone=create_dns_zone,
                              enable_compression=enable_compression, cache_max_age=cache_max_age, cors=cors, sku=sku,
                              front_door_tier=front_door_tier, headers=headers, priority=priority)
        self._build_standalone(scope, id, config)

    def _setup(self) -> None:
        self.site: StaticWebApp | None = None
        self.content: Asset | None = None
        self.profile: FrontDoorProfile | None = None
        self.endpoint: FrontDoorEndpoint | None = None
        self.route: FrontDoorRoute | None = None
        self.rule_set: FrontDoorRuleSet | None = None
        self.domain: FrontDoorCustomDomain | None = None
        self.dns_zone: DnsZone | None = None


    @classmethod
    @validated
    def define(cls, id: str, *, source_directory: str | Path | None = None, build_command: str | None = None,
               output_directory: str | None = None, index_document: str = "index.html",
               error_document: str | None = None, enable_spa_mode: bool = False, custom_domain: str | None = None,
               dns_zone_name: str | None = None, create_dns_zone: bool = False, enable_compression: bool = True,
               cache_max_age: int = 3600, cors: CorsConfig | Mapping[str, Any] | None = None, sku: SiteSku = "Free",
               front_door_tier: FrontDoorTier = "Standard", headers: Mapping[str, str] | None = None,
               priority: int = 10) -> ComponentDefinition[StaticSiteWithCdn]:
        """Define a StaticSiteWithCdn for a backend.

        ``source_directory`` (default None: the site is created empty and deployed by other
        tooling), ``build_command``, ``output_directory``, ``index_document`` (default
        'index.html'), ``error_document`` (default None), ``enable_spa_mode`` (default False),
        ``sku`` and ``headers``: as for ``StaticSite``. ``custom_domain`` (default None), e.g.
        'app.example.com', gets a managed certificate; with ``dns_zone_name`` (default None) the
        CNAME and ``_dnsauth`` TXT records are created in that Azure DNS zone, which must already
        exist in the stack's resource group (``create_dns_zone=True``, default False, creates it).
        ``enable_compression`` (default True), ``cache_max_age`` (seconds Front Door caches
        responses, default 3600; 0 turns caching, and with it compression, off), ``cors``
        (default None: no CORS headers; ``{'allowed_origins': [...]}`` or ``CorsConfig``),
        ``front_door_tier``: 'Standard' (default) or 'Premium' (the shared profile takes the
        highest tier any member asks for).
        """
        config = _make_config(id, source_directory=source_directory, build_command=build_command,
                              output_directory=output_directory, index_document=index_document,
                              error_document=error_document, enable_spa_mode=enable_spa_mode,
                              custom_domain=custom_domain, dns_zone_name=dns_zone_name, create_dns_zone=create_dns_zone,
                              enable_compression=enable_compression, cache_max_age=cache_max_age, cors=cors, sku=sku,
                              front_door_tier=front_door_tier, headers=headers, priority=priority)
        return cls._definition(id, config)

    # ----- component protocol --------------------------------------------------------------
    @property
    def requirement_key(self) -> str:
        """This site's ``staticsite`` requirement key and Front Door endpoint key (kebab case of the id)."""
        return site_requirement_key(self.component_id)

    def get_requirements(self) -> Sequence[ResourceRequirement]:
        """Its own Static Web App ('staticsite', key per site) and the shared Front Door ('frontdoor', 'shared')."""
        from ..backend.providers.static_sites import FrontDoorRequirementConfig, StaticSiteRequirementConfig

        c = self.config
        tier = "Premium_AzureFrontDoor" if c.front_door_tier == "Premium" else "Standard_AzureFrontDoor"
        return [
            ResourceRequirement("staticsite", self.requirement_key, StaticSiteRequirementConfig(sku=c.site.sku),
                                c.priority, component_id=self.component_id),
            ResourceRequirement("frontdoor", SHARED_KEY, FrontDoorRequirementConfig(
                sku=tier, endpoints=(self.requirement_key,)), c.priority,  # type: ignore[arg-type]
                component_id=self.component_id),
        ]

    def validate_resources(self, resources: ResourceMap) -> ValidationResult:
        """A Static Web App and a Front Door profile with this site's endpoint were injected."""
        from ..backend.providers.static_sites import SharedFrontDoor

        errors = []
        if not isinstance(resources.get(f"staticsite:{self.requirement_key}"), StaticWebApp):
            errors.append(f"no Static Web App was injected for {self.component_id}")
        front_door = resources.get(f"frontdoor:{SHARED_KEY}")
        if not isinstance(front_door, SharedFrontDoor):
            errors.append(f"no Front Door profile was injected for {self.component_id}")
        elif self.requirement_key not in front_door.endpoints:
            errors.append(f"the Front Door profile lacks endpoint {self.requirement_key!r}")
        return ValidationResult.of(errors)

    def initialize(self, resources: ResourceMap, scope: Construct) -> None:
        """Package the content; add origin group, origin, rules, custom domain, DNS records and route."""
        from ..backend.providers.static_sites import SharedFrontDoor

        site = resources.get(f"staticsite:{self.requirement_key}")
        front_door = resources.get(f"frontdoor:{SHARED_KEY}")
        if not isinstance(site, StaticWebApp) or not isinstance(front_door, SharedFrontDoor):
            raise ConfigurationError(f"{self.component_id} needs an injected Static Web App and Front Door profile",
                                     path=self.node.path, fix="add the component to a backend whose providers "
                                     "include StaticSitesProvider and FrontDoorProvider")
        c, key, cid = self.config, self.requirement_key, self.component_id
        self.site, self.profile = site, front_door.profile
        self.endpoint = endpoint = front_door.endpoint(key)
        self.content = site_asset(self, site, c.site)
        profile = front_door.profile
        group = FrontDoorOriginGroup(profile, f"{cid}-Origins", name=f"{key}-origins", probe_path="/")
        FrontDoorOrigin(group, f"{cid}-Site", name=f"{key}-site", host_name=site.default_host_name)
        rule_set = self._rules(profile)
        self.rule_set = rule_set
        domains = [self._custom_domain(profile, endpoint)] if c.custom_domain else []
        self.route = FrontDoorRoute(endpoint, f"{cid}-Route", name=f"{key}-route", origin_group=group,
                                    rule_sets=[rule_set] if rule_set is not None else [], custom_domains=domains,
                                    caching=c.cache_max_age > 0, compression=c.enable_compression)

    def _rules(self, profile: FrontDoorProfile) -> FrontDoorRuleSet | None:
        c = self.config
        cors = c.cors
        if not (c.site.enable_spa_mode or c.cache_max_age > 0 or cors is not None):
            return None
        rules = FrontDoorRuleSet(profile, f"{self.component_id}-Rules", name=_rule_set_name(self.component_id))
        if c.site.enable_spa_mode:
            rules.add_spa_rewrite_rule(index_document=c.site.index_document)
        if c.cache_max_age > 0:
            rules.add_rule("CacheDuration", name="CacheDuration", conditions=[], actions=[
                cache_override_action(c.cache_max_age, compression=c.enable_compression)])
        if cors is not None:
            common: list[RuleAction] = [
                response_header_action("Access-Control-Allow-Methods", ", ".join(cors.allowed_methods)),
                response_header_action("Access-Control-Max-Age", str(cors.max_age))]
            if cors.allowed_origins == ("*",):
                rules.add_rule("CorsAnyOrigin", name="CorsAnyOrigin", conditions=[], actions=[
                    response_header_action("Access-Control-Allow-Origin", "*"), *common])
            for number, origin in enumerate(o for o in cors.allowed_origins if o != "*"):
                rules.add_rule(f"CorsOrigin{number + 1}", name=f"CorsOrigin{number + 1}",
                               conditions=[_origin_condition(origin)], actions=[
                                   response_header_action("Access-Control-Allow-Origin", origin),
                                   response_header_action("Vary", "Origin", action="Append"), *common])
        return rules

    def _custom_domain(self, profile: FrontDoorProfile, endpoint: FrontDoorEndpoint) -> FrontDoorCustomDomain:
        c = self.config
        assert c.custom_domain is not None
        other = custom_domain_holder(profile, c.custom_domain)
        if other is not None:
            raise ConfigurationError(f"custom domain {c.custom_domain!r} is already used by {other.node.path}; a "
                                     "host name can be the custom domain of one site only", field="custom_domain",
                                     path=self.node.path, fix="give each site its own custom_domain")
        zone_ref: DnsZone | Expr | None = None
        if c.dns_zone_name and c.create_dns_zone:
            self.dns_zone = DnsZone(self, "DnsZone", name=c.dns_zone_name)
            zone_ref = self.dns_zone
        elif c.dns_zone_name:
            zone_ref = resource_id("Microsoft.Network/dnsZones", c.dns_zone_name)
        domain = FrontDoorCustomDomain(profile, f"{self.component_id}-Domain", name=c.custom_domain.replace(".", "-"),
                                       host_name=c.custom_domain, dns_zone=zone_ref)
        self.domain = domain
        if self.dns_zone is not None:
            domain.add_dns_records(self.dns_zone, endpoint)
        elif c.dns_zone_name:
            relative = c.custom_domain[: -len(c.dns_zone_name) - 1]
            _ExistingZoneRecord(self, "DnsCname", zone_name=c.dns_zone_name, name=relative, record_type="CNAME",
                                properties={"TTL": 3600, "CNAMERecord": {"cname": endpoint.host_name}})
            _ExistingZoneRecord(self, "DnsAuth", zone_name=c.dns_zone_name, name=f"_dnsauth.{relative}",
                                record_type="TXT",
                                properties={"TTL": 3600, "TXTRecords": [{"value": [domain.validation_token]}]})
        return domain

    # ----- outputs ---------------------------------------------------------------------------
    def _endpoint(self) -> FrontDoorEndpoint:
        if self.endpoint is None:
            raise ConfigurationError(f"{self.component_id} has no endpoint before it is added to a stack",
                                     path=self.node.path, fix="call backend.add_to_stack(stack) first")
        return self.endpoint

    @property
    def cdn_endpoint(self) -> Expr:
        """``https://<endpoint host>`` (``<name>-<hash>.z01.azurefd.net``), known at deployment.

        Prints as ``${Stack/Website.cdn_endpoint}``; embedded in a property it becomes the expression.
        """
        return named(concat("https://", self._endpoint().host_name), self.value_label("cdn_endpoint"))

    @property
    def url(self) -> str | Expr:
        """``https://<custom_domain>`` when one is set, else ``cdn_endpoint``."""
        return f"https://{self.config.custom_domain}" if self.config.custom_domain else self.cdn_endpoint

    @property
    def default_host_name(self) -> Expr:
        """The Static Web App's own host name (the Front Door origin)."""
        if self.site is None:
            raise ConfigurationError(f"{self.component_id} has no site before it is added to a stack",
                                     path=self.node.path, fix="call backend.add_to_stack(stack) first")
        return named(self.site.default_host_name, self.value_label("default_host_name"))

    def get_outputs(self) -> Mapping[str, Any]:
        """cdn_endpoint, url, origin host name and, with a custom domain, its DNS validation token."""
        outputs: dict[str, Any] = {"cdn_endpoint": self.cdn_endpoint, "url": self.url,
                                   "origin_host_name": self.default_host_name}
        if self.domain is not None:
            outputs["custom_domain_validation_token"] = self.domain.validation_token
        return outputs
