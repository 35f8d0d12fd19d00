"""Configuration models: the plain-Python check of well-formed input gives exactly what pydantic's model gives."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from atakora.backend.config import (
    AlertingConfig,
    AutoScaleConfig,
    BackendConfig,
    CosmosConfig,
    EntraAuthConfig,
    FailoverPolicy,
    MonitoringConfig,
    NetworkingConfig,
    ResourceLimits,
)
from atakora.config_model import ConfigModel, convert, pydantic_model
from atakora.errors import ConfigurationError

GUID = "6f1c7e7a-3b1a-4a8e-9a55-0d2c1f4b2a11"


def _outcome(make: Any) -> tuple[str, Any]:
    try:
        model = make()
    except (ConfigurationError, ValidationError):
        return ("refused", None)
    return ("made", (_plain(model), sorted(model.model_fields_set)))


def _plain(value: Any) -> Any:
    """A model (ours or pydantic's) as the types and values of its fields, recursively."""
    if hasattr(value, "model_fields_set"):
        names = type(value).model_fields_spec() if isinstance(value, ConfigModel) else type(value).model_fields
        return {name: _plain(getattr(value, name)) for name in names}
    if isinstance(value, (tuple, list)):
        return (type(value).__name__, [_plain(v) for v in value])
    return (type(value).__name__, value)


SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-5, 5000), st.floats(-1, 200, allow_nan=False),
                    st.sampled_from(["", "90", "isolated", "public", "10.0.0.0/16", "10.0.0.0/28", "Storage", "x"]))
VALUES = st.one_of(SCALARS, st.lists(SCALARS, max_size=3), st.tuples(SCALARS),
                   st.dictionaries(st.sampled_from(["enabled", "error_threshold", "email_receivers", "x"]), SCALARS,
                                   max_size=2))
MODELS = [AlertingConfig, MonitoringConfig, NetworkingConfig, ResourceLimits, AutoScaleConfig, CosmosConfig]


@settings(max_examples=400, deadline=None)
@given(model=st.sampled_from(MODELS), data=st.data())
def test_any_input_is_made_or_refused_exactly_as_the_pydantic_model_makes_or_refuses_it(
        model: type[ConfigModel], data: st.DataObject) -> None:
    names = [*model.model_fields_spec(), "bogus"]
    given_fields = data.draw(st.dictionaries(st.sampled_from(names), VALUES, max_size=4))
    ours = _outcome(lambda: model(**given_fields))
    theirs = _outcome(lambda: pydantic_model(model)(**given_fields))
    assert ours == theirs


@pytest.mark.parametrize(("make", "field", "value"), [
    (lambda: MonitoringConfig(sampling_percentage=50), "sampling_percentage", 50.0),
    (lambda: AlertingConfig(email_receivers=["ops@example.com"]), "email_receivers", ("ops@example.com",)),
    (lambda: NetworkingConfig(service_tags=["azurecosmosdb"]), "service_tags", ("AzureCosmosDB",)),
])
def test_a_list_for_a_tuple_an_int_for_a_float_and_checked_spellings_are_converted(
        make: Any, field: str, value: Any) -> None:
    model = make()
    assert getattr(model, field) == value
    assert type(getattr(model, field)) is type(value)


@pytest.mark.parametrize("make", [
    lambda: MonitoringConfig(retention_days="90"),
    lambda: MonitoringConfig(retention_days=True),
    lambda: MonitoringConfig(retention_days=90.0),
    lambda: MonitoringConfig(sampling_percentage=True),
    lambda: AlertingConfig(enabled="yes"),
    lambda: AlertingConfig(enabled=0),
    lambda: BackendConfig(environment=b"prod"),
    lambda: BackendConfig(tags={"team": b"shop"}),
])
def test_values_of_another_type_are_refused_not_coerced(make: Any) -> None:
    with pytest.raises(ConfigurationError, match="input should be a valid"):
        make()


