"""The list-price table the estimate uses: USD, pay-as-you-go, East US, as dated below.

Every price has one recorded source in ``SOURCES`` (what it says, and how sure it is):
``confirmed`` — a Microsoft page states the figure; ``third-party`` — only a non-Microsoft page
states it; ``unverified`` — no stored document states it (Azure's pricing pages render their
figures at view time, so their stored copies carry none): an unverified list price as of
``PRICE_DATE``. Prices change and differ by region and agreement; the table is a planning aid, not
a quote. Override a price with ``[prices]`` in the usage file (``atakora plan --usage usage.toml``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from typing import TypeGuard

__all__ = ["DEFAULT_PRICES", "PRICE_DATE", "PRICE_REGION", "SOURCES", "PriceSource", "PriceTable", "is_amount"]

PRICE_DATE = "2026-12-01"
"""When the figures below were last checked against the pricing pages."""
PRICE_REGION = "eastus"
HOURS_PER_MONTH = 730
"""Azure bills hourly resources over 730 hours a month."""


def is_amount(value: object) -> TypeGuard[int | float]:
    """A usage figure or price: a finite number >= 0 (not a bool; NaN and infinity would print as $nan)."""
    return (isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
            and value >= 0)


def _plan_hours() -> dict[str, float]:
    # Elastic Premium bills vCPU and memory: $0.173 per vCPU-hour + $0.0123 per GB-hour; EP1 is 1 vCPU and
    # 3.5 GB, EP2 2 and 7, EP3 4 and 14.
    return {"FC1": 0.0, "EP1": 0.216, "EP2": 0.432, "EP3": 0.864, "B1": 0.018, "B2": 0.035, "B3": 0.07,
            "S1": 0.095, "S2": 0.19, "S3": 0.38, "P1v3": 0.169, "P2v3": 0.338, "P3v3": 0.676}


def _storage_gb() -> dict[str, float]:
    return {"Standard_LRS": 0.0184, "Standard_ZRS": 0.023, "Standard_GRS": 0.0368, "Standard_RAGRS": 0.046,
            "Standard_GZRS": 0.0414, "Standard_RAGZRS": 0.0518, "Premium_LRS": 0.15, "Premium_ZRS": 0.1875}


@dataclass(frozen=True)
class PriceTable:
    """USD list prices; each field names its unit."""

    cosmos_manual_per_100rus_hour: float = 0.008
    """Provisioned (manual) throughput, single-region writes: per 100 RU/s per hour."""
    cosmos_autoscale_per_100rus_hour: float = 0.012
    """Autoscale: per 100 RU/s per hour of the highest RU/s the hour scaled to (at least 10% of the maximum)."""
    cosmos_serverless_per_million_ru: float = 0.25
    """Serverless: per million request units consumed."""
    cosmos_storage_per_gb_month: float = 0.25
    """Transactional storage (data + index), per GB per month, every mode."""
    flex_per_gb_second: float = 0.000026
    """Flex Consumption on-demand execution time: per GB-second of instance memory."""
    flex_per_million_executions: float = 0.40
    flex_free_gb_seconds: float = 100_000
    """Monthly free grant of on-demand GB-seconds (per subscription)."""
    flex_free_executions: float = 250_000
    """Monthly free grant of on-demand executions (per subscription)."""
    plan_instance_per_hour: dict[str, float] = field(default_factory=_plan_hours)
    """Elastic Premium (EP*) and dedicated App Service (B*, S*, P*v3) Linux plans: per instance per hour."""
    storage_account_base_month: float = 0.18
    """A Functions host storage account's minimum monthly footprint (transactions, queues, locks; seed 001)."""
    storage_per_gb_month: dict[str, float] = field(default_factory=_storage_gb)
    """Hot block blob capacity per GB per month, by redundancy SKU."""
    log_analytics_per_gb: float = 2.30
    """Analytics logs ingested, pay-as-you-go, per GB (workspace-based Application Insights bills here)."""
    log_analytics_free_gb: float = 5.0
    """Monthly free ingestion per billing account."""
    frontdoor_base_month: dict[str, float] = field(default_factory=lambda: {
        "Standard_AzureFrontDoor": 35.0, "Premium_AzureFrontDoor": 330.0})
    staticsite_app_month: dict[str, float] = field(default_factory=lambda: {"Free": 0.0, "Standard": 9.0})
    servicebus_base_month: dict[str, float] = field(default_factory=lambda: {
        "Basic": 0.0, "Standard": 10.0, "Premium": 677.0})
    """Service Bus: Standard base charge (first 13M operations included), Premium per messaging unit.
    Operations (Basic, and Standard beyond 13M) are not estimated: the usage profile has no figure for them."""

    def with_overrides(self, overrides: dict[str, object], where: str) -> PriceTable:
        """A copy with ``overrides`` (field → number, or field → {sku: number}); unknown names are an error."""
        from dataclasses import replace

        from ...errors import ConfigurationError

        names = {f.name for f in fields(self)}
        changes: dict[str, object] = {}
        for key, value in overrides.items():
            if key not in names:
                raise ConfigurationError(
                    f"{where}: unknown price {key!r}", field=f"prices.{key}", path=where,
                    fix=f"use one of: {', '.join(sorted(names))}")
            current = getattr(self, key)
            if isinstance(current, dict):
                if not isinstance(value, dict) or not all(is_amount(v) for v in value.values()):
                    raise ConfigurationError(f"{where}: prices.{key} must be a table of numbers by SKU, got {value!r}",
                                             field=f"prices.{key}", path=where, fix=f"[prices.{key}] EP1 = 0.2")
                changes[key] = {**current, **{k: float(v) for k, v in value.items()}}
            elif is_amount(value):
                changes[key] = float(value)
            else:
                raise ConfigurationError(f"{where}: prices.{key} must be a finite number >= 0, got {value!r}",
                                         field=f"prices.{key}", path=where, fix=f"{key} = {current}")
        return replace(self, **changes)  # type: ignore[arg-type]


