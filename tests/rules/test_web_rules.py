from __future__ import annotations

from typing import Any

import pytest

from atakora.rules import AssemblyView
from atakora.rules.web import flex_unsupported_site_settings

from .conftest import findings, template


def _site(flex: bool, health: bool, *settings: str) -> dict[str, Any]:
    props: dict[str, Any] = {"siteConfig": {"appSettings": [{"name": n, "value": "1"} for n in settings]}}
    if health:
        props["siteConfig"]["healthCheckPath"] = "/api/health"
    if flex:
        props["functionAppConfig"] = {"runtime": {"name": "python", "version": "3.12"}}
    return {"type": "Microsoft.Web/sites", "name": "func-x", "properties": props}


def test_a_flex_app_with_a_health_check_or_unsupported_settings_is_an_error() -> None:
    view = AssemblyView.from_templates({"S": template(_site(True, True, "WEBSITE_HEALTHCHECK_MAXPINGFAILURES"))})
    found = findings(flex_unsupported_site_settings, view)
    assert [f.rule_id for f in found] == ["AZ-WEB-001", "AZ-WEB-001"]
    assert any("WEBSITE_HEALTHCHECK_MAXPINGFAILURES" in f.message for f in found)


def test_a_premium_app_with_a_health_check_and_a_flex_app_without_pass() -> None:
    view = AssemblyView.from_templates({"S": template(_site(False, True, "WEBSITE_HEALTHCHECK_MAXPINGFAILURES"),
                                                      _site(True, False, "MY_SETTING"))})
    assert not findings(flex_unsupported_site_settings, view)


def test_a_crud_api_health_check_on_flex_sets_neither_health_check_path_nor_ping_failures(tmp_path: Any) -> None:
    from atakora import App, ResourceGroupStack
    from atakora.backend import define_backend
    from atakora.components import CrudApi

    backend = define_backend({"users": CrudApi.define("UserApi", entity_name="User", schema={"id": "string"},
                                                       health_check={"path": "/health", "unhealthy_threshold": 5})})
    app = App(outdir=tmp_path)
    backend.add_to_stack(ResourceGroupStack(app, "Main", resource_group_name="rg-flex", location="eastus"))
    site = next(r for r in app.synth().template("Main")["resources"] if r["type"] == "Microsoft.Web/sites")
    assert "healthCheckPath" not in site["properties"]["siteConfig"]
    names = {s["name"] for s in site["properties"]["siteConfig"]["appSettings"]}
    assert "WEBSITE_HEALTHCHECK_MAXPINGFAILURES" not in names


def test_function_app_refuses_a_health_check_path_on_flex(tmp_path: Any) -> None:
    from atakora import App, ResourceGroupStack
    from atakora.errors import ConfigurationError
    from atakora.resources.storage import BlobContainer, StorageAccount
    from atakora.resources.web import AppServicePlan, FunctionApp

    stack = ResourceGroupStack(App(outdir=tmp_path), "Main", resource_group_name="rg-flex", location="eastus")
    plan = AppServicePlan(stack, "Plan", name="plan-flex", sku="FC1")
    container = BlobContainer(StorageAccount(stack, "St", name="stflex0001"), "Pkg", name="pkg")
    with pytest.raises(ConfigurationError, match="health_check_path is not supported on Flex Consumption"):
        FunctionApp(stack, "Fn", name="func-flex", plan=plan, deployment_storage=container,
                    health_check_path="/api/health")


def _premium(name: str, *settings: tuple[str, str]) -> dict[str, Any]:
    app_settings = [{"name": "AzureWebJobsStorage__accountName", "value": "stshared"},
                    *({"name": n, "value": v} for n, v in settings)]
    return {"type": "Microsoft.Web/sites", "name": name, "kind": "functionapp,linux",
            "properties": {"siteConfig": {"appSettings": app_settings}}}


LONG = "func-averyveryverylongbackendname-prod"


def test_apps_on_one_storage_account_whose_names_share_32_characters_are_an_error() -> None:
    from atakora.rules.web import distinct_host_ids

    view = AssemblyView.from_templates({"S": template(_premium(LONG + "-1"), _premium(LONG + "-2"))})
    assert [f.rule_id for f in findings(distinct_host_ids, view)] == ["AZ-WEB-002"]


