from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from atakora import App, ResourceGroupStack
from atakora.core.resource import ArmResource
from atakora.errors import ConfigurationError, NamingError, ValidationError
from atakora.resources.cdn import (
    API_VERSIONS,
    FrontDoorCustomDomain,
    FrontDoorEndpoint,
    FrontDoorOrigin,
    FrontDoorOriginGroup,
    FrontDoorProfile,
    FrontDoorRoute,
    FrontDoorRule,
    FrontDoorRuleSet,
    cache_override_action,
    host_from_url,
    response_header_action,
    url_file_extension_condition,
    url_path_condition,
    url_rewrite_action,
)
from atakora.resources.network import DnsZone
from atakora.testing import Template

ROUTES = "Microsoft.Cdn/profiles/afdEndpoints/routes"
RULES = "Microsoft.Cdn/profiles/ruleSets/rules"


@pytest.fixture
def stack() -> ResourceGroupStack:
    return ResourceGroupStack(App(), "Web", resource_group_name="rg-web", location="eastus")


@pytest.fixture
def profile(stack: ResourceGroupStack) -> FrontDoorProfile:
    return FrontDoorProfile(stack, "Afd", name="afd-test")


@pytest.fixture
def endpoint(profile: FrontDoorProfile) -> FrontDoorEndpoint:
    return FrontDoorEndpoint(profile, "Endpoint", name="web-test")


@pytest.fixture
def group(profile: FrontDoorProfile) -> FrontDoorOriginGroup:
    return FrontDoorOriginGroup(profile, "Origins", name="origins")


@pytest.fixture
def site(stack: ResourceGroupStack) -> ArmResource:
    return ArmResource(stack, "Site", type="Microsoft.Storage/storageAccounts", api_version="2025-01-01",
                       name="stsite0001", kind="StorageV2", sku={"name": "Standard_LRS"})


def _find(template: Template, resource_type: str, name: str) -> dict[str, Any]:
    found = [r for r in template.find_resources(resource_type) if r["name"] == name]
    assert found, f"no {resource_type} {name}"
    return found[0]


def test_every_class_uses_the_declared_api_version(profile: FrontDoorProfile, endpoint: FrontDoorEndpoint,
                                                   group: FrontDoorOriginGroup) -> None:
    origin = FrontDoorOrigin(group, "O", name="o", host_name="app.example.net")
    rules = FrontDoorRuleSet(profile, "Rules", name="Rules")
    rule = rules.add_spa_rewrite_rule()
    domain = FrontDoorCustomDomain(profile, "Domain", name="app-example-com", host_name="app.example.com")
    route = FrontDoorRoute(endpoint, "Route", name="default", origin_group=group)
    for construct in (profile, endpoint, group, origin, rules, rule, domain, route):
        assert construct.api_version == API_VERSIONS[construct.resource_type]


def test_static_site_behind_front_door_golden(stack: ResourceGroupStack, profile: FrontDoorProfile,
                                              endpoint: FrontDoorEndpoint, site: ArmResource,
                                              golden: Callable[[str, Any], None]) -> None:
    group = FrontDoorOriginGroup(profile, "Origins", name="site-origins", probe_path="/index.html")
    FrontDoorOrigin(group, "Site", name="static-website",
                    host_name=host_from_url(site.attribute("primaryEndpoints", "web")))
    rules = FrontDoorRuleSet(profile, "Rules", name="SpaRules")
    rules.add_spa_rewrite_rule(index_document="index.html")
    rules.add_cache_rule(max_age_seconds=3600)
    zone = DnsZone(stack, "Zone", name="example.com")
    domain = FrontDoorCustomDomain(profile, "Domain", name="app-example-com", host_name="app.example.com",
                                   dns_zone=zone)
    domain.add_dns_records(zone, endpoint)
    FrontDoorRoute(endpoint, "Route", name="default", origin_group=group, rule_sets=[rules], custom_domains=[domain])
    stack.add_output("cdnEndpoint", endpoint.host_name)
    golden("resources/cdn_static_site", Template.from_stack(stack).to_json())


