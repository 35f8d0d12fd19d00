"""Resource limits: a ResourceLimitError says the limit, what was requested and the ways out (seed 003 ex. 5)."""

from __future__ import annotations

from pathlib import Path

import pytest

from atakora.backend import define_backend
from atakora.errors import ConfigurationError, ResourceLimitError

from ._support import crud, stack_for

SEED_LIMITS = {"max_cosmos_accounts": 1, "max_function_apps": 1, "max_storage_accounts": 2,
               "max_functions_per_app": 50, "max_containers_per_storage": 10}


def _seed_backend(**order_api: object):  # type: ignore[no-untyped-def]
    return define_backend({"user_api": crud("UserApi"), "product_api": crud("ProductApi"),
                           "order_api": crud("OrderApi", **order_api)},
                          environment="production", location="eastus", limits=SEED_LIMITS,
                          tags={"resourceLimits": "enforced", "quotaManagement": "enabled"})


def test_the_seed_backend_stays_within_its_limits(tmp_path: Path) -> None:
    backend = _seed_backend()
    assert backend.validate().valid
    _, stack = stack_for(tmp_path)
    backend.add_to_stack(stack)
    counts = {t: sum(r.resource_type == t for r in backend.plan().resources) for t in ("cosmos", "functions",
                                                                                        "storage")}
    assert counts == {"cosmos": 1, "functions": 1, "storage": 1}
    assert backend.plan().resource_for("UserApi", "functions", "shared").config.function_count == 18


def test_exceeding_max_cosmos_accounts_raises_the_seed_error_text() -> None:
    backend = _seed_backend(enable_serverless=False, throughput=400)
    with pytest.raises(ResourceLimitError) as raised:
        backend.plan()
    message = str(raised.value)
    assert "Maximum Cosmos DB accounts exceeded" in message
    assert "Limit: 1" in message and "Requested: 2" in message
    for solution in ("1. Increase max_cosmos_accounts in backend config",
                     "2. Split components across multiple backends", "3. Request Azure quota increase"):
        assert solution in message
    error = raised.value
    assert (error.limit_name, error.limit, error.requested) == ("max_cosmos_accounts", 1, 2)
    assert len(error.solutions) == 3
    # The message also says which components need which account.
    assert "OrderApi" in message and "UserApi" in message


def test_add_to_stack_raises_the_limit_error_before_creating_anything(tmp_path: Path) -> None:
    backend = _seed_backend(enable_serverless=False, throughput=400)
    _, stack = stack_for(tmp_path)
    with pytest.raises(ResourceLimitError, match="Maximum Cosmos DB accounts exceeded"):
        backend.add_to_stack(stack)
    from atakora.core.resource import Resource

    assert not [c for c in stack.node.find_all() if isinstance(c, Resource)]


def test_validate_returns_the_limit_error_instead_of_raising() -> None:
    result = _seed_backend(enable_serverless=False, throughput=400).validate()
    assert not result.valid
    assert "Maximum Cosmos DB accounts exceeded" in result.errors[0] and "Requested: 2" in result.errors[0]


def test_a_capacity_split_beyond_max_function_apps_is_a_limit_error() -> None:
    backend = define_backend({"a": crud("UserApi"), "b": crud("OrderApi")},
                             limits={"max_functions_per_app": 6, "max_function_apps": 1})
    with pytest.raises(ResourceLimitError, match="Maximum Function Apps exceeded") as raised:
        backend.plan()
    assert "Increase max_function_apps in backend config" in str(raised.value)


def test_limits_accept_an_object_or_a_dict_and_reject_unknown_fields() -> None:
    from atakora.backend import ResourceLimits

    assert define_backend({}, limits=ResourceLimits(max_cosmos_accounts=2)).config.limits.max_cosmos_accounts == 2
    with pytest.raises(ConfigurationError, match="unknown field 'limits.max_cosmos'"):
        define_backend({}, limits={"max_cosmos": 1})
    with pytest.raises(ConfigurationError, match="limits.max_cosmos_accounts"):
        define_backend({}, limits={"max_cosmos_accounts": 0})


def test_a_database_over_the_throughput_limit_is_a_resource_limit_error() -> None:
    from atakora.components import CrudApi

    def api(id: str) -> object:
        return CrudApi.define(id, entity_name=id.removesuffix("Api"), schema={"id": "string"}, enable_serverless=False,
                              throughput=6000, database_name="shared-db")

    backend = define_backend({"a": api("OrderApi"), "b": api("ItemApi")},
                             limits={"max_throughput_per_database": 10000})
    with pytest.raises(ResourceLimitError, match="Maximum throughput per database exceeded") as raised:
        backend.plan()
    assert (raised.value.limit, raised.value.requested) == (10000, 12000)


def test_the_throughput_limit_counts_the_backend_autoscale_maximum() -> None:
    from atakora.components import CrudApi

    api = CrudApi.define("OrderApi", entity_name="Order", schema={"id": "string"}, enable_serverless=False)
    backend = define_backend({"a": api}, auto_scale={"max_throughput": 10000},
                             limits={"max_throughput_per_database": 4000})
    with pytest.raises(ResourceLimitError, match="needs 10000 RU/s"):
        backend.plan()
