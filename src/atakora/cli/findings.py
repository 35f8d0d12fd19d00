"""Rich and JSON output of preflight findings (``atakora validate``, and warnings of synth and plan)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..rules import Finding

__all__ = ["findings_json", "print_findings", "print_warnings"]


def print_findings(console: Console, findings: Sequence[Finding], suppressed: Sequence[Finding] = ()) -> None:
    """Every finding in one table (rule, severity, stack, resource, message and fix, docs)."""
    if not findings and not suppressed:
        return
    table = Table(title="Preflight findings", show_lines=True)
    for column in ("rule", "severity", "stack", "resource", "finding", "docs"):
        table.add_column(column, overflow="fold")
    colour = {"error": "bold red", "warning": "yellow"}
    for f in findings:
        table.add_row(f.rule_id, f"[{colour[f.severity]}]{f.severity}[/]", escape(f.stack), escape(f.resource),
                      escape(f"{f.message}\nFix: {f.fix}"), f.docs)
    for f in suppressed:
        table.add_row(f.rule_id, "[dim]suppressed[/]", escape(f.stack), escape(f.resource),
                      escape(f"{f.message}\nSuppressed: {f.suppressed_reason}"), f.docs)
    console.print(table)


def print_warnings(console: Console, findings: Sequence[Finding]) -> None:
    """One line per warning (synth and plan), printed at once (rich's cost is mostly per print)."""
    lines = [f"[yellow]warning[/] {escape(str(f))}" for f in findings if f.severity == "warning"]
    if lines:
        console.print("\n".join(lines), highlight=False)


def findings_json(findings: Sequence[Finding], suppressed: Sequence[Finding] = ()) -> str:
    """The findings as the JSON document of ``atakora validate --json``."""
    errors = sum(1 for f in findings if f.severity == "error")
    return json.dumps({"valid": errors == 0, "errors": errors, "warnings": len(findings) - errors,
                       "findings": [f.to_json() for f in (*findings, *suppressed)]}, indent=2)
