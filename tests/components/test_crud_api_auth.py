"""Backend and CrudApi ``auth=``: Entra ID in front of the Function App (authsettingsV2) and its rules in the code."""

from __future__ import annotations

from typing import Any

import pytest

from atakora import App, ResourceGroupStack
from atakora.backend import define_backend
from atakora.backend.providers.functions import SharedFunctionApp
from atakora.components import CrudApi
from atakora.errors import ConfigurationError
from atakora.resources.web_auth import EntraAuthSettings
from atakora.testing import Template

TENANT = "11111111-1111-1111-1111-111111111111"
CLIENT = "22222222-2222-2222-2222-222222222222"
OTHER_TENANT = "33333333-3333-3333-3333-333333333333"
ENTRA: dict[str, Any] = {"provider": "entra", "tenant_id": TENANT, "client_id": CLIENT}
SCHEMA = {"tenantId": "string", "ownerId": "string", "name": "string"}
AUTH_TYPE = "Microsoft.Web/sites/config"


def data_api(**options: Any) -> Any:
    return CrudApi.define("DataApi", entity_name="Data", schema=SCHEMA, partition_key="/tenantId", **options)


def build(components: dict[str, Any], **config: Any) -> tuple[ResourceGroupStack, Any]:
    target = ResourceGroupStack(App(outdir="unused"), "S", resource_group_name="rg-s", location="eastus")
    backend = define_backend(components, **config)
    backend.add_to_stack(target)
    return target, backend


def apps(backend: Any) -> list[SharedFunctionApp]:
    return [r for r in backend.resources.values() if isinstance(r, SharedFunctionApp)]


def test_entra_auth_puts_authsettings_v2_in_front_of_the_function_app() -> None:
    target, backend = build({"data": data_api(tenant_claim="tid")}, auth=ENTRA)
    template = Template.from_stack(target)
    template.resource_count_is(AUTH_TYPE, 1)
    resource = template.find_resources(AUTH_TYPE)[0]
    assert resource["name"].endswith("/authsettingsV2")
    assert resource["apiVersion"] == "2024-11-01"
    props = resource["properties"]
    assert props["globalValidation"] == {"requireAuthentication": True, "unauthenticatedClientAction": "Return401",
                                         "excludedPaths": ["/api/data/health"]}
    aad = props["identityProviders"]["azureActiveDirectory"]
    assert aad["registration"] == {"clientId": CLIENT, "openIdIssuer": f"https://login.microsoftonline.com/{TENANT}/v2.0"}
    assert aad["validation"]["allowedAudiences"] == [f"api://{CLIENT}", CLIENT]
    assert "clientSecretSettingName" not in str(props)
    spec = apps(backend)[0].crud_apis[0]
    assert (spec.authentication, spec.auth_level, spec.tenant_claim, spec.allowed_tenants) == \
        ("entra", "anonymous", "tid", (TENANT,))


def test_multi_tenant_apps_use_the_organizations_issuer_and_the_code_checks_the_tenant() -> None:
    auth = {**ENTRA, "allowed_tenants": [OTHER_TENANT], "allowed_client_applications": [CLIENT],
            "excluded_paths": ["/api/openapi.json"]}
    target, backend = build({"data": data_api(tenant_claim="tid")}, auth=auth)
    props = Template.from_stack(target).find_resources(AUTH_TYPE)[0]["properties"]
    aad = props["identityProviders"]["azureActiveDirectory"]
    assert aad["registration"]["openIdIssuer"] == "https://login.microsoftonline.com/organizations/v2.0"
    assert aad["validation"]["jwtClaimChecks"] == {"allowedClientApplications": [CLIENT]}
    assert "/api/openapi.json" in props["globalValidation"]["excludedPaths"]
    assert apps(backend)[0].crud_apis[0].allowed_tenants == (TENANT, OTHER_TENANT)


def test_function_keys_stay_the_default_without_authsettings() -> None:
    target, backend = build({"data": CrudApi.define("DataApi", entity_name="Data", schema=SCHEMA)})
    Template.from_stack(target).resource_count_is(AUTH_TYPE, 0)
    spec = apps(backend)[0].crud_apis[0]
    assert (spec.authentication, spec.auth_level) == ("function", "function")


def test_a_crud_api_overriding_auth_gets_its_own_function_app() -> None:
    other = CrudApi.define("PubApi", entity_name="Pub", schema={"name": "string"}, auth="function")
    target, backend = build({"data": data_api(tenant_claim="tid"), "pub": other}, auth=ENTRA)
    assert sorted(a.auth if isinstance(a.auth, str) else "entra" for a in apps(backend)) == ["entra", "function"]
    Template.from_stack(target).resource_count_is(AUTH_TYPE, 1)


