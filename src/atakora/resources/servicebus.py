"""Microsoft.ServiceBus: namespaces, queues, topics and topic subscriptions."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Literal

from ..core.construct import Construct
from ..core.expressions import Expr
from ..core.resource import Resource
from ..errors import ConfigurationError
from ._common import child_path, require_one_of, require_range

__all__ = ["API_VERSIONS", "ServiceBusNamespace", "ServiceBusQueue", "ServiceBusSubscription", "ServiceBusTopic"]

API_VERSIONS: dict[str, str] = {
    "Microsoft.ServiceBus/namespaces": "2026-01-01",
    "Microsoft.ServiceBus/namespaces/queues": "2026-01-01",
    "Microsoft.ServiceBus/namespaces/topics": "2026-01-01",
    "Microsoft.ServiceBus/namespaces/topics/subscriptions": "2026-01-01",
}

Sku = Literal["Basic", "Standard", "Premium"]
TlsVersion = Literal["1.2", "1.3"]
PublicAccess = Literal["Enabled", "Disabled", "SecuredByPerimeter"]

_SIZES = (1024, 2048, 3072, 4096, 5120)
_PREMIUM_SIZES = (1024, 2048, 3072, 4096, 5120, 10240, 20480, 40960, 81920)
_CAPACITIES = (1, 2, 4, 8, 16)
_DURATION = re.compile(r"^P(?!$)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$")


def _check_duration(value: str | None, *, field: str, path: str) -> None:
    if value is not None and not _DURATION.match(value):
        raise ConfigurationError(f"{field} is {value!r}, which is not an ISO 8601 duration", field=field, path=path,
                                 fix=f"write {field} like 'PT1M' (one minute) or 'P14D' (14 days)")


def _seconds(value: str) -> float:
    m = _DURATION.match(value)
    assert m is not None
    days, _, hours, minutes, seconds, _ = m.groups()
    total = float((seconds or "0S")[:-1])
    total += int((minutes or "0M")[:-1]) * 60 + int((hours or "0H")[:-1]) * 3600 + int((days or "0D")[:-1]) * 86400
    return total


def _check_lock(value: str, *, path: str) -> None:
    _check_duration(value, field="lock_duration", path=path)
    if not 5 <= _seconds(value) <= 300:
        raise ConfigurationError(f"lock_duration is {value}, but must be between PT5S and PT5M", field="lock_duration",
                                 path=path, fix="use a lock_duration from PT5S to PT5M, e.g. 'PT1M'")


class ServiceBusNamespace(Resource):
    """A Service Bus namespace.

    Defaults: sku ``Standard`` (Premium takes ``capacity`` 1, 2, 4, 8 or 16 messaging units),
    minimum TLS 1.2, local (SAS key) authentication disabled, public network access enabled.
    """

    TYPE = "Microsoft.ServiceBus/namespaces"
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
        capacity: int | None = None,
        minimum_tls_version: TlsVersion = "1.2",
        disable_local_auth: bool = True,
        public_network_access: PublicAccess = "Enabled",
        zone_redundant: bool | None = None,
    ) -> None:
        path = child_path(scope, id)
        premium_only = {"capacity": capacity is not None, "zone_redundant": zone_redundant is not None,
                        "public_network_access": public_network_access != "Enabled"}
        for field, used in premium_only.items():
            if used and sku != "Premium":
                raise ConfigurationError(f"{field} needs the Premium sku, but sku is {sku!r}", field=field, path=path,
                                         fix=f"use sku='Premium', or leave {field} at its default")
        if sku == "Premium":
            capacity = 1 if capacity is None else capacity
            require_one_of(capacity, _CAPACITIES, field="capacity", path=path)
        sku_block: dict[str, Any] = {"name": sku, "tier": sku}
        if capacity is not None:
            sku_block["capacity"] = capacity
        self.sku_name = sku
        properties: dict[str, Any] = {
            "minimumTlsVersion": minimum_tls_version,
            "disableLocalAuth": disable_local_auth,
            "publicNetworkAccess": public_network_access,
        }
        if zone_redundant is not None:
            properties["zoneRedundant"] = zone_redundant
        super().__init__(scope, id, name=name, location=location, tags=tags, sku=sku_block, properties=properties)

    @property
    def endpoint(self) -> Expr:
        """The namespace endpoint, ``https://<name>.servicebus.windows.net:443/``."""
        return self.attribute("serviceBusEndpoint")


def _require_namespace(namespace: object, what: str, path: str) -> None:
    if not isinstance(namespace, ServiceBusNamespace):
        raise ConfigurationError(f"a {what} must be created under a ServiceBusNamespace, not {namespace!r}",
                                 field="scope", path=path, fix="pass the namespace as the first argument")


def _check_size(namespace: ServiceBusNamespace, size: int, *, path: str) -> None:
    allowed = _PREMIUM_SIZES if namespace.sku_name == "Premium" else _SIZES
    require_one_of(size, allowed, field="max_size_in_megabytes", path=path)