def test_nested_models_given_as_dicts_or_instances_become_instances_of_ours() -> None:
    config = BackendConfig(monitoring={"alerting": {"error_threshold": 3}}, cosmos_config=CosmosConfig(
        failover_policies=({"location_name": "eastus", "priority": 0},)), networking="isolated")
    assert isinstance(config.monitoring, MonitoringConfig)
    assert isinstance(config.monitoring.alerting, AlertingConfig)
    assert config.monitoring.alerting.error_threshold == 3
    assert type(config.cosmos_config).__name__ == "CosmosConfig" and isinstance(config.cosmos_config, CosmosConfig)
    assert config.networking == NetworkingConfig(mode="isolated")


def test_a_refused_field_is_the_configuration_error_of_pydantic_s_message() -> None:
    with pytest.raises(ConfigurationError) as caught:
        BackendConfig(monitoring={"retention_days": 5})
    assert "monitoring.retention_days: input should be greater than or equal to 30 (given 5" in str(caught.value)
    with pytest.raises(ConfigurationError, match="unknown field 'monitorin'.*did you mean 'monitoring'"):
        BackendConfig(monitorin=True)
    with pytest.raises(ConfigurationError, match="max_throughput must be a multiple of 1000"):
        AutoScaleConfig(max_throughput=1500)


def test_models_are_frozen_values_that_compare_hash_and_print_by_their_fields() -> None:
    monitoring = MonitoringConfig(retention_days=60)
    with pytest.raises(dataclasses.FrozenInstanceError):
        monitoring.retention_days = 90  # type: ignore[misc]
    assert monitoring == MonitoringConfig(retention_days=60) != MonitoringConfig()
    assert hash(monitoring) == hash(MonitoringConfig(retention_days=60))
    assert repr(AlertingConfig()) == ("AlertingConfig(enabled=True, error_threshold=5, latency_threshold=1000, "
                                      "email_receivers=())")
    assert monitoring.model_fields_set == {"retention_days"}


def test_a_dump_is_nested_dicts_and_in_json_mode_lists_and_floats_where_the_field_is_a_float() -> None:
    monitoring = MonitoringConfig(alerting={"email_receivers": ["ops@example.com"]})
    assert monitoring.model_dump()["alerting"]["email_receivers"] == ("ops@example.com",)
    dumped = monitoring.model_dump(mode="json")
    assert dumped["alerting"]["email_receivers"] == ["ops@example.com"]
    assert dumped["sampling_percentage"] == 100.0 and type(dumped["sampling_percentage"]) is float
    assert dumped == pydantic_model(MonitoringConfig)(alerting={"email_receivers": ["ops@example.com"]}).model_dump(
        mode="json")


def test_a_union_with_a_model_takes_a_dict_as_the_model_and_a_string_as_the_literal() -> None:
    annotation = EntraAuthConfig | None
    made = convert(annotation, {"provider": "entra", "tenant_id": GUID, "client_id": GUID})
    assert isinstance(made, EntraAuthConfig)
    assert convert(annotation, None) is None
    with pytest.raises(ValidationError):
        convert(annotation, {"provider": "entra", "tenant_id": "not-a-guid", "client_id": GUID})


def test_a_field_of_a_type_with_no_plain_check_is_refused_when_the_model_is_first_used() -> None:
    class Odd(ConfigModel):
        when: bytes = b""

    with pytest.raises(TypeError, match="a ConfigModel field cannot be"):
        Odd()


def test_a_subclass_keeps_the_defaults_and_checks_of_its_model() -> None:
    class Alerts(AlertingConfig):
        note: str = ""

    assert Alerts(note="x") == Alerts(note="x")
    assert Alerts().error_threshold == 5
    with pytest.raises(ConfigurationError, match="greater than or equal to 1"):
        Alerts(error_threshold=0)


@pytest.mark.parametrize("value", [float("nan"), 10**400])
def test_a_number_the_plain_check_cannot_compare_or_convert_is_decided_by_pydantic(value: Any) -> None:
    with pytest.raises(ConfigurationError, match="sampling_percentage"):
        MonitoringConfig(sampling_percentage=value)


def test_instances_of_ours_in_a_list_tuple_or_set_are_taken_also_when_pydantic_validates() -> None:
    policy = FailoverPolicy(location_name="eastus", priority=0)
    for policies in ({policy}, frozenset({policy}), [policy]):  # a set is checked by pydantic, a list is not
        assert CosmosConfig(failover_policies=policies).failover_policies == (policy,)
