from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from atakora import App, ResourceGroupStack
from atakora.core.expressions import parameter
from atakora.errors import ConfigurationError, NamingError
from atakora.resources.storage import BlobContainer, StorageAccount
from atakora.resources.web import API_VERSIONS, AppServicePlan, FunctionApp
from atakora.testing import Template

SITES = "Microsoft.Web/sites"
PLANS = "Microsoft.Web/serverfarms"


@pytest.fixture
def stack() -> ResourceGroupStack:
    return ResourceGroupStack(App(), "Main", resource_group_name="rg-test", location="westeurope")


@pytest.fixture
def container(stack: ResourceGroupStack) -> BlobContainer:
    return BlobContainer(StorageAccount(stack, "Storage", name="sttest001"), "Packages", name="app-package")


@pytest.fixture
def flex(stack: ResourceGroupStack) -> AppServicePlan:
    return AppServicePlan(stack, "Plan", name="plan-test")


@pytest.fixture
def premium(stack: ResourceGroupStack) -> AppServicePlan:
    return AppServicePlan(stack, "Plan", name="plan-test", sku="EP1")


def test_plan_defaults_to_flex_consumption_on_linux(flex: AppServicePlan, stack: ResourceGroupStack) -> None:
    Template.from_stack(stack).has_resource(PLANS, {
        "kind": "functionapp", "sku": {"name": "FC1", "tier": "FlexConsumption"},
        "properties": {"reserved": True, "zoneRedundant": False}})


def test_flex_function_app_golden(flex: AppServicePlan, container: BlobContainer, stack: ResourceGroupStack,
                                  golden: Callable[[str, Any], None]) -> None:
    FunctionApp(stack, "Fn", name="func-test", plan=flex, deployment_storage=container, runtime_version="3.12",
                maximum_instance_count=40, instance_memory_mb=4096, app_settings={"MODE": "prod"},
                cors_allowed_origins=["https://shop.example.com"])
    golden("resources/web_flex_function_app", Template.from_stack(stack).resources)


def test_premium_function_app_golden(stack: ResourceGroupStack, golden: Callable[[str, Any], None]) -> None:
    plan = AppServicePlan(stack, "Plan", name="plan-test", sku="EP2", zone_redundant=True,
                          maximum_elastic_worker_count=30)
    FunctionApp(stack, "Fn", name="func-test", plan=plan, health_check_path="/api/health",
                virtual_network_subnet_id=parameter("subnetId"), public_network_access="Disabled",
                client_cert_mode="Required", basic_publishing_credentials=True)
    golden("resources/web_premium_function_app", Template.from_stack(stack).resources)


def test_dedicated_plan_golden(stack: ResourceGroupStack, golden: Callable[[str, Any], None]) -> None:
    plan = AppServicePlan(stack, "Plan", name="plan-test", sku="P1v3", capacity=3)
    FunctionApp(stack, "Fn", name="func-test", plan=plan, runtime="node", runtime_version="20")
    golden("resources/web_dedicated_function_app", Template.from_stack(stack).resources)


def test_every_resource_uses_the_declared_api_version(flex: AppServicePlan, container: BlobContainer,
                                                      stack: ResourceGroupStack) -> None:
    FunctionApp(stack, "Fn", name="func-test", plan=flex, deployment_storage=container)
    for resource in Template.from_stack(stack).resources:
        if resource["type"].startswith("Microsoft.Web"):
            assert resource["apiVersion"] == API_VERSIONS[resource["type"]]


def test_function_app_has_secure_defaults(premium: AppServicePlan, stack: ResourceGroupStack) -> None:
    FunctionApp(stack, "Fn", name="func-test", plan=premium)
    template = Template.from_stack(stack)
    template.has_resource(SITES, {"kind": "functionapp,linux", "identity": {"type": "SystemAssigned"}})
    template.has_resource_properties(SITES, {
        "httpsOnly": True, "publicNetworkAccess": "Enabled",
        "siteConfig": {"minTlsVersion": "1.2", "scmMinTlsVersion": "1.2", "ftpsState": "Disabled",
                       "http20Enabled": True, "linuxFxVersion": "Python|3.11"}})
    policies = template.find_resources(f"{SITES}/basicPublishingCredentialsPolicies")
    assert sorted(p["name"] for p in policies) == ["func-test/ftp", "func-test/scm"]
    assert all(p["properties"] == {"allow": False} for p in policies)


