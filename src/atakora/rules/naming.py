"""Rules about names: globally unique names must not collide between projects."""

from __future__ import annotations

from collections.abc import Iterator

from ._model import AssemblyView, Violation
from ._registry import builtin

__all__ = ["GLOBALLY_UNIQUE_TYPES", "project_id_for_unique_names"]

GLOBALLY_UNIQUE_TYPES = frozenset(t.lower() for t in (
    "Microsoft.Storage/storageAccounts", "Microsoft.DocumentDB/databaseAccounts", "Microsoft.Web/sites",
    "Microsoft.KeyVault/vaults", "Microsoft.ServiceBus/namespaces", "Microsoft.Cache/redis"))
"""Types whose names are DNS names shared by every Azure customer."""


@builtin("AZ-NAME-001", "warning", title="globally unique names include a project id (atakora.toml)",
         docs="https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules")
def project_id_for_unique_names(assembly: AssemblyView) -> Iterator[Violation]:
    """Without a project id, the hash in globally unique names comes from resource group, location,
    backend and environment only: anyone deploying the same program gets the same names."""
    if assembly.project_id:
        return
    for unit in assembly.units:
        unique = [r for r in unit.resources if r.type.lower() in GLOBALLY_UNIQUE_TYPES]
        if unique:
            names = ", ".join(sorted({r.name for r in unique})[:3])
            yield Violation(unit, f"the program has no project id, so globally unique names ({names}, ...) are the "
                                  "same for everyone who deploys this program to the same resource group name; Azure "
                                  "then refuses the second deployment (for example StorageAccountAlreadyTaken)",
                            fix="run atakora init in the project folder (it writes atakora.toml with a random id; "
                                "commit it), or pass App(project_id='...')")
