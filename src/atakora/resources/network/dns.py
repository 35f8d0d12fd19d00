"""DNS: private DNS zones with virtual network links, public DNS zones with CNAME and TXT records."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

from ...core.construct import Construct
from ...core.expressions import Expr
from ...core.resource import Resource
from ...errors import ConfigurationError
from .._common import child_path, require_range, require_value, resource_ref
from ._util import check_fqdn, id_ref
from ._versions import API_VERSIONS

__all__ = [
    "PRIVATE_DNS_ZONE_NAMES",
    "DnsCnameRecord",
    "DnsTxtRecord",
    "DnsZone",
    "PrivateDnsZone",
    "VirtualNetworkLink",
    "private_dns_zone_name",
]

PRIVATE_DNS_ZONE_NAMES: dict[str, dict[str, str]] = {
    "Microsoft.DocumentDB/databaseAccounts": {
        "Sql": "privatelink.documents.azure.com",
        "MongoDB": "privatelink.mongo.cosmos.azure.com",
        "Cassandra": "privatelink.cassandra.cosmos.azure.com",
        "Gremlin": "privatelink.gremlin.cosmos.azure.com",
        "Table": "privatelink.table.cosmos.azure.com",
    },
    "Microsoft.Storage/storageAccounts": {
        "blob": "privatelink.blob.core.windows.net",
        "blob_secondary": "privatelink.blob.core.windows.net",
        "queue": "privatelink.queue.core.windows.net",
        "table": "privatelink.table.core.windows.net",
        "file": "privatelink.file.core.windows.net",
        "web": "privatelink.web.core.windows.net",
        "dfs": "privatelink.dfs.core.windows.net",
    },
    "Microsoft.Web/sites": {"sites": "privatelink.azurewebsites.net"},
    "Microsoft.KeyVault/vaults": {"vault": "privatelink.vaultcore.azure.net"},
    "Microsoft.ServiceBus/namespaces": {"namespace": "privatelink.servicebus.windows.net"},
    "Microsoft.Cache/redis": {"redisCache": "privatelink.redis.cache.windows.net"},
    "Microsoft.ApiManagement/service": {"Gateway": "privatelink.azure-api.net"},
    "Microsoft.Insights/privateLinkScopes": {"azuremonitor": "privatelink.monitor.azure.com"},
}
"""Private DNS zone names (Azure public cloud) by target resource type and private link group id."""


def private_dns_zone_name(group_id: str, *, resource_type: str | None = None) -> str:
    """The private DNS zone for a private endpoint ``group_id`` (e.g. ``'Sql'`` →
    ``privatelink.documents.azure.com``). Group ids are case-sensitive: ``'table'`` is Storage,
    ``'Table'`` is Cosmos DB's Table API. ``resource_type`` narrows the search."""
    for rtype, zones in PRIVATE_DNS_ZONE_NAMES.items():
        if resource_type is not None and rtype.lower() != resource_type.lower():
            continue
        if group_id in zones:
            return zones[group_id]
    known = sorted({g for zones in PRIVATE_DNS_ZONE_NAMES.values() for g in zones})
    raise ConfigurationError(f"no private DNS zone is known for group id {group_id!r}", field="group_id",
                             fix=f"use one of {', '.join(known)}, or name the PrivateDnsZone yourself")


class PrivateDnsZone(Resource):
    """A private DNS zone (``Microsoft.Network/privateDnsZones``, location ``global``), such as
    ``privatelink.documents.azure.com``; link it to networks with :meth:`link`."""

    TYPE = "Microsoft.Network/privateDnsZones"
    API_VERSION = API_VERSIONS[TYPE]
    LOCATION = "global"

    def __init__(self, scope: Construct, id: str, *, name: str, tags: Mapping[str, str] | None = None) -> None:
        """``name``: the zone's domain name, e.g. ``private_dns_zone_name('blob')``."""
        check_fqdn(name, field="name", path=child_path(scope, id))
        super().__init__(scope, id, name=name, tags=tags, properties={})

    def link(self, id: str, *, virtual_network: Resource | Expr, name: str | None = None,
             registration_enabled: bool = False) -> VirtualNetworkLink:
        """Link a virtual network so it resolves this zone (name defaults to ``id``)."""
        return VirtualNetworkLink(self, id, name=name or id, virtual_network=virtual_network,
                                  registration_enabled=registration_enabled)


class VirtualNetworkLink(Resource):
    """A link from a :class:`PrivateDnsZone` to a virtual network (``.../virtualNetworkLinks``).

    Default: ``registration_enabled=False`` (no automatic VM record registration),
    resolution policy left at Azure's default.
    """

    TYPE = "Microsoft.Network/privateDnsZones/virtualNetworkLinks"
    API_VERSION = API_VERSIONS[TYPE]
    LOCATION = "global"
    TAGGABLE = True

    def __init__(self, scope: PrivateDnsZone, id: str, *, name: str | Expr, virtual_network: Resource | Expr,
                 registration_enabled: bool = False,
                 resolution_policy: Literal["Default", "NxDomainRedirect"] | None = None,
                 tags: Mapping[str, str] | None = None) -> None:
        """``virtual_network``: a VirtualNetwork (or its id expression) to link."""
        path = child_path(scope, id)
        virtual_network = resource_ref(virtual_network, Resource, field="virtual_network", path=path)
        if not isinstance(scope, PrivateDnsZone):
            raise ConfigurationError("a virtual network link must be created under a PrivateDnsZone", field="scope",
                                     path=path, fix="pass the PrivateDnsZone as scope, or use zone.link(...)")
        require_value(virtual_network, field="virtual_network", path=path, fix="pass virtual_network=vnet")
        self.virtual_network = virtual_network
        self.registration_enabled = registration_enabled
        self.resolution_policy = resolution_policy
        super().__init__(scope, id, name=name, tags=tags)

    def render_properties(self) -> Mapping[str, Any]:
        """``virtualNetwork``, ``registrationEnabled`` and (when set) ``resolutionPolicy``."""
        props: dict[str, Any] = {"virtualNetwork": id_ref(self.virtual_network),
                                 "registrationEnabled": self.registration_enabled}
        if self.resolution_policy is not None:
            props["resolutionPolicy"] = self.resolution_policy
        return props


