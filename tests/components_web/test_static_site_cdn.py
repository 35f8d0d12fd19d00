"""StaticSiteWithCdn: a Static Web App behind one shared Front Door profile."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from atakora import App, ResourceGroupStack
from atakora.backend import define_backend
from atakora.backend.providers.static_sites import SharedFrontDoor
from atakora.components.static_site_cdn import CorsConfig, StaticSiteWithCdn
from atakora.errors import AtakoraError, ConfigurationError
from atakora.testing import Template

SEED_WEBSITE: dict[str, Any] = {
    "index_document": "index.html", "enable_spa_mode": True, "custom_domain": "app.example.com",
    "dns_zone_name": "example.com", "enable_compression": True, "cache_max_age": 3600,
    "cors": {"allowedOrigins": ["*"]},
}


def stack() -> ResourceGroupStack:
    return ResourceGroupStack(App(outdir="unused"), "FrontendStack", resource_group_name="rg-frontend",
                              location="eastus")


def rules(template: Template) -> dict[str, dict[str, Any]]:
    return {r["name"].rsplit("/", 1)[-1]: r["properties"]
            for r in template.find_resources("Microsoft.Cdn/profiles/ruleSets/rules")}


def test_the_seed_website_gets_front_door_with_spa_cache_cors_and_a_custom_domain() -> None:
    target = stack()
    backend = define_backend({"website": StaticSiteWithCdn.define("GlobalWebsite", **SEED_WEBSITE)},
                             environment="production")
    backend.add_to_stack(target)
    template = Template.from_stack(target)
    template.resource_count_is("Microsoft.Web/staticSites", 1)
    template.has_resource("Microsoft.Cdn/profiles", {"sku": {"name": "Standard_AzureFrontDoor"},
                                                     "location": "global"})
    template.has_resource_properties("Microsoft.Cdn/profiles/originGroups",
                                     {"healthProbeSettings": {"probePath": "/", "probeProtocol": "Https"}})
    origin = template.find_resources("Microsoft.Cdn/profiles/originGroups/origins")[0]["properties"]
    assert "Microsoft.Web/staticSites" in origin["hostName"] and "defaultHostname" in origin["hostName"]
    route = template.find_resources("Microsoft.Cdn/profiles/afdEndpoints/routes")[0]["properties"]
    assert route["cacheConfiguration"]["compressionSettings"]["isCompressionEnabled"] is True
    assert route["httpsRedirect"] == "Enabled" and route["forwardingProtocol"] == "HttpsOnly"
    assert len(route["customDomains"]) == 1
    found = rules(template)
    assert list(found) == ["SpaRewrite", "CacheDuration", "CorsAnyOrigin"]
    cache = found["CacheDuration"]["actions"][0]["parameters"]["cacheConfiguration"]
    assert cache["cacheDuration"] == "01:00:00"
    assert found["CorsAnyOrigin"]["actions"][0]["parameters"]["value"] == "*"
    template.has_resource_properties("Microsoft.Cdn/profiles/customDomains", {
        "hostName": "app.example.com", "tlsSettings": {"certificateType": "ManagedCertificate"},
        "azureDnsZone": {"id": "[resourceId('Microsoft.Network/dnsZones', 'example.com')]"}})
    records = {r["type"]: r for r in template.resources if r["type"].startswith("Microsoft.Network/dnsZones")}
    assert set(records) == {"Microsoft.Network/dnsZones/CNAME", "Microsoft.Network/dnsZones/TXT"}
    assert records["Microsoft.Network/dnsZones/CNAME"]["name"] == "example.com/app"
    assert records["Microsoft.Network/dnsZones/TXT"]["name"] == "example.com/_dnsauth.app"
    assert "location" not in records["Microsoft.Network/dnsZones/CNAME"]
    website = backend.components.website
    assert website.url == "https://app.example.com"
    target.add_output("cdn", website.cdn_endpoint)
    assert "afdEndpoints" in Template.from_stack(target).to_json()["outputs"]["cdn"]["value"]


def test_two_cdn_sites_share_one_front_door_profile_with_an_endpoint_each() -> None:
    target = stack()
    backend = define_backend({
        "shop": StaticSiteWithCdn.define("Shop", enable_spa_mode=True),
        "blog": StaticSiteWithCdn.define("Blog", front_door_tier="Premium", cache_max_age=600),
    }, environment="prod")
    backend.add_to_stack(target)
    template = Template.from_stack(target)
    template.resource_count_is("Microsoft.Cdn/profiles", 1)
    template.resource_count_is("Microsoft.Cdn/profiles/afdEndpoints", 2)
    template.resource_count_is("Microsoft.Cdn/profiles/afdEndpoints/routes", 2)
    template.resource_count_is("Microsoft.Web/staticSites", 2)
    template.has_resource("Microsoft.Cdn/profiles", {"sku": {"name": "Premium_AzureFrontDoor"}})
    shared = backend.get_shared("frontdoor", "shared")
    assert isinstance(shared, SharedFrontDoor) and sorted(shared.endpoints) == ["blog", "shop"]
    entry = next(e for e in backend.plan().resources if e.resource_type == "frontdoor")
    assert entry.members == ["Blog", "Shop"]
    assert entry.strategies["endpoints"] == "union" and entry.strategies["sku"] == "maximum"


def test_a_cdn_site_built_traditionally_creates_its_own_profile(tmp_path: Path, site_dir: Path) -> None:
    target = stack()
    site = StaticSiteWithCdn(target, "Landing", source_directory=site_dir, custom_domain="www.example.org",
                             dns_zone_name="example.org", create_dns_zone=True)
    template = Template.from_stack(target)
    template.resource_count_is("Microsoft.Cdn/profiles", 1)
    template.resource_count_is("Microsoft.Network/dnsZones", 1)
    template.resource_count_is("Microsoft.Network/dnsZones/CNAME", 1)
    assert site.content is not None and site.dns_zone is not None


def test_several_cors_origins_become_one_conditional_rule_each() -> None:
    target = stack()
    origins = ["https://a.example.com", "https://B.example.com:8443"]
    define_backend({"site": StaticSiteWithCdn.define("Site", cors=CorsConfig(allowed_origins=tuple(origins)),
                                                     cache_max_age=0)}).add_to_stack(target)
    template = Template.from_stack(target)
    found = rules(template)
    assert list(found) == ["CorsOrigin1", "CorsOrigin2"]
    second = found["CorsOrigin2"]
    condition = second["conditions"][0]
    assert condition["name"] == "RequestHeader"
    assert condition["parameters"]["selector"] == "Origin"
    assert condition["parameters"]["matchValues"] == ["https://b.example.com:8443"]
    headers = {a["parameters"]["headerName"]: a["parameters"] for a in second["actions"]}
    assert headers["Access-Control-Allow-Origin"]["value"] == "https://b.example.com:8443"
    assert headers["Vary"]["headerAction"] == "Append"
    route = template.find_resources("Microsoft.Cdn/profiles/afdEndpoints/routes")[0]["properties"]
    assert "cacheConfiguration" not in route  # cache_max_age=0: no caching


def test_without_rules_there_is_no_rule_set() -> None:
    target = stack()
    define_backend({"site": StaticSiteWithCdn.define("Site", cache_max_age=0)}).add_to_stack(target)
    Template.from_stack(target).resource_count_is("Microsoft.Cdn/profiles/ruleSets", 0)


@pytest.mark.parametrize(("kwargs", "field", "text"), [
    ({"dns_zone_name": "example.com"}, "dns_zone_name", "needs custom_domain"),
    ({"custom_domain": "app.example.net", "dns_zone_name": "example.com"}, "custom_domain", "not in DNS zone"),
    ({"custom_domain": "example.com", "dns_zone_name": "example.com"}, "custom_domain", "zone apex"),
    ({"custom_domain": "https://app.example.com"}, "custom_domain", "not a host name"),
    ({"cache_max_age": -1}, "cache_max_age", "must be 0"),
    ({"cors": {"allowed_origins": ["*", "https://a.example.com"]}}, "cors", "mixes '*'"),
    ({"cors": {"allowed_origins": ["https://a.example.com/path"]}}, "cors", "are not origins"),
    ({"cors": {"origins": ["*"]}}, "cors", "unknown cors setting"),
    ({"cors": {"allowed_origins": 5}}, "cors", "allowed_origins must be a list of strings"),
    ({"cors": {"allowed_origins": [None]}}, "cors", "allowed_origins must be a list of strings"),
    ({"cors": {"allowed_origins": ["*"], "allowed_methods": [1]}}, "cors", "allowed_methods must be a list of strings"),
    ({"cors": {"allowed_origins": ["*"], "allowed_methods": None}}, "cors", "allowed_methods must be a list"),
    ({"cors": {"allowed_origins": ["*"], "max_age": "600"}}, "cors", "max_age must be a whole number"),
    ({"create_dns_zone": True}, "create_dns_zone", "needs dns_zone_name"),
    ({"front_door_tier": "Classic"}, "front_door_tier", "input should be 'Standard' or 'Premium'"),
    ({"build_command": "npm run build"}, "build_command", "need source_directory"),
])
def test_invalid_cdn_settings_raise_configuration_errors(kwargs: dict[str, Any], field: str, text: str) -> None:
    with pytest.raises(ConfigurationError) as raised:
        StaticSiteWithCdn.define("GlobalWebsite", **kwargs)
    assert raised.value.field == field
    assert text in str(raised.value) and "[GlobalWebsite]" in str(raised.value)


@pytest.mark.parametrize("second", ["app.example.com", "APP.example.com", "app.example.com."])
def test_two_cdn_sites_with_one_custom_domain_are_an_error_naming_the_other(second: str) -> None:
    backend = define_backend({"shop": StaticSiteWithCdn.define("Shop", custom_domain="app.example.com"),
                              "blog": StaticSiteWithCdn.define("Blog", custom_domain=second)}, environment="prod")
    with pytest.raises(ConfigurationError, match="custom domain 'app.example.com' is already used by") as raised:
        backend.add_to_stack(stack())
    assert raised.value.field == "custom_domain" and "Blog-Domain" in str(raised.value) and raised.value.fix


def test_two_traditional_cdn_sites_with_one_custom_domain_are_an_error(site_dir: Path) -> None:
    target = stack()
    StaticSiteWithCdn(target, "Landing", source_directory=site_dir, custom_domain="www.example.org")
    with pytest.raises(ConfigurationError, match="'www.example.org' is already used by FrontendStack/Landing"):
        StaticSiteWithCdn(target, "Promo", source_directory=site_dir, custom_domain="www.example.org")


@pytest.mark.parametrize(("first", "second"), [("Web-2", "web2"), ("Shop.Site", "ShopSite"), ("Blog_1", "Blog1")])
def test_sites_whose_ids_differ_only_in_punctuation_are_an_error_not_duplicate_front_door_resources(
        first: str, second: str) -> None:
    backend = define_backend({"a": StaticSiteWithCdn.define(first, cache_max_age=60),
                              "b": StaticSiteWithCdn.define(second, cache_max_age=60)}, environment="prod")
    with pytest.raises(AtakoraError) as raised:
        backend.add_to_stack(stack())
    assert first in str(raised.value) and second in str(raised.value) and raised.value.field and raised.value.fix
