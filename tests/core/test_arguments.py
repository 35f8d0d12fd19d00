"""One validation mechanism at every public entry point: wrong types and unknown keywords are AtakoraErrors."""

from __future__ import annotations

import pytest

from atakora import App, ResourceGroupStack
from atakora.arguments import did_you_mean, validated
from atakora.components import CrudApi, FunctionsApp, MessageQueue, StaticSite, StaticSiteWithCdn
from atakora.errors import ConfigurationError


def test_an_unknown_keyword_names_the_component_the_allowed_fields_and_the_closest_one() -> None:
    with pytest.raises(ConfigurationError) as raised:
        CrudApi.define("UserApi", entity_name="User", schema={"id": "string"}, partiton_key="/id")
    error = raised.value
    assert error.path == "UserApi" and error.field == "partiton_key"
    assert "did you mean 'partition_key'?" in str(error) and "allowed: entity_name, schema" in str(error)
    assert error.fix == "remove 'partiton_key' or use 'partition_key'"


@pytest.mark.parametrize(("call", "field"), [
    (lambda: FunctionsApp.define("Jobs", functions="hello"), "functions"),
    (lambda: FunctionsApp.define("Jobs", environment_variables="A=b"), "environment_variables"),
    (lambda: FunctionsApp.define("Jobs", version=3.11), "version"),
    (lambda: FunctionsApp.define("Jobs", extensions="x@1"), "extensions"),
    (lambda: FunctionsApp.define("Jobs", extensions=[None]), "extensions"),
    (lambda: MessageQueue.define("Q", queues=None), "queues"),
    (lambda: MessageQueue.define("Q", queues=["a"], priority="x"), "priority"),
    (lambda: StaticSite.define("Site", source_directory=0), "source_directory"),
    (lambda: StaticSiteWithCdn.define("Cdn", custom_domain=5), "custom_domain"),
    (lambda: StaticSiteWithCdn.define("Cdn", enable_compression="x"), "enable_compression"),
    (lambda: CrudApi.define("UserApi", entity_name="User", schema={"name": 3.5}), "schema"),
    (lambda: CrudApi.define("UserApi", entity_name="User", schema={"name": ["string"]}), "schema"),
    (lambda: CrudApi.define("UserApi", entity_name="User", schema={"id": "string"}, ttl=True), "ttl"),
])
def test_a_wrong_type_names_the_field_what_was_given_what_is_allowed_and_the_fix(call: object, field: str) -> None:
    with pytest.raises(ConfigurationError) as raised:
        call()  # type: ignore[operator]
    error = raised.value
    assert error.field == field and error.fix and "given " in str(error) and "allowed: " in str(error)


def test_a_traditional_constructor_error_names_the_construct_path() -> None:
    app = App()
    stack = ResourceGroupStack(app, "Stack", resource_group_name="rg", location="eastus")
    with pytest.raises(ConfigurationError) as raised:
        CrudApi(stack, "UserApi", entity_name="User", schema={"id": "string"}, priority="high")
    assert raised.value.path == "Stack/UserApi" and raised.value.field == "priority"


def test_a_stack_with_a_wrong_typed_resource_group_name_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError) as raised:
        ResourceGroupStack(App(), "T", resource_group_name=5, location="eastus")  # type: ignore[arg-type]
    assert raised.value.field == "resource_group_name" and raised.value.path == "T"


def test_a_missing_required_option_is_named() -> None:
    with pytest.raises(ConfigurationError) as raised:
        ResourceGroupStack(App(), "T", location="eastus")  # type: ignore[call-arg]
    assert raised.value.field == "resource_group_name" and "is required" in str(raised.value)


def test_an_option_added_to_an_entry_point_is_checked_by_its_annotation_alone() -> None:
    @validated
    def define(id: str, *, retries: int = 3, mode: str | None = None) -> int:
        return retries

    assert define("X", retries=5) == 5
    with pytest.raises(ConfigurationError, match=r"retries: input should be a valid integer \(given '5'"):
        define("X", retries="5")  # type: ignore[arg-type]


