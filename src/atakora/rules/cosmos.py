"""Rules for Microsoft.DocumentDB (Cosmos DB)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

from ._model import AssemblyView, ResourceView, Violation
from ._registry import builtin
from .cosmos_throughput import DOCS as MINIMUM_DOCS
from .cosmos_throughput import MAX_SHARED_CONTAINERS, Mode, shared_database_minimum

__all__ = ["databases_and_containers_per_account", "role_assignments_in_sequence", "shared_database_throughput",
           "throughput_set_once"]

LIMITS_DOCS = "https://learn.microsoft.com/azure/cosmos-db/concepts-limits#per-account-limits"
MAX_DATABASES_AND_CONTAINERS = 500

_CHILDREN = ("Microsoft.DocumentDB/databaseAccounts/sqlDatabases",
             "Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers")


_FORMAT = re.compile(r"^\[format\('\{0\}/\{1\}', '([^']+)', (.*)\)\]$")


def account_name(resource: ResourceView) -> str:
    """The account a Cosmos child resource belongs to (first segment of its name)."""
    match = _FORMAT.match(resource.name)
    return match.group(1) if match else resource.name.split("/", 1)[0]


def _leaf(resource: ResourceView) -> str:
    """How a ``resourceId(...)`` reference spells the last name segment (``'x'`` or an expression)."""
    match = _FORMAT.match(resource.name)
    return match.group(2) if match else "'" + resource.name.rsplit("/", 1)[-1] + "'"


@builtin("AZ-COSMOS-001", "error", title="at most 500 databases plus containers per Cosmos DB account",
         docs=LIMITS_DOCS)
def databases_and_containers_per_account(assembly: AssemblyView) -> Iterator[Violation]:
    """Azure counts databases and containers together against one account's limit of 500."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # account → [children, databases]
    first: dict[str, ResourceView] = {}
    for child in assembly.resources(*_CHILDREN):
        name = account_name(child)
        found = counts[name]
        found[0] += 1
        found[1] += child.name.count("/") == 1
        first.setdefault(name, child)
    for name, (children, databases) in sorted(counts.items()):
        if children <= MAX_DATABASES_AND_CONTAINERS:
            continue
        account = assembly.find("Microsoft.DocumentDB/databaseAccounts", name)
        yield Violation(
            account or first[name],
            f"Cosmos DB account {name} gets {databases} database(s) and {children - databases} container(s) "
            f"({children} in all); Azure refuses to create more than {MAX_DATABASES_AND_CONTAINERS} databases "
            "and containers in one account, so the deployment fails part-way",
            fix="spread the CrudApis over more accounts (the backend's capacity split does this), or share "
                "containers between entities")


_ASSIGNMENTS = "Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments"
_ASSIGNMENT_REF = re.compile(r"^\[resourceId\('Microsoft\.DocumentDB/databaseAccounts/sqlRoleAssignments', '[^']+', (.*)\)\]$")


@builtin("AZ-COSMOS-002", "error", title="data-plane role assignments on one Cosmos DB account deploy one at a time",
         docs="https://learn.microsoft.com/azure/cosmos-db/how-to-setup-rbac")
def role_assignments_in_sequence(assembly: AssemblyView) -> Iterator[Violation]:
    """Each ``sqlRoleAssignments`` write takes an exclusive lock on its account, so ARM must not run two in
    parallel: within a template (a unit's, or a nested deployment's) the assignments of one account form one
    ``dependsOn`` chain."""
    by_account: dict[tuple[str, str, str], list[ResourceView]] = defaultdict(list)  # (unit, template, account)
    for resource in assembly.resources(_ASSIGNMENTS):
        by_account[(resource.unit.id, resource.within, account_name(resource))].append(resource)
    for (_, _, name), assignments in by_account.items():
        predecessors = _predecessors(assignments)
        roots = [a for a in assignments if not predecessors[a.index]]
        followers: dict[int, int] = defaultdict(int)
        for found in predecessors.values():
            for b in found:
                followers[b.index] += 1
        parallel = roots[1:] + [a for a in assignments if followers[a.index] > 1]
        for a in parallel:
            yield Violation(
                a, f"this role assignment on Cosmos DB account {name} can deploy in parallel with another one; "
                   "Cosmos DB locks the account for each assignment write and fails the others with "
                   "\"There is another user operation in progress\"",
                fix="make each assignment on the account depend on the one before it (atakora's "
                    "CosmosSqlRoleAssignment does this; check hand-made assignments)")


def _predecessors(assignments: list[ResourceView]) -> dict[int, list[ResourceView]]:
    """The assignments each one depends on. A ``resourceId(<assignment type>, '<account>', <leaf>)`` reference
    is looked up by its leaf (linear in the assignments); any other spelling is searched for every leaf."""
    leaves = {a.index: _leaf(a) for a in assignments}
    by_leaf: dict[str, list[ResourceView]] = defaultdict(list)
    for a in assignments:
        by_leaf[leaves[a.index]].append(a)
    predecessors: dict[int, list[ResourceView]] = {}
    for a in assignments:
        found: dict[int, ResourceView] = {}
        for d in a.depends_on:
            if "sqlRoleAssignments'" not in d:
                continue
            match = _ASSIGNMENT_REF.match(d)
            candidates = (by_leaf.get(match.group(1), ()) if match is not None
                          else [b for b in assignments if leaves[b.index] in d])
            found.update((b.index, b) for b in candidates if b is not a)
        predecessors[a.index] = list(found.values())
    return predecessors


