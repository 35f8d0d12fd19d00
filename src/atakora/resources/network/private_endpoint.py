"""Private endpoints and their private DNS zone groups."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ...core.construct import Construct
from ...core.expressions import Expr
from ...core.resource import Resource
from ...errors import ConfigurationError
from .._common import child_path, require_value, resource_ref
from ._util import id_ref
from ._versions import API_VERSIONS
from .dns import PRIVATE_DNS_ZONE_NAMES, PrivateDnsZone
from .virtual_network import Subnet

__all__ = ["PrivateDnsZoneGroup", "PrivateEndpoint"]


class PrivateEndpoint(Resource):
    """A private endpoint (``Microsoft.Network/privateEndpoints``) for ``target`` in ``subnet``.

    ``group_ids`` are the target's private link sub-resources: ``'Sql'`` for Cosmos DB,
    ``'blob'``/``'queue'``/``'table'`` for Storage, ``'sites'`` for web apps, ``'vault'``,
    ``'namespace'`` (Service Bus), ``'redisCache'``. They are checked against the target's type
    when it is known. Register DNS with :meth:`add_dns_zone_group`.
    """

    TYPE = "Microsoft.Network/privateEndpoints"
    API_VERSION = API_VERSIONS[TYPE]

    def __init__(self, scope: Construct, id: str, *, name: str | Expr, subnet: Subnet | Expr,
                 target: Resource | Expr, group_ids: Sequence[str], location: str | Expr | None = None,
                 tags: Mapping[str, str] | None = None, custom_network_interface_name: str | None = None,
                 connection_name: str | None = None) -> None:
        """``subnet``: a Subnet or a subnet id expression. ``target``: any resource (or its id).
        ``custom_network_interface_name``: the NIC's name (default: Azure generates one).
        ``connection_name``: the private link connection's name (default: the endpoint's ``id``)."""
        path = child_path(scope, id)
        require_value(subnet, field="subnet", path=path, fix="pass subnet=<a Subnet or a subnet id expression>")
        require_value(target, field="target", path=path, fix="pass target=<the resource to reach privately>")
        subnet = resource_ref(subnet, Subnet, field="subnet", path=path)
        target = resource_ref(target, Resource, field="target", path=path)
        if isinstance(group_ids, str):
            raise ConfigurationError("group_ids must be a list", field="group_ids", path=path,
                                     fix=f"pass group_ids=[{group_ids!r}]")
        require_value(list(group_ids), field="group_ids", path=path, fix="pass group_ids=['blob'] (or 'Sql', ...)")
        if isinstance(target, Resource):
            _check_group_ids(target, group_ids, path)
        self.subnet = subnet
        self.target = target
        self.group_ids = list(group_ids)
        self.custom_network_interface_name = custom_network_interface_name
        self.connection_name = connection_name or id
        super().__init__(scope, id, name=name, location=location, tags=tags)

    def add_dns_zone_group(self, zones: Sequence[PrivateDnsZone | Expr], *, id: str = "default",
                           name: str = "default") -> PrivateDnsZoneGroup:
        """Register the endpoint's addresses in ``zones`` (a :class:`PrivateDnsZoneGroup`)."""
        return PrivateDnsZoneGroup(self, id, name=name, zones=zones)

    def render_properties(self) -> Mapping[str, Any]:
        """``subnet``, ``privateLinkServiceConnections`` and the optional NIC name."""
        props: dict[str, Any] = {
            "subnet": id_ref(self.subnet),
            "privateLinkServiceConnections": [{
                "name": self.connection_name,
                "properties": {
                    "privateLinkServiceId": (self.target.resource_id if isinstance(self.target, Resource)
                                             else self.target),
                    "groupIds": list(self.group_ids),
                },
            }],
        }
        if self.custom_network_interface_name:
            props["customNetworkInterfaceName"] = self.custom_network_interface_name
        return props


class PrivateDnsZoneGroup(Resource):
    """The DNS registration of a :class:`PrivateEndpoint` in private DNS zones
    (``.../privateDnsZoneGroups``, conventionally named ``default``)."""

    TYPE = "Microsoft.Network/privateEndpoints/privateDnsZoneGroups"
    API_VERSION = API_VERSIONS[TYPE]

    def __init__(self, scope: PrivateEndpoint, id: str, *, zones: Sequence[PrivateDnsZone | Expr],
                 name: str = "default") -> None:
        """``zones``: PrivateDnsZone constructs or zone id expressions (1-5)."""
        path = child_path(scope, id)
        if not isinstance(scope, PrivateEndpoint):
            raise ConfigurationError("a private DNS zone group must be created under a PrivateEndpoint",
                                     field="scope", path=path, fix="use endpoint.add_dns_zone_group(zones)")
        require_value(list(zones), field="zones", path=path, fix="pass zones=[PrivateDnsZone(...)]")
        if len(zones) > 5:
            raise ConfigurationError(f"zones has {len(zones)} entries; a zone group holds at most 5", field="zones",
                                     path=path, fix="split the zones over fewer endpoints or drop some")
        self.dns_zones = list(zones)
        super().__init__(scope, id, name=name)

    def render_properties(self) -> Mapping[str, Any]:
        """``privateDnsZoneConfigs``: one config per zone, named after it."""
        configs = []
        for i, zone in enumerate(self.dns_zones):
            if isinstance(zone, PrivateDnsZone) and isinstance(zone.resource_name, str):
                config_name = zone.resource_name.replace(".", "-")
            else:
                config_name = f"config{i + 1}"
            zone_id = zone.resource_id if isinstance(zone, PrivateDnsZone) else zone
            configs.append({"name": config_name, "properties": {"privateDnsZoneId": zone_id}})
        return {"privateDnsZoneConfigs": configs}


def _check_group_ids(target: Resource, group_ids: Sequence[str], path: str) -> None:
    known = next((zones for rtype, zones in PRIVATE_DNS_ZONE_NAMES.items()
                  if rtype.lower() == target.resource_type.lower()), None)
    if known is None:
        return
    for group_id in group_ids:
        if group_id not in known and not (target.resource_type.lower() == "microsoft.web/sites"
                                          and group_id.startswith("sites-")):
            raise ConfigurationError(
                f"group_ids entry {group_id!r} is not a private link sub-resource of {target.resource_type}",
                field="group_ids", path=path, fix=f"use one of {', '.join(repr(g) for g in known)}")
