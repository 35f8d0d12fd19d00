"""``atakora plan --markdown``: the sharing plan as a pull-request comment (tables, cost, Mermaid diagram)."""

from __future__ import annotations

from collections.abc import Sequence

from ..backend.cost import UsageProfile, cost_markdown
from ..backend.plan import SharingPlan

__all__ = ["plan_markdown"]


def _cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def plan_markdown(plans: Sequence[SharingPlan], diagram: str, usage: UsageProfile | None = None) -> str:
    """Resources shared and saved per backend, the cost tables, and the diagram in a ``mermaid`` block."""
    lines = ["## atakora plan", "",
             "| backend | components | shared resources | traditional | saved |",
             "| --- | ---: | ---: | ---: | ---: |"]
    for plan in plans:
        saved = plan.traditional_resource_count - plan.shared_resource_count
        lines.append(f"| {_cell(plan.backend_id)} | {len(plan.components)} | {plan.shared_resource_count} | "
                     f"{plan.traditional_resource_count} | {saved} |")
    for plan in plans:
        lines += ["", f"### backend {_cell(plan.backend_id)} ({_cell(plan.environment)})", "",
                  "| shared resource | type | used by |", "| --- | --- | --- |"]
        for entry in plan.resources:
            lines.append(f"| `{_cell(entry.name)}` | {_cell(entry.resource_type)} | "
                         f"{_cell(', '.join(entry.members))} |")
        for warning in plan.warnings:
            lines.append(f"\n> warning: {_cell(warning)}")
    lines += ["", cost_markdown(plans, usage).rstrip("\n"),
              "", "### architecture", "", "```mermaid", diagram.rstrip("\n"), "```", ""]
    return "\n".join(lines)