def _entity_props(*, lock_duration: str, max_delivery_count: int, requires_session: bool,
                  dead_lettering_on_message_expiration: bool, default_message_time_to_live: str | None,
                  path: str) -> dict[str, Any]:
    _check_lock(lock_duration, path=path)
    require_range(max_delivery_count, field="max_delivery_count", path=path, minimum=1, maximum=2000)
    _check_duration(default_message_time_to_live, field="default_message_time_to_live", path=path)
    props: dict[str, Any] = {
        "lockDuration": lock_duration,
        "maxDeliveryCount": max_delivery_count,
        "requiresSession": requires_session,
        "deadLetteringOnMessageExpiration": dead_lettering_on_message_expiration,
    }
    if default_message_time_to_live is not None:
        props["defaultMessageTimeToLive"] = default_message_time_to_live
    return props


class ServiceBusQueue(Resource):
    """A queue in a namespace: ``ServiceBusQueue(namespace, "Orders", name="orders")``.

    Defaults: 1024 MB (1024-5120; Premium up to 81920), lock duration PT1M (PT5S-PT5M), 10 deliveries
    before dead-lettering, no sessions (not on Basic), expired messages dead-lettered, Azure's default
    time to live.
    """

    TYPE = "Microsoft.ServiceBus/namespaces/queues"
    API_VERSION = API_VERSIONS[TYPE]

    def __init__(
        self,
        namespace: ServiceBusNamespace,
        id: str,
        *,
        name: str | Expr,
        max_size_in_megabytes: int = 1024,
        lock_duration: str = "PT1M",
        max_delivery_count: int = 10,
        requires_session: bool = False,
        dead_lettering_on_message_expiration: bool = True,
        default_message_time_to_live: str | None = None,
        requires_duplicate_detection: bool = False,
    ) -> None:
        path = child_path(namespace, id)
        _require_namespace(namespace, "queue", path)
        _check_size(namespace, max_size_in_megabytes, path=path)
        if namespace.sku_name == "Basic" and (requires_session or requires_duplicate_detection):
            field = "requires_session" if requires_session else "requires_duplicate_detection"
            raise ConfigurationError(f"{field} is not available on the Basic sku of {namespace.node.path}",
                                     field=field, path=path, fix="use sku='Standard' (or Premium) on the namespace")
        properties = _entity_props(lock_duration=lock_duration, max_delivery_count=max_delivery_count,
                                   requires_session=requires_session,
                                   dead_lettering_on_message_expiration=dead_lettering_on_message_expiration,
                                   default_message_time_to_live=default_message_time_to_live, path=path)
        properties["maxSizeInMegabytes"] = max_size_in_megabytes
        properties["requiresDuplicateDetection"] = requires_duplicate_detection
        super().__init__(namespace, id, name=name, properties=properties)


class ServiceBusTopic(Resource):
    """A topic in a Standard or Premium namespace (Basic has no topics).

    Defaults: 1024 MB (1024-5120; Premium up to 81920), no duplicate detection, Azure's default time to live.
    """

    TYPE = "Microsoft.ServiceBus/namespaces/topics"
    API_VERSION = API_VERSIONS[TYPE]

    def __init__(
        self,
        namespace: ServiceBusNamespace,
        id: str,
        *,
        name: str | Expr,
        max_size_in_megabytes: int = 1024,
        default_message_time_to_live: str | None = None,
        requires_duplicate_detection: bool = False,
        support_ordering: bool = False,
    ) -> None:
        path = child_path(namespace, id)
        _require_namespace(namespace, "topic", path)
        if namespace.sku_name == "Basic":
            raise ConfigurationError(f"topics are not available on the Basic sku of {namespace.node.path}",
                                     field="sku", path=path,
                                     fix="use sku='Standard' (or Premium) on the namespace, or use a queue")
        _check_size(namespace, max_size_in_megabytes, path=path)
        _check_duration(default_message_time_to_live, field="default_message_time_to_live", path=path)
        properties: dict[str, Any] = {
            "maxSizeInMegabytes": max_size_in_megabytes,
            "requiresDuplicateDetection": requires_duplicate_detection,
            "supportOrdering": support_ordering,
        }
        if default_message_time_to_live is not None:
            properties["defaultMessageTimeToLive"] = default_message_time_to_live
        super().__init__(namespace, id, name=name, properties=properties)


class ServiceBusSubscription(Resource):
    """A subscription of a topic: ``ServiceBusSubscription(topic, "Billing", name="billing")``.

    Defaults: lock duration PT1M, 10 deliveries before dead-lettering, no sessions, expired messages
    dead-lettered.
    """

    TYPE = "Microsoft.ServiceBus/namespaces/topics/subscriptions"
    API_VERSION = API_VERSIONS[TYPE]

    def __init__(
        self,
        topic: ServiceBusTopic,
        id: str,
        *,
        name: str | Expr,
        lock_duration: str = "PT1M",
        max_delivery_count: int = 10,
        requires_session: bool = False,
        dead_lettering_on_message_expiration: bool = True,
        default_message_time_to_live: str | None = None,
    ) -> None:
        path = child_path(topic, id)
        if not isinstance(topic, ServiceBusTopic):
            raise ConfigurationError(f"a subscription must be created under a ServiceBusTopic, not {topic!r}",
                                     field="scope", path=path, fix="pass the topic as the first argument")
        properties = _entity_props(lock_duration=lock_duration, max_delivery_count=max_delivery_count,
                                   requires_session=requires_session,
                                   dead_lettering_on_message_expiration=dead_lettering_on_message_expiration,
                                   default_message_time_to_live=default_message_time_to_live, path=path)
        super().__init__(topic, id, name=name, properties=properties)
