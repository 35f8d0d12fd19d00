"""Rules for Microsoft.Insights (alerts)."""

from __future__ import annotations

from collections.abc import Iterator

from ._model import AssemblyView, Violation
from ._registry import builtin

__all__ = ["alerts_notify_someone"]


@builtin("AZ-MON-001", "warning", title="metric alerts have an action group that notifies someone",
         docs="https://learn.microsoft.com/azure/azure-monitor/alerts/action-groups")
def alerts_notify_someone(assembly: AssemblyView) -> Iterator[Violation]:
    """An alert rule without actions fires into the portal only: nobody is told."""
    for alert in assembly.resources("Microsoft.Insights/metricAlerts"):
        if not alert.properties.get("actions"):
            yield Violation(alert, f"metric alert {alert.name} has no action group, so when it fires Azure records "
                                   "it and notifies nobody",
                            fix="give the alert an action group with a receiver (monitoring.alerting with an "
                                "email), or drop the alert")