def test_route_has_secure_defaults(endpoint: FrontDoorEndpoint, group: FrontDoorOriginGroup,
                                   stack: ResourceGroupStack) -> None:
    FrontDoorOrigin(group, "O", name="o", host_name="app.example.net")
    FrontDoorRoute(endpoint, "Route", name="default", origin_group=group)
    Template.from_stack(stack).has_resource_properties(ROUTES, {
        "supportedProtocols": ["Http", "Https"], "httpsRedirect": "Enabled", "forwardingProtocol": "HttpsOnly",
        "linkToDefaultDomain": "Enabled", "patternsToMatch": ["/*"],
        "cacheConfiguration": {"queryStringCachingBehavior": "IgnoreQueryString",
                               "compressionSettings": {"isCompressionEnabled": True}}})


def test_route_without_redirect_accepts_https_only(endpoint: FrontDoorEndpoint, group: FrontDoorOriginGroup,
                                                   stack: ResourceGroupStack) -> None:
    FrontDoorOrigin(group, "O", name="o", host_name="app.example.net")
    FrontDoorRoute(endpoint, "Route", name="default", origin_group=group, https_redirect=False, caching=False)
    route = Template.from_stack(stack).find_resources(ROUTES)[0]
    assert route["properties"]["supportedProtocols"] == ["Https"]
    assert "cacheConfiguration" not in route["properties"]


def test_route_depends_on_the_origins_of_its_group(endpoint: FrontDoorEndpoint, group: FrontDoorOriginGroup,
                                                   stack: ResourceGroupStack) -> None:
    route = FrontDoorRoute(endpoint, "Route", name="default", origin_group=group)
    FrontDoorOrigin(group, "A", name="a", host_name="a.example.net")  # added after the route
    FrontDoorOrigin(group, "B", name="b", host_name="b.example.net", priority=2)
    deps = _find(Template.from_stack(stack), ROUTES, "afd-test/web-test/default")["dependsOn"]
    for origin in ("a", "b"):
        assert (f"[resourceId('Microsoft.Cdn/profiles/originGroups/origins', 'afd-test', 'origins', '{origin}')]"
                in deps)
    assert route.origin_group is group


def test_route_without_origins_fails_validation(tmp_path: Any) -> None:
    app = App(outdir=tmp_path / "out")
    stack = ResourceGroupStack(app, "Web", resource_group_name="rg-web", location="eastus")
    profile = FrontDoorProfile(stack, "Afd", name="afd-test")
    group = FrontDoorOriginGroup(profile, "Origins", name="origins")
    FrontDoorRoute(FrontDoorEndpoint(profile, "Endpoint", name="web-test"), "Route", name="default",
                   origin_group=group)
    with pytest.raises(ValidationError, match="has no origins"):
        app.synth()


def test_origin_host_header_defaults_to_the_host_name(group: FrontDoorOriginGroup,
                                                      stack: ResourceGroupStack) -> None:
    FrontDoorOrigin(group, "O", name="o", host_name="app.example.net")
    Template.from_stack(stack).has_resource_properties("Microsoft.Cdn/profiles/originGroups/origins", {
        "hostName": "app.example.net", "originHostHeader": "app.example.net", "httpsPort": 443,
        "enforceCertificateNameCheck": True, "priority": 1, "weight": 1000})


def test_origin_rejects_a_url_as_host_name(group: FrontDoorOriginGroup) -> None:
    with pytest.raises(ConfigurationError, match="host_name 'https://app.example.net/' is not a host name"):
        FrontDoorOrigin(group, "O", name="o", host_name="https://app.example.net/")


def test_origin_rejects_a_priority_above_5(group: FrontDoorOriginGroup) -> None:
    with pytest.raises(ConfigurationError, match="priority is 6, but must be at least 1 and at most 5"):
        FrontDoorOrigin(group, "O", name="o", host_name="app.example.net", priority=6)


