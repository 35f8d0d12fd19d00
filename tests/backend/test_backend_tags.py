"""Tags: backend tags, environment and managed-by on every resource; shared ones list their components."""

from __future__ import annotations

from pathlib import Path

from atakora.backend.tags import shared_resource_tags
from atakora.testing import Template

from ._support import crud, deployed

# Role assignments take no tags; the stack's role-assignment deployment belongs to the stack, not a backend.
UNTAGGABLE = {"Microsoft.Authorization/roleAssignments", "Microsoft.Resources/deployments"}


def _top_level(stack) -> list[dict]:  # type: ignore[no-untyped-def, type-arg]
    return [r for r in Template.from_stack(stack).resources
            if r["type"].count("/") == 1 and r["type"] not in UNTAGGABLE]


def test_every_resource_carries_backend_tags_environment_and_managed_by(tmp_path: Path) -> None:
    _, _, stack = deployed({"users": crud("UserApi"), "orders": crud("OrderApi")}, tmp_path,
                           monitoring={"alerting": {"email_receivers": ["ops@example.com"]}},
                           tags={"team": "shop", "cost-center": "42"})
    resources = _top_level(stack)
    assert {r["type"] for r in resources} >= {"Microsoft.DocumentDB/databaseAccounts", "Microsoft.Web/sites",
                                              "Microsoft.Storage/storageAccounts", "Microsoft.Web/serverfarms",
                                              "Microsoft.Insights/components", "Microsoft.Insights/metricAlerts"}
    for resource in resources:
        tags = resource.get("tags", {})
        assert {k: tags.get(k) for k in ("team", "cost-center", "environment", "managed-by")} == {
            "team": "shop", "cost-center": "42", "environment": "prod", "managed-by": "atakora"}, resource["name"]


def test_shared_resources_list_their_member_components(tmp_path: Path) -> None:
    _, _, stack = deployed({"users": crud("UserApi"), "orders": crud("OrderApi"),
                            "audit": crud("AuditApi", enable_serverless=False, throughput=400)}, tmp_path)
    members = {r["name"]: r["tags"]["atakora-components"] for r in _top_level(stack)}
    cosmos = {n: m for n, m in members.items() if n.startswith("cosmos-")}
    assert sorted(cosmos.values()) == ["AuditApi", "OrderApi,UserApi"]
    assert {m for n, m in members.items() if n.startswith("func-")} == {"AuditApi,OrderApi,UserApi"}


def test_backend_tags_that_would_override_environment_or_managed_by_are_errors(tmp_path: Path) -> None:
    import pytest

    from atakora.errors import ConfigurationError

    for tags in ({"environment": "oops"}, {"Managed-By": "me"}):
        with pytest.raises(ConfigurationError, match="is set by atakora on every resource") as raised:
            deployed({"users": crud("UserApi")}, tmp_path, tags=tags)
        assert raised.value.field == "tags"
    _, _, stack = deployed({"users": crud("UserApi")}, tmp_path, tags={"environment": "prod"})
    assert all(r["tags"]["environment"] == "prod" for r in _top_level(stack))


def test_a_long_member_list_is_shortened_to_fit_azure_tag_values() -> None:
    members = [f"Component{i:03d}WithALongName" for i in range(40)]
    value = shared_resource_tags({}, members)["atakora-components"]
    assert len(value) <= 256 and value.startswith("Component000WithALongName,") and value.endswith(" more")
