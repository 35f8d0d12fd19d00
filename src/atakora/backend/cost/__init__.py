"""Cost model: a dated list-price table, a usage profile and a like-for-like monthly estimate.

``estimate_plan(plan, usage)`` prices a backend's sharing plan and the same components built
traditionally (one set of resources each); ``cost_markdown`` renders the comparison for a pull
request; ``load_usage`` reads ``atakora plan --usage usage.toml``.
"""

from __future__ import annotations

from ..plan import SharingPlan
from .estimate import CostLine, PlanEstimate, estimate_plan, resource_lines
from .markdown import cost_markdown
from .prices import DEFAULT_PRICES, PRICE_DATE, PRICE_REGION, PriceTable
from .usage import ApiUsage, UsageProfile, current_usage, load_usage, usage_from_mapping, use_usage

__all__ = ["DEFAULT_PRICES", "PRICE_DATE", "PRICE_REGION", "ApiUsage", "CostLine", "PlanEstimate", "PriceTable",
           "UsageProfile", "cost_markdown", "current_usage", "estimate_monthly_cost", "estimate_plan",
           "load_usage", "resource_lines", "usage_from_mapping", "use_usage"]


def estimate_monthly_cost(plan: SharingPlan, usage: UsageProfile | None = None) -> tuple[float, float]:
    """(shared, traditional) monthly USD of ``plan`` under ``usage`` (None: the stated defaults)."""
    estimate = estimate_plan(plan, usage)
    return estimate.shared_monthly_usd, estimate.traditional_monthly_usd
