from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from atakora import App, ResourceGroupStack
from atakora.core.expressions import resource_id
from atakora.errors import ConfigurationError
from atakora.resources.insights import (
    API_VERSIONS,
    ActionGroup,
    ApplicationInsights,
    DiagnosticSetting,
    EmailReceiver,
    MetricAlert,
    MetricCriterion,
)
from atakora.resources.keyvault import KeyVault
from atakora.resources.operationalinsights import LogAnalyticsWorkspace
from atakora.testing import Template

FAILED = MetricCriterion("failed", "requests/failed", "GreaterThan", 5)


@pytest.fixture
def stack() -> ResourceGroupStack:
    return ResourceGroupStack(App(), "Main", resource_group_name="rg-test", location="westeurope")


@pytest.fixture
def workspace(stack: ResourceGroupStack) -> LogAnalyticsWorkspace:
    return LogAnalyticsWorkspace(stack, "Logs", name="log-test")


def test_every_class_uses_the_declared_api_version(stack: ResourceGroupStack,
                                                   workspace: LogAnalyticsWorkspace) -> None:
    appi = ApplicationInsights(stack, "Appi", name="appi-test", workspace=workspace)
    group = ActionGroup(stack, "Group", name="ag-test", short_name="ops")
    alert = MetricAlert(stack, "Alert", name="alert-test", scopes=[appi], criteria=[FAILED])
    diag = DiagnosticSetting(stack, "Diag", name="diag", target=appi, workspace=workspace)
    for construct in (appi, group, alert, diag):
        assert construct.api_version == API_VERSIONS[construct.resource_type]


# ----- ApplicationInsights ------------------------------------------------------------------
def test_application_insights_is_workspace_based_with_local_auth_off(
        stack: ResourceGroupStack, workspace: LogAnalyticsWorkspace) -> None:
    ApplicationInsights(stack, "Appi", name="appi-test", workspace=workspace)
    template = Template.from_stack(stack)
    template.has_resource("Microsoft.Insights/components", {"kind": "web", "properties": {
        "Application_Type": "web", "DisableLocalAuth": True,
        "WorkspaceResourceId": "[resourceId('Microsoft.OperationalInsights/workspaces', 'log-test')]"}})
    appi = template.find_resources("Microsoft.Insights/components")[0]
    assert appi["dependsOn"] == ["[resourceId('Microsoft.OperationalInsights/workspaces', 'log-test')]"]


def test_application_insights_golden(stack: ResourceGroupStack, workspace: LogAnalyticsWorkspace,
                                     golden: Callable[[str, Any], None]) -> None:
    appi = ApplicationInsights(stack, "Appi", name="appi-test", workspace=workspace, sampling_percentage=25,
                               retention_in_days=90, public_network_access_for_query="Disabled")
    stack.add_output("connectionString", appi.connection_string)
    golden("resources/insights_application_insights", Template.from_stack(stack).to_json())


def test_application_insights_accepts_a_workspace_id_expression(stack: ResourceGroupStack) -> None:
    ws_id = resource_id("Microsoft.OperationalInsights/workspaces", "shared-logs")
    ApplicationInsights(stack, "Appi", name="appi-test", workspace=ws_id)
    Template.from_stack(stack).has_resource_properties("Microsoft.Insights/components", {
        "WorkspaceResourceId": "[resourceId('Microsoft.OperationalInsights/workspaces', 'shared-logs')]"})


def test_application_insights_connection_string_is_a_reference(stack: ResourceGroupStack,
                                                               workspace: LogAnalyticsWorkspace) -> None:
    appi = ApplicationInsights(stack, "Appi", name="appi-test", workspace=workspace)
    stack.add_output("cs", appi.connection_string)
    Template.from_stack(stack).has_output("cs", {"value": "[reference(resourceId('Microsoft.Insights/components', "
                                                          "'appi-test'), '2020-02-02').ConnectionString]"})


def test_application_insights_requires_a_workspace(stack: ResourceGroupStack) -> None:
    with pytest.raises(ConfigurationError, match=r"workspace: input is none of the allowed types \(given None"):
        ApplicationInsights(stack, "Appi", name="appi-test", workspace=None)  # type: ignore[arg-type]


def test_application_insights_rejects_sampling_above_100(stack: ResourceGroupStack,
                                                         workspace: LogAnalyticsWorkspace) -> None:
    with pytest.raises(ConfigurationError, match="sampling_percentage is 150, but must be at least 0 and at most 100"):
        ApplicationInsights(stack, "Appi", name="appi-test", workspace=workspace, sampling_percentage=150)


def test_application_insights_rejects_unsupported_retention(stack: ResourceGroupStack,
                                                            workspace: LogAnalyticsWorkspace) -> None:
    with pytest.raises(ConfigurationError, match="retention_in_days is 45, which is not allowed"):
        ApplicationInsights(stack, "Appi", name="appi-test", workspace=workspace, retention_in_days=45)


