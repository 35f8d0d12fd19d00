"""Naming: {abbreviation}-{backend}-{environment}[-suffix], valid per type, custom conventions honoured."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from atakora.backend import DefaultNamingConvention, NamingConvention, define_backend
from atakora.backend.naming import ARM_TYPES
from atakora.core.naming import validate_name
from atakora.errors import ConfigurationError, NamingError

from ._support import crud


def _names(**config: object) -> dict[str, str]:
    backend = define_backend({"a": crud("UserApi"), "b": crud("OrderApi", enable_serverless=False, throughput=400)},
                             **{"environment": "prod", "backend_id": "shop", **config})
    return {r.key: r.name for r in backend.plan().resources}


def test_default_names_follow_abbreviation_backend_environment() -> None:
    names = _names()
    assert re.fullmatch(r"cosmos-shop-prod(-[a-z0-9]{6})?", names["cosmos:shared"])
    assert re.fullmatch(r"func-shop-prod(-[a-z0-9]{6})?", names["functions:shared"])


def test_a_split_resource_gets_a_suffix_after_the_environment() -> None:
    assert re.fullmatch(r"cosmos-shop-prod-serverless(-[a-z0-9]{6})?", _names()["cosmos:shared#serverless"])


def test_storage_names_have_no_hyphens_and_fit_24_characters() -> None:
    name = _names()["storage:shared"]
    assert name.startswith("stshopprod") and re.fullmatch(r"[a-z0-9]{3,24}", name)


def test_the_environment_is_in_every_name() -> None:
    for environment in ("dev", "staging", "prod"):
        names = _names(environment=environment)
        assert all(environment in n for n in names.values()), names


def test_the_same_program_gives_the_same_names() -> None:
    assert _names() == _names()


def test_application_insights_names_are_hyphenated_too() -> None:
    assert DefaultNamingConvention("prod").format_resource_name("appinsights", "shop") == "appi-shop-prod"


class Prefixed:
    """A NamingConvention object."""

    def format_resource_name(self, resource_type: str, backend_id: str, suffix: str | None = None) -> str:
        return "-".join(p for p in ("contoso", resource_type, backend_id, suffix) if p)


def test_a_custom_naming_convention_object_is_honoured() -> None:
    assert isinstance(Prefixed(), NamingConvention)
    names = _names(naming=Prefixed())
    assert names["cosmos:shared"] == "contoso-cosmos-shop"
    assert names["cosmos:shared#serverless"] == "contoso-cosmos-shop-serverless"


def test_a_plain_naming_function_is_honoured() -> None:
    def naming(resource_type: str, backend_id: str, suffix: str | None) -> str:
        return f"{resource_type[:4]}{backend_id}x{suffix or ''}".replace("-", "")[:24]

    names = _names(naming=naming)
    assert names["storage:shared"] == "stshopx"  # the function receives the short type names
    assert names["functions:shared"] == "funcshopx"


def test_the_seed_naming_function_gets_short_type_names_and_storage_names_are_adapted() -> None:
    env = "prod"
    backend = define_backend({"a": crud("UserApi")}, environment=env, naming={
        "format_resource_name": lambda type, backend_id, suffix: "-".join(
            [type, "myapp", env, suffix or "shared"]).lower()})
    plan = backend.plan()
    names = {e.key: e for e in plan.resources}
    assert names["cosmos:shared"].name == "cosmos-myapp-prod-shared"
    assert names["functions:shared"].name == "func-myapp-prod-shared"
    assert names["cosmos:shared"].name_adaptation is None
    storage = names["storage:shared"]
    assert storage.name.startswith("stmyappprodshared") and storage.name.isalnum() and len(storage.name) <= 24
    assert validate_name(ARM_TYPES["storage"], storage.name) is None
    assert storage.name_adaptation is not None and "'st-myapp-prod-shared' adapted to" in storage.name_adaptation
    assert plan.to_json()["resources"][[e.key for e in plan.resources].index("storage:shared")]["nameAdaptation"]


def test_a_name_that_breaks_the_rules_is_adapted_deterministically() -> None:
    first = _names(naming=lambda t, b, s: f"My_{t}_Account!")
    assert first == _names(naming=lambda t, b, s: f"My_{t}_Account!")
    assert validate_name(ARM_TYPES["cosmos"], first["cosmos:shared"]) is None


@pytest.mark.parametrize(("function", "message"), [
    (lambda t, b, s: "", "returned '' for 'cosmos'"),
    (lambda t, b, s: None, "returned None for 'cosmos'"),
    (lambda t, b, s: {"cosmos": "x"}[t + "x"], "raised KeyError"),
    (lambda t, b, s: "___", "cannot be adapted"),
])
def test_an_unusable_name_from_a_naming_function_is_an_error_naming_the_function(function: Any, message: str) -> None:
    backend = define_backend({"a": crud("UserApi")}, naming=function)
    with pytest.raises(NamingError, match=message) as raised:
        backend.plan()
    assert "naming function '" in str(raised.value) and "<lambda>" in str(raised.value)


def test_a_naming_value_that_is_neither_convention_nor_function_is_rejected() -> None:
    with pytest.raises(ConfigurationError, match="naming must be a NamingConvention or a function"):
        define_backend({}, naming="cosmos-{env}")


@settings(max_examples=80, deadline=None)
@given(backend_id=st.from_regex(r"[a-z][a-z0-9-]{0,30}", fullmatch=True),
       environment=st.from_regex(r"[a-z][a-z0-9]{0,11}", fullmatch=True),
       suffix=st.one_of(st.none(), st.from_regex(r"[a-z0-9]{1,12}", fullmatch=True)),
       resource_type=st.sampled_from(sorted(ARM_TYPES)))
def test_default_names_are_always_valid_and_deterministic(backend_id: str, environment: str, suffix: str | None,
                                                          resource_type: str) -> None:
    convention = DefaultNamingConvention(environment, unique_seed="rg/eastus")
    name = convention.format_resource_name(resource_type, backend_id, suffix)
    assert validate_name(ARM_TYPES[resource_type], name) is None
    assert name == DefaultNamingConvention(environment, unique_seed="rg/eastus").format_resource_name(
        resource_type, backend_id, suffix)
