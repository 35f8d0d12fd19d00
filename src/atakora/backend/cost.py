"""A rough monthly base-cost estimate of a sharing plan (list prices in USD; usage not included).

Figures: provisioned Cosmos DB throughput $0.008 per 100 RU/s per hour (autoscale: 1.5x, billed
from 10% of the maximum); serverless Cosmos, Flex Consumption and Log Analytics have no base cost
(they bill per use); Elastic Premium EP1 $0.173/hour per instance, dedicated Linux B1 $0.018/hour;
a storage account about $0.18/month for its minimum footprint (seed 001); Front Door Standard about
$35/month (Premium $330); Static Web Apps Free $0, Standard $9/month per app; Service Bus Basic ~$0.05
per million operations (no base), Standard about $10/month, Premium about $677/month per unit.
"""

from __future__ import annotations

from typing import Any

from .plan import SharedResourcePlan, SharingPlan

__all__ = ["estimate_monthly_cost", "resource_monthly_cost"]

HOURS_PER_MONTH = 730
_RU_HOUR = 0.008 / 100
_PLAN_HOUR = {"FC1": 0.0, "EP1": 0.173, "EP2": 0.346, "EP3": 0.692, "B1": 0.018, "B2": 0.035, "B3": 0.07,
              "S1": 0.095, "S2": 0.19, "S3": 0.38, "P1v3": 0.169, "P2v3": 0.338, "P3v3": 0.676}
_STORAGE_MONTH = 0.18
_OTHER_MONTH = {("frontdoor", "Standard_AzureFrontDoor"): 35.0, ("frontdoor", "Premium_AzureFrontDoor"): 330.0, ("staticsite", "Standard"): 9.0,
                ("servicebus", "Standard"): 10.0, ("servicebus", "Premium"): 677.0}


def _cosmos_cost(config: Any) -> float:
    if getattr(config, "enable_serverless", True):
        return 0.0
    total = 0.0
    for db in getattr(config, "databases", ()):
        units = [(db.throughput, db.autoscale_max_throughput)] + [
            (c.throughput, c.autoscale_max_throughput) for c in db.containers]
        for fixed, autoscale in units:
            if fixed:
                total += fixed * _RU_HOUR * HOURS_PER_MONTH
            elif autoscale:
                total += autoscale / 10 * 1.5 * _RU_HOUR * HOURS_PER_MONTH
    return total


def resource_monthly_cost(entry: SharedResourcePlan) -> float:
    """The base monthly cost of one shared resource."""
    if entry.resource_type == "cosmos":
        return _cosmos_cost(entry.config)
    if entry.resource_type == "functions":
        return _PLAN_HOUR.get(getattr(entry.config, "sku", "FC1"), 0.0) * HOURS_PER_MONTH
    if entry.resource_type == "storage":
        return _STORAGE_MONTH
    sku = str(getattr(entry.config, "sku", None) or (entry.config.get("sku") if isinstance(entry.config, dict) else ""))
    return _OTHER_MONTH.get((entry.resource_type, sku), 0.0)


def estimate_monthly_cost(plan: SharingPlan) -> tuple[float, float]:
    """(shared, traditional): base monthly cost of the plan, and of one set of resources per component."""
    shared = sum(resource_monthly_cost(e) for e in plan.resources)
    traditional = 0.0
    for entry in plan.resources:
        for requirement in entry.requirements:
            single = SharedResourcePlan(entry.resource_type, entry.requirement_key, entry.name, entry.provider_id,
                                        [requirement.component_id], requirement.config, requirement.priority)
            traditional += resource_monthly_cost(single)
    return shared, traditional
