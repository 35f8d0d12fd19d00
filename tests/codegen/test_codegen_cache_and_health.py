"""A CrudSpec's ``cache_ttl`` and ``health_timeout_seconds`` reach the generated code and are validated."""

from __future__ import annotations

from dataclasses import fields, replace
from pathlib import Path
from typing import Any

import pytest

from atakora.components.codegen import CrudSpec, build_function_package, crud_spec
from atakora.errors import ConfigurationError


def _with(api: CrudSpec, **changes: Any) -> CrudSpec:
    """``api`` with ``changes``, built like user input (errors are ConfigurationErrors)."""
    values = {f.name: getattr(api, f.name) for f in fields(api)}
    return crud_spec(**{**values, **changes})


def _function_app(api: CrudSpec) -> str:
    return build_function_package(crud_apis=[api]).files["function_app.py"].decode()


def test_defaults_add_no_cache_or_health_timeout_arguments(user_api: CrudSpec) -> None:
    source = _function_app(user_api)
    assert "cache_ttl" not in source
    assert "health_timeout_seconds" not in source
    assert user_api.cache_ttl is None
    assert user_api.health_timeout_seconds == 10.0


def test_a_cache_ttl_and_health_timeout_are_passed_to_the_runtime_spec(user_api: CrudSpec) -> None:
    api = replace(user_api, cache_ttl=300, health_timeout_seconds=5)
    source = _function_app(api)
    assert "            cache_ttl=300,\n" in source
    assert "            health_timeout_seconds=5.0,\n" in source
    compile(source, "function_app.py", "exec")
    assert (api.cache_ttl, api.health_timeout_seconds) == (300, 5)


@pytest.mark.parametrize("ttl", [0, -5, 86_401, True, 2.5])
def test_a_cache_ttl_outside_one_second_to_one_day_is_a_configuration_error(
    user_api: CrudSpec, ttl: Any
) -> None:
    with pytest.raises(ConfigurationError, match="cache_ttl must be None or an integer") as info:
        _with(user_api, cache_ttl=ttl)
    assert (info.value.field, info.value.path) == ("cache_ttl", "UserApi")
    assert "'ttl': 300" in info.value.fix


@pytest.mark.parametrize("timeout", [0, -1, 231, False])
def test_a_health_timeout_outside_the_front_end_limit_is_a_configuration_error(
    user_api: CrudSpec, timeout: Any
) -> None:
    with pytest.raises(ConfigurationError, match="health_timeout_seconds must be more than 0") as info:
        _with(user_api, health_timeout_seconds=timeout)
    assert (info.value.field, info.value.path) == ("health_timeout_seconds", "UserApi")
    assert "'timeout': 10" in info.value.fix


def test_the_crud_api_component_passes_its_cache_and_health_check_settings(tmp_path: Path) -> None:
    from atakora import App, ResourceGroupStack
    from atakora.backend import define_backend
    from atakora.components import CrudApi

    backend = define_backend(
        {
            "product_api": CrudApi.define(
                "ProductApi",
                entity_name="Product",
                schema={"id": "string", "category": "string"},
                partition_key="/category",
                cache={"enabled": True, "ttl": 120},
                health_check={"path": "/products/health", "timeout": 4},
            ),
            "order_api": CrudApi.define(
                "OrderApi", entity_name="Order", schema={"id": "string"}, cache={"enabled": False, "ttl": 60}
            ),
        },
        environment="dev",
        location="eastus",
    )
    app = App(outdir=tmp_path)
    backend.add_to_stack(ResourceGroupStack(app, "Stack", resource_group_name="rg-x", location="eastus"))
    codes = {c.component_id: c for c in backend.get_shared("functions", "shared").crud_apis}
    assert (codes["ProductApi"].cache_ttl, codes["ProductApi"].health_timeout_seconds) == (120, 4)
    assert (codes["OrderApi"].cache_ttl, codes["OrderApi"].health_timeout_seconds) == (None, 10.0)
