"""Rules about network reachability."""

from __future__ import annotations

from collections.abc import Iterator

from ._model import AssemblyView, Violation
from ._registry import builtin

__all__ = ["closed_resources_have_a_private_endpoint"]

_CLOSABLE = {"microsoft.keyvault/vaults": "Key Vault", "microsoft.cache/redis": "Azure Cache for Redis"}


@builtin("AZ-NET-001", "error", title="a Key Vault or Redis cache with public access disabled has a private endpoint",
         docs="https://learn.microsoft.com/azure/private-link/private-endpoint-overview")
def closed_resources_have_a_private_endpoint(assembly: AssemblyView) -> Iterator[Violation]:
    """With ``publicNetworkAccess: Disabled`` only private endpoints reach the resource; without one it
    deploys and no one (no app, no operator) can use it."""
    targets: list[str] = []
    for endpoint in assembly.resources("Microsoft.Network/privateEndpoints"):
        for key in ("privateLinkServiceConnections", "manualPrivateLinkServiceConnections"):
            for connection in endpoint.properties.get(key) or ():
                targets.append(str((connection.get("properties") or {}).get("privateLinkServiceId", "")))
    for resource in assembly.resources(*_CLOSABLE):
        if resource.properties.get("publicNetworkAccess") != "Disabled":
            continue
        needle = f"'{resource.name}'"
        if any(resource.type.lower() in t.lower() and needle in t for t in targets):
            continue
        kind = _CLOSABLE[resource.type.lower()]
        yield Violation(resource, f"{kind} {resource.name} has public network access disabled and no private "
                                  "endpoint in the assembly, so nothing can reach it",
                        fix="add a private endpoint (networking='isolated' does), or enable public network "
                            "access with firewall rules")
