"""Monthly estimate of a sharing plan and of the same components built traditionally (one set each).

Both builds use one price table and one usage profile, so the saving is like for like. Every line
carries its arithmetic. Subscription-wide free grants (Flex Consumption executions and GB-seconds,
Log Analytics ingestion) are applied once per build, as their own lines.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..plan import SharedResourcePlan, SharingPlan
from .prices import HOURS_PER_MONTH, PriceTable
from .usage import UsageProfile

__all__ = ["CostLine", "PlanEstimate", "estimate_plan", "resource_lines"]

SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600


@dataclass
class CostLine:
    """One priced item: a resource (or a part of one) or a free grant (negative)."""

    resource_type: str
    name: str
    members: list[str]
    monthly_usd: float
    arithmetic: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """Plain JSON of the line."""
        return {"type": self.resource_type, "name": self.name, "members": list(self.members),
                "monthlyUsd": round(self.monthly_usd, 2), "arithmetic": list(self.arithmetic)}


@dataclass
class PlanEstimate:
    """Shared and traditional lines of one backend."""

    backend_id: str
    shared: list[CostLine]
    traditional: list[CostLine]
    usage_source: str

    @property
    def shared_monthly_usd(self) -> float:
        """Total of the shared build."""
        return sum(line.monthly_usd for line in self.shared)

    @property
    def traditional_monthly_usd(self) -> float:
        """Total of one set of resources per component."""
        return sum(line.monthly_usd for line in self.traditional)

    def by_type(self) -> dict[str, tuple[float, float]]:
        """resource type → (shared, traditional) monthly USD, in plan order."""
        out: dict[str, list[float]] = {}
        for index, lines in enumerate((self.shared, self.traditional)):
            for line in lines:
                out.setdefault(line.resource_type, [0.0, 0.0])[index] += line.monthly_usd
        return {k: (v[0], v[1]) for k, v in out.items()}

    def to_json(self) -> dict[str, Any]:
        """The figures ``plan --json`` carries per backend."""
        shared, traditional = self.shared_monthly_usd, self.traditional_monthly_usd
        return {
            "sharedMonthlyUsd": round(shared, 2),
            "traditionalMonthlyUsd": round(traditional, 2),
            "savingMonthlyUsd": round(traditional - shared, 2),
            "savingPercent": round(100 * (traditional - shared) / traditional, 1) if traditional else 0.0,
            "usage": self.usage_source,
            "byType": {t: {"sharedMonthlyUsd": round(s, 2), "traditionalMonthlyUsd": round(d, 2)}
                       for t, (s, d) in self.by_type().items()},
            "shared": [line.to_json() for line in self.shared],
            "traditional": [line.to_json() for line in self.traditional],
        }


def _usd(value: float) -> str:
    return f"${value:,.2f}" if value >= 0.01 or value == 0 else f"${value:.4f}"


def _p(price: float) -> str:
    """A unit price as written on the pricing pages ($0.000026, not $2.6e-05)."""
    return "$" + f"{price:.6f}".rstrip("0").rstrip(".")


def _members_of_containers(entry: SharedResourcePlan) -> dict[tuple[str, str], list[str]]:
    found: dict[tuple[str, str], list[str]] = {}
    for requirement in entry.requirements:
        for db in getattr(requirement.config, "databases", ()):
            for container in db.containers:
                found.setdefault((db.name, container.name), []).append(requirement.component_id)
    return found


def _throughput_cost(label: str, manual: int | None, autoscale_max: int | None, demand_rus: float,
                     prices: PriceTable) -> tuple[float, str] | None:
    if manual:
        cost = manual / 100 * prices.cosmos_manual_per_100rus_hour * HOURS_PER_MONTH
        return cost, (f"{label}: {manual} RU/s manual = {manual // 100} × ${prices.cosmos_manual_per_100rus_hour}"
                      f" per 100 RU/s-hour × {HOURS_PER_MONTH} h = {_usd(cost)}")
    if autoscale_max:
        billed = min(float(autoscale_max), max(autoscale_max / 10, demand_rus))
        cost = billed / 100 * prices.cosmos_autoscale_per_100rus_hour * HOURS_PER_MONTH
        return cost, (f"{label}: autoscale max {autoscale_max} RU/s, billed at {billed:,.0f} RU/s (10% floor or "
                      f"average demand {demand_rus:,.1f} RU/s) × ${prices.cosmos_autoscale_per_100rus_hour} per "
                      f"100 RU/s-hour × {HOURS_PER_MONTH} h = {_usd(cost)}")
    return None


def _cosmos_lines(entry: SharedResourcePlan, usage: UsageProfile) -> list[CostLine]:
    prices, config = usage.prices, entry.config
    members = list(entry.members)
    lines: list[CostLine] = []
    ru_total = sum(usage.for_component(m).requests_per_month * usage.for_component(m).avg_ru_per_request
                   for m in members)
    stored = sum(usage.for_component(m).stored_gb for m in members)
    if getattr(config, "enable_serverless", True):
        cost = ru_total / 1e6 * prices.cosmos_serverless_per_million_ru
        lines.append(CostLine("cosmos", entry.name, members, cost, [
            (f"serverless: {ru_total:,.0f} RU (requests × RU per request) / 1M × "
            f"${prices.cosmos_serverless_per_million_ru} = {_usd(cost)}")]))
    else:
        owners = _members_of_containers(entry)

        def demand(keys: Iterable[tuple[str, str]]) -> float:
            ids = {m for k in keys for m in owners.get(k, [])}
            return sum(usage.for_component(m).requests_per_month * usage.for_component(m).avg_ru_per_request
                       for m in ids) / SECONDS_PER_MONTH

        total, steps = 0.0, []
        for db in config.databases:
            keys = [(db.name, c.name) for c in db.containers]
            priced = _throughput_cost(f"database {db.name} ({len(keys)} containers share it)", db.throughput,
                                      db.autoscale_max_throughput, demand(keys), prices)
            if priced:
                total += priced[0]
                steps.append(priced[1])
            for c in db.containers:
                own = _throughput_cost(f"container {db.name}/{c.name}", c.throughput, c.autoscale_max_throughput,
                                       demand([(db.name, c.name)]), prices)
                if own:
                    total += own[0]
                    steps.append(own[1])
        lines.append(CostLine("cosmos", entry.name, members, total, steps or ["no provisioned throughput"]))
    storage = stored * prices.cosmos_storage_per_gb_month
    lines.append(CostLine("cosmos", f"{entry.name} storage", members, storage, [
        f"storage: {stored:g} GB × ${prices.cosmos_storage_per_gb_month}/GB = {_usd(storage)}"]))
    return lines


def _functions_lines(entry: SharedResourcePlan, usage: UsageProfile) -> list[CostLine]:
    prices, config, members = usage.prices, entry.config, list(entry.members)
    sku = getattr(config, "sku", "FC1")
    if sku == "FC1":
        memory_gb = getattr(config, "instance_memory_mb", 2048) / 1024
        executions = sum(usage.for_component(m).requests_per_month for m in members)
        gbs = sum(usage.for_component(m).requests_per_month * usage.for_component(m).avg_duration_ms / 1000
                  for m in members) * memory_gb
        cost = gbs * prices.flex_per_gb_second + executions / 1e6 * prices.flex_per_million_executions
        return [CostLine("functions", entry.name, members, cost, [
            (f"Flex Consumption: {gbs:,.0f} GB-s ({executions:,.0f} executions × duration × {memory_gb:g} GB) × "
            f"{_p(prices.flex_per_gb_second)} + {executions / 1e6:,.3f}M executions × "
            f"${prices.flex_per_million_executions} = {_usd(cost)} before the free grant")])]
    hourly = prices.plan_instance_per_hour.get(sku, 0.0)
    cost = hourly * HOURS_PER_MONTH
    return [CostLine("functions", entry.name, members, cost,
                     [f"{sku} plan: 1 instance × ${hourly}/h × {HOURS_PER_MONTH} h = {_usd(cost)}"])]


def _storage_lines(entry: SharedResourcePlan, usage: UsageProfile) -> list[CostLine]:
    prices, members = usage.prices, list(entry.members)
    sku = getattr(entry.config, "sku", "Standard_GRS")
    per_gb = prices.storage_per_gb_month.get(sku, prices.storage_per_gb_month["Standard_GRS"])
    gb = sum(usage.for_component(m).storage_gb for m in members)
    cost = prices.storage_account_base_month + gb * per_gb
    return [CostLine("storage", entry.name, members, cost, [
        f"account base ${prices.storage_account_base_month} + {gb:g} GB × ${per_gb}/GB ({sku}) = {_usd(cost)}"])]


def _monitoring_lines(entry: SharedResourcePlan, usage: UsageProfile) -> list[CostLine]:
    prices, members = usage.prices, list(entry.members)
    gb = sum(usage.for_component(m).log_gb_per_month for m in members)
    cost = gb * prices.log_analytics_per_gb
    return [CostLine("monitoring", entry.name, members, cost, [
        (f"Log Analytics: {gb:g} GB ingested × ${prices.log_analytics_per_gb}/GB = {_usd(cost)} before the free "
        "grant")])]


def _sku(config: Any) -> str:
    value = config.get("sku") if isinstance(config, dict) else getattr(config, "sku", None)
    return str(value or "")


def _flat_lines(entry: SharedResourcePlan, usage: UsageProfile) -> list[CostLine]:
    prices, members, sku = usage.prices, list(entry.members), _sku(entry.config)
    tables = {"frontdoor": (prices.frontdoor_base_month, "Standard_AzureFrontDoor", "profile base fee"),
              "staticsite": (prices.staticsite_app_month, "Free", "per app"),
              "servicebus": (prices.servicebus_base_month, "Standard", "namespace base fee")}
    if entry.resource_type not in tables:
        return [CostLine(entry.resource_type, entry.name, members, 0.0,
                         [f"no price for resource type {entry.resource_type!r} in the table"])]
    table, default, what = tables[entry.resource_type]
    sku = sku or default
    cost = table.get(sku, 0.0)
    note = f"{sku} {what} = {_usd(cost)}"
    if entry.resource_type == "frontdoor":
        note += " (requests and data transfer not included)"
    if entry.resource_type == "servicebus":
        note += " (operations beyond the included ones not included)"
    return [CostLine(entry.resource_type, entry.name, members, cost, [note])]


def resource_lines(entry: SharedResourcePlan, usage: UsageProfile) -> list[CostLine]:
    """The priced lines of one resource of the plan."""
    priced = {"cosmos": _cosmos_lines, "functions": _functions_lines, "storage": _storage_lines,
              "monitoring": _monitoring_lines}
    return priced.get(entry.resource_type, _flat_lines)(entry, usage)


def _grants(lines: list[CostLine], plans: Sequence[SharedResourcePlan], usage: UsageProfile) -> list[CostLine]:
    """The subscription-wide free grants, once per build, never more than what they offset."""
    prices, out = usage.prices, []
    flex = [e for e in plans if e.resource_type == "functions" and getattr(e.config, "sku", "FC1") == "FC1"]
    if flex:
        members = sorted({m for e in flex for m in e.members})
        memory = {m: getattr(e.config, "instance_memory_mb", 2048) / 1024 for e in flex for m in e.members}
        executions = sum(usage.for_component(m).requests_per_month for m in members)
        gbs = sum(usage.for_component(m).requests_per_month * usage.for_component(m).avg_duration_ms / 1000 * memory[m]
                  for m in members)
        credit = (min(gbs, prices.flex_free_gb_seconds) * prices.flex_per_gb_second
                  + min(executions, prices.flex_free_executions) / 1e6 * prices.flex_per_million_executions)
        out.append(CostLine("functions", "Flex Consumption free grant", members, -credit, [
            (f"per subscription: {min(gbs, prices.flex_free_gb_seconds):,.0f} of {prices.flex_free_gb_seconds:,.0f} "
            f"free GB-s and {min(executions, prices.flex_free_executions):,.0f} of "
            f"{prices.flex_free_executions:,.0f} free executions = -{_usd(credit)}")]))
    logs = [line for line in lines if line.resource_type == "monitoring"]
    if logs:
        members = sorted({m for line in logs for m in line.members})
        gb = sum(usage.for_component(m).log_gb_per_month for m in members)
        free = min(gb, prices.log_analytics_free_gb)
        credit = free * prices.log_analytics_per_gb
        out.append(CostLine("monitoring", "Log Analytics free ingestion", members, -credit, [
            (f"per billing account: {free:g} of {prices.log_analytics_free_gb:g} free GB × "
            f"${prices.log_analytics_per_gb} = -{_usd(credit)}")]))
    return out


def _traditional_entries(plan: SharingPlan) -> list[SharedResourcePlan]:
    out = []
    for entry in plan.resources:
        for requirement in entry.requirements:
            requirement = plan.unshared_requirements.get(requirement.component_id, requirement) \
                if entry.resource_type == "cosmos" else requirement
            out.append(SharedResourcePlan(entry.resource_type, entry.requirement_key,
                                          f"{entry.resource_type} of {requirement.component_id}", entry.provider_id,
                                          [requirement.component_id], requirement.config, requirement.priority,
                                          requirements=[requirement]))
    return out


def _build(entries: list[SharedResourcePlan], usage: UsageProfile) -> list[CostLine]:
    lines = [line for entry in entries for line in resource_lines(entry, usage)]
    return lines + _grants(lines, entries, usage)


def estimate_plan(plan: SharingPlan, usage: UsageProfile | None = None) -> PlanEstimate:
    """Shared and traditional estimate of one backend's plan under ``usage`` (None: the defaults)."""
    usage = usage or UsageProfile()
    return PlanEstimate(plan.backend_id, _build(list(plan.resources), usage),
                        _build(_traditional_entries(plan), usage), usage.source)