def test_application_insights_rejects_unknown_application_type(stack: ResourceGroupStack,
                                                               workspace: LogAnalyticsWorkspace) -> None:
    with pytest.raises(ConfigurationError, match=r"application_type: input should be .*\(given 'java'"):
        ApplicationInsights(stack, "Appi", name="appi-test", workspace=workspace,
                            application_type="java")  # type: ignore[arg-type]


# ----- ActionGroup --------------------------------------------------------------------------
def test_action_group_is_global_with_common_alert_schema(stack: ResourceGroupStack) -> None:
    group = ActionGroup(stack, "Group", name="ag-test", short_name="ops",
                        email_receivers=[EmailReceiver("ops", "ops@example.com")])
    group.add_email_receiver("lead", "lead@example.com")
    Template.from_stack(stack).has_resource("Microsoft.Insights/actionGroups", {
        "location": "global", "properties": {"groupShortName": "ops", "enabled": True, "emailReceivers": [
            {"name": "ops", "emailAddress": "ops@example.com", "useCommonAlertSchema": True},
            {"name": "lead", "emailAddress": "lead@example.com", "useCommonAlertSchema": True}]}})


def test_action_group_golden(stack: ResourceGroupStack, golden: Callable[[str, Any], None]) -> None:
    ActionGroup(stack, "Group", name="ag-test", short_name="oncall",
                email_receivers=[EmailReceiver("ops", "ops@example.com")])
    golden("resources/insights_action_group", Template.from_stack(stack).resources)


def test_action_group_rejects_short_name_over_12_characters(stack: ResourceGroupStack) -> None:
    with pytest.raises(ConfigurationError, match="short_name 'platform-oncall' has 15 characters, but at most 12"):
        ActionGroup(stack, "Group", name="ag-test", short_name="platform-oncall")


def test_action_group_requires_a_short_name(stack: ResourceGroupStack) -> None:
    with pytest.raises(ConfigurationError, match="short_name is required"):
        ActionGroup(stack, "Group", name="ag-test", short_name="")


def test_action_group_rejects_a_bad_email_address(stack: ResourceGroupStack) -> None:
    group = ActionGroup(stack, "Group", name="ag-test", short_name="ops")
    with pytest.raises(ConfigurationError, match="'ops-at-example.com' is not an e-mail address"):
        group.add_email_receiver("ops", "ops-at-example.com")


def test_action_group_rejects_duplicate_receiver_names(stack: ResourceGroupStack) -> None:
    with pytest.raises(ConfigurationError, match="the name 'ops' is used twice"):
        ActionGroup(stack, "Group", name="ag-test", short_name="ops",
                    email_receivers=[EmailReceiver("ops", "a@example.com"), EmailReceiver("ops", "b@example.com")])


# ----- MetricAlert --------------------------------------------------------------------------
def test_metric_alert_golden(stack: ResourceGroupStack, workspace: LogAnalyticsWorkspace,
                             golden: Callable[[str, Any], None]) -> None:
    appi = ApplicationInsights(stack, "Appi", name="appi-test", workspace=workspace)
    group = ActionGroup(stack, "Group", name="ag-test", short_name="ops")
    MetricAlert(stack, "Alert", name="alert-failed", scopes=[appi], criteria=[FAILED], severity=1,
                evaluation_frequency="PT1M", window_size="PT5M", actions=[group], description="failures")
    resources = Template.from_stack(stack).find_resources("Microsoft.Insights/metricAlerts")
    golden("resources/insights_metric_alert", resources)


def test_metric_alert_uses_single_resource_criteria_and_depends_on_its_targets(
        stack: ResourceGroupStack, workspace: LogAnalyticsWorkspace) -> None:
    appi = ApplicationInsights(stack, "Appi", name="appi-test", workspace=workspace)
    group = ActionGroup(stack, "Group", name="ag-test", short_name="ops")
    MetricAlert(stack, "Alert", name="alert-failed", scopes=[appi], criteria=[FAILED], actions=[group])
    alert = Template.from_stack(stack).find_resources("Microsoft.Insights/metricAlerts")[0]
    assert alert["location"] == "global"
    assert alert["properties"]["criteria"]["odata.type"] == \
        "Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria"
    assert alert["properties"]["severity"] == 2 and alert["properties"]["windowSize"] == "PT15M"
    assert len(alert["dependsOn"]) == 2


def test_metric_alert_rejects_severity_5(stack: ResourceGroupStack, workspace: LogAnalyticsWorkspace) -> None:
    appi = ApplicationInsights(stack, "Appi", name="appi-test", workspace=workspace)
    with pytest.raises(ConfigurationError, match=r"severity: input should be .*\(given 5"):
        MetricAlert(stack, "Alert", name="a", scopes=[appi], criteria=[FAILED], severity=5)  # type: ignore[arg-type]


