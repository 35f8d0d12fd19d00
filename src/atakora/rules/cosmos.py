"""Rules for Microsoft.DocumentDB (Cosmos DB)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from ._model import AssemblyView, ResourceView, Violation
from ._registry import builtin

__all__ = ["databases_and_containers_per_account"]

LIMITS_DOCS = "https://learn.microsoft.com/azure/cosmos-db/concepts-limits#per-account-limits"
MAX_DATABASES_AND_CONTAINERS = 500

_CHILDREN = ("Microsoft.DocumentDB/databaseAccounts/sqlDatabases",
             "Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers")


def account_name(resource: ResourceView) -> str:
    """The account a Cosmos child resource belongs to (first segment of its name)."""
    return resource.name.split("/", 1)[0]


@builtin("AZ-COSMOS-001", "error", title="at most 500 databases plus containers per Cosmos DB account",
         docs=LIMITS_DOCS)
def databases_and_containers_per_account(assembly: AssemblyView) -> Iterator[Violation]:
    """Azure counts databases and containers together against one account's limit of 500."""
    counts: dict[str, list[ResourceView]] = defaultdict(list)
    for child in assembly.resources(*_CHILDREN):
        counts[account_name(child)].append(child)
    for name, children in sorted(counts.items()):
        if len(children) <= MAX_DATABASES_AND_CONTAINERS:
            continue
        account = assembly.find("Microsoft.DocumentDB/databaseAccounts", name)
        databases = sum(1 for c in children if c.name.count("/") == 1)
        yield Violation(
            account or children[0],
            f"Cosmos DB account {name} gets {databases} database(s) and {len(children) - databases} container(s) "
            f"({len(children)} in all); Azure refuses to create more than {MAX_DATABASES_AND_CONTAINERS} databases "
            "and containers in one account, so the deployment fails part-way",
            fix="spread the CrudApis over more accounts (the backend's capacity split does this), or share "
                "containers between entities")
