"""Microsoft.Insights: Application Insights, action groups, metric alerts and diagnostic settings."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from ..core.construct import Construct
from ..core.expressions import Expr
from ..core.resource import Resource
from ..errors import ConfigurationError
from ._common import child_path, require_one_of, require_range, require_value, resource_ref
from .operationalinsights import LogAnalyticsWorkspace, PublicAccess

__all__ = [
    "API_VERSIONS",
    "ActionGroup",
    "ApplicationInsights",
    "DiagnosticSetting",
    "EmailReceiver",
    "MetricAlert",
    "MetricCriterion",
]

API_VERSIONS: dict[str, str] = {
    "Microsoft.Insights/components": "2020-02-02",
    "Microsoft.Insights/actionGroups": "2023-01-01",
    "Microsoft.Insights/metricAlerts": "2026-01-01",
    # No GA version newer than 2016-09-01 exists, and that one only accepts the name 'service', needs a
    # timeGrain per metric and has no categoryGroup; 2021-05-01-preview is the version Azure documents.
    "Microsoft.Insights/diagnosticSettings": "2021-05-01-preview",
}

ApplicationType = Literal["web", "other"]
Frequency = Literal["PT1M", "PT5M", "PT15M", "PT30M", "PT1H"]
WindowSize = Literal["PT1M", "PT5M", "PT15M", "PT30M", "PT1H", "PT6H", "PT12H", "P1D"]
Severity = Literal[0, 1, 2, 3, 4]
Operator = Literal["Equals", "GreaterThan", "GreaterThanOrEqual", "LessThan", "LessThanOrEqual"]
Aggregation = Literal["Average", "Count", "Minimum", "Maximum", "Total"]
LogCategoryGroup = Literal["allLogs", "audit"]

_ACCESS = ("Enabled", "Disabled")
_RETENTION = (30, 60, 90, 120, 180, 270, 365, 550, 730)
_MINUTES = {"PT1M": 1, "PT5M": 5, "PT15M": 15, "PT30M": 30, "PT1H": 60, "PT6H": 360, "PT12H": 720, "P1D": 1440}
_FREQUENCIES = ("PT1M", "PT5M", "PT15M", "PT30M", "PT1H")
_OPERATORS = ("Equals", "GreaterThan", "GreaterThanOrEqual", "LessThan", "LessThanOrEqual")
_AGGREGATIONS = ("Average", "Count", "Minimum", "Maximum", "Total")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _workspace_id(workspace: LogAnalyticsWorkspace | Expr | None, *, field: str, path: str) -> Expr:
    require_value(workspace, field=field, path=path,
                  fix=f"pass {field}=<a LogAnalyticsWorkspace> (or the workspace's resource id expression)")
    if isinstance(workspace, LogAnalyticsWorkspace):
        return workspace.resource_id
    if isinstance(workspace, Expr):
        return workspace
    checked = resource_ref(workspace, LogAnalyticsWorkspace, field=field, path=path)
    return checked.resource_id if isinstance(checked, LogAnalyticsWorkspace) else checked


class ApplicationInsights(Resource):
    """A workspace-based Application Insights component (``kind`` and ``Application_Type`` ``web``).

    Defaults: local (instrumentation key) authentication disabled, public ingestion and query
    enabled, no sampling override, retention governed by the workspace.
    """

    TYPE = "Microsoft.Insights/components"
    API_VERSION = API_VERSIONS[TYPE]

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        name: str | Expr,
        workspace: LogAnalyticsWorkspace | Expr,
        location: str | Expr | None = None,
        tags: Mapping[str, str] | None = None,
        application_type: ApplicationType = "web",
        sampling_percentage: float | None = None,
        retention_in_days: int | None = None,
        disable_local_auth: bool = True,
        public_network_access_for_ingestion: PublicAccess = "Enabled",
        public_network_access_for_query: PublicAccess = "Enabled",
    ) -> None:
        path = child_path(scope, id)
        workspace_id = _workspace_id(workspace, field="workspace", path=path)
        require_range(sampling_percentage, field="sampling_percentage", path=path, minimum=0, maximum=100)
        if retention_in_days is not None:
            require_one_of(retention_in_days, _RETENTION, field="retention_in_days", path=path)
        properties: dict[str, Any] = {
            "Application_Type": application_type,
            "WorkspaceResourceId": workspace_id,
            "DisableLocalAuth": disable_local_auth,
            "publicNetworkAccessForIngestion": public_network_access_for_ingestion,
            "publicNetworkAccessForQuery": public_network_access_for_query,
        }
        if sampling_percentage is not None:
            properties["SamplingPercentage"] = sampling_percentage
        if retention_in_days is not None:
            properties["RetentionInDays"] = retention_in_days
        super().__init__(scope, id, name=name, location=location, tags=tags, kind="web", properties=properties)

    @property
    def connection_string(self) -> Expr:
        """The connection string for SDKs (``APPLICATIONINSIGHTS_CONNECTION_STRING``)."""
        return self.attribute("ConnectionString")


@dataclass(frozen=True)
class EmailReceiver:
    """An e-mail receiver of an action group; the common alert schema is used by default."""

    name: str
    email_address: str
    use_common_alert_schema: bool = True


class ActionGroup(Resource):
    """An action group (global): who is notified when an alert fires.

    ``short_name`` (at most 12 characters) appears in SMS and e-mail. Defaults: enabled, no receivers.
    """

    TYPE = "Microsoft.Insights/actionGroups"
    API_VERSION = API_VERSIONS[TYPE]
    LOCATION = "global"

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        name: str | Expr,
        short_name: str,
        tags: Mapping[str, str] | None = None,
        email_receivers: Sequence[EmailReceiver] = (),
        enabled: bool = True,
    ) -> None:
        path = child_path(scope, id)
        require_value(short_name, field="short_name", path=path, fix="pass short_name='ops' (1-12 characters)")
        if len(short_name) > 12:
            raise ConfigurationError(f"short_name {short_name!r} has {len(short_name)} characters, but at most 12 "
                                     "are allowed", field="short_name", path=path,
                                     fix="shorten short_name to 12 characters or fewer")
        self.short_name = short_name
        self.enabled = enabled
        self.email_receivers: list[EmailReceiver] = []
        self._path = path
        for receiver in email_receivers:
            self._check_receiver(receiver)
            self.email_receivers.append(receiver)
        super().__init__(scope, id, name=name, tags=tags)

    def _check_receiver(self, receiver: EmailReceiver) -> None:
        require_value(receiver.name, field="email_receivers.name", path=self._path)
        if not _EMAIL.match(receiver.email_address):
            raise ConfigurationError(f"email_receivers: {receiver.email_address!r} is not an e-mail address",
                                     field="email_receivers.email_address", path=self._path,
                                     fix="give an address such as 'ops@example.com'")
        if any(r.name == receiver.name for r in self.email_receivers):
            raise ConfigurationError(f"email_receivers: the name {receiver.name!r} is used twice",
                                     field="email_receivers.name", path=self._path,
                                     fix="give each receiver a unique name")

    def add_email_receiver(self, name: str, email_address: str, *, use_common_alert_schema: bool = True) -> None:
        """Notify ``email_address`` (common alert schema by default)."""
        receiver = EmailReceiver(name, email_address, use_common_alert_schema)
        self._check_receiver(receiver)
        self.email_receivers.append(receiver)

    def render_properties(self) -> Mapping[str, Any]:
        """``groupShortName``, ``enabled`` and the receivers."""
        return {
            "groupShortName": self.short_name,
            "enabled": self.enabled,
            "emailReceivers": [{"name": r.name, "emailAddress": r.email_address,
                                "useCommonAlertSchema": r.use_common_alert_schema} for r in self.email_receivers],
        }


@dataclass(frozen=True)
class MetricCriterion:
    """A static threshold on one metric, e.g. ``MetricCriterion('failed', 'requests/failed', 'GreaterThan', 5)``."""

    name: str
    metric_name: str
    operator: Operator
    threshold: float
    time_aggregation: Aggregation = "Count"
    metric_namespace: str | None = None

    def render(self) -> dict[str, Any]:
        """The criterion as ARM JSON."""
        out: dict[str, Any] = {"criterionType": "StaticThresholdCriterion", "name": self.name,
                               "metricName": self.metric_name, "operator": self.operator,
                               "threshold": self.threshold, "timeAggregation": self.time_aggregation}
        if self.metric_namespace:
            out["metricNamespace"] = self.metric_namespace
        return out


class MetricAlert(Resource):
    """A metric alert rule (global) on one resource, with static thresholds (at most 5 criteria).

    Defaults: severity 2, evaluated every 5 minutes over a 15-minute window, enabled, auto-mitigated.
    """

    TYPE = "Microsoft.Insights/metricAlerts"
    API_VERSION = API_VERSIONS[TYPE]
    LOCATION = "global"

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        name: str | Expr,
        scopes: Sequence[Resource | Expr],
        criteria: Sequence[MetricCriterion],
        tags: Mapping[str, str] | None = None,
        severity: Severity = 2,
        evaluation_frequency: Frequency = "PT5M",
        window_size: WindowSize = "PT15M",
        actions: Sequence[ActionGroup | Expr] = (),
        description: str | None = None,
        enabled: bool = True,
        auto_mitigate: bool = True,
    ) -> None:
        path = child_path(scope, id)
        if len(scopes) != 1:
            raise ConfigurationError(f"scopes has {len(scopes)} entries, but a single-resource metric alert needs "
                                     "exactly one", field="scopes", path=path,
                                     fix="pass scopes=[resource]; create one alert per resource")
        require_value(list(criteria), field="criteria", path=path,
                      fix="pass criteria=[MetricCriterion('name', 'metric', 'GreaterThan', 10)]")
        if len(criteria) > 5:
            raise ConfigurationError(f"criteria has {len(criteria)} entries, but at most 5 are allowed",
                                     field="criteria", path=path, fix="split the criteria over several alerts")
        for i, c in enumerate(criteria):
            require_value(c.name, field=f"criteria[{i}].name", path=path)
            require_value(c.metric_name, field=f"criteria[{i}].metric_name", path=path)
            require_one_of(c.operator, _OPERATORS, field=f"criteria[{i}].operator", path=path)
            require_one_of(c.time_aggregation, _AGGREGATIONS, field=f"criteria[{i}].time_aggregation", path=path)
            require_range(c.threshold, field=f"criteria[{i}].threshold", path=path)
        if _MINUTES[window_size] < _MINUTES[evaluation_frequency]:
            raise ConfigurationError(f"window_size {window_size} is shorter than evaluation_frequency "
                                     f"{evaluation_frequency}", field="window_size", path=path,
                                     fix="use a window_size at least as long as evaluation_frequency")
        properties: dict[str, Any] = {
            "severity": severity,
            "enabled": enabled,
            "scopes": [s.resource_id if isinstance(s, Resource) else s for s in scopes],
            "evaluationFrequency": evaluation_frequency,
            "windowSize": window_size,
            "autoMitigate": auto_mitigate,
            "criteria": {"odata.type": "Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria",
                         "allOf": [c.render() for c in criteria]},
            "actions": [{"actionGroupId": a.resource_id if isinstance(a, Resource) else a} for a in actions],
        }
        if description:
            properties["description"] = description
        super().__init__(scope, id, name=name, tags=tags, properties=properties)


class DiagnosticSetting(Resource):
    """Send a resource's logs and metrics to a Log Analytics workspace (an extension resource on ``target``).

    Defaults: log category group ``allLogs`` and the ``AllMetrics`` metric category. ``target`` must be
    in the same stack; create the setting with the stack (or a construct in it) as ``scope``.
    """

    TYPE = "Microsoft.Insights/diagnosticSettings"
    API_VERSION = API_VERSIONS[TYPE]
    LOCATION = "none"

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        name: str | Expr,
        target: Resource,
        workspace: LogAnalyticsWorkspace | Expr,
        log_category_groups: Sequence[LogCategoryGroup] = ("allLogs",),
        metrics: bool = True,
    ) -> None:
        path = child_path(scope, id)
        checked = resource_ref(target, Resource, field="target", path=path)
        if not isinstance(checked, Resource):
            raise ConfigurationError("target must be the resource whose logs are collected", field="target",
                                     path=path, fix="pass target=<a resource construct>")
        target = checked
        if _stack_of(scope) is not target.stack:
            raise ConfigurationError(f"target {target.node.path} is in another stack", field="target", path=path,
                                     fix="create the diagnostic setting in the target's stack")
        workspace_id = _workspace_id(workspace, field="workspace", path=path)
        for i, group in enumerate(log_category_groups):
            require_one_of(group, ("allLogs", "audit"), field=f"log_category_groups[{i}]", path=path)
        if not log_category_groups and not metrics:
            raise ConfigurationError("the setting collects nothing", field="log_category_groups", path=path,
                                     fix="keep log_category_groups=('allLogs',) or metrics=True")
        properties: dict[str, Any] = {
            "workspaceId": workspace_id,
            "logs": [{"categoryGroup": g, "enabled": True} for g in log_category_groups],
        }
        if metrics:
            properties["metrics"] = [{"category": "AllMetrics", "enabled": True}]
        super().__init__(scope, id, name=name, properties=properties, extension_scope=target)


def _stack_of(scope: Construct) -> Construct | None:
    from ..core.stack import Stack

    return scope.node.find_ancestor(Stack)