def test_private_link_origin_needs_the_premium_sku(group: FrontDoorOriginGroup, site: ArmResource) -> None:
    with pytest.raises(ConfigurationError, match="private_link origins need the Premium_AzureFrontDoor sku"):
        FrontDoorOrigin(group, "O", name="o", host_name="app.example.net", private_link=site,
                        private_link_group_id="web")


def test_private_link_origin_on_premium(stack: ResourceGroupStack, site: ArmResource) -> None:
    premium = FrontDoorProfile(stack, "Premium", name="afd-premium", sku="Premium_AzureFrontDoor")
    group = FrontDoorOriginGroup(premium, "Origins", name="origins")
    FrontDoorOrigin(group, "O", name="o", host_name=host_from_url(site.attribute("primaryEndpoints", "web")),
                    private_link=site, private_link_group_id="web")
    Template.from_stack(stack).has_resource_properties("Microsoft.Cdn/profiles/originGroups/origins", {
        "sharedPrivateLinkResource": {"privateLink": {"id": "[resourceId('Microsoft.Storage/storageAccounts', "
                                                            "'stsite0001')]"},
                                      "groupId": "web", "privateLinkLocation": "eastus"}})


def test_profile_rejects_a_classic_cdn_sku(stack: ResourceGroupStack) -> None:
    with pytest.raises(ConfigurationError, match=r"sku: input should be .*\(given 'Standard_Microsoft'"):
        FrontDoorProfile(stack, "Afd", name="afd-test", sku="Standard_Microsoft")  # type: ignore[arg-type]


def test_profile_rejects_a_short_origin_timeout(stack: ResourceGroupStack) -> None:
    with pytest.raises(ConfigurationError, match="origin_response_timeout_seconds is 10, but must be at least 16"):
        FrontDoorProfile(stack, "Afd", name="afd-test", origin_response_timeout_seconds=10)


def test_profile_rejects_a_name_with_an_underscore(stack: ResourceGroupStack) -> None:
    with pytest.raises(NamingError, match="not a valid Microsoft.Cdn/profiles name"):
        FrontDoorProfile(stack, "Afd", name="afd_test")


def test_endpoint_must_be_created_under_a_profile(group: FrontDoorOriginGroup) -> None:
    with pytest.raises(ConfigurationError, match="input should be an instance of FrontDoorProfile"):
        FrontDoorEndpoint(group, "E", name="e")  # type: ignore[arg-type]


def test_origin_group_rejects_a_probe_interval_above_255(profile: FrontDoorProfile) -> None:
    with pytest.raises(ConfigurationError, match="probe_interval_in_seconds is 300"):
        FrontDoorOriginGroup(profile, "G", name="g", probe_interval_in_seconds=300)


def test_origin_group_rejects_a_wrong_probe_protocol(profile: FrontDoorProfile) -> None:
    with pytest.raises(ConfigurationError, match=r"probe_protocol: input should be .*\(given 'HTTPS'"):
        FrontDoorOriginGroup(profile, "G", name="g", probe_protocol="HTTPS")  # type: ignore[arg-type]


def test_custom_domain_uses_a_managed_certificate_and_tls_12(profile: FrontDoorProfile,
                                                             stack: ResourceGroupStack) -> None:
    FrontDoorCustomDomain(profile, "Domain", name="app-example-com", host_name="app.example.com")
    Template.from_stack(stack).has_resource_properties("Microsoft.Cdn/profiles/customDomains", {
        "hostName": "app.example.com",
        "tlsSettings": {"certificateType": "ManagedCertificate", "minimumTlsVersion": "TLS12"}})


def test_custom_domain_rejects_a_host_outside_its_dns_zone(profile: FrontDoorProfile,
                                                           stack: ResourceGroupStack) -> None:
    zone = DnsZone(stack, "Zone", name="example.com")
    with pytest.raises(ConfigurationError, match="host_name 'app.example.org' is not in DNS zone 'example.com'"):
        FrontDoorCustomDomain(profile, "Domain", name="app", host_name="app.example.org", dns_zone=zone)