def test_apps_with_distinct_host_ids_pass() -> None:
    from atakora.resources.web import HOST_ID_SETTING, host_id
    from atakora.rules.web import distinct_host_ids

    first, second = host_id(LONG + "-1"), host_id(LONG + "-2")
    assert first != second and len(first) <= 32 and len(second) <= 32
    assert host_id("func-short") == "func-short"
    view = AssemblyView.from_templates({"S": template(_premium(LONG + "-1", (HOST_ID_SETTING, first)),
                                                      _premium(LONG + "-2", (HOST_ID_SETTING, second)))})
    assert not findings(distinct_host_ids, view)


def test_premium_function_apps_get_a_distinct_host_id_setting(tmp_path: Any) -> None:
    from atakora import App, ResourceGroupStack
    from atakora.resources.web import AppServicePlan, FunctionApp, host_id

    stack = ResourceGroupStack(App(outdir=tmp_path), "Main", resource_group_name="rg-ep", location="eastus")
    plan = AppServicePlan(stack, "Plan", name="plan-ep", sku="EP1")
    FunctionApp(stack, "Fn", name=LONG + "-1", plan=plan)
    from atakora.testing import Template

    site = next(r for r in Template.from_stack(stack).resources if r["type"] == "Microsoft.Web/sites")
    settings = {s["name"]: s["value"] for s in site["properties"]["siteConfig"]["appSettings"]}
    assert settings["AzureFunctionsWebHost__hostid"] == host_id(LONG + "-1")


def _flex_site(maximum: Any) -> dict[str, Any]:
    site = _site(True, False)
    site["properties"]["functionAppConfig"]["scaleAndConcurrency"] = {"maximumInstanceCount": maximum,
                                                                      "instanceMemoryMB": 2048}
    return site


@pytest.mark.parametrize("maximum", [0, 1001, -5])
def test_a_flex_maximum_instance_count_outside_1_to_1000_is_an_error(maximum: int) -> None:
    from atakora.rules.web import flex_maximum_instance_count

    found = findings(flex_maximum_instance_count, AssemblyView.from_templates({"S": template(_flex_site(maximum))}))
    assert [f.rule_id for f in found] == ["AZ-WEB-003"]
    assert f"maximumInstanceCount {maximum}" in found[0].message


@pytest.mark.parametrize("maximum", [1, 40, 100, 1000])
def test_a_flex_maximum_instance_count_within_1_to_1000_passes(maximum: int) -> None:
    from atakora.rules.web import flex_maximum_instance_count

    assert not findings(flex_maximum_instance_count, AssemblyView.from_templates({"S": template(_flex_site(maximum))}))


def _ep_plan(tier: str = "ElasticPremium", name: str = "EP1") -> dict[str, Any]:
    return {"type": "Microsoft.Web/serverfarms", "name": "plan-ep", "sku": {"name": name, "tier": tier},
            "properties": {"reserved": True}}


def _ep_site(*settings: tuple[str, str]) -> dict[str, Any]:
    app_settings = [{"name": "AzureWebJobsStorage__accountName", "value": "stshared"},
                    *({"name": n, "value": v} for n, v in settings)]
    return {"type": "Microsoft.Web/sites", "name": "func-ep", "kind": "functionapp,linux",
            "properties": {"serverFarmId": "[resourceId('Microsoft.Web/serverfarms', 'plan-ep')]",
                           "siteConfig": {"appSettings": app_settings}}}


def test_an_elastic_premium_app_with_neither_a_content_share_nor_a_package_url_is_an_error() -> None:
    from atakora.rules.web import code_has_a_home

    for site in (_ep_site(), _ep_site(("WEBSITE_RUN_FROM_PACKAGE", "1"))):
        found = findings(code_has_a_home, AssemblyView.from_templates({"S": template(_ep_plan(), site)}))
        assert [f.rule_id for f in found] == ["AZ-WEB-004"]
        assert "nowhere to live" in found[0].message


