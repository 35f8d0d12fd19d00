"""The list-price table the estimate uses: USD, pay-as-you-go, East US, as dated below.

Sources: the Azure pricing pages (azure.microsoft.com/pricing/details/<service>/) and the billing
model in Microsoft Learn ("Pricing model in Azure Cosmos DB", "Estimating consumption-based costs
in Azure Functions", "Azure Monitor Logs cost calculations"). Prices change and differ by region
and agreement; the table is a planning aid, not a quote. Override a price with ``[prices]`` in the
usage file (``atakora plan --usage usage.toml``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

__all__ = ["DEFAULT_PRICES", "PRICE_DATE", "PRICE_REGION", "PriceTable"]

PRICE_DATE = "2026-12-01"
"""When the figures below were last checked against the pricing pages."""
PRICE_REGION = "eastus"
HOURS_PER_MONTH = 730
"""Azure bills hourly resources over 730 hours a month."""


def _plan_hours() -> dict[str, float]:
    return {"FC1": 0.0, "EP1": 0.173, "EP2": 0.346, "EP3": 0.692, "B1": 0.018, "B2": 0.035, "B3": 0.07,
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
    """Service Bus: Standard base charge (first 13M operations included), Premium per messaging unit."""
    servicebus_per_million_operations: float = 0.05
    """Basic (every operation) and Standard (operations beyond the first 13 million)."""

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
                if not isinstance(value, dict) or not all(isinstance(v, (int, float)) for v in value.values()):
                    raise ConfigurationError(f"{where}: prices.{key} must be a table of numbers by SKU, got {value!r}",
                                             field=f"prices.{key}", path=where, fix=f"[prices.{key}] EP1 = 0.2")
                changes[key] = {**current, **{k: float(v) for k, v in value.items()}}
            elif isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0:
                changes[key] = float(value)
            else:
                raise ConfigurationError(f"{where}: prices.{key} must be a number >= 0, got {value!r}",
                                         field=f"prices.{key}", path=where, fix=f"{key} = {current}")
        return replace(self, **changes)  # type: ignore[arg-type]


DEFAULT_PRICES = PriceTable()