def test_custom_domain_rejects_tls_10(profile: FrontDoorProfile) -> None:
    with pytest.raises(ConfigurationError, match=r"minimum_tls_version: input should be .*\(given 'TLS10'"):
        FrontDoorCustomDomain(profile, "Domain", name="app", host_name="app.example.com",
                              minimum_tls_version="TLS10")  # type: ignore[arg-type]


def test_custom_domain_with_customer_certificate_needs_a_secret(profile: FrontDoorProfile) -> None:
    with pytest.raises(ConfigurationError, match="certificate_type 'CustomerCertificate' needs secret"):
        FrontDoorCustomDomain(profile, "Domain", name="app", host_name="app.example.com",
                              certificate_type="CustomerCertificate")


def test_custom_domain_dns_records_point_at_the_endpoint(profile: FrontDoorProfile, endpoint: FrontDoorEndpoint,
                                                         stack: ResourceGroupStack) -> None:
    zone = DnsZone(stack, "Zone", name="example.com")
    domain = FrontDoorCustomDomain(profile, "Domain", name="www-example-com", host_name="www.example.com",
                                   dns_zone=zone)
    cname, txt = domain.add_dns_records(zone, endpoint)
    template = Template.from_stack(stack)
    assert _find(template, "Microsoft.Network/dnsZones/CNAME", "example.com/www")["properties"]["CNAMERecord"] == {
        "cname": "[reference(resourceId('Microsoft.Cdn/profiles/afdEndpoints', 'afd-test', 'web-test'), "
                 "'2025-12-01').hostName]"}
    assert _find(template, "Microsoft.Network/dnsZones/TXT", "example.com/_dnsauth.www")
    assert cname.resource_name == "www" and txt.resource_name == "_dnsauth.www"


def test_spa_rewrite_rule_rewrites_paths_without_extension_to_the_index(profile: FrontDoorProfile,
                                                                        stack: ResourceGroupStack) -> None:
    FrontDoorRuleSet(profile, "Rules", name="Rules").add_spa_rewrite_rule(index_document="app.html")
    Template.from_stack(stack).has_resource_properties(RULES, {
        "order": 1,
        "conditions": [{"name": "UrlFileExtension", "parameters": {
            "typeName": "DeliveryRuleUrlFileExtensionMatchConditionParameters", "operator": "LessThan",
            "matchValues": ["1"], "negateCondition": False}}],
        "actions": [{"name": "UrlRewrite", "parameters": {
            "typeName": "DeliveryRuleUrlRewriteActionParameters", "sourcePattern": "/", "destination": "/app.html",
            "preserveUnmatchedPath": False}}]})


def test_cache_rule_sets_browser_cache_control(profile: FrontDoorProfile, stack: ResourceGroupStack) -> None:
    FrontDoorRuleSet(profile, "Rules", name="Rules").add_cache_rule(max_age_seconds=86400, mode="browser")
    Template.from_stack(stack).has_resource_properties(RULES, {"actions": [{
        "name": "ModifyResponseHeader", "parameters": {
            "typeName": "DeliveryRuleHeaderActionParameters", "headerAction": "Overwrite",
            "headerName": "Cache-Control", "value": "public, max-age=86400"}}]})


def test_cache_override_action_formats_days_in_the_duration() -> None:
    action = cache_override_action(2 * 86400 + 3661)
    assert action.to_arm()["parameters"]["cacheConfiguration"]["cacheDuration"] == "2.01:01:01"


