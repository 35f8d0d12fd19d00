from __future__ import annotations

from typing import Any

from atakora.rules import AssemblyView
from atakora.rules.cosmos import databases_and_containers_per_account

from .conftest import findings, template


def _account(databases: int, containers_per_db: int) -> dict[str, Any]:
    resources: list[dict[str, Any]] = [{"type": "Microsoft.DocumentDB/databaseAccounts", "name": "acct"}]
    for d in range(databases):
        resources.append({"type": "Microsoft.DocumentDB/databaseAccounts/sqlDatabases", "name": f"acct/db{d}"})
        resources.extend({"type": "Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers",
                          "name": f"acct/db{d}/c{c}"} for c in range(containers_per_db))
    return template(*resources)


def test_databases_and_containers_over_500_on_one_account_are_an_error() -> None:
    # 300 databases with one container each: 300 containers, but 600 databases and containers.
    found = findings(databases_and_containers_per_account, AssemblyView.from_templates({"S": _account(300, 1)}))
    assert [f.rule_id for f in found] == ["AZ-COSMOS-001"]
    assert "300 database(s) and 300 container(s) (600 in all)" in found[0].message


def test_500_databases_and_containers_on_one_account_pass() -> None:
    assert not findings(databases_and_containers_per_account, AssemblyView.from_templates({"S": _account(250, 1)}))


def _assignment(leaf: str, after: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"type": "Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments",
                            "name": f"[format('{{0}}/{{1}}', 'acct', guid('{leaf}'))]",
                            "dependsOn": ["[resourceId('Microsoft.DocumentDB/databaseAccounts', 'acct')]"]}
    if after is not None:
        body["dependsOn"].append(
            f"[resourceId('Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments', 'acct', guid('{after}'))]")
    return body


def test_role_assignments_that_can_run_in_parallel_on_one_account_are_an_error() -> None:
    from atakora.rules.cosmos import role_assignments_in_sequence

    two_roots = AssemblyView.from_templates({"S": template(_assignment("a"), _assignment("b"), _assignment("c", "a"))})
    assert [f.rule_id for f in findings(role_assignments_in_sequence, two_roots)] == ["AZ-COSMOS-002"]
    fork = AssemblyView.from_templates({"S": template(_assignment("a"), _assignment("b", "a"), _assignment("c", "a"))})
    assert [f.rule_id for f in findings(role_assignments_in_sequence, fork)] == ["AZ-COSMOS-002"]


def test_role_assignments_in_one_chain_pass() -> None:
    from atakora.rules.cosmos import role_assignments_in_sequence

    view = AssemblyView.from_templates({"S": template(_assignment("a"), _assignment("b", "a"), _assignment("c", "b"))})
    assert not findings(role_assignments_in_sequence, view)


def _throughput(with_settings: bool, in_options: bool) -> dict[str, Any]:
    db: dict[str, Any] = {"type": "Microsoft.DocumentDB/databaseAccounts/sqlDatabases", "name": "acct/db",
                          "properties": {"resource": {"id": "db"}}}
    if in_options:
        db["properties"]["options"] = {"autoscaleSettings": {"maxThroughput": 1000}}
    resources = [db]
    if with_settings:
        resources.append({"type": "Microsoft.DocumentDB/databaseAccounts/sqlDatabases/throughputSettings",
                          "name": "acct/db/default",
                          "properties": {"resource": {"autoscaleSettings": {"maxThroughput": 4000}}}})
    return template(*resources)


def test_throughput_in_options_and_in_a_throughput_settings_child_is_an_error() -> None:
    from atakora.rules.cosmos import throughput_set_once

    found = findings(throughput_set_once, AssemblyView.from_templates({"S": _throughput(True, True)}))
    assert [f.rule_id for f in found] == ["AZ-COSMOS-003"]
    assert "acct/db sets its throughput in options and again with acct/db/default" in found[0].message


def test_throughput_set_one_way_passes() -> None:
    from atakora.rules.cosmos import throughput_set_once

    for settings, options in ((False, True), (True, False)):
        view = AssemblyView.from_templates({"S": _throughput(settings, options)})
        assert not findings(throughput_set_once, view)


def _shared_database(options: dict[str, Any], sharing: int, dedicated: int = 0) -> AssemblyView:
    resources: list[dict[str, Any]] = [
        {"type": "Microsoft.DocumentDB/databaseAccounts/sqlDatabases", "name": "acct/db",
         "properties": {"resource": {"id": "db"}, "options": options}}]
    resources += [{"type": "Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers", "name": f"acct/db/c{i}",
                   "properties": {"resource": {"id": f"c{i}"}}} for i in range(sharing)]
    resources += [{"type": "Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers", "name": f"acct/db/d{i}",
                   "properties": {"resource": {"id": f"d{i}"}, "options": {"throughput": 400}}}
                  for i in range(dedicated)]
    return AssemblyView.from_templates({"S": template(*resources)})


def test_a_shared_database_with_more_than_25_sharing_containers_or_below_the_minimum_is_an_error() -> None:
    from atakora.rules.cosmos import shared_database_throughput

    crowded = findings(shared_database_throughput, _shared_database({"throughput": 900}, 26))
    assert [f.rule_id for f in crowded] == ["AZ-COSMOS-004"]
    assert "26 containers share the throughput of database acct/db" in crowded[0].message
    low = findings(shared_database_throughput, _shared_database({"throughput": 400}, 27))
    assert any("requires at least 600" in f.message for f in low)  # 400 + (27 - 25) × 100
    autoscale = findings(shared_database_throughput, _shared_database({"autoscaleSettings": {"maxThroughput": 500}}, 3))
    assert any("500 RU/s autoscale maximum" in f.message and "at least 1000" in f.message for f in autoscale)


def test_a_shared_database_of_25_sharing_containers_at_400_rus_passes() -> None:
    from atakora.rules.cosmos import shared_database_throughput

    # containers with their own throughput do not share, so they do not count
    assert not findings(shared_database_throughput, _shared_database({"throughput": 400}, 25, dedicated=3))
    assert not findings(shared_database_throughput, _shared_database({"autoscaleSettings": {"maxThroughput": 1000}}, 25))
    assert not findings(shared_database_throughput, _shared_database({}, 30))  # no database throughput: not shared


def test_a_throughput_settings_child_makes_a_database_shared_or_a_container_dedicated() -> None:
    from atakora.rules.cosmos import shared_database_throughput

    view = _shared_database({}, 26)
    low = AssemblyView.from_templates({"S": template(
        *view.units[0].template["resources"],
        {"type": "Microsoft.DocumentDB/databaseAccounts/sqlDatabases/throughputSettings", "name": "acct/db/default",
         "properties": {"resource": {"throughput": 400}}})})
    assert [f.rule_id for f in findings(shared_database_throughput, low)] == ["AZ-COSMOS-004"] * 2
    dedicated = AssemblyView.from_templates({"S": template(
        *_shared_database({"throughput": 400}, 26).units[0].template["resources"],
        {"type": "Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers/throughputSettings",
         "name": "acct/db/c0/default", "properties": {"resource": {"throughput": 400}}})})
    assert not findings(shared_database_throughput, dedicated)
