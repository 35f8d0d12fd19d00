"""``atakora plan``: the sharing plan of every backend as a rich tree, with resource counts and cost."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.tree import Tree

from ..backend.cost import estimate_monthly_cost
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


def print_plans(console: Console, plans: list[SharingPlan]) -> None:
    """One tree per backend, then a table of shared vs traditional resource counts."""
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
        saved = plan.traditional_resource_count - plan.shared_resource_count
        percent = (100 * saved // plan.traditional_resource_count) if plan.traditional_resource_count else 0
        shared_cost, traditional_cost = estimate_monthly_cost(plan)
        summary.add_row(plan.backend_id, str(len(plan.components)), str(plan.shared_resource_count),
                        str(plan.traditional_resource_count), f"{saved} ({percent}%)", f"{shared_cost:.2f}",
                        f"{traditional_cost:.2f}")
    console.print(summary)
    console.print("[dim]Base cost: list prices in USD before usage (serverless Cosmos DB, Flex Consumption and "
                  "Log Analytics bill per use); see atakora.backend.cost.[/]")
