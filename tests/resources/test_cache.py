from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from atakora import App, ResourceGroupStack
from atakora.errors import ConfigurationError, NamingError
from atakora.resources.cache import API_VERSIONS, RedisCache
from atakora.testing import Template

REDIS = "Microsoft.Cache/redis"


@pytest.fixture
def stack() -> ResourceGroupStack:
    return ResourceGroupStack(App(), "Main", resource_group_name="rg-test", location="westeurope")


def test_redis_has_secure_defaults(stack: ResourceGroupStack) -> None:
    cache = RedisCache(stack, "Cache", name="redis-test")
    Template.from_stack(stack).has_resource_properties(REDIS, {
        "sku": {"name": "Standard", "family": "C", "capacity": 1}, "enableNonSslPort": False,
        "minimumTlsVersion": "1.2", "publicNetworkAccess": "Disabled", "disableAccessKeyAuthentication": True,
        "redisConfiguration": {"aad-enabled": "true"}})
    assert cache.api_version == API_VERSIONS[REDIS]


def test_redis_golden(stack: ResourceGroupStack, golden: Callable[[str, Any], None]) -> None:
    cache = RedisCache(stack, "Cache", name="redis-test", sku="Premium", capacity=2, public_network_access="Enabled",
                       maxmemory_policy="allkeys-lru")
    stack.add_output("hostName", cache.host_name)
    stack.add_output("sslPort", cache.ssl_port, type="int")
    golden("resources/cache_redis", Template.from_stack(stack).to_json())


def test_premium_redis_defaults_to_family_p(stack: ResourceGroupStack) -> None:
    RedisCache(stack, "Cache", name="redis-test", sku="Premium")
    Template.from_stack(stack).has_resource_properties(REDIS, {"sku": {"name": "Premium", "family": "P"}})


def test_redis_host_name_is_a_reference(stack: ResourceGroupStack) -> None:
    cache = RedisCache(stack, "Cache", name="redis-test")
    stack.add_output("host", cache.host_name)
    Template.from_stack(stack).has_output("host", {
        "value": "[reference(resourceId('Microsoft.Cache/redis', 'redis-test'), '2024-11-01').hostName]"})


def test_redis_rejects_family_that_does_not_match_sku(stack: ResourceGroupStack) -> None:
    with pytest.raises(ConfigurationError, match="family 'P' does not go with sku 'Standard'"):
        RedisCache(stack, "Cache", name="redis-test", family="P")


def test_redis_rejects_capacity_out_of_range_for_family(stack: ResourceGroupStack) -> None:
    with pytest.raises(ConfigurationError, match="capacity is 0, which is not allowed"):
        RedisCache(stack, "Cache", name="redis-test", sku="Premium", capacity=0)


def test_redis_rejects_unknown_sku(stack: ResourceGroupStack) -> None:
    with pytest.raises(ConfigurationError, match=r"sku: input should be .*\(given 'Enterprise'"):
        RedisCache(stack, "Cache", name="redis-test", sku="Enterprise")  # type: ignore[arg-type]


def test_redis_rejects_unknown_maxmemory_policy(stack: ResourceGroupStack) -> None:
    with pytest.raises(ConfigurationError, match=r"maxmemory_policy: input should be .*\(given 'lru'"):
        RedisCache(stack, "Cache", name="redis-test", maxmemory_policy="lru")  # type: ignore[arg-type]


def test_redis_refuses_to_lock_out_every_client(stack: ResourceGroupStack) -> None:
    with pytest.raises(ConfigurationError, match="access keys are disabled and Entra ID authentication is off"):
        RedisCache(stack, "Cache", name="redis-test", aad_enabled=False)


def test_redis_allows_access_keys_when_asked(stack: ResourceGroupStack) -> None:
    RedisCache(stack, "Cache", name="redis-test", aad_enabled=False, disable_access_key_authentication=False)
    Template.from_stack(stack).has_resource_properties(REDIS, {
        "disableAccessKeyAuthentication": False, "redisConfiguration": {"aad-enabled": "false"}})


def test_redis_rejects_a_name_with_underscore(stack: ResourceGroupStack) -> None:
    with pytest.raises(NamingError, match="not a valid Microsoft.Cache/redis name"):
        RedisCache(stack, "Cache", name="redis_test")