DEFAULT_PRICES = PriceTable()


@dataclass(frozen=True)
class PriceSource:
    """Where one price comes from and what the source says."""

    status: str
    """``confirmed`` (a Microsoft page), ``third-party`` (another page) or ``unverified`` (none stored)."""
    url: str
    says: str


_PRICING = "https://azure.microsoft.com/pricing/details/"
_COSMOS_BILL = "https://learn.microsoft.com/azure/cosmos-db/understand-your-bill"
_FLEX = "https://modal.com/blog/azure-function-pricing-guide"
_NO_FIGURE = "the stored copy of Azure's pricing page shows no figure ($-); no other stored page states it"

SOURCES: dict[str, PriceSource] = {
    "cosmos_manual_per_100rus_hour": PriceSource(
        "confirmed", _COSMOS_BILL, "provisioned throughput (single write region) costs $0.008/hour per 100 RU/s"),
    "cosmos_autoscale_per_100rus_hour": PriceSource(
        "confirmed", "https://learn.microsoft.com/azure/cosmos-db/autoscale-faq",
        "in single-write region accounts the autoscale rate per 100 RU/s is 1.5 times the standard (manual) "
        "rate (1.5 × $0.008); billed for the highest RU/s scaled to in the hour, at least 0.1 × Tmax"),
    "cosmos_serverless_per_million_ru": PriceSource(
        "confirmed", _COSMOS_BILL, "500,000 Request Units cost $0.125 (500,000 × $0.25/million)"),
    "cosmos_storage_per_gb_month": PriceSource(
        "confirmed", _COSMOS_BILL, "storage bill for 250 GB at $0.25/GB = $62.50"),
    "flex_per_gb_second": PriceSource(
        "third-party", _FLEX, "Flex Consumption execution time: $0.000026 per GB-second (page of 2025-05-22)"),
    "flex_per_million_executions": PriceSource(
        "unverified", _PRICING + "functions/", _NO_FIGURE + " (list price $0.40 per million on-demand executions)"),
    "flex_free_gb_seconds": PriceSource(
        "unverified", "https://learn.microsoft.com/azure/azure-functions/functions-consumption-costs",
        "on demand: memory GB-s minus a monthly free grant (size not stated there; list figure 100,000 GB-s)"),
    "flex_free_executions": PriceSource(
        "unverified", "https://learn.microsoft.com/azure/azure-functions/functions-consumption-costs",
        "on demand: executions minus a monthly free grant (size not stated there; list figure 250,000)"),
    "plan_instance_per_hour": PriceSource(
        "third-party", "https://www.nitrix-reloaded.com/2022/05/12/azure-functions-premium-plan-deep-dive",
        "Elastic Premium minimum cost about $150 (EP1), $300 (EP2), $600 (EP3) a month, matching 1/2/4 vCPU at "
        "$0.173 and 3.5/7/14 GB at $0.0123 an hour (those two rates are unverified); the Basic, Standard and "
        "Premium v3 Linux rates are unverified list prices (" + _PRICING + "app-service/linux/)"),
    "storage_account_base_month": PriceSource(
        "unverified", "seed 001 (atakora specification)",
        "a Functions host storage account costs about $0.18 a month (the seed's table); not an Azure price"),
    "storage_per_gb_month": PriceSource(
        "third-party", "https://2kabhishek.github.io/AZ-900/Notes/Azure-Storage-Resources",
        "blob storage ~1.8 cents per GB (hot, LRS: $0.0184); the ZRS, GRS, RA-GRS, GZRS, RA-GZRS and premium "
        "rates are unverified list prices (" + _PRICING + "storage/blobs/)"),
    "log_analytics_per_gb": PriceSource(
        "third-party", "https://monitoringcost.com/azure-monitor-cost",
        "Analytics Logs ingest at ~$2.30/GB"),
    "log_analytics_free_gb": PriceSource(
        "third-party", "https://monitoringcost.com/azure-monitor-cost",
        "first 5 GB/workspace/month free (the estimate grants it once per build, the cautious reading)"),
    "frontdoor_base_month": PriceSource(
        "third-party", "https://blog.cdnsun.com/microsoft-azure-front-door-pricing/",
        "Azure Front Door Standard starts at $35/month and Premium at $330/month, before traffic and requests"),
    "staticsite_app_month": PriceSource(
        "unverified", _PRICING + "app-service/static/", _NO_FIGURE + " (list price: Standard $9 per app a month)"),
    "servicebus_base_month": PriceSource(
        "unverified", _PRICING + "service-bus/",
        "Standard: a base charge with the first 13M operations a month included; Premium: a fixed rate per "
        "messaging unit; the USD figures show as $- (list prices: $10 and $677 a month)"),
}
"""One source per price of ``PriceTable`` (a test checks every field has one)."""
