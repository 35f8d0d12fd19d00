from __future__ import annotations

from typing import Any

from atakora.rules import AssemblyView
from atakora.rules.routing import (
    app_probes_reach_an_anonymous_route,
    site_name_of,
    traffic_manager_targets_apps_as_azure_endpoints,
)

from .conftest import findings, template

SITE = {"type": "Microsoft.Web/sites", "name": "func-a", "kind": "functionapp,linux", "properties": {}}
OPENAPI = {"openapi/func-a.json": {"paths": {
    "/api/users": {"get": {"security": [{"functionKey": []}]}},
    "/api/users/health": {"get": {"security": []}}}}}


def _profile(path: str) -> dict[str, Any]:
    return {"type": "Microsoft.Network/trafficManagerProfiles", "name": "tm-a", "properties": {
        "monitorConfig": {"protocol": "HTTPS", "port": 443, "path": path}}}


def _azure_endpoint() -> dict[str, Any]:
    return {"type": "Microsoft.Network/trafficManagerProfiles/azureEndpoints", "name": "tm-a/app",
            "properties": {"targetResourceId": "[resourceId('rg-a', 'Microsoft.Web/sites', 'func-a')]"}}


def test_the_site_of_a_host_name_or_an_expression_is_found() -> None:
    assert site_name_of("func-a.azurewebsites.net") == "func-a"
    assert site_name_of("[reference(resourceId('rg', 'Microsoft.Web/sites', 'func-b'), '2024-11-01')"
                        ".defaultHostName]") == "func-b"
    assert site_name_of("www.example.com") is None


def test_an_external_traffic_manager_endpoint_at_an_app_service_app_is_an_error() -> None:
    endpoint = {"type": "Microsoft.Network/trafficManagerProfiles/externalEndpoints", "name": "tm-a/blue",
                "properties": {"target": "func-a.azurewebsites.net"}}
    found = findings(traffic_manager_targets_apps_as_azure_endpoints,
                     AssemblyView.from_templates({"S": template(_profile("/api/users/health"), endpoint)}))
    assert [f.rule_id for f in found] == ["AZ-TM-001"]
    assert "404" in found[0].message


def test_azure_endpoints_and_external_endpoints_elsewhere_pass() -> None:
    external = {"type": "Microsoft.Network/trafficManagerProfiles/externalEndpoints", "name": "tm-a/onprem",
                "properties": {"target": "api.example.com"}}
    view = AssemblyView.from_templates({"S": template(_profile("/"), _azure_endpoint(), external)})
    assert not findings(traffic_manager_targets_apps_as_azure_endpoints, view)


def test_probes_outside_api_on_a_keyed_route_or_with_the_wrong_method_are_errors() -> None:
    group = {"type": "Microsoft.Cdn/profiles/originGroups", "name": "afd/apis", "properties": {
        "healthProbeSettings": {"probePath": "/api/users/health", "probeRequestType": "HEAD"}}}
    origin = {"type": "Microsoft.Cdn/profiles/originGroups/origins", "name": "afd/apis/a",
              "properties": {"hostName": "func-a.azurewebsites.net"}}
    for path, words in (("/health", "under /api"), ("/api/users", "function key"), ("/api/nope", "no route")):
        view = AssemblyView.from_templates({"S": template(SITE, _profile(path), _azure_endpoint())},
                                           artifacts=OPENAPI)
        found = findings(app_probes_reach_an_anonymous_route, view)
        assert [f.rule_id for f in found] == ["AZ-PROBE-001"] and words in found[0].message
    view = AssemblyView.from_templates({"S": template(SITE, group, origin)}, artifacts=OPENAPI)
    found = findings(app_probes_reach_an_anonymous_route, view)
    assert [f.rule_id for f in found] == ["AZ-PROBE-001"] and "with HEAD" in found[0].message


def test_probes_of_the_anonymous_health_route_pass() -> None:
    group = {"type": "Microsoft.Cdn/profiles/originGroups", "name": "afd/apis", "properties": {
        "healthProbeSettings": {"probePath": "/api/users/health", "probeRequestType": "GET"}}}
    origin = {"type": "Microsoft.Cdn/profiles/originGroups/origins", "name": "afd/apis/a",
              "properties": {"hostName": "func-a.azurewebsites.net"}}
    view = AssemblyView.from_templates({"S": template(SITE, _profile("/api/users/health"), _azure_endpoint(),
                                                      group, origin)}, artifacts=OPENAPI)
    assert not findings(app_probes_reach_an_anonymous_route, view)