_SETTINGS = ("Microsoft.DocumentDB/databaseAccounts/sqlDatabases/throughputSettings",
             "Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers/throughputSettings")


def _sets_throughput(resource: ResourceView) -> bool:
    options = resource.properties.get("options")
    return isinstance(options, dict) and ("throughput" in options or "autoscaleSettings" in options)


@builtin("AZ-COSMOS-003", "error", title="a database's or container's throughput is set one way, not in options and "
         "by a throughputSettings child", docs="https://learn.microsoft.com/azure/cosmos-db/nosql/manage-with-bicep")
def throughput_set_once(assembly: AssemblyView) -> Iterator[Violation]:
    """``options`` sets the throughput at creation and on every redeploy; a ``throughputSettings`` child of the
    same database or container writes it again, so each deployment sets it twice, possibly to two values."""
    for settings in assembly.resources(*_SETTINGS):
        parent_type = settings.type.rsplit("/", 1)[0]
        parent_name = settings.name.rsplit("/", 1)[0]
        parent = assembly.find(parent_type, parent_name)
        if parent is not None and _sets_throughput(parent):
            yield Violation(
                settings, f"{parent_name} sets its throughput in options and again with {settings.name}; every "
                          "deployment writes the throughput twice, and the two values can disagree",
                fix="set the throughput once: keep it in the database's or container's options (atakora's "
                    "throughput settings constructs write options) and drop the throughputSettings resource")


def _stated(block: object) -> tuple[Mode, int] | None:
    """("manual" or "autoscale", RU/s) of an ``options`` or throughputSettings ``resource`` block (RU/s -1: an
    expression), or None when it sets no throughput."""
    if not isinstance(block, dict):
        return None
    manual = block.get("throughput")
    autoscale = (block.get("autoscaleSettings") or {}).get("maxThroughput")
    if isinstance(manual, int) and not isinstance(manual, bool):
        return "manual", manual
    if isinstance(autoscale, int) and not isinstance(autoscale, bool):
        return "autoscale", autoscale
    return ("manual", -1) if manual is not None or autoscale is not None else None


_THROUGHPUT_KEYS = ('"throughput"', '"autoscaleSettings"')
"""What ``options`` must contain to set a throughput (a body without either is not parsed)."""


def _throughput(assembly: AssemblyView, resource: ResourceView) -> tuple[Mode, int] | None:
    """A database's or container's own throughput: its ``options``, else its ``throughputSettings`` child."""
    own = _stated(resource.properties.get("options")) if resource.might_contain(*_THROUGHPUT_KEYS) else None
    if own is None:
        settings = assembly.find(resource.type + "/throughputSettings", resource.name + "/default")
        own = _stated(settings.properties.get("resource")) if settings is not None else None
    return own


@builtin("AZ-COSMOS-004", "error",
         title="a shared-throughput Cosmos DB database has at most 25 sharing containers and Azure's minimum RU/s",
         docs=MINIMUM_DOCS)
def shared_database_throughput(assembly: AssemblyView) -> Iterator[Violation]:
    """Containers without their own throughput share their database's; Azure creates at most 25 such
    containers in a database and requires the database's RU/s (manual) or autoscale maximum to be at least
    max(400, 400 + max(containers - 25, 0) × 100), or max(1000, 1000 + max(containers - 25, 0) × 1000) for
    autoscale. (Storage and the highest RU/s ever provisioned raise the minimum further; the backend
    checks those at synthesis from the usage profile and the previous plan.)"""
    sharing: dict[str, int] = defaultdict(int)
    for container in assembly.resources(_CHILDREN[1]):
        if (container.name.count("/") == 2 and not container.name.startswith("[")
                and _throughput(assembly, container) is None):
            sharing[container.name.rsplit("/", 1)[0]] += 1
    for database in assembly.resources(_CHILDREN[0]):
        own = _throughput(assembly, database)
        if own is None or own[1] < 0 or database.name.startswith("["):
            continue
        mode, rus = own
        count = sharing.get(database.name, 0)
        what = "RU/s" if mode == "manual" else "RU/s autoscale maximum"
        if count > MAX_SHARED_CONTAINERS:
            yield Violation(
                database, f"{count} containers share the throughput of database {database.name}; Azure creates at "
                          f"most {MAX_SHARED_CONTAINERS} sharing containers in a shared-throughput database",
                fix="move containers to another database (the backend opens shared-throughput-2 after 25), or give "
                    "the extra ones their own throughput")
        minimum = shared_database_minimum(mode, count)
        if rus < minimum.rus:
            yield Violation(
                database, f"database {database.name} has {rus} {what} for {count} sharing container(s); Azure "
                          f"requires at least {minimum.rus}: {minimum.arithmetic}",
                fix=f"set the database's throughput to {minimum.rus} or more")
