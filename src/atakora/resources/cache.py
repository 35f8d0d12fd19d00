"""Microsoft.Cache: Azure Cache for Redis."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from ..core.construct import Construct
from ..core.expressions import Expr
from ..core.resource import Resource
from ..errors import ConfigurationError
from ._common import child_path, require_one_of

__all__ = ["API_VERSIONS", "RedisCache"]

API_VERSIONS: dict[str, str] = {
    "Microsoft.Cache/redis": "2024-11-01",
}

Sku = Literal["Basic", "Standard", "Premium"]
Family = Literal["C", "P"]
PublicAccess = Literal["Enabled", "Disabled"]
MaxMemoryPolicy = Literal["volatile-lru", "allkeys-lru", "volatile-random", "allkeys-random", "volatile-ttl",
                          "noeviction", "volatile-lfu", "allkeys-lfu"]

_CAPACITY = {"C": (0, 1, 2, 3, 4, 5, 6), "P": (1, 2, 3, 4, 5)}
_POLICIES = ("volatile-lru", "allkeys-lru", "volatile-random", "allkeys-random", "volatile-ttl", "noeviction",
             "volatile-lfu", "allkeys-lfu")


class RedisCache(Resource):
    """An Azure Cache for Redis.

    Defaults: sku ``Standard`` family ``C`` capacity 1 (C0-C6; Premium P1-P5), TLS only (no non-SSL
    port) with TLS 1.2 minimum, Entra ID authentication on and access keys off, public network
    access ``Disabled`` (reach it through a private endpoint, or pass ``'Enabled'``).
    """

    TYPE = "Microsoft.Cache/redis"
    API_VERSION = API_VERSIONS[TYPE]

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        name: str | Expr,
        location: str | Expr | None = None,
        tags: Mapping[str, str] | None = None,
        sku: Sku = "Standard",
        family: Family | None = None,
        capacity: int = 1,
        public_network_access: PublicAccess = "Disabled",
        aad_enabled: bool = True,
        disable_access_key_authentication: bool = True,
        maxmemory_policy: MaxMemoryPolicy | None = None,
    ) -> None:
        path = child_path(scope, id)
        expected: Family = "P" if sku == "Premium" else "C"
        family = expected if family is None else family
        if family != expected:
            raise ConfigurationError(f"family {family!r} does not go with sku {sku!r}", field="family", path=path,
                                     fix=f"use family={expected!r} with sku={sku!r} (or leave family out)")
        require_one_of(capacity, _CAPACITY[family], field="capacity", path=path)
        if disable_access_key_authentication and not aad_enabled:
            raise ConfigurationError("access keys are disabled and Entra ID authentication is off, so no client "
                                     "could sign in", field="aad_enabled", path=path,
                                     fix="keep aad_enabled=True, or pass disable_access_key_authentication=False")
        configuration: dict[str, Any] = {"aad-enabled": "true" if aad_enabled else "false"}
        if maxmemory_policy is not None:
            configuration["maxmemory-policy"] = maxmemory_policy
        properties: dict[str, Any] = {
            "sku": {"name": sku, "family": family, "capacity": capacity},
            "enableNonSslPort": False,
            "minimumTlsVersion": "1.2",
            "publicNetworkAccess": public_network_access,
            "disableAccessKeyAuthentication": disable_access_key_authentication,
            "redisConfiguration": configuration,
        }
        super().__init__(scope, id, name=name, location=location, tags=tags, properties=properties)

    @property
    def host_name(self) -> Expr:
        """The cache's host name, ``<name>.redis.cache.windows.net``."""
        return self.attribute("hostName")

    @property
    def ssl_port(self) -> Expr:
        """The TLS port (6380)."""
        return self.attribute("sslPort")
