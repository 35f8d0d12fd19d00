"""Rich output of the CLI: synth summary and assembly diffs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from ..core.synthesis import CloudAssembly
from ..core.synthesis.writer import dump_json

__all__ = ["print_diff", "print_synth_summary"]


def print_synth_summary(console: Console, assemblies: list[CloudAssembly]) -> None:
    """One table per assembly: stack, scope, resources, template size."""
    for assembly in assemblies:
        table = Table(title=f"Synthesized to {assembly.outdir}")
        table.add_column("stack")
        table.add_column("scope")
        table.add_column("resources", justify="right")
        table.add_column("template size", justify="right")
        for unit in assembly.units:
            size = len(dump_json(unit.template))
            where = unit.resource_group or unit.scope
            table.add_row(unit.id, where, str(len(unit.template["resources"])), f"{size / 1024:.1f} KiB")
        console.print(table)


def _resource_key(resource: dict[str, Any]) -> str:
    return f"{resource['type']} {resource['name']}"


def print_diff(console: Console, assembly: CloudAssembly, previous: Path) -> None:
    """Resources added, removed and changed per stack, against the assembly in ``previous``."""
    if not (previous / "manifest.json").exists():
        console.print(f"no previous assembly in {previous}: every resource is new")
    changes = 0
    for unit in assembly.units:
        old_file = previous / unit.template_file
        old: dict[str, dict[str, Any]] = {}
        if old_file.exists():
            old = {_resource_key(r): r for r in json.loads(old_file.read_text(encoding="utf-8"))["resources"]}
        new = {_resource_key(r): r for r in unit.template["resources"]}
        lines = [f"[green]+ {k}[/]" for k in new if k not in old]
        lines += [f"[red]- {k}[/]" for k in old if k not in new]
        lines += [f"[yellow]~ {k}[/]" for k in new if k in old and new[k] != old[k]]
        if lines:
            console.print(f"[bold]{unit.id}[/]")
            for line in lines:
                console.print("  " + line, highlight=False)
            changes += len(lines)
    console.print(f"{changes} change(s)" if changes else "no changes")
