"""Rules about network reachability."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ._model import AssemblyView, ResourceView, Violation
from ._registry import builtin

__all__ = ["closed_resources_have_a_private_endpoint", "package_storage_is_reachable", "private_endpoint_targets"]

_CLOSABLE = {"microsoft.keyvault/vaults": "Key Vault", "microsoft.cache/redis": "Azure Cache for Redis"}


def private_endpoint_targets(assembly: AssemblyView) -> list[str]:
    """The ``privateLinkServiceId`` of every private endpoint connection in the assembly (as rendered)."""
    targets: list[str] = []
    for endpoint in assembly.resources("Microsoft.Network/privateEndpoints"):
        for key in ("privateLinkServiceConnections", "manualPrivateLinkServiceConnections"):
            for connection in endpoint.properties.get(key) or ():
                targets.append(str((connection.get("properties") or {}).get("privateLinkServiceId", "")))
    return targets


def _closed(resource: ResourceView) -> str | None:
    """Why nothing public reaches the resource, or None when something can.

    ``publicNetworkAccess: Disabled`` overrides the firewall rules (only private endpoints and, for
    Key Vault, trusted services get in); a firewall that denies by default with no IP and no virtual
    network rule lets nobody in either.
    """
    props = resource.properties
    if props.get("publicNetworkAccess") == "Disabled":
        return "has public network access disabled"
    if props.get("subnetId"):
        return None  # a VNet-injected Redis cache is reached from its virtual network
    acls: Mapping[str, Any] = props.get("networkAcls") or {}
    if acls.get("defaultAction") == "Deny" and not acls.get("ipRules") and not acls.get("virtualNetworkRules"):
        return "has a firewall that denies by default with no IP or virtual network rule"
    return None


@builtin("AZ-NET-001", "error", title="a Key Vault or Redis cache closed to public networks has a private endpoint",
         docs="https://learn.microsoft.com/azure/key-vault/general/overview-vnet-service-endpoints")
def closed_resources_have_a_private_endpoint(assembly: AssemblyView) -> Iterator[Violation]:
    """With ``publicNetworkAccess: Disabled`` only private endpoints reach the resource (the firewall's
    rules are not honoured); a firewall that denies everything with no allowed address or subnet is as
    closed. Without a private endpoint it deploys and no one (no app, no operator) can use it."""
    targets = private_endpoint_targets(assembly)
    for resource in assembly.resources(*_CLOSABLE):
        why = _closed(resource)
        if why is None:
            continue
        needle = f"'{resource.name}'"
        if any(resource.type.lower() in t.lower() and needle in t for t in targets):
            continue
        kind = _CLOSABLE[resource.type.lower()]
        yield Violation(resource, f"{kind} {resource.name} {why} and no private endpoint in the assembly, so "
                                  "nothing can reach it",
                        fix="add a private endpoint (networking='isolated' does), or enable public network "
                            "access with IP or virtual network firewall rules")


def _storage_closed(account: ResourceView) -> bool:
    """Whether a storage account refuses traffic from public networks."""
    acls = account.properties.get("networkAcls") or {}
    return account.properties.get("publicNetworkAccess") == "Disabled" or (
        isinstance(acls, dict) and acls.get("defaultAction") == "Deny")


def _package_location(site: ResourceView) -> str | None:
    """Where a site reads its code: the Flex deployment container, or a ``WEBSITE_RUN_FROM_PACKAGE`` URL."""
    from .web import package_url

    deployment = ((site.properties.get("functionAppConfig") or {}).get("deployment") or {}).get("storage") or {}
    value = deployment.get("value") if isinstance(deployment, dict) else None
    return str(value) if value else package_url(site)


def _named_in(location: str) -> set[str]:
    """Every ``x`` for which ``'x'`` or ``//x.`` occurs in ``location`` (``x`` without quotes or dots)."""
    found = set(location.split("'")[1:-1])
    start = location.find("//")
    while start >= 0:
        end = location.find(".", start + 2)
        if end < 0:
            break
        found.add(location[start + 2:end])
        start = location.find("//", start + 1)
    return found


@builtin("AZ-NET-002", "error", title="a Function App can reach the storage account it reads its package from",
         docs="https://learn.microsoft.com/azure/azure-functions/functions-networking-options#restrict-your-storage-account-to-a-virtual-network")
def package_storage_is_reachable(assembly: AssemblyView) -> Iterator[Violation]:
    """An app that runs from a blob of an account that refuses public networks reads it through the virtual
    network: without VNet integration the package is out of reach and no function starts."""
    accounts = list(assembly.resources("Microsoft.Storage/storageAccounts"))
    by_name: dict[str, list[int]] = {}
    odd: list[int] = []  # names with quotes, dots or slashes: tested one by one
    for position, account in enumerate(accounts):
        (odd if any(c in account.name for c in "'./") else by_name.setdefault(account.name, [])).append(position)
    for site in assembly.resources("Microsoft.Web/sites"):
        location = _package_location(site)
        if location is None or site.properties.get("virtualNetworkSubnetId"):
            continue
        named = [p for name in _named_in(location) for p in by_name.get(name, ())]
        named += [p for p in odd if f"'{accounts[p].name}'" in location or f"//{accounts[p].name}." in location]
        for account in (accounts[p] for p in sorted(named)):
            if _storage_closed(account):
                yield Violation(site, f"Function App {site.name} runs from a package in storage account "
                                      f"{account.name}, which refuses public networks, and has no VNet integration: "
                                      "it cannot read its code",
                                fix="integrate the app with the virtual network that reaches the account "
                                    "(networking='isolated' does), or allow its network on the account")
