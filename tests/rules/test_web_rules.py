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
