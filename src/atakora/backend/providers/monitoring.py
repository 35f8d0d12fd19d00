"""The Monitoring provider: one Log Analytics workspace and one workspace-based Application Insights."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ...core.construct import Construct
from ...core.naming import generate_name
from ...resources.insights import (
    ActionGroup,
    ApplicationInsights,
    EmailReceiver,
    MetricAlert,
    MetricCriterion,
)
from ...resources.operationalinsights import LogAnalyticsWorkspace
from ..merge import FieldRule
from ..requirements import MonitoringRequirementConfig, ResourceRequirement
from .base import BaseProvider, ProviderContext

__all__ = ["MonitoringProvider", "SharedMonitoring"]


@dataclass
class SharedMonitoring:
    """What components get for ``monitoring:shared``: the workspace, Application Insights and alerts."""

    workspace: LogAnalyticsWorkspace
    insights: ApplicationInsights
    alerts: list[MetricAlert] = field(default_factory=list)
    action_groups: list[ActionGroup] = field(default_factory=list)
    """Where alerts notify (empty when no e-mail receivers are configured)."""


class MonitoringProvider(BaseProvider):
    """Creates the workspace and Application Insights (local auth off), plus alerts when configured."""

    provider_id = "monitoring"
    supported_types = ("monitoring",)
    provision_order = 10
    display_name = "Monitoring"

    def merge_rules(self) -> Mapping[str, FieldRule]:
        """Retention and sampling: maximum; workspace name: priority."""
        return {"retention_days": FieldRule("maximum"), "sampling_percentage": FieldRule("maximum")}

    def provide_resource(self, requirement: ResourceRequirement, scope: Construct,
                         context: ProviderContext) -> SharedMonitoring:
        """Workspace, Application Insights and, with alerting on, an action group and two metric alerts."""
        config = requirement.config
        if not isinstance(config, MonitoringRequirementConfig):
            config = MonitoringRequirementConfig(**dict(config))
        backend_id = context.backend.backend_id
        workspace_name = config.workspace_name or context.naming.format_resource_name("workspace", backend_id)
        workspace = LogAnalyticsWorkspace(scope, "Workspace", name=workspace_name, tags=context.tags,
                                          retention_in_days=config.retention_days)
        insights = ApplicationInsights(
            scope, "Insights", name=context.naming.format_resource_name("appinsights", backend_id),
            workspace=workspace, tags=context.tags, sampling_percentage=config.sampling_percentage)
        shared = SharedMonitoring(workspace, insights)
        monitoring = context.config.monitoring
        alerting = monitoring.alerting if monitoring is not None else None
        if alerting is not None and alerting.enabled:
            actions = []
            if alerting.email_receivers:
                actions.append(ActionGroup(
                    scope, "AlertActions", name=generate_name("Microsoft.Insights/actionGroups",
                                                              ["ag", backend_id, context.environment]),
                    short_name=f"{backend_id[:8]}alert"[:12], tags=context.tags,
                    email_receivers=[EmailReceiver(f"email{i + 1}", address)
                                     for i, address in enumerate(alerting.email_receivers)]))
            shared.action_groups.extend(actions)
            base = f"{backend_id}-{context.environment}"
            shared.alerts.append(MetricAlert(
                scope, "FailedRequestsAlert", name=f"alert-{base}-failed-requests", scopes=[insights],
                criteria=[MetricCriterion(name="FailedRequests", metric_name="requests/failed",
                                          operator="GreaterThan", threshold=alerting.error_threshold,
                                          time_aggregation="Count")],
                tags=context.tags, severity=1, window_size="PT5M", actions=actions,
                description=f"More than {alerting.error_threshold} failed requests in 5 minutes"))
            shared.alerts.append(MetricAlert(
                scope, "LatencyAlert", name=f"alert-{base}-latency", scopes=[insights],
                criteria=[MetricCriterion(name="ResponseTime", metric_name="requests/duration",
                                          operator="GreaterThan", threshold=alerting.latency_threshold,
                                          time_aggregation="Average")],
                tags=context.tags, severity=2, window_size="PT5M", actions=actions,
                description=f"Average response time above {alerting.latency_threshold} ms over 5 minutes"))
        return shared
