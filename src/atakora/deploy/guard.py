"""The data-loss guard of ``atakora deploy``: compare with what was last deployed, refuse what loses data.

It runs before credentials are needed and before any call to Azure. A replace that loses data, and a
rename of a resource holding data (the program then uses a new, empty one), are refused unless
``allow_data_loss``; a plain delete only matters when pruning (an incremental deployment leaves
removed resources in place; ``--prune`` checks those itself). Components marked ``protect``
refuse either way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..diff import AssemblyState, ResourceChange, diff_states
from .errors import DeployError
from .prune import Orphan

__all__ = ["GuardResult", "api_versions", "check_changes", "orphans_of", "restrict"]


@dataclass(frozen=True)
class GuardResult:
    """Every change of the stacks being deployed, the ones that lose data, and the orphans (deleted ones)."""

    changes: tuple[ResourceChange, ...]

    @property
    def data_loss(self) -> list[ResourceChange]:
        """Changes that lose data."""
        return [c for c in self.changes if c.data_loss]

    @property
    def orphans(self) -> list[ResourceChange]:
        """Resources no longer in the program (an incremental deployment leaves them in Azure)."""
        return [c for c in self.changes if c.action == "delete"]


def restrict(state: AssemblyState | None, stack_ids: Sequence[str]) -> AssemblyState | None:
    """``state`` with only the stacks ``stack_ids`` (None stays None)."""
    if state is None:
        return None
    return AssemblyState(tuple(s for s in state.stacks if s.id in stack_ids), state.protected)


def _line(change: ResourceChange) -> str:
    owner = f" (component {change.component})" if change.component else ""
    return f"{change.stack}: {change.action} {change.label}{owner}: {change.reason}"


def _protected(change: ResourceChange, protected: frozenset[str]) -> bool:
    return bool(protected & set(change.component.split(","))) if change.component else False


def check_changes(previous: AssemblyState | None, current: AssemblyState, *, allow_data_loss: bool) -> GuardResult:
    """The changes from ``previous`` to ``current``; raise :class:`DeployError` naming each refused one."""
    result = GuardResult(tuple(diff_states(previous, current)))
    protected = current.protected | (previous.protected if previous else frozenset())
    risky = [c for c in result.data_loss if c.action == "replace" or c.renamed_to]
    refused = [c for c in risky if _protected(c, protected)]
    if refused:
        raise DeployError("refusing to deploy: it would lose data of a protected component\n  "
                          + "\n  ".join(_line(c) for c in refused),
                          fix="change the program back, or remove protect=True from the component first")
    if risky and not allow_data_loss:
        raise DeployError("refusing to deploy: these changes lose data\n  " + "\n  ".join(_line(c) for c in risky),
                          fix="change the program back (see `atakora diff`), or pass --allow-data-loss if the data "
                          "may go")
    return result


def api_versions(*states: AssemblyState | None) -> dict[str, str]:
    """The API version of each resource type (lower case) in the templates of ``states`` (later ones win)."""
    found: dict[str, str] = {}
    for state in states:
        for stack in state.stacks if state else ():
            for resource in stack.resources:
                found[str(resource.get("type", "")).lower()] = str(resource.get("apiVersion", ""))
    return found


def orphans_of(result: GuardResult, previous: AssemblyState | None, current: AssemblyState,
               recorded: Sequence[Orphan]) -> list[Orphan]:
    """Resources left in Azure: the ones deleted from the program now, plus earlier ones still absent from it."""
    present = {(str(r.get("type", "")).lower(), str(r.get("name", ""))) for s in current.stacks for r in s.resources}
    versions = {(str(r.get("type", "")).lower(), str(r.get("name", ""))): str(r.get("apiVersion", ""))
                for s in (previous.stacks if previous else ()) for r in s.resources}
    found: dict[tuple[str, str], Orphan] = {}
    for orphan in recorded:
        found[(orphan.type.lower(), orphan.name)] = orphan
    for change in result.orphans:
        key = (change.type.lower(), change.name)
        found[key] = Orphan(change.stack, change.component, change.type, change.name, versions.get(key, ""),
                            change.data_loss, change.reason)
    return [o for k, o in found.items() if k not in present]
