"""BackendConfig validation, nested config as dicts or objects, the builder, validate(), get_resource, typing."""

from __future__ import annotations

import runpy
from pathlib import Path
from typing import Any

import pytest

from atakora.backend import (
    Backend,
    BackendBuilder,
    BackendConfig,
    Components,
    MonitoringConfig,
    NetworkingConfig,
    ValidationResult,
    define_backend,
)
from atakora.backend.config import parse_backend_config
from atakora.backend.providers import SharedCosmos, SharedFunctionApp
from atakora.components import CrudApi, FunctionsApp
from atakora.errors import ConfigurationError, ConstructError
from atakora.resources.documentdb import CosmosDbAccount
from atakora.resources.storage import StorageAccount
from atakora.resources.web import FunctionApp

from ._support import WidgetProvider, crud, deployed, stack_for

QUICKSTART = Path(__file__).parents[2] / "examples" / "quickstart.py"


# ----- BackendConfig ------------------------------------------------------------------------------

def test_an_unknown_config_field_is_rejected_naming_it_and_the_allowed_ones() -> None:
    with pytest.raises(ConfigurationError) as raised:
        define_backend({}, monitorng=True)
    message = str(raised.value)
    assert "unknown field 'monitorng'" in message
    assert "allowed: environment, location, backend_id, monitoring," in message
    assert raised.value.field == "monitorng"


def test_an_unknown_nested_field_names_the_nested_model_and_its_fields() -> None:
    with pytest.raises(ConfigurationError) as raised:
        define_backend({}, monitoring={"retention": 90})
    assert "unknown field 'monitoring.retention'" in str(raised.value)
    assert "allowed: enabled, retention_days, sampling_percentage" in str(raised.value)


def test_an_invalid_value_names_the_field_and_what_was_given() -> None:
    with pytest.raises(ConfigurationError, match=r"monitoring.retention_days: .*\(given 7"):
        define_backend({}, monitoring={"retention_days": 7})


def test_nested_config_accepts_dicts_or_objects_alike() -> None:
    from_dicts = define_backend({}, monitoring={"retention_days": 90, "alerting": {"error_threshold": 3}},
                                networking={"mode": "isolated", "vnet_name": "vnet-shop"},
                                cosmos_config={"failover_policies": [{"location_name": "eastus", "priority": 0}]})
    from_objects = define_backend({}, monitoring=MonitoringConfig(retention_days=90, alerting={"error_threshold": 3}),
                                  networking=NetworkingConfig(mode="isolated", vnet_name="vnet-shop"),
                                  cosmos_config={"failover_policies": [{"location_name": "eastus", "priority": 0}]})
    assert from_dicts.config == from_objects.config
    assert from_dicts.config.monitoring is not None and from_dicts.config.monitoring.alerting is not None
    assert from_dicts.config.monitoring.alerting.error_threshold == 3


def test_shorthands_for_monitoring_and_networking() -> None:
    assert define_backend({}, monitoring=True).config.monitoring == MonitoringConfig()
    assert define_backend({}, monitoring=False).config.monitoring is None
    assert define_backend({}, monitoring={"enabled": False}).config.monitoring is None
    assert define_backend({}, networking="isolated").config.networking.mode == "isolated"


def test_config_object_and_keyword_fields_combine() -> None:
    backend = define_backend({}, config=BackendConfig(environment="prod", tags={"a": "1"}), location="westeurope")
    assert (backend.config.environment, backend.config.location, backend.config.tags) == ("prod", "westeurope",
                                                                                         {"a": "1"})


def test_defaults_are_secure() -> None:
    config = BackendConfig()
    assert (config.environment, config.location, config.enforce_https, config.use_managed_identity) == (
        "dev", "eastus", True, True)


def test_a_component_that_is_not_a_definition_is_rejected() -> None:
    with pytest.raises(ConfigurationError, match="component 'users' is CrudApiConfig|component 'users' is str"):
        define_backend({"users": "CrudApi"})  # type: ignore[dict-item]


def test_two_components_with_one_id_are_rejected() -> None:
    with pytest.raises(ConfigurationError, match="both have id 'UserApi'"):
        define_backend({"a": crud("UserApi"), "b": crud("UserApi")})


# ----- the builder (seed 003, example 4) -----------------------------------------------------------

