"""Rich output of the CLI: synth summary and assembly diffs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..core.synthesis import CloudAssembly
from ..diff import ResourceChange, diff_states, load_state, state_of

__all__ = ["print_changes", "print_diff", "print_synth_summary"]


def print_synth_summary(console: Console, assemblies: list[CloudAssembly]) -> None:
    """One table per assembly: stack, scope, resources, template size."""
    for assembly in assemblies:
        table = Table(title=f"Synthesized to {assembly.outdir}")
        table.add_column("stack")
        table.add_column("scope")
        table.add_column("resources", justify="right")
        table.add_column("template size", justify="right")
        for unit in assembly.units:
            size = len(unit.template_data)  # the file's bytes, not parsed again
            where = unit.resource_group or unit.scope
            table.add_row(unit.id, where, str(unit.index.resource_count), f"{size / 1024:.1f} KiB")
        console.print(table)


_MARKS = {"create": ("+", "green"), "update": ("~", "yellow"), "replace": ("±", "magenta"),
          "delete": ("-", "red")}


def _value(value: Any) -> str:
    text = "(none)" if value is None else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 120 else text[:117] + "..."


def print_changes(console: Console, changes: list[ResourceChange], *, empty: str = "no changes") -> None:
    """Changes grouped by stack and component, each with its paths (before → after) and data-loss reason."""
    stack = component = None
    for change in changes:
        if change.stack != stack:
            stack, component = change.stack, None
            console.print(f"[bold]{escape(change.stack)}[/]")
        if change.component != component:
            component = change.component
            console.print(f"  [cyan]{escape(component or '(no component)')}[/]")
        mark, style = _MARKS[change.action]
        loss = " [bold red](data loss)[/]" if change.data_loss else ""
        console.print(f"    [{style}]{mark} {change.action}[/]{loss} {escape(change.label)}", highlight=False,
                      soft_wrap=True)
        for prop in change.properties:
            console.print(f"        {escape(prop.path)}: {escape(_value(prop.before))} → {escape(_value(prop.after))}",
                          highlight=False, soft_wrap=True)
        if change.reason:
            console.print(f"        [dim]{escape(change.reason)}[/]", highlight=False, soft_wrap=True)
    if not changes:
        console.print(empty)
        return
    losing = sum(c.data_loss for c in changes)
    tail = f", [bold red]{losing} with data loss[/]" if losing else ""
    console.print(f"{len(changes)} change(s){tail}")


def print_diff(console: Console, assembly: CloudAssembly, previous: Path, *, as_json: bool = False) -> None:
    """Resources created, updated, replaced and deleted per stack and component, against ``previous``."""
    before = load_state(previous)
    changes = diff_states(before, state_of(assembly))
    if as_json:
        console.print_json(json.dumps({"changes": [c.to_json() for c in changes]}))
        return
    if before is None:
        console.print(f"no previous assembly in {escape(str(previous))}: every resource is new")
    print_changes(console, changes)
