from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from atakora import App, ResourceGroupStack
from atakora.errors import ConfigurationError, NamingError
from atakora.resources.operationalinsights import API_VERSIONS, LogAnalyticsWorkspace
from atakora.testing import Template


@pytest.fixture
def stack() -> ResourceGroupStack:
    return ResourceGroupStack(App(), "Main", resource_group_name="rg-test", location="westeurope")


def test_workspace_has_secure_defaults(stack: ResourceGroupStack) -> None:
    LogAnalyticsWorkspace(stack, "Logs", name="log-test")
    Template.from_stack(stack).has_resource_properties("Microsoft.OperationalInsights/workspaces", {
        "sku": {"name": "PerGB2018"}, "retentionInDays": 30, "features": {"disableLocalAuth": True},
        "publicNetworkAccessForIngestion": "Enabled", "publicNetworkAccessForQuery": "Enabled"})


def test_workspace_golden(stack: ResourceGroupStack, golden: Callable[[str, Any], None]) -> None:
    LogAnalyticsWorkspace(stack, "Logs", name="log-test", retention_in_days=90, daily_quota_gb=5,
                          public_network_access_for_query="Disabled")
    golden("resources/operationalinsights_workspace", Template.from_stack(stack).resources)


def test_workspace_uses_the_declared_api_version(stack: ResourceGroupStack) -> None:
    ws = LogAnalyticsWorkspace(stack, "Logs", name="log-test")
    assert ws.api_version == API_VERSIONS["Microsoft.OperationalInsights/workspaces"]


def test_workspace_customer_id_is_a_reference(stack: ResourceGroupStack) -> None:
    ws = LogAnalyticsWorkspace(stack, "Logs", name="log-test")
    stack.add_output("customerId", ws.customer_id)
    template = Template.from_stack(stack)
    template.has_output("customerId", {"value": "[reference(resourceId('Microsoft.OperationalInsights/workspaces', "
                                                "'log-test'), '2025-07-01').customerId]"})


@pytest.mark.parametrize("days", [29, 731])
def test_workspace_rejects_retention_out_of_range(stack: ResourceGroupStack, days: int) -> None:
    with pytest.raises(ConfigurationError, match=r"retention_in_days is \d+, but must be at least 30 and at most 730"):
        LogAnalyticsWorkspace(stack, "Logs", name="log-test", retention_in_days=days)


def test_workspace_rejects_unknown_sku(stack: ResourceGroupStack) -> None:
    with pytest.raises(ConfigurationError, match=r"sku: input should be .*\(given 'PerGB2019'"):
        LogAnalyticsWorkspace(stack, "Logs", name="log-test", sku="PerGB2019")  # type: ignore[arg-type]


def test_workspace_rejects_negative_daily_quota(stack: ResourceGroupStack) -> None:
    with pytest.raises(ConfigurationError, match="daily_quota_gb is -3, but must be positive"):
        LogAnalyticsWorkspace(stack, "Logs", name="log-test", daily_quota_gb=-3)


def test_workspace_rejects_bad_public_access_value(stack: ResourceGroupStack) -> None:
    with pytest.raises(ConfigurationError, match=r"public_network_access_for_query: input should be .*\(given 'Off'"):
        LogAnalyticsWorkspace(stack, "Logs", name="log-test",
                              public_network_access_for_query="Off")  # type: ignore[arg-type]


def test_workspace_rejects_too_short_name(stack: ResourceGroupStack) -> None:
    with pytest.raises(NamingError, match="'log' has 3 characters"):
        LogAnalyticsWorkspace(stack, "Logs", name="log")


def test_workspace_requires_a_name(stack: ResourceGroupStack) -> None:
    with pytest.raises(ConfigurationError, match=r"name is required \(str \| Expr\)"):
        LogAnalyticsWorkspace(stack, "Logs")  # type: ignore[call-arg]
