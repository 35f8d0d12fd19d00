"""Naming: {abbreviation}-{backend}-{environment}[-suffix], valid per type, custom conventions honoured."""

from __future__ import annotations

import re

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
    assert names["storage:shared"] == "storshopx"
    assert names["functions:shared"] == "funcshopx"


def test_an_invalid_name_from_a_custom_function_is_rejected_clearly() -> None:
    backend = define_backend({"a": crud("UserApi")}, naming=lambda t, b, s: f"My_{t}_Account!")
    with pytest.raises(NamingError) as raised:
        backend.plan()
    error = raised.value
    assert error.name.startswith("My_") and error.resource_type in ARM_TYPES.values()
    assert "naming convention gave an invalid" in str(error) and "Fix:" in str(error)


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