def _feature_flags_backend(features: dict[str, bool]) -> Backend[Any]:
    builder = define_backend(environment="production", location="eastus")
    assert isinstance(builder, BackendBuilder)
    if features["user_management"]:
        builder = builder.add_component(CrudApi.define("UserApi", entity_name="User",
                                                       schema={"id": "string", "name": "string", "email": "string"}))
    if features["product_catalog"]:
        builder = builder.add_component(CrudApi.define("ProductApi", entity_name="Product",
                                                       schema={"id": "string", "name": "string", "price": "number"}))
    if features["order_processing"]:
        builder = builder.add_component(
            CrudApi.define("OrderApi", entity_name="Order", schema={"id": "string", "userId": "string",
                                                                    "total": "number"}, partition_key="/userId")
        ).add_component(FunctionsApp.define("OrderProcessor", runtime="node", version="20",
                                            functions={"process-order": {"trigger": "queue", "queue_name": "orders"}}))
    if features["analytics"]:
        builder = builder.add_component(FunctionsApp.define(
            "AnalyticsProcessor", runtime="node", version="20",
            functions={"aggregate-metrics": {"trigger": "timer", "schedule": "0 0 * * * *"}}))
    return (builder.with_monitoring(enabled=True, retention_days=90, sampling_percentage=100)
            .with_networking({"mode": "isolated", "vnet_name": "myapp-vnet", "subnet_name": "backend-subnet",
                              "private_endpoints": True})
            .with_tags({"project": "myapp", "managedBy": "atakora", "configDriven": "true"})
            .build())


def test_the_builder_ports_seed_example_4(tmp_path: Path) -> None:
    backend = _feature_flags_backend({"user_management": True, "product_catalog": True, "order_processing": True,
                                      "analytics": True})
    assert list(backend.components) == ["user_api", "product_api", "order_api", "order_processor",
                                        "analytics_processor"]
    config = backend.config
    assert config.monitoring is not None and config.monitoring.retention_days == 90
    assert (config.networking.mode, config.networking.vnet_name) == ("isolated", "myapp-vnet")
    assert config.tags == {"project": "myapp", "managedBy": "atakora", "configDriven": "true"}
    apps = [r for r in backend.plan().resources if r.resource_type == "functions"]
    assert sorted(a.members for a in apps) == [["AnalyticsProcessor", "OrderProcessor"],
                                               ["OrderApi", "ProductApi", "UserApi"]]
    assert {a.config.runtime for a in apps} == {"node", "python"}
    _, stack = stack_for(tmp_path, "ConfigDrivenStack")
    backend.add_to_stack(stack)
    assert isinstance(backend.components.order_api, CrudApi)


def test_the_builder_with_features_off_builds_fewer_components() -> None:
    backend = _feature_flags_backend({"user_management": True, "product_catalog": False, "order_processing": False,
                                      "analytics": False})
    assert list(backend.components) == ["user_api"]


def test_the_builder_rejects_a_bad_setting_at_the_call_that_set_it() -> None:
    with pytest.raises(ConfigurationError, match="monitoring.retention_days"):
        BackendBuilder(environment="prod").with_monitoring(retention_days=1)
    with pytest.raises(ConfigurationError, match="unknown field 'limits.max_apps'"):
        BackendBuilder().with_limits(max_apps=1)


def test_the_builder_adds_providers_limits_and_explicit_keys() -> None:
    provider = WidgetProvider()
    backend = (BackendBuilder(environment="prod").add_component(crud("UserApi"), key="users")
               .with_limits(max_cosmos_accounts=1).with_provider(provider).build())
    assert list(backend.components) == ["users"]
    assert backend.config.limits.max_cosmos_accounts == 1
    assert provider in backend.registry.providers


# ----- validate, get_resource, components ---------------------------------------------------------

def test_validate_returns_a_validation_result_with_warnings() -> None:
    backend = define_backend({"a": crud("UserApi"), "b": crud("OrderApi", enable_serverless=False, throughput=400)})
    result = backend.validate()
    assert isinstance(result, ValidationResult)
    assert (result.valid, result.errors) == (True, [])
    assert any("cannot share one resource" in w for w in result.warnings)


def test_validate_after_add_to_stack_checks_the_injected_resources(tmp_path: Path) -> None:
    backend, _, _ = deployed({"users": crud("UserApi")}, tmp_path)
    assert backend.validate().valid