def test_flex_app_reads_its_package_with_its_identity(flex: AppServicePlan, container: BlobContainer,
                                                      stack: ResourceGroupStack) -> None:
    FunctionApp(stack, "Fn", name="func-test", plan=flex, deployment_storage=container)
    template = Template.from_stack(stack)
    site = template.find_resources(SITES)[0]
    storage = site["properties"]["functionAppConfig"]["deployment"]["storage"]
    assert storage["type"] == "blobContainer"
    assert storage["authentication"] == {"type": "SystemAssignedIdentity"}
    assert storage["value"].endswith(".primaryEndpoints.blob, 'app-package')]")
    assert {"name": "AzureWebJobsStorage__accountName", "value": "sttest001"} in site["properties"]["siteConfig"][
        "appSettings"]
    assert "[resourceId('Microsoft.Storage/storageAccounts/blobServices/containers', 'sttest001', 'default', " \
           "'app-package')]" in site["dependsOn"]
    assert "linuxFxVersion" not in site["properties"]["siteConfig"]


def test_flex_app_with_a_user_assigned_identity_uses_it(flex: AppServicePlan, container: BlobContainer,
                                                        stack: ResourceGroupStack) -> None:
    from atakora.resources.managedidentity import UserAssignedIdentity

    identity = UserAssignedIdentity(stack, "Id", name="id-test")
    FunctionApp(stack, "Fn", name="func-test", plan=flex, deployment_storage=container,
                deployment_storage_identity=identity, system_assigned_identity=False)
    site = Template.from_stack(stack).find_resources(SITES)[0]
    auth = site["properties"]["functionAppConfig"]["deployment"]["storage"]["authentication"]
    assert auth["type"] == "UserAssignedIdentity"
    assert site["identity"]["type"] == "UserAssigned"
    names = [s["name"] for s in site["properties"]["siteConfig"]["appSettings"]]
    assert "AzureWebJobsStorage__clientId" in names and "AzureWebJobsStorage__credential" in names


def test_app_settings_accept_expressions(premium: AppServicePlan, stack: ResourceGroupStack) -> None:
    app = FunctionApp(stack, "Fn", name="func-test", plan=premium)
    app.add_app_setting("ENDPOINT", parameter("endpoint"))
    Template.from_stack(stack).has_resource_properties(SITES, {"siteConfig": {"appSettings": [
        {"name": "ENDPOINT", "value": "[parameters('endpoint')]"},
        {"name": "FUNCTIONS_EXTENSION_VERSION", "value": "~4"},
        {"name": "FUNCTIONS_WORKER_RUNTIME", "value": "python"},
        {"name": "AzureFunctionsWebHost__hostid", "value": "func-test"}]}})


def test_default_host_name_is_a_reference(premium: AppServicePlan, stack: ResourceGroupStack) -> None:
    app = FunctionApp(stack, "Fn", name="func-test", plan=premium)
    stack.add_output("host", app.default_host_name)
    Template.from_stack(stack).has_output("host", {
        "value": f"[reference(resourceId('{SITES}', 'func-test'), '{API_VERSIONS[SITES]}').defaultHostName]"})


def test_dedicated_plans_turn_always_on_on(stack: ResourceGroupStack) -> None:
    plan = AppServicePlan(stack, "Plan", name="plan-test", sku="B1")
    FunctionApp(stack, "Fn", name="func-test", plan=plan)
    Template.from_stack(stack).has_resource_properties(SITES, {"siteConfig": {"alwaysOn": True}})


