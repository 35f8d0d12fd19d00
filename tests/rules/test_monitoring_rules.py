from __future__ import annotations

from atakora.rules import AssemblyView
from atakora.rules.monitoring import alerts_notify_someone

from .conftest import findings, template


def _alert(actions: list[dict[str, str]]) -> dict[str, object]:
    return {"type": "Microsoft.Insights/metricAlerts", "name": "alert-5xx", "properties": {"actions": actions}}


def test_a_metric_alert_without_an_action_group_is_a_warning() -> None:
    found = findings(alerts_notify_someone, AssemblyView.from_templates({"S": template(_alert([]))}))
    assert [(f.rule_id, f.severity) for f in found] == [("AZ-MON-001", "warning")]


def test_a_metric_alert_with_an_action_group_passes() -> None:
    view = AssemblyView.from_templates({"S": template(_alert([{"actionGroupId": "[resourceId('x', 'ag')]"}]))})
    assert not findings(alerts_notify_someone, view)