def test_metric_alert_rejects_unknown_frequency(stack: ResourceGroupStack, workspace: LogAnalyticsWorkspace) -> None:
    appi = ApplicationInsights(stack, "Appi", name="appi-test", workspace=workspace)
    with pytest.raises(ConfigurationError, match=r"evaluation_frequency: input should be .*\(given 'PT2M'"):
        MetricAlert(stack, "Alert", name="a", scopes=[appi], criteria=[FAILED],
                    evaluation_frequency="PT2M")  # type: ignore[arg-type]


def test_metric_alert_rejects_window_shorter_than_frequency(stack: ResourceGroupStack,
                                                            workspace: LogAnalyticsWorkspace) -> None:
    appi = ApplicationInsights(stack, "Appi", name="appi-test", workspace=workspace)
    with pytest.raises(ConfigurationError, match="window_size PT5M is shorter than evaluation_frequency PT15M"):
        MetricAlert(stack, "Alert", name="a", scopes=[appi], criteria=[FAILED], evaluation_frequency="PT15M",
                    window_size="PT5M")


def test_metric_alert_requires_criteria(stack: ResourceGroupStack, workspace: LogAnalyticsWorkspace) -> None:
    appi = ApplicationInsights(stack, "Appi", name="appi-test", workspace=workspace)
    with pytest.raises(ConfigurationError, match="criteria is required"):
        MetricAlert(stack, "Alert", name="a", scopes=[appi], criteria=[])


def test_metric_alert_rejects_a_bad_operator(stack: ResourceGroupStack, workspace: LogAnalyticsWorkspace) -> None:
    appi = ApplicationInsights(stack, "Appi", name="appi-test", workspace=workspace)
    bad = MetricCriterion("c", "requests/failed", "Above", 1)  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError, match=r"criteria\[0\].operator is 'Above', which is not allowed"):
        MetricAlert(stack, "Alert", name="a", scopes=[appi], criteria=[bad])


def test_metric_alert_needs_exactly_one_scope(stack: ResourceGroupStack, workspace: LogAnalyticsWorkspace) -> None:
    with pytest.raises(ConfigurationError, match="scopes has 0 entries"):
        MetricAlert(stack, "Alert", name="a", scopes=[], criteria=[FAILED])


# ----- DiagnosticSetting --------------------------------------------------------------------
def test_diagnostic_setting_is_an_extension_of_its_target(stack: ResourceGroupStack,
                                                          workspace: LogAnalyticsWorkspace,
                                                          golden: Callable[[str, Any], None]) -> None:
    vault = KeyVault(stack, "Vault", name="kv-test-0001")
    DiagnosticSetting(stack, "VaultDiag", name="to-logs", target=vault, workspace=workspace,
                      log_category_groups=["audit"])
    diag = Template.from_stack(stack).find_resources("Microsoft.Insights/diagnosticSettings")
    golden("resources/insights_diagnostic_setting", diag)
    assert diag[0]["scope"] == "Microsoft.KeyVault/vaults/kv-test-0001"
    assert diag[0]["properties"]["logs"] == [{"categoryGroup": "audit", "enabled": True}]
    assert diag[0]["properties"]["metrics"] == [{"category": "AllMetrics", "enabled": True}]
    assert "location" not in diag[0] and "tags" not in diag[0]


def test_diagnostic_setting_collects_all_logs_by_default(stack: ResourceGroupStack,
                                                         workspace: LogAnalyticsWorkspace) -> None:
    DiagnosticSetting(stack, "Diag", name="to-logs", target=workspace, workspace=workspace)
    Template.from_stack(stack).has_resource_properties("Microsoft.Insights/diagnosticSettings", {
        "logs": [{"categoryGroup": "allLogs", "enabled": True}]})


def test_diagnostic_setting_rejects_unknown_category_group(stack: ResourceGroupStack,
                                                           workspace: LogAnalyticsWorkspace) -> None:
    with pytest.raises(ConfigurationError, match=r"log_category_groups\[0\]: input should be .*\(given 'everything'"):
        DiagnosticSetting(stack, "Diag", name="d", target=workspace, workspace=workspace,
                          log_category_groups=["everything"])  # type: ignore[list-item]


def test_diagnostic_setting_rejects_collecting_nothing(stack: ResourceGroupStack,
                                                       workspace: LogAnalyticsWorkspace) -> None:
    with pytest.raises(ConfigurationError, match="the setting collects nothing"):
        DiagnosticSetting(stack, "Diag", name="d", target=workspace, workspace=workspace, log_category_groups=[],
                          metrics=False)


def test_diagnostic_setting_rejects_a_target_in_another_stack(stack: ResourceGroupStack,
                                                              workspace: LogAnalyticsWorkspace) -> None:
    other = ResourceGroupStack(stack.app, "Other", resource_group_name="rg-other", location="westeurope")
    with pytest.raises(ConfigurationError, match="target Main/Logs is in another stack"):
        DiagnosticSetting(other, "Diag", name="d", target=workspace, workspace=workspace)