def test_duplicate_app_setting_is_rejected(premium: AppServicePlan, stack: ResourceGroupStack) -> None:
    app = FunctionApp(stack, "Fn", name="func-test", plan=premium, app_settings={"MODE": "a"})
    with pytest.raises(ConfigurationError, match="app setting 'mode' is already set"):
        app.add_app_setting("mode", "b")


def test_flex_rejects_worker_runtime_setting(flex: AppServicePlan, container: BlobContainer,
                                             stack: ResourceGroupStack) -> None:
    with pytest.raises(ConfigurationError, match="app setting 'FUNCTIONS_WORKER_RUNTIME' is not supported on Flex"):
        FunctionApp(stack, "Fn", name="func-test", plan=flex, deployment_storage=container,
                    app_settings={"FUNCTIONS_WORKER_RUNTIME": "python"})


def test_flex_app_needs_deployment_storage(flex: AppServicePlan, stack: ResourceGroupStack) -> None:
    with pytest.raises(ConfigurationError, match="Flex Consumption apps need deployment_storage"):
        FunctionApp(stack, "Fn", name="func-test", plan=flex)


def test_deployment_storage_needs_a_flex_plan(premium: AppServicePlan, container: BlobContainer,
                                              stack: ResourceGroupStack) -> None:
    with pytest.raises(ConfigurationError, match="deployment_storage applies only to Flex Consumption plans"):
        FunctionApp(stack, "Fn", name="func-test", plan=premium, deployment_storage=container)


def test_always_on_is_rejected_on_flex(flex: AppServicePlan, container: BlobContainer,
                                       stack: ResourceGroupStack) -> None:
    with pytest.raises(ConfigurationError, match="always_on is not available on FC1"):
        FunctionApp(stack, "Fn", name="func-test", plan=flex, deployment_storage=container, always_on=True)


def test_flex_rejects_an_unknown_instance_size(flex: AppServicePlan, container: BlobContainer,
                                               stack: ResourceGroupStack) -> None:
    with pytest.raises(ConfigurationError, match=r"instance_memory_mb: input should be .*\(given 1024"):
        FunctionApp(stack, "Fn", name="func-test", plan=flex, deployment_storage=container,
                    instance_memory_mb=1024)  # type: ignore[arg-type]


def test_function_app_rejects_unknown_python_version(premium: AppServicePlan, stack: ResourceGroupStack) -> None:
    with pytest.raises(ConfigurationError, match=r"python '2.7' is not a version Azure Functions runs.*allowed: 3.10"):
        FunctionApp(stack, "Fn", name="func-test", plan=premium, runtime_version="2.7")


@pytest.mark.parametrize(("runtime", "version"), [("node", "0"), ("node", "18"), ("dotnet-isolated", "6.0"),
                                                  ("java", "25"), ("powershell", "7.2"), ("python", "3.9")])
def test_a_runtime_version_azure_does_not_run_is_refused_with_the_allowed_ones(
        premium: AppServicePlan, stack: ResourceGroupStack, runtime: str, version: str) -> None:
    with pytest.raises(ConfigurationError, match=f"{runtime} '{version}' is not a version") as raised:
        FunctionApp(stack, "Fn", name="func-test", plan=premium, runtime=runtime,  # type: ignore[arg-type]
                    runtime_version=version)
    assert raised.value.field == "runtime_version" and "allowed: " in str(raised.value)


def test_linux_consumption_stops_at_python_3_12(stack: ResourceGroupStack) -> None:
    plan = AppServicePlan(stack, "Y1Plan", name="plan-y1", sku="Y1")
    with pytest.raises(ConfigurationError, match=r"on the Linux Consumption plan \(Y1\).*allowed: 3.10, 3.11, 3.12\n"):
        FunctionApp(stack, "Fn", name="func-test", plan=plan, runtime_version="3.13")


def test_function_app_rejects_unknown_runtime(premium: AppServicePlan, stack: ResourceGroupStack) -> None:
    with pytest.raises(ConfigurationError, match=r"runtime: input should be .*\(given 'ruby'"):
        FunctionApp(stack, "Fn", name="func-test", plan=premium, runtime="ruby")  # type: ignore[arg-type]