def test_rules_of_a_rule_set_get_increasing_orders_and_deploy_in_turn(profile: FrontDoorProfile,
                                                                      stack: ResourceGroupStack) -> None:
    rules = FrontDoorRuleSet(profile, "Rules", name="Rules")
    first = rules.add_rule("Cors", name="Cors", conditions=[url_path_condition("BeginsWith", ["api/"])],
                           actions=[response_header_action("Access-Control-Allow-Origin", "*")])
    second = rules.add_rule("Legacy", name="Legacy", conditions=[url_file_extension_condition("Equal", ["php"])],
                            actions=[url_rewrite_action("/", "/index.html")], stop_processing=True)
    assert (first.order, second.order) == (1, 2)
    legacy = _find(Template.from_stack(stack), RULES, "afd-test/Rules/Legacy")
    assert legacy["properties"]["matchProcessingBehavior"] == "Stop"
    assert "[resourceId('Microsoft.Cdn/profiles/ruleSets/rules', 'afd-test', 'Rules', 'Cors')]" in legacy["dependsOn"]


def test_rule_rejects_a_duplicate_order(profile: FrontDoorProfile) -> None:
    rules = FrontDoorRuleSet(profile, "Rules", name="Rules")
    rules.add_spa_rewrite_rule(order=1)
    with pytest.raises(ConfigurationError, match="order 1 is already used by rule 'SpaRewrite'"):
        rules.add_cache_rule(max_age_seconds=60, order=1)


def test_rule_needs_an_action(profile: FrontDoorProfile) -> None:
    rules = FrontDoorRuleSet(profile, "Rules", name="Rules")
    with pytest.raises(ConfigurationError, match="a rule needs 1-5 actions, not 0"):
        FrontDoorRule(rules, "R", name="R", order=1, conditions=[], actions=[])


def test_rule_rejects_a_name_with_a_hyphen(profile: FrontDoorProfile) -> None:
    rules = FrontDoorRuleSet(profile, "Rules", name="Rules")
    with pytest.raises(NamingError, match="ruleSets/rules name"):
        rules.add_spa_rewrite_rule(name="spa-rewrite")


def test_condition_rejects_a_wrong_operator() -> None:
    with pytest.raises(ConfigurationError, match="url_file_extension_condition.operator is 'Wildcard'"):
        url_file_extension_condition("Wildcard", ["x"])  # type: ignore[arg-type]


def test_condition_needs_match_values_unless_operator_is_any() -> None:
    with pytest.raises(ConfigurationError, match="with operator 'Equal' needs match_values"):
        url_path_condition("Equal")


def test_rewrite_action_needs_a_leading_slash() -> None:
    with pytest.raises(ConfigurationError, match="destination 'index.html' must start with '/'"):
        url_rewrite_action("/", "index.html")


def test_route_rejects_a_pattern_without_a_slash(endpoint: FrontDoorEndpoint, group: FrontDoorOriginGroup) -> None:
    with pytest.raises(ConfigurationError, match="patterns_to_match entry '\\*' must start with '/'"):
        FrontDoorRoute(endpoint, "Route", name="default", origin_group=group, patterns_to_match=["*"])


def test_route_rejects_query_parameters_without_a_specified_behavior(endpoint: FrontDoorEndpoint,
                                                                     group: FrontDoorOriginGroup) -> None:
    with pytest.raises(ConfigurationError, match="query_parameters go with"):
        FrontDoorRoute(endpoint, "Route", name="default", origin_group=group, query_parameters=["v"])


def test_route_rejects_a_wrong_forwarding_protocol(endpoint: FrontDoorEndpoint, group: FrontDoorOriginGroup) -> None:
    with pytest.raises(ConfigurationError, match=r"forwarding_protocol: input should be .*\(given 'Https'"):
        FrontDoorRoute(endpoint, "Route", name="default", origin_group=group,
                       forwarding_protocol="Https")  # type: ignore[arg-type]


def test_route_without_default_domain_needs_a_custom_domain(endpoint: FrontDoorEndpoint,
                                                            group: FrontDoorOriginGroup) -> None:
    with pytest.raises(ConfigurationError, match="a route without link_to_default_domain needs custom_domains"):
        FrontDoorRoute(endpoint, "Route", name="default", origin_group=group, link_to_default_domain=False)
