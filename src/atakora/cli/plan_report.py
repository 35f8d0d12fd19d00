"""``atakora plan``: the sharing plan of every backend as a rich tree, with resource counts and cost."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.tree import Tree

from ..backend.cost import PRICE_DATE, PRICE_REGION, PlanEstimate, UsageProfile, estimate_plan
from ..backend.plan import SharingPlan

__all__ = ["print_plans"]

_LABELS = {"cosmos": "Cosmos DB account", "functions": "Function App", "storage": "Storage account",
           "monitoring": "Log Analytics + Application Insights", "staticsite": "Static Web App",
           "frontdoor": "Front Door profile", "servicebus": "Service Bus namespace"}


def _config_lines(config: dict[str, Any]) -> list[str]:
    lines = []
    for key, value in config.items():
        if key == "databases":
            for db in value:
                containers = ", ".join(f"{c['name']} ({c.get('partition_key', '/id')})" for c in db.get("containers", []))
                lines.append(f"database {db['name']}: {containers}")
        elif key == "environment_variables":
            lines.append(f"app settings: {', '.join(sorted(value))}")
        elif isinstance(value, (str, int, float, bool)):
            lines.append(f"{key}: {value}")
        elif isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            lines.append(f"{key}: {', '.join(value)}")
    return lines


def _access_line(access: dict[str, Any]) -> str:
    """Identities and data roles, with the trade-off of the chosen identity mode."""
    line = f"[green]{access['identities']} identities, {access['roles']} data roles[/]"
    if access["mode"] == "shared":
        return line + " [yellow](identity='shared': every component can reach every other component's data)[/]"
    per = ", ".join(f"{c}: {n}" for c, n in access["components"].items())
    return line + (f" [dim](one identity per component; roles: {per})[/]" if per else "")


def _cost_table(estimate: PlanEstimate) -> Table:
    """Monthly USD per resource type, shared vs traditional, with each shared line's arithmetic."""
    table = Table(title=f"Estimated monthly cost of backend {estimate.backend_id} (USD)")
    table.add_column("resource type")
    table.add_column("shared", justify="right")
    table.add_column("traditional", justify="right")
    table.add_column("saving", justify="right")
    table.add_column("arithmetic (shared)")
    for kind, (shared, traditional) in estimate.by_type().items():
        steps = [f"{line.name}: {step}" for line in estimate.shared if line.resource_type == kind
                 for step in line.arithmetic]
        table.add_row(_LABELS.get(kind, kind), f"{shared:,.2f}", f"{traditional:,.2f}",
                      f"{traditional - shared:,.2f}", escape("\n".join(steps)))
    shared, traditional = estimate.shared_monthly_usd, estimate.traditional_monthly_usd
    percent = f" ({100 * (traditional - shared) / traditional:.0f}%)" if traditional else ""
    table.add_row("[bold]total[/]", f"[bold]{shared:,.2f}[/]", f"[bold]{traditional:,.2f}[/]",
                  f"[bold]{traditional - shared:,.2f}{percent}[/]", "")
    return table


def print_plans(console: Console, plans: list[SharingPlan], usage: UsageProfile | None = None) -> None:
    """One tree and one cost table per backend, then a table of shared vs traditional counts and cost."""
    usage = usage or UsageProfile()
    summary = Table(title="Resources: backend pattern vs one set per component")
    summary.add_column("backend")
    summary.add_column("components", justify="right")
    summary.add_column("shared", justify="right")
    summary.add_column("traditional", justify="right")
    summary.add_column("saved", justify="right")
    summary.add_column("$/mo shared", justify="right")
    summary.add_column("$/mo trad.", justify="right")
    for plan in plans:
        data = plan.to_json()
        tree = Tree(f"[bold]backend {plan.backend_id}[/] ({plan.environment}): "
                    f"{len(plan.components)} components → {plan.shared_resource_count} shared resources")
        by_type: dict[str, int] = {}
        for entry in data["resources"]:
            by_type[entry["type"]] = by_type.get(entry["type"], 0) + 1
            label = _LABELS.get(entry["type"], entry["type"])
            node = tree.add(f"[cyan]{label}[/] [bold]{entry['name']}[/]  ({entry['key']})")
            node.add(f"shared by {len(entry['members'])}: {', '.join(entry['members'])}")
            if entry.get("nameAdaptation"):
                node.add(f"[magenta]name:[/] {escape(entry['nameAdaptation'])}")
            for note in entry.get("notes", []):
                node.add(f"[cyan]note:[/] {escape(note)}")
            for line in _config_lines(entry["config"]):
                node.add(f"[dim]{line}[/]")
            merged = [f"{k}={v}" for k, v in entry["strategies"].items() if v != "priority"]
            if merged:
                node.add(f"[dim]merged: {', '.join(merged)}[/]")
            for warning in entry["warnings"]:
                node.add(f"[yellow]warning:[/] {warning}")
        for warning in plan.warnings:
            if not any(warning in e["warnings"] for e in data["resources"]):
                tree.add(f"[yellow]warning:[/] {warning}")
        counts = ", ".join(f"{n} {_LABELS.get(t, t)}{'s' if n > 1 else ''}" for t, n in by_type.items())
        tree.add(f"[green]{counts}[/]")
        if plan.access is not None:
            tree.add(_access_line(plan.access))
        console.print(tree)
        estimate = estimate_plan(plan, usage)
        console.print(_cost_table(estimate))
        saved = plan.traditional_resource_count - plan.shared_resource_count
        percent = (100 * saved // plan.traditional_resource_count) if plan.traditional_resource_count else 0
        shared_cost, traditional_cost = estimate.shared_monthly_usd, estimate.traditional_monthly_usd
        summary.add_row(plan.backend_id, str(len(plan.components)), str(plan.shared_resource_count),
                        str(plan.traditional_resource_count), f"{saved} ({percent}%)", f"{shared_cost:.2f}",
                        f"{traditional_cost:.2f}")
    console.print(summary)
    console.print(f"[dim]Estimate: USD list prices of {PRICE_DATE} ({PRICE_REGION}) and the usage profile "
                  f"({escape(usage.source)}; override with --usage usage.toml); see atakora.backend.cost.[/]")