class DnsZone(Resource):
    """A public DNS zone (``Microsoft.Network/dnsZones``, location ``global``), e.g. ``example.com``.

    ``name_servers`` is the zone's name server list to delegate to from the registrar.
    """

    TYPE = "Microsoft.Network/dnsZones"
    API_VERSION = API_VERSIONS[TYPE]
    LOCATION = "global"

    def __init__(self, scope: Construct, id: str, *, name: str, tags: Mapping[str, str] | None = None) -> None:
        """``name``: the domain, e.g. ``'example.com'``."""
        check_fqdn(name, field="name", path=child_path(scope, id))
        super().__init__(scope, id, name=name, tags=tags, properties={"zoneType": "Public"})

    @property
    def name_servers(self) -> Expr:
        """The zone's name servers (an array expression)."""
        return self.attribute("nameServers")

    def add_cname(self, id: str, *, name: str, target: str | Expr, ttl: int = 3600) -> DnsCnameRecord:
        """Create a :class:`DnsCnameRecord` in this zone."""
        return DnsCnameRecord(self, id, name=name, target=target, ttl=ttl)

    def add_txt(self, id: str, *, name: str, values: Sequence[str | Expr], ttl: int = 3600) -> DnsTxtRecord:
        """Create a :class:`DnsTxtRecord` in this zone."""
        return DnsTxtRecord(self, id, name=name, values=values, ttl=ttl)


class DnsCnameRecord(Resource):
    """A CNAME record set (``Microsoft.Network/dnsZones/CNAME``); ``name`` is relative to the zone
    (``'app'`` for ``app.example.com``). ``target`` may be an expression such as a Front Door
    endpoint's ``host_name``. Default TTL: 3600 seconds."""

    TYPE = "Microsoft.Network/dnsZones/CNAME"
    API_VERSION = API_VERSIONS[TYPE]

    def __init__(self, scope: DnsZone, id: str, *, name: str, target: str | Expr, ttl: int = 3600) -> None:
        """See the class docstring; a CNAME cannot be at the zone apex (``'@'``)."""
        path = child_path(scope, id)
        _check_record(scope, name, ttl, path)
        if name == "@":
            raise ConfigurationError("a CNAME record cannot be at the zone apex ('@')", field="name", path=path,
                                     fix="use a sub-domain name such as 'www', or an alias A record for the apex")
        require_value(target, field="target", path=path, fix="pass target='host.example.net' or an expression")
        check_fqdn(target.rstrip(".") if isinstance(target, str) else target, field="target", path=path)
        self.target = target
        self.ttl = ttl
        super().__init__(scope, id, name=name)

    def render_properties(self) -> Mapping[str, Any]:
        """``TTL`` and ``CNAMERecord.cname``."""
        return {"TTL": self.ttl, "CNAMERecord": {"cname": self.target}}


class DnsTxtRecord(Resource):
    """A TXT record set (``Microsoft.Network/dnsZones/TXT``), e.g. ``_dnsauth.app`` with a Front
    Door custom domain's ``validation_token``. Default TTL: 3600 seconds."""

    TYPE = "Microsoft.Network/dnsZones/TXT"
    API_VERSION = API_VERSIONS[TYPE]

    def __init__(self, scope: DnsZone, id: str, *, name: str, values: Sequence[str | Expr], ttl: int = 3600) -> None:
        """``values``: the record's strings (one TXT record each)."""
        path = child_path(scope, id)
        _check_record(scope, name, ttl, path)
        if isinstance(values, str):
            raise ConfigurationError("values must be a list of strings", field="values", path=path,
                                     fix=f"pass values=[{values!r}]")
        require_value(list(values), field="values", path=path, fix="pass values=['text']")
        self.values = list(values)
        self.ttl = ttl
        super().__init__(scope, id, name=name)

    def render_properties(self) -> Mapping[str, Any]:
        """``TTL`` and ``TXTRecords``."""
        return {"TTL": self.ttl, "TXTRecords": [{"value": [v]} for v in self.values]}


def _check_record(zone: Construct, name: str, ttl: int, path: str) -> None:
    if not isinstance(zone, DnsZone):
        raise ConfigurationError("a DNS record must be created under a DnsZone", field="scope", path=path,
                                 fix="pass the DnsZone as scope, or use zone.add_cname(...)/zone.add_txt(...)")
    require_range(ttl, field="ttl", path=path, minimum=1, maximum=2147483647)
    if isinstance(name, str) and "." in name and name.endswith(str(zone.resource_name)):
        raise ConfigurationError(f"record name {name!r} includes the zone name", field="name", path=path,
                                 fix="give the name relative to the zone, e.g. 'app' for app.example.com")