def _origin_site(restrictions: list[dict[str, Any]] | None, default_action: str = "Deny") -> dict[str, Any]:
    config: dict[str, Any] = {}
    if restrictions is not None:
        config = {"ipSecurityRestrictions": restrictions, "ipSecurityRestrictionsDefaultAction": default_action}
    return {"type": "Microsoft.Web/sites", "name": "func-a", "kind": "functionapp,linux",
            "properties": {"siteConfig": config}}


ORIGIN = {"type": "Microsoft.Cdn/profiles/originGroups/origins", "name": "afd-a/apis/a",
          "properties": {"hostName": "func-a.azurewebsites.net"}}
FDID = "[reference(resourceId('rg-fd', 'Microsoft.Cdn/profiles', 'afd-a'), '2025-12-01').frontDoorId]"


def test_a_function_app_behind_front_door_that_can_be_called_directly_is_an_error() -> None:
    from atakora.rules.routing import front_door_origins_admit_only_their_profile as rule

    tag_only = [{"action": "Allow", "tag": "ServiceTag", "ipAddress": "AzureFrontDoor.Backend"}]
    other_profile = [{**tag_only[0], "headers": {"x-azure-fdid": [FDID.replace("afd-a", "afd-b")]}}]
    allowed_anyway = [{**tag_only[0], "headers": {"x-azure-fdid": [FDID]}}]
    for restrictions, action in ((None, "Deny"), (tag_only, "Deny"), (other_profile, "Deny"),
                                 (allowed_anyway, "Allow")):
        view = AssemblyView.from_templates({"S": template(_origin_site(restrictions, action), ORIGIN)})
        assert [f.rule_id for f in findings(rule, view)] == ["AZ-FD-001"], restrictions


def test_a_function_app_that_admits_only_its_front_door_passes() -> None:
    from atakora.rules.routing import front_door_origins_admit_only_their_profile as rule

    restrictions = [{"action": "Allow", "tag": "ServiceTag", "ipAddress": "AzureFrontDoor.Backend",
                     "headers": {"X-Azure-FDID": [FDID]}}]
    view = AssemblyView.from_templates({"S": template(_origin_site(restrictions), ORIGIN)})
    assert not findings(rule, view)


WEB_ORIGIN = {"type": "Microsoft.Cdn/profiles/originGroups/origins", "name": "afd/site/web", "properties": {
    "hostName": "[split(reference(resourceId('Microsoft.Storage/storageAccounts', 'stsite'), '2026-04-01')"
                ".primaryEndpoints.web, '/')[2]]"}}
ACCOUNT = {"type": "Microsoft.Storage/storageAccounts", "name": "stsite", "properties": {}}


def test_a_front_door_origin_at_a_static_website_that_is_never_enabled_is_an_error() -> None:
    from atakora.rules.routing import static_website_origins_are_enabled as rule

    service = {"type": "Microsoft.Storage/storageAccounts/blobServices", "name": "stsite/default", "properties": {}}
    for resources in ((ACCOUNT, WEB_ORIGIN), (ACCOUNT, service, WEB_ORIGIN)):
        found = findings(rule, AssemblyView.from_templates({"S": template(*resources)}))
        assert [f.rule_id for f in found] == ["AZ-FD-002"]


def test_a_front_door_origin_at_an_enabled_static_website_passes() -> None:
    from atakora.rules.routing import static_website_origins_are_enabled as rule

    service = {"type": "Microsoft.Storage/storageAccounts/blobServices", "name": "stsite/default",
               "properties": {"staticWebsite": {"enabled": True, "indexDocument": "index.html"}}}
    assert not findings(rule, AssemblyView.from_templates({"S": template(ACCOUNT, service, WEB_ORIGIN)}))


