"""Network security groups and their rules (rules are child resources)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from ...core.construct import Construct
from ...core.expressions import Expr
from ...core.resource import Resource
from ...errors import ConfigurationError
from .._common import child_path, require_range, require_value
from ._util import as_list
from ._versions import API_VERSIONS

__all__ = ["NetworkSecurityGroup", "RuleAccess", "RuleDirection", "RuleProtocol", "SecurityRule"]

RuleDirection = Literal["Inbound", "Outbound"]
RuleAccess = Literal["Allow", "Deny"]
RuleProtocol = Literal["Tcp", "Udp", "Icmp", "Esp", "Ah", "*"]
_PORT = re.compile(r"^(\*|\d{1,5}(-\d{1,5})?)$")


class NetworkSecurityGroup(Resource):
    """A network security group (``Microsoft.Network/networkSecurityGroups``).

    Rules are child resources: :meth:`add_rule` or ``SecurityRule(nsg, ...)``. Azure's default
    rules (allow VNet and load balancer traffic, deny the rest inbound) apply underneath.
    """

    TYPE = "Microsoft.Network/networkSecurityGroups"
    API_VERSION = API_VERSIONS[TYPE]

    def __init__(self, scope: Construct, id: str, *, name: str | Expr, location: str | Expr | None = None,
                 tags: Mapping[str, str] | None = None) -> None:
        """An empty NSG; add rules with :meth:`add_rule`."""
        self.rules: list[SecurityRule] = []
        super().__init__(scope, id, name=name, location=location, tags=tags, properties={})

    def add_rule(self, id: str, *, name: str, priority: int, direction: RuleDirection, access: RuleAccess,
                 protocol: RuleProtocol, source_address_prefix: str | Sequence[str] = "*",
                 source_port_range: str | Sequence[str] = "*", destination_address_prefix: str | Sequence[str] = "*",
                 destination_port_range: str | Sequence[str] = "*", description: str | None = None) -> SecurityRule:
        """Create a :class:`SecurityRule` in this group (same options and defaults)."""
        return SecurityRule(self, id, name=name, priority=priority, direction=direction, access=access,
                            protocol=protocol, source_address_prefix=source_address_prefix,
                            source_port_range=source_port_range, destination_address_prefix=destination_address_prefix,
                            destination_port_range=destination_port_range, description=description)


class SecurityRule(Resource):
    """One rule of a :class:`NetworkSecurityGroup` (``.../networkSecurityGroups/securityRules``).

    Prefixes and port ranges take one value or a list (rendered as the singular or plural ARM
    property). Prefixes are CIDR blocks, IP addresses, service tags (``VirtualNetwork``,
    ``Internet``, ``AzureLoadBalancer``...) or ``*``; ports are ``*``, ``443`` or ``8000-8080``.
    Defaults: every address and port (``*``). Priorities (100-4096) are unique per direction.
    """

    TYPE = "Microsoft.Network/networkSecurityGroups/securityRules"
    API_VERSION = API_VERSIONS[TYPE]

    def __init__(self, scope: NetworkSecurityGroup, id: str, *, name: str, priority: int, direction: RuleDirection,
                 access: RuleAccess, protocol: RuleProtocol, source_address_prefix: str | Sequence[str] = "*",
                 source_port_range: str | Sequence[str] = "*", destination_address_prefix: str | Sequence[str] = "*",
                 destination_port_range: str | Sequence[str] = "*", description: str | None = None) -> None:
        """See the class docstring; ``priority``, ``direction``, ``access`` and ``protocol`` are required."""
        path = child_path(scope, id)
        if not isinstance(scope, NetworkSecurityGroup):
            raise ConfigurationError("a security rule must be created under a NetworkSecurityGroup", field="scope",
                                     path=path, fix="pass the NetworkSecurityGroup as scope, or use nsg.add_rule(...)")
        require_value(priority, field="priority", path=path, fix="pass priority=100 (100-4096, lower wins)")
        require_range(priority, field="priority", path=path, minimum=100, maximum=4096)
        for other in scope.rules:
            if other.direction == direction and other.priority == priority:
                raise ConfigurationError(
                    f"priority {priority} is already used by {direction} rule {other.node.id!r}", field="priority",
                    path=path, fix="give each rule of one direction its own priority")
        if description is not None and len(description) > 140:
            raise ConfigurationError("description is longer than 140 characters", field="description", path=path,
                                     fix="shorten the description")
        self.priority: int = priority
        self.direction: RuleDirection = direction
        self.access = access
        self.protocol = protocol
        self.description = description
        self.source_address = _values(source_address_prefix, "source_address_prefix", path, ports=False)
        self.source_ports = _values(source_port_range, "source_port_range", path, ports=True)
        self.destination_address = _values(destination_address_prefix, "destination_address_prefix", path,
                                           ports=False)
        self.destination_ports = _values(destination_port_range, "destination_port_range", path, ports=True)
        super().__init__(scope, id, name=name)
        scope.rules.append(self)

    def render_properties(self) -> Mapping[str, Any]:
        """The rule's ``properties`` (singular or plural prefix and port members)."""
        props: dict[str, Any] = {
            "priority": self.priority,
            "direction": self.direction,
            "access": self.access,
            "protocol": self.protocol,
        }
        if self.description:
            props["description"] = self.description
        _put(props, "sourceAddressPrefix", self.source_address)
        _put(props, "sourcePortRange", self.source_ports)
        _put(props, "destinationAddressPrefix", self.destination_address)
        _put(props, "destinationPortRange", self.destination_ports)
        return props


def _values(value: str | Sequence[str], field: str, path: str, *, ports: bool) -> list[str | Expr]:
    values = as_list(value)
    require_value(values, field=field, path=path, fix=f"pass {field}='*' for any")
    for v in values:
        if isinstance(v, Expr):
            continue
        if not isinstance(v, str) or not v or (ports and not _port_ok(v)):
            what = "'*', a port such as '443' or a range such as '8000-8080'" if ports else \
                "'*', a CIDR block, an IP address or a service tag such as 'VirtualNetwork'"
            raise ConfigurationError(f"{field} entry {v!r} is not valid", field=field, path=path, fix=f"use {what}")
    if len(values) > 1 and "*" in values:
        raise ConfigurationError(f"{field} mixes '*' with other values", field=field, path=path,
                                 fix="use '*' alone, or list the specific values")
    return values


def _port_ok(text: str) -> bool:
    if not _PORT.match(text):
        return False
    if text == "*":
        return True
    bounds = [int(p) for p in text.split("-")]
    return all(0 <= b <= 65535 for b in bounds) and bounds == sorted(bounds)


def _put(props: dict[str, Any], singular: str, values: list[str | Expr]) -> None:
    if len(values) == 1:
        props[singular] = values[0]
    else:
        plural = singular.replace("Prefix", "Prefixes").replace("Range", "Ranges")
        props[plural] = list(values)