def test_an_elastic_premium_app_with_a_package_url_or_a_content_share_and_a_dedicated_app_pass() -> None:
    from atakora.rules.web import code_has_a_home

    url = ("WEBSITE_RUN_FROM_PACKAGE", "https://stshared.blob.core.windows.net/function-releases/func-ep.zip")
    share = ("WEBSITE_CONTENTAZUREFILECONNECTIONSTRING", "@Microsoft.KeyVault(SecretUri=https://kv/s)")
    for plan, site in ((_ep_plan(), _ep_site(url)), (_ep_plan(), _ep_site(share)),
                       (_ep_plan("PremiumV3", "P1v3"), _ep_site())):
        assert not findings(code_has_a_home, AssemblyView.from_templates({"S": template(plan, site)}))


def test_atakora_elastic_premium_and_dedicated_apps_run_from_their_release_blob(tmp_path: Any) -> None:
    from atakora import App, ResourceGroupStack
    from atakora.backend import define_backend
    from atakora.components import FunctionsApp
    from atakora.rules import run_rules
    from atakora.rules.web import code_has_a_home

    for sku in ("EP1", "P1v3"):
        source = tmp_path / sku
        source.mkdir()
        (source / "handlers.py").write_text("def hello(req):\n    return None\n")
        app = App(outdir=tmp_path / f"out-{sku}")
        stack = ResourceGroupStack(app, "Main", resource_group_name=f"rg-{sku.lower()}", location="eastus")
        define_backend({"jobs": FunctionsApp.define("Jobs", sku=sku, source_directory=source,
                                                    functions={"hello": {"trigger": "http", "methods": ["GET"]}})
                        }).add_to_stack(stack)
        assembly = app.synth()
        view = AssemblyView.from_templates({"Main": assembly.template("Main")})
        assert not list(run_rules(view, rules=[code_has_a_home], include_builtin=False).findings)
        site = next(r for r in assembly.template("Main")["resources"] if r["type"] == "Microsoft.Web/sites")
        settings = {s["name"]: s["value"] for s in site["properties"]["siteConfig"]["appSettings"]}
        assert "function-releases" in settings["WEBSITE_RUN_FROM_PACKAGE"]


def _runs_from_url(identity: dict[str, Any] | None, *settings: tuple[str, str]) -> dict[str, Any]:
    site = _ep_site(("WEBSITE_RUN_FROM_PACKAGE", "https://st.blob.core.windows.net/function-releases/a.zip"), *settings)
    if identity is not None:
        site["identity"] = identity
    return site


def test_a_package_url_read_with_an_identity_the_app_lacks_is_an_error() -> None:
    from atakora.rules.web import package_identity_is_attached

    uai = {"type": "UserAssigned", "userAssignedIdentities": {"[resourceId('x', 'id-a')]": {}}}
    for site in (_runs_from_url(None), _runs_from_url(uai),
                 _runs_from_url({"type": "SystemAssigned"},
                                ("WEBSITE_RUN_FROM_PACKAGE_BLOB_MI_RESOURCE_ID", "[resourceId('x', 'id-b')]"))):
        found = findings(package_identity_is_attached, AssemblyView.from_templates({"S": template(site)}))
        assert [f.rule_id for f in found] == ["AZ-WEB-005"], site


def test_a_package_url_read_with_an_attached_identity_or_a_sas_passes() -> None:
    from atakora.rules.web import package_identity_is_attached

    uai = {"type": "SystemAssigned, UserAssigned", "userAssignedIdentities": {"[resourceId('x', 'id-a')]": {}}}
    sas = _ep_site(("WEBSITE_RUN_FROM_PACKAGE", "https://st.blob.core.windows.net/c/a.zip?sv=2022&sig=abc"))
    for site in (_runs_from_url({"type": "SystemAssigned"}),
                 _runs_from_url(uai, ("WEBSITE_RUN_FROM_PACKAGE_BLOB_MI_RESOURCE_ID", "SystemAssigned")),
                 _runs_from_url(uai, ("WEBSITE_RUN_FROM_PACKAGE_BLOB_MI_RESOURCE_ID", "[resourceId('x', 'id-a')]")),
                 sas):
        assert not findings(package_identity_is_attached, AssemblyView.from_templates({"S": template(site)}))
