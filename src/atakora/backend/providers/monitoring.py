"""The Monitoring provider: one Log Analytics workspace and one workspace-based Application Insights."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ...core.construct import Construct
from ...core.naming import generate_name
from ...resources.insights import (
    ActionGroup,
    Aggregation,
    ApplicationInsights,
    EmailReceiver,
    MetricAlert,
    MetricCriterion,
    Severity,
)
from ...resources.operationalinsights import LogAnalyticsWorkspace
from ..merge import FieldRule
from ..requirements import MonitoringRequirementConfig, ResourceRequirement
from .base import BaseProvider, ProviderContext, typed_config

__all__ = ["MonitoringProvider", "SharedMonitoring"]


@dataclass
class SharedMonitoring:
    """What components get for ``monitoring:shared``: the workspace, Application Insights and alerts."""

    workspace: LogAnalyticsWorkspace
    insights: ApplicationInsights
    alerts: list[MetricAlert] = field(default_factory=list)
    action_groups: list[ActionGroup] = field(default_factory=list)
    """Where alerts notify (empty when no e-mail receivers are configured)."""

    @property
    def primary_resource(self) -> ApplicationInsights:
        """Application Insights: what ``backend.get_resource('monitoring')`` returns."""
        return self.insights


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
        config = typed_config(requirement, MonitoringRequirementConfig)
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

            def alert(id: str, slug: str, criterion: str, metric: str, threshold: float, aggregation: Aggregation,
                      severity: Severity, description: str) -> None:
                shared.alerts.append(MetricAlert(
                    scope, id, name=f"alert-{base}-{slug}", scopes=[insights], tags=context.tags, severity=severity,
                    window_size="PT5M", actions=actions, description=description,
                    criteria=[MetricCriterion(name=criterion, metric_name=metric, operator="GreaterThan",
                                              threshold=threshold, time_aggregation=aggregation)]))

            alert("FailedRequestsAlert", "failed-requests", "FailedRequests", "requests/failed", alerting.error_threshold, "Count", 1,
                  f"More than {alerting.error_threshold} failed requests in 5 minutes")
            alert("LatencyAlert", "latency", "ResponseTime", "requests/duration", alerting.latency_threshold, "Average", 2,
                  f"Average response time above {alerting.latency_threshold} ms over 5 minutes")
        return shared