def test_function_app_rejects_a_name_with_underscore(premium: AppServicePlan, stack: ResourceGroupStack) -> None:
    with pytest.raises(NamingError, match="'func_test' is not a valid Microsoft.Web/sites name"):
        FunctionApp(stack, "Fn", name="func_test", plan=premium)


def test_health_check_path_must_start_with_slash(premium: AppServicePlan, stack: ResourceGroupStack) -> None:
    with pytest.raises(ConfigurationError, match="health_check_path 'health' must start with '/'"):
        FunctionApp(stack, "Fn", name="func-test", plan=premium, health_check_path="health")


def test_cors_credentials_reject_the_wildcard_origin(premium: AppServicePlan, stack: ResourceGroupStack) -> None:
    with pytest.raises(ConfigurationError, match="cors_support_credentials cannot be used with the '\\*' origin"):
        FunctionApp(stack, "Fn", name="func-test", plan=premium, cors_allowed_origins=["*"],
                    cors_support_credentials=True)


def test_plan_rejects_unknown_sku(stack: ResourceGroupStack) -> None:
    with pytest.raises(ConfigurationError, match=r"sku: input should be .*\(given 'F1'"):
        AppServicePlan(stack, "Plan", name="plan-test", sku="F1")  # type: ignore[arg-type]


def test_flex_plan_must_be_linux(stack: ResourceGroupStack) -> None:
    with pytest.raises(ConfigurationError, match="Flex Consumption \\(FC1\\) plans run Linux only"):
        AppServicePlan(stack, "Plan", name="plan-test", linux=False)


def test_elastic_worker_count_needs_an_elastic_plan(stack: ResourceGroupStack) -> None:
    with pytest.raises(ConfigurationError, match="maximum_elastic_worker_count applies only to Elastic Premium"):
        AppServicePlan(stack, "Plan", name="plan-test", sku="P1v3", maximum_elastic_worker_count=5)


def test_consumption_plan_cannot_be_zone_redundant(stack: ResourceGroupStack) -> None:
    with pytest.raises(ConfigurationError, match="Consumption \\(Y1\\) plans cannot be zone redundant"):
        AppServicePlan(stack, "Plan", name="plan-test", sku="Y1", zone_redundant=True)


def test_plan_rejects_a_name_with_a_dot(stack: ResourceGroupStack) -> None:
    with pytest.raises(NamingError, match="'plan.test' is not a valid Microsoft.Web/serverfarms name"):
        AppServicePlan(stack, "Plan", name="plan.test")


def test_flex_app_warns_when_its_storage_denies_public_networks(flex: AppServicePlan, container: BlobContainer,
                                                                stack: ResourceGroupStack) -> None:
    app = FunctionApp(stack, "Fn", name="func-test", plan=flex, deployment_storage=container)
    assert any(kind == "warning" and "cannot reach its storage" in text for kind, text in app.node.metadata)


@pytest.mark.parametrize("count", [0, 1001])
def test_a_flex_app_rejects_a_maximum_instance_count_outside_1_to_1000(flex: AppServicePlan, container: BlobContainer,
                                                                       stack: ResourceGroupStack, count: int) -> None:
    with pytest.raises(ConfigurationError, match=f"maximum_instance_count is {count}"):
        FunctionApp(stack, "Fn", name="func-test", plan=flex, deployment_storage=container,
                    maximum_instance_count=count)


@pytest.mark.parametrize(("first", "second"), [("Mode", "MODE"), ("mode", "MoDe"), ("\u212a", "k"), ("ÄPFEL", "äpfel")])
def test_app_setting_names_that_differ_only_in_case_are_one_setting(premium: AppServicePlan, stack: ResourceGroupStack,
                                                                    first: str, second: str) -> None:
    app = FunctionApp(stack, "Fn", name="func-test", plan=premium, app_settings={first: "a"})
    with pytest.raises(ConfigurationError, match="is already set"):
        app.add_app_setting(second, "b")
    app.add_app_setting("OTHER", "c")
    assert app.app_settings == {first: "a", "OTHER": "c"}
