"""``atakora diff``: each change with its paths, action, data loss and reason, grouped by component."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from atakora.cli.main import app
from atakora.diff import MASK, diff_resources
from atakora.diff.rules import DATA_TYPES, IMMUTABLE, RENAMES

from .conftest import ORDERS, USERS, Diff, Synth, program_text

CONTAINER = "Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers"
ACCOUNT = "Microsoft.DocumentDB/databaseAccounts"
BOTH = program_text(USERS.format(extra=""), ORDERS.format(extra=""))


def test_changing_a_partition_key_replaces_the_container_and_loses_its_items(synth: Synth, diff: Diff) -> None:
    synth(BOTH)
    changes = diff(program_text(USERS.format(extra=""), ORDERS.format(extra="").replace('"/id"', '"/total"')))
    assert len(changes) == 1
    change = changes[0]
    assert (change.type, change.action, change.data_loss, change.component) == (CONTAINER, "replace", True,
                                                                                 "OrderApi")
    assert change.name.endswith("/order-db/order")
    changed = {p.path: (p.before, p.after) for p in change.properties}
    assert changed.pop("properties.resource.partitionKey.paths") == (["/id"], ["/total"])
    # the composite indexes that serve order_by follow the partition key
    assert list(changed) == ["properties.resource.indexingPolicy.compositeIndexes"]
    assert "partition key cannot change" in change.reason and "learn.microsoft.com" in change.reason


def test_removing_a_crud_api_deletes_its_database_and_container_with_data_loss(synth: Synth, diff: Diff) -> None:
    synth(BOTH)
    changes = diff(program_text(USERS.format(extra="")))
    deleted = {c.type: c for c in changes if c.action == "delete"}
    assert deleted[CONTAINER].data_loss and deleted[CONTAINER].component == "OrderApi"
    assert deleted["Microsoft.DocumentDB/databaseAccounts/sqlDatabases"].data_loss
    assert "every item of the container" in deleted[CONTAINER].reason
    assert not any(c.data_loss for c in changes if c.action != "delete")


def test_serverless_to_provisioned_replaces_the_account(synth: Synth, diff: Diff) -> None:
    synth(program_text(USERS.format(extra="")))
    changes = diff(program_text(USERS.format(extra=", enable_serverless=False, throughput=400")))
    account = next(c for c in changes if c.type == ACCOUNT)
    assert account.action == "replace" and account.data_loss
    assert "capacity mode" in account.reason


def test_provisioned_to_serverless_replaces_the_account(synth: Synth, diff: Diff) -> None:
    synth(program_text(USERS.format(extra=", enable_serverless=False, throughput=400")))
    changes = diff(program_text(USERS.format(extra="")))
    assert next(c for c in changes if c.type == ACCOUNT).action == "replace"


def test_a_tag_change_is_an_update_without_data_loss(synth: Synth, diff: Diff) -> None:
    synth(BOTH)
    changes = diff(program_text(USERS.format(extra=""), ORDERS.format(extra=""), backend=', tags={"team": "a"}'))
    assert changes and all(c.action == "update" and not c.data_loss for c in changes)
    assert all(("tags.team", None, "a") in {(p.path, p.before, p.after) for p in c.properties} for c in changes)


def test_an_unchanged_program_has_no_changes(synth: Synth, diff: Diff) -> None:
    synth(BOTH)
    assert diff(BOTH) == []


def test_secret_looking_values_are_masked() -> None:
    before = [{"type": "Microsoft.Web/sites", "name": "a", "properties": {"siteConfig": {"appSettings": [
        {"name": "DB_PASSWORD", "value": "old"}, {"name": "MODE", "value": "x"}]}, "accountKey": "k1"}}]
    after = [{"type": "Microsoft.Web/sites", "name": "a", "properties": {"siteConfig": {"appSettings": [
        {"name": "DB_PASSWORD", "value": "new"}, {"name": "MODE", "value": "y"}]}, "accountKey": "k2",
        "conn": "[parameters('dbSecret')]"}}]
    (change,) = diff_resources("S", before, after, secure_parameters=["dbSecret"])
    values = {p.path: (p.before, p.after) for p in change.properties}
    assert values["properties.siteConfig.appSettings[name=DB_PASSWORD].value"] == (MASK, MASK)
    assert values["properties.siteConfig.appSettings[name=MODE].value"] == ("x", "y")
    assert values["properties.accountKey"] == (MASK, MASK)
    assert values["properties.conn"] == (None, MASK)
    assert "old" not in json.dumps(change.to_json()) and "k2" not in json.dumps(change.to_json())


def test_a_renamed_function_app_is_a_delete_naming_the_new_url() -> None:
    before = [{"type": "Microsoft.Web/sites", "name": "func-a"}]
    after = [{"type": "Microsoft.Web/sites", "name": "func-b"}]
    changes = diff_resources("S", before, after)
    delete = next(c for c in changes if c.action == "delete")
    assert not delete.data_loss and "renamed to func-b" in delete.reason and "URL" in delete.reason
    assert [c.action for c in changes] == ["delete", "create"]


def test_an_unknown_property_change_is_an_update() -> None:
    before = [{"type": "Contoso.Widgets/things", "name": "w", "properties": {"size": 1}}]
    after = [{"type": "Contoso.Widgets/things", "name": "w", "properties": {"size": 2}}]
    (change,) = diff_resources("S", before, after)
    assert (change.action, change.data_loss, change.reason) == ("update", False, "")


def test_every_rule_names_the_documentation_behind_it() -> None:
    for rule in (*IMMUTABLE, *DATA_TYPES, *RENAMES):
        assert rule.doc.startswith("https://learn.microsoft.com/"), rule


def test_diff_json_prints_exactly_the_documented_shape(synth: Synth, tmp_path: Path) -> None:
    synth(BOTH)
    program = tmp_path / "changed.py"
    program.write_text(program_text(USERS.format(extra="")))
    result = CliRunner().invoke(app, ["diff", str(program), "--out", str(tmp_path / "out"), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert list(data) == ["changes"] and data["changes"]
    for change in data["changes"]:
        assert list(change) == ["stack", "component", "type", "name", "action", "data_loss", "reason", "properties"]
        assert all(list(p) == ["path", "before", "after"] for p in change["properties"])
    assert any(c["action"] == "delete" and c["data_loss"] and c["component"] == "OrderApi" for c in data["changes"])


def test_diff_prints_changes_grouped_by_component_with_paths(synth: Synth, tmp_path: Path) -> None:
    synth(BOTH)
    program = tmp_path / "changed.py"
    program.write_text(program_text(USERS.format(extra=""), ORDERS.format(extra="").replace('"/id"', '"/total"')))
    result = CliRunner().invoke(app, ["diff", str(program), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "OrderApi" in out and "replace" in out and "(data loss)" in out
    assert 'properties.resource.partitionKey.paths: ["/id"] → ["/total"]' in out
    assert "1 change(s), 1 with data loss" in out


def test_a_component_renamed_with_previous_ids_changes_nothing(synth: Synth, diff: Diff) -> None:
    synth(BOTH)
    renamed = USERS.format(extra=", previous_ids=['UserApi']").replace('"UserApi"', '"AccountApi"')
    assert diff(program_text(renamed, ORDERS.format(extra=""))) == []


def test_a_component_renamed_without_previous_ids_changes_tags_and_settings(synth: Synth, diff: Diff) -> None:
    synth(BOTH)
    renamed = USERS.format(extra="").replace('"UserApi"', '"AccountApi"')
    changes = diff(program_text(renamed, ORDERS.format(extra="")))
    # The renamed component gets a new identity (and its role); the data and shared resources are updated only.
    own = ("Microsoft.ManagedIdentity/userAssignedIdentities", "Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments")
    assert changes and all(c.action == "update" for c in changes if c.type not in own)
    assert sorted(c.action for c in changes if c.type in own) == ["create", "create", "delete", "delete"]


def test_previous_ids_must_be_a_list_of_other_ids() -> None:
    import pytest

    from atakora.components import CrudApi
    from atakora.errors import ConfigurationError

    with pytest.raises(ConfigurationError, match="previous_ids: .str. instances are not allowed"):
        CrudApi.define("A", entity_name="A", schema={"id": "string"}, previous_ids="Old")  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError, match="own id"):
        CrudApi.define("A", entity_name="A", schema={"id": "string"}, previous_ids=["A"])
    with pytest.raises(ConfigurationError, match="protect: input should be a valid boolean"):
        CrudApi.define("A", entity_name="A", schema={"id": "string"}, protect="yes")  # type: ignore[arg-type]


def test_each_queue_belongs_to_the_message_queue_that_asked_for_it(tmp_path: Path) -> None:
    from atakora.cli.program import run_program

    program = tmp_path / "queues.py"
    program.write_text('''
from atakora import App, ResourceGroupStack
from atakora.backend import define_backend
from atakora.components import MessageQueue

backend = define_backend({"a": MessageQueue.define("Orders", queues=["orders"]),
                          "b": MessageQueue.define("Mail", queues=["mail"])}, environment="dev", location="eastus")
app = App()
stack = ResourceGroupStack(app, "Main", resource_group_name="rg-q", location="eastus")
backend.add_to_stack(stack)
app.synth()
''')
    (assembly,) = run_program(program, outdir=None, write=False).assemblies
    owners = assembly.artifacts["components.json"]["stacks"]["Main"]
    queues = {k.rsplit("/", 1)[1]: v for k, v in owners.items() if k.startswith("Microsoft.ServiceBus/namespaces/queues")}
    assert queues == {"orders": "Orders", "mail": "Mail"}
    namespace = next(v for k, v in owners.items() if k.startswith("Microsoft.ServiceBus/namespaces "))
    assert namespace == "Mail,Orders"