def test_anonymous_auth_is_an_explicit_choice_with_a_plan_warning() -> None:
    _, backend = build({"data": CrudApi.define("DataApi", entity_name="Data", schema=SCHEMA)}, auth="anonymous")
    assert any("accepts anonymous requests" in w for w in backend.plan().warnings)
    spec = apps(backend)[0].crud_apis[0]
    assert (spec.authentication, spec.auth_level) == ("anonymous", "anonymous")


@pytest.mark.parametrize(("auth", "message"), [
    ("entra", "needs the app registration"),
    ({**ENTRA, "tenant_id": "contoso"}, "tenant_id must be a GUID"),
    ({**ENTRA, "allowed_tenants": ["acme"]}, "allowed_tenants must be GUIDs"),
    ({**ENTRA, "secret": "x"}, "unknown field 'auth.secret'"),
    ({"tenant_id": TENANT, "client_id": CLIENT}, "provider"),
    ("keys", "'function' or 'anonymous'"),
])
def test_invalid_backend_auth_names_the_field_and_the_fix(auth: Any, message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        define_backend({"data": data_api()}, auth=auth)


def test_invalid_crud_api_auth_names_the_component() -> None:
    with pytest.raises(ConfigurationError, match="invalid auth") as info:
        data_api(auth={"provider": "entra"})
    assert (info.value.field, info.value.path) == ("auth", "DataApi")


def test_tenant_isolation_without_entra_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="only authentication='entra'") as info:
        build({"data": data_api(tenant_claim="tid")})
    assert (info.value.field, info.value.path) == ("tenant_claim", "DataApi")


def test_roles_must_map_operations_to_role_names() -> None:
    with pytest.raises(ConfigurationError, match="non-empty list") as info:
        data_api(roles={"delete": []})
    assert info.value.field == "roles"


def test_auth_settings_reject_non_guid_ids_and_relative_paths() -> None:
    target = ResourceGroupStack(App(outdir="unused"), "S", resource_group_name="rg-s", location="eastus")
    from atakora.resources.storage import StorageAccount
    from atakora.resources.web import AppServicePlan, FunctionApp

    plan = AppServicePlan(target, "Plan", name="plan-x", sku="B1")
    site = FunctionApp(target, "Site", name="func-x", plan=plan, host_storage=StorageAccount(target, "St", name="stx"))
    with pytest.raises(ConfigurationError, match="client_id"):
        EntraAuthSettings(site, tenant_id=TENANT, client_id="app")
    with pytest.raises(ConfigurationError, match="must start with '/'"):
        EntraAuthSettings(site, "Auth2", tenant_id=TENANT, client_id=CLIENT, excluded_paths=["health"])


def test_a_standalone_crud_api_takes_auth_too() -> None:
    target = ResourceGroupStack(App(outdir="unused"), "S", resource_group_name="rg-s", location="eastus")
    CrudApi(target, "DataApi", entity_name="Data", schema=SCHEMA, partition_key="/tenantId", tenant_claim="tid",
            auth=ENTRA)
    Template.from_stack(target).resource_count_is(AUTH_TYPE, 1)


@pytest.mark.parametrize("path", ["/api/data", "/api/data/123", "/api", "/"])
def test_excluding_an_api_route_from_authentication_is_a_configuration_error(path: str) -> None:
    with pytest.raises(ConfigurationError, match="without a token") as info:
        build({"data": data_api(tenant_claim="tid")}, auth={**ENTRA, "excluded_paths": [path]})
    assert info.value.field == "auth.excluded_paths"


def test_an_override_equal_to_the_backend_auth_shares_the_app_and_the_plan_shows_it(tmp_path: Any) -> None:
    import json

    app = App(outdir=str(tmp_path))
    target = ResourceGroupStack(app, "S", resource_group_name="rg-s", location="eastus")
    backend = define_backend({"data": data_api(tenant_claim="tid"),
                              "other": CrudApi.define("OtherApi", entity_name="Other", schema=SCHEMA, auth=ENTRA)},
                             auth=ENTRA)
    backend.add_to_stack(target)
    assert len(apps(backend)) == 1
    app.synth()
    plan = json.loads((tmp_path / "plan.json").read_text())
    functions = [r for b in plan["backends"] for r in b["resources"] if r["type"] == "functions"]
    assert functions[0]["config"]["auth"] == {"provider": "entra", "tenant_id": TENANT, "client_id": CLIENT}


def test_any_directory_uses_the_organizations_issuer_without_a_tenant_list_in_the_code() -> None:
    target, backend = build({"data": data_api(tenant_claim="tid")}, auth={**ENTRA, "allowed_tenants": ["*"]})
    aad = Template.from_stack(target).find_resources(AUTH_TYPE)[0]["properties"]["identityProviders"]
    assert aad["azureActiveDirectory"]["registration"]["openIdIssuer"].endswith("/organizations/v2.0")
    assert apps(backend)[0].crud_apis[0].allowed_tenants == ()
    with pytest.raises(ConfigurationError, match="already allows every directory"):
        define_backend({"data": data_api()}, auth={**ENTRA, "allowed_tenants": ["*", OTHER_TENANT]})
