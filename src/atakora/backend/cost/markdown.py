"""The cost comparison as a Markdown table, for a pull-request comment."""

from __future__ import annotations

from collections.abc import Sequence

from ..plan import SharingPlan
from .estimate import estimate_plan
from .prices import PRICE_DATE, PRICE_REGION
from .usage import UsageProfile

__all__ = ["cost_markdown"]

_LABELS = {"cosmos": "Cosmos DB", "functions": "Functions", "storage": "Storage", "monitoring":
           "Log Analytics + Application Insights", "staticsite": "Static Web Apps", "frontdoor": "Front Door",
           "servicebus": "Service Bus"}


def cost_markdown(plans: Sequence[SharingPlan], usage: UsageProfile | None = None) -> str:
    """One table per backend: monthly USD per resource type, shared vs traditional, and the saving."""
    usage = usage or UsageProfile()
    parts = [f"### Estimated monthly cost (USD list prices of {PRICE_DATE}, {PRICE_REGION}; usage: {usage.source})"]
    for plan in plans:
        estimate = estimate_plan(plan, usage)
        parts.append("")
        parts.append(f"**backend `{plan.backend_id}`** ({plan.environment}, {len(plan.components)} components)")
        parts.append("")
        parts.append("| resource type | shared | traditional | saving |")
        parts.append("|---|---:|---:|---:|")
        for kind, (shared, traditional) in estimate.by_type().items():
            parts.append(f"| {_LABELS.get(kind, kind)} | ${shared:,.2f} | ${traditional:,.2f} | "
                         f"${traditional - shared:,.2f} |")
        shared, traditional = estimate.shared_monthly_usd, estimate.traditional_monthly_usd
        percent = f" ({100 * (traditional - shared) / traditional:.0f}%)" if traditional else ""
        parts.append(f"| **total** | **${shared:,.2f}** | **${traditional:,.2f}** | "
                     f"**${traditional - shared:,.2f}{percent}** |")
        parts.append("")
        parts.append("<details><summary>arithmetic (shared)</summary>")
        parts.append("")
        for line in estimate.shared:
            for step in line.arithmetic:
                parts.append(f"- {line.name}: {step}")
        parts.append("")
        parts.append("</details>")
    return "\n".join(parts) + "\n"
