"""CrudApiCode's ``cache_ttl`` and ``health_timeout`` reach the generated code and are validated."""

from __future__ import annotations

from dataclasses import replace

import pytest

from atakora.components.codegen import CrudApiCode, build_function_package
from atakora.errors import ConfigurationError


def _function_app(api: CrudApiCode) -> str:
    return build_function_package(crud_apis=[api]).files["function_app.py"].decode()


def test_defaults_add_no_cache_or_health_timeout_arguments(user_api: CrudApiCode) -> None:
    source = _function_app(user_api)
    assert "cache_ttl" not in source
    assert "health_timeout_seconds" not in source
    assert user_api.to_spec().cache_ttl is None
    assert user_api.to_spec().health_timeout_seconds == 10.0


def test_a_cache_ttl_and_health_timeout_are_passed_to_the_runtime_spec(user_api: CrudApiCode) -> None:
    api = replace(user_api, cache_ttl=300, health_timeout=5)
    source = _function_app(api)
    assert "            cache_ttl=300,\n" in source
    assert "            health_timeout_seconds=5.0,\n" in source
    compile(source, "function_app.py", "exec")
    spec = api.to_spec()
    assert (spec.cache_ttl, spec.health_timeout_seconds) == (300, 5)


@pytest.mark.parametrize("ttl", [0, -5, 86_401, True, 2.5])
def test_a_cache_ttl_outside_one_second_to_one_day_is_a_configuration_error(
    user_api: CrudApiCode, ttl: object
) -> None:
    with pytest.raises(ConfigurationError, match="cache ttl") as info:
        replace(user_api, cache_ttl=ttl)
    assert (info.value.field, info.value.path) == ("cache_ttl", "UserApi")
    assert "'ttl': 300" in info.value.fix


@pytest.mark.parametrize("timeout", [0, -1, 231, False])
def test_a_health_timeout_outside_the_front_end_limit_is_a_configuration_error(
    user_api: CrudApiCode, timeout: object
) -> None:
    with pytest.raises(ConfigurationError, match="health check timeout") as info:
        replace(user_api, health_timeout=timeout)
    assert info.value.field == "health_timeout"