def test_did_you_mean_ignores_case_and_underscores() -> None:
    assert did_you_mean("entityName", ["entity_name", "schema"]) == " (did you mean 'entity_name'?)"
    assert did_you_mean("zzz", ["entity_name"]) == ""


def test_a_backend_config_built_directly_reports_a_configuration_error_naming_the_field() -> None:
    from atakora.backend import BackendConfig, MonitoringConfig

    with pytest.raises(ConfigurationError) as raised:
        BackendConfig(environment="")
    assert raised.value.field == "environment" and raised.value.fix and "given ''" in str(raised.value)
    with pytest.raises(ConfigurationError) as nested:
        BackendConfig(monitoring=MonitoringConfig(retention_days=7))
    assert nested.value.field == "retention_days" and "greater than or equal to 30" in nested.value.fix


def test_define_backend_names_the_backend_and_suggests_the_field() -> None:
    from atakora.backend import define_backend

    with pytest.raises(ConfigurationError) as raised:
        define_backend({}, backend_id="shop", enviroment="prod")
    assert raised.value.path == "backend shop" and "did you mean 'environment'?" in str(raised.value)


@pytest.mark.parametrize(("call", "field", "text"), [
    (lambda: CrudApi.define("U", entity_name="U", schema={"id": "string"}, ttl=2**63), "ttl", "32-bit"),
    (lambda: CrudApi.define("U", entity_name="U", schema={"id": "string"}, indexing_policy={"indexMode": "x"}),
     "indexing_policy", "did you mean 'indexingMode'?"),
    (lambda: FunctionsApp.define("J", environment_variables={"A B": "x"}), "environment_variables", "only letters"),
    (lambda: FunctionsApp.define("J", extensions=["storage"]), "extensions", "'name@version'"),
    (lambda: FunctionsApp.define("J", source_directory=".", functions={"t": {"trigger": "timer",
                                                                             "schedule": "*/0 * * * * *"}}),
     "functions.t.schedule", "at least 1"),
])
def test_azure_rules_are_checked_at_definition(call: object, field: str, text: str) -> None:
    with pytest.raises(ConfigurationError) as raised:
        call()  # type: ignore[operator]
    assert raised.value.field == field and text in str(raised.value) and raised.value.fix


@pytest.mark.parametrize(("tags", "text"), [
    ({"Team": "a", "team": "b"}, "differ only in case"),
    ({"microsoft-owner": "x"}, "prefix Azure reserves"),
    ({"Environment": "Production"}, "set environment= instead"),
])
def test_azure_tag_rules_are_checked(tags: dict[str, str], text: str) -> None:
    from atakora.backend import define_backend

    with pytest.raises(ConfigurationError, match=text) as raised:
        define_backend({}, environment="prod", tags=tags)
    assert raised.value.field == "tags"


@pytest.mark.parametrize("kind", [StaticSite, StaticSiteWithCdn])
def test_two_sites_whose_ids_differ_only_by_a_hyphen_do_not_share_one_static_web_app(kind: object,
                                                                                    tmp_path: object) -> None:
    from pathlib import Path

    from atakora.backend import define_backend
    from atakora.errors import AtakoraError

    site = Path(str(tmp_path))
    (site / "index.html").write_text("hi")
    (site / "404.html").write_text("missing")
    backend = define_backend({"a": kind.define("Web-Site", source_directory=site),  # type: ignore[attr-defined]
                              "b": kind.define("WebSite", source_directory=site)})  # type: ignore[attr-defined]
    stack = ResourceGroupStack(App(outdir=site / "out"), "S", resource_group_name="rg", location="eastus")
    with pytest.raises(AtakoraError, match="would share one Static Web App") as raised:
        backend.add_to_stack(stack)
    assert raised.value.field and raised.value.fix