def _two_app_group() -> tuple[dict[str, Any], ...]:
    sites = tuple({"type": "Microsoft.Web/sites", "name": f"func-{r}", "kind": "functionapp,linux", "properties": {}}
                  for r in ("east", "west"))
    origins = tuple({"type": "Microsoft.Cdn/profiles/originGroups/origins", "name": f"afd/apis/{r}",
                     "properties": {"hostName": f"func-{r}.azurewebsites.net"}} for r in ("east", "west"))
    group = {"type": "Microsoft.Cdn/profiles/originGroups", "name": "afd/apis", "properties": {}}
    return (*sites, group, *origins)


def test_function_apps_behind_one_origin_group_with_their_own_keys_are_an_error() -> None:
    from atakora.rules.routing import apps_behind_one_origin_group_share_a_key as rule

    found = findings(rule, AssemblyView.from_templates({"S": template(*_two_app_group())}))
    assert [f.rule_id for f in found] == ["AZ-FD-003"] and "401" in found[0].message


def test_apps_that_share_a_key_at_deployment_or_take_entra_tokens_pass() -> None:
    from atakora.rules.routing import apps_behind_one_origin_group_share_a_key as rule

    step = {"id": "S/afd/apis/ShareFunctionKey", "kind": "share-function-key", "keyName": "frontdoor",
            "apps": [{"resourceGroup": "rg", "site": "func-east"}, {"resourceGroup": "rg", "site": "func-west"}]}
    assert not findings(rule, AssemblyView.from_templates({"S": template(*_two_app_group())}, steps={"S": [step]}))
    auth = {"type": "Microsoft.Web/sites/config", "name": "func-west/authsettingsV2",
            "properties": {"globalValidation": {"requireAuthentication": True}}}
    assert not findings(rule, AssemblyView.from_templates({"S": template(*_two_app_group(), auth)}))


def test_a_private_link_origin_whose_connection_nobody_approves_is_an_error_and_an_approved_one_passes() -> None:
    from atakora.rules.routing import private_link_origins_are_approved as rule

    origin = {"type": "Microsoft.Cdn/profiles/originGroups/origins", "name": "afd/site/web", "properties": {
        "hostName": "x.z13.web.core.windows.net", "sharedPrivateLinkResource": {
            "privateLink": {"id": "[resourceId('Microsoft.Storage/storageAccounts', 'st')]"}, "groupId": "web",
            "requestMessage": "atakora: Front Door origin S/Fd/Site/Web"}}}
    found = findings(rule, AssemblyView.from_templates({"S": template(origin)}))
    assert [f.rule_id for f in found] == ["AZ-FD-004"] and "Pending" in found[0].message
    step = {"id": "S/Fd/Site/Web/ApprovePrivateLink", "kind": "approve-private-link",
            "requestMessage": "atakora: Front Door origin S/Fd/Site/Web", "target": None}
    assert not findings(rule, AssemblyView.from_templates({"S": template(origin)}, steps={"S": [step]}))


def test_a_traffic_manager_endpoint_at_an_app_that_admits_only_front_door_is_an_error() -> None:
    from atakora.rules.routing import traffic_manager_avoids_front_door_only_apps as rule

    front_door_only = [{"action": "Allow", "tag": "ServiceTag", "ipAddress": "AzureFrontDoor.Backend",
                        "headers": {"x-azure-fdid": [FDID]}}]
    site = {**_origin_site(front_door_only), "name": "func-a"}
    found = findings(rule, AssemblyView.from_templates({"S": template(site, _profile("/api/users/health"),
                                                                      _azure_endpoint())}))
    assert [f.rule_id for f in found] == ["AZ-TM-002"] and "403" in found[0].message
    open_site = _origin_site(None)
    assert not findings(rule, AssemblyView.from_templates({"S": template(open_site, _profile("/api/users/health"),
                                                                         _azure_endpoint())}))


def test_a_closed_function_app_origin_without_private_link_is_an_error() -> None:
    from atakora.rules.routing import front_door_origins_admit_only_their_profile as rule

    closed = {**_origin_site(None), "properties": {"publicNetworkAccess": "Disabled"}}
    found = findings(rule, AssemblyView.from_templates({"S": template(closed, ORIGIN)}))
    assert [f.rule_id for f in found] == ["AZ-FD-001"] and "cannot reach" in found[0].message
    linked = {**ORIGIN, "properties": {**ORIGIN["properties"], "sharedPrivateLinkResource": {"groupId": "sites"}}}
    assert not findings(rule, AssemblyView.from_templates({"S": template(closed, linked)}))