def test_get_shared_returns_what_the_providers_gave_the_components(tmp_path: Path) -> None:
    backend, _, _ = deployed({"users": crud("UserApi"), "orders": crud("OrderApi"),
                              "audit": crud("AuditApi", enable_serverless=False, throughput=400)}, tmp_path)
    main = backend.get_shared("cosmos", "shared")
    serverless = backend.get_shared("cosmos", "shared#serverless")
    assert isinstance(main, SharedCosmos) and isinstance(serverless, SharedCosmos) and main is not serverless
    assert backend.get_shared("cosmos") is main  # the first of the type
    assert backend.get_shared("cosmos", component="AuditApi") is main
    assert backend.get_shared("cosmos", component="UserApi") is serverless
    assert backend.get_shared("cosmos", component="OrderApi") is serverless
    assert isinstance(backend.get_shared("functions", "shared"), SharedFunctionApp)
    assert backend.get_shared("redis") is None
    assert backend.components.users.cosmos is backend.get_shared("cosmos", component="UserApi")


def test_get_resource_returns_the_typed_resource_constructs(tmp_path: Path) -> None:
    backend, _, _ = deployed({"users": crud("UserApi")}, tmp_path)
    assert isinstance(backend.get_resource("functions"), FunctionApp)
    assert backend.get_resource("functions") is backend.get_shared("functions").site
    assert isinstance(backend.get_resource("cosmos", "shared"), CosmosDbAccount)
    assert isinstance(backend.get_resource("storage"), StorageAccount)
    assert backend.get_resource("redis") is None


def test_components_are_typed_instances_with_mapping_access(tmp_path: Path) -> None:
    class Shop(Components):
        user_api = crud("UserApi")
        jobs = FunctionsApp.define("Jobs")

    backend = define_backend(Shop, environment="prod")
    with pytest.raises(ConstructError, match="add_to_stack"):
        _ = backend.components.user_api
    _, stack = stack_for(tmp_path)
    backend.add_to_stack(stack)
    api: CrudApi = backend.components.user_api
    assert isinstance(api, CrudApi) and api.component_id == "UserApi"
    assert isinstance(backend.components.jobs, FunctionsApp)
    assert backend.components["jobs"] is backend.components.jobs
    assert list(backend.components) == ["user_api", "jobs"] and len(backend.components) == 2
    assert Shop.user_api.component_id == "UserApi"


def test_a_mapping_backend_names_the_known_components_on_a_typo(tmp_path: Path) -> None:
    backend, _, _ = deployed({"user_api": crud("UserApi")}, tmp_path)
    with pytest.raises(AttributeError, match="no component 'user_ap'; components: user_api"):
        _ = backend.components.user_ap


def test_components_cannot_be_added_after_add_to_stack(tmp_path: Path) -> None:
    backend, _, _ = deployed({"user_api": crud("UserApi")}, tmp_path)
    with pytest.raises(ConstructError, match="cannot be added after add_to_stack"):
        backend.add_component(crud("OrderApi"))


# ----- plan.json determinism ----------------------------------------------------------------------

def _quickstart_plan(workdir: Path) -> str:
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(workdir)
        runpy.run_path(str(QUICKSTART), run_name="quickstart_example")
    return (workdir / "atakora.out" / "plan.json").read_text(encoding="utf-8")


def test_the_quickstart_plan_matches_its_golden_file(tmp_path: Path, golden: Any) -> None:
    import json

    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    first, second = _quickstart_plan(tmp_path / "one"), _quickstart_plan(tmp_path / "two")
    assert first == second, "plan.json differs between two runs of the same program"
    plan = json.loads(first)
    assert plan["backends"][0]["summary"] == {"components": 2, "sharedResources": 3, "traditionalResources": 6}
    golden("backend/quickstart_plan", plan)


@pytest.mark.parametrize("config", [1, "prod", {"environment": "prod"}])
def test_a_config_that_is_no_backend_config_is_a_configuration_error(config: object) -> None:
    with pytest.raises(ConfigurationError, match="config must be a BackendConfig") as raised:
        parse_backend_config(config, {})  # type: ignore[arg-type]
    assert raised.value.field == "config"
    with pytest.raises(ConfigurationError, match="config must be a BackendConfig"):
        parse_backend_config(config, {"environment": "dev"})  # type: ignore[arg-type]