def test_two_stacks_on_one_resource_group_with_default_backends_are_an_error() -> None:
    from atakora.backend import define_backend

    app = App()
    first = ResourceGroupStack(app, "One", resource_group_name="rg-shared", location="eastus")
    second = ResourceGroupStack(app, "Two", resource_group_name="RG-Shared", location="eastus")
    define_backend({"a": CrudApi.define("UserApi", entity_name="User", schema={"id": "string"})}).add_to_stack(first)
    with pytest.raises(ConfigurationError, match="would get the same names") as raised:
        define_backend({"b": CrudApi.define("OrderApi", entity_name="Order",
                                            schema={"id": "string"})}).add_to_stack(second)
    assert raised.value.field == "backend_id"
    define_backend({"b": CrudApi.define("OrderApi", entity_name="Order", schema={"id": "string"})},
                   backend_id="orders").add_to_stack(second)


def test_a_typed_resource_built_directly_checks_its_arguments_by_the_same_mechanism() -> None:
    from atakora.resources.storage import StorageAccount

    stack = ResourceGroupStack(App(), "Main", resource_group_name="rg", location="eastus")
    with pytest.raises(ConfigurationError) as raised:
        StorageAccount(stack, "Store", name=5)  # type: ignore[arg-type]
    assert raised.value.path == "Main/Store" and raised.value.field == "name"
    assert "name: input is none of the allowed types (given 5; allowed: str | Expr)" in str(raised.value)
    with pytest.raises(ConfigurationError) as raised:
        StorageAccount(stack, "Store", name="stx", skuu="Standard_LRS")  # type: ignore[call-arg]
    assert raised.value.field == "skuu" and "did you mean 'sku'?" in str(raised.value)
    assert raised.value.fix == "remove 'skuu' or use 'sku'"


def test_a_literal_option_lists_its_values_as_allowed_and_in_the_fix() -> None:
    from atakora.resources.cache import RedisCache

    stack = ResourceGroupStack(App(), "Main", resource_group_name="rg", location="eastus")
    with pytest.raises(ConfigurationError) as raised:
        RedisCache(stack, "Cache", name="cache-x", sku="Enterprise")  # type: ignore[arg-type]
    assert "allowed: 'Basic' | 'Standard' | 'Premium'" in str(raised.value)
    assert raised.value.fix == "set sku to one of 'Basic', 'Standard' or 'Premium'"


def test_a_resource_under_the_wrong_parent_names_the_parent_it_needs() -> None:
    from atakora.resources.servicebus import ServiceBusQueue

    stack = ResourceGroupStack(App(), "Main", resource_group_name="rg", location="eastus")
    with pytest.raises(ConfigurationError, match="namespace: input should be an instance of ServiceBusNamespace"):
        ServiceBusQueue(stack, "Orders", name="orders")  # type: ignore[arg-type]


def test_a_subclass_checks_its_own_signature_once_and_its_base_trusts_it() -> None:
    calls: list[str] = []

    class Base:
        @validated
        def __init__(self, id: str, *, size: int) -> None:
            calls.append("base")

    class Child(Base):
        @validated
        def __init__(self, id: str, *, size: int = 1, label: str = "") -> None:
            super().__init__(id, size=size)

    Child("C", size=2, label="x")
    with pytest.raises(ConfigurationError, match="label: input should be a valid string"):
        Child("C", label=5)  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError, match="size: input should be a valid integer"):
        Base("B", size="2")  # type: ignore[arg-type]
    assert calls == ["base"]


def test_a_rule_that_says_what_to_do_gives_that_as_the_fix() -> None:
    from atakora.backend import BackendConfig

    with pytest.raises(ConfigurationError) as raised:
        BackendConfig(environment="dev", tags={"microsoft.x": "a"})
    assert raised.value.field == "tags" and raised.value.fix == "choose another name"
