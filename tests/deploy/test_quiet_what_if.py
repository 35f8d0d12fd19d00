"""Quiet what-if: ARM's recorded what-if results, noise removed, in the format of ``atakora diff``."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from atakora.cli import deploy as deploy_module
from atakora.cli.main import app
from atakora.diff import MASK, parse_resource_id, quiet_what_if

from .conftest import FakeAzure

FIXTURE = json.loads((Path(__file__).parent / "fixtures" / "whatif_result.json").read_text())
CHANGES: list[dict[str, Any]] = FIXTURE["properties"]["changes"]
CONTAINER = "Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers"
TEMPLATE = [
    {"type": CONTAINER, "name": "cosmos-a/order-db/order",
     "properties": {"resource": {"id": "order", "partitionKey": {"paths": ["/total"], "kind": "Hash", "version": 2}}}},
    {"type": "Microsoft.Web/sites", "name": "func-a", "tags": {"team": "a"}, "kind": "functionapp,linux",
     "properties": {"serverFarmId": "[resourceId('Microsoft.Web/serverfarms', 'asp-a')]", "siteConfig": {
         "appSettings": [{"name": "MODE", "value": "x"}, {"name": "DB_PASSWORD", "value": "new-secret"}]}}},
    {"type": "Microsoft.Storage/storageAccounts", "name": "stdiffa", "sku": {"name": "Standard_LRS"}},
]
OWNERS = {(CONTAINER.lower(), "cosmos-a/order-db/order"): "OrderApi"}


def test_resource_ids_give_type_and_name() -> None:
    assert parse_resource_id(CHANGES[0]["resourceId"]) == (CONTAINER, "cosmos-a/order-db/order")
    assert parse_resource_id("/subscriptions/s/resourceGroups/rg-a") == ("Microsoft.Resources/resourceGroups", "rg-a")


def test_what_if_noise_is_left_out() -> None:
    changes = {c.name: c for c in quiet_what_if("Main", CHANGES, template_resources=TEMPLATE, owners=OWNERS)}
    assert "stdiffa" not in changes  # only read-only and defaulted properties differed
    assert "cosmos-a" not in changes and not any("roleAssignments" in c.type for c in changes.values())
    site = changes["func-a"]
    assert site.action == "update" and not site.data_loss
    paths = [p.path for p in site.properties]
    assert "tags.team" in paths
    assert "properties.outboundIpAddresses" not in paths and "kind" not in paths
    assert "properties.serverFarmId" not in paths  # an expression ARM resolves during deployment
    assert "properties.siteConfig.numberOfWorkers" not in paths  # atakora does not set it


def test_a_partition_key_change_predicted_by_what_if_is_a_replace_with_data_loss() -> None:
    (container,) = [c for c in quiet_what_if("Main", CHANGES, template_resources=TEMPLATE, owners=OWNERS)
                    if c.name == "cosmos-a/order-db/order"]
    assert (container.action, container.data_loss, container.component) == ("replace", True, "OrderApi")
    assert [(p.path, p.before, p.after) for p in container.properties] == [
        ("properties.resource.partitionKey.paths[0]", "/id", "/total")]
    assert "partition key cannot change" in container.reason


def test_what_if_creates_and_deletes_keep_their_meaning() -> None:
    changes = {c.name: c for c in quiet_what_if("Main", CHANGES, template_resources=TEMPLATE)}
    assert changes["cosmos-a/user-db/user"].action == "create"
    queue = changes["sb-a/orders"]
    assert queue.action == "delete" and queue.data_loss and "messages" in queue.reason


def test_secret_values_in_what_if_are_masked() -> None:
    template = [dict(TEMPLATE[1])]
    site = next(c for c in quiet_what_if("Main", CHANGES, template_resources=template) if c.name == "func-a")
    setting = next(p for p in site.properties if p.path.startswith("properties.siteConfig.appSettings"))
    assert (setting.path, setting.before, setting.after) == (
        "properties.siteConfig.appSettings[name=DB_PASSWORD].value", MASK, MASK)
    assert "secret" not in json.dumps(site.to_json()).replace(MASK, "")


def test_deploy_what_if_prints_the_quiet_changes(monkeypatch: Any, azure: FakeAzure,
                                                 assembly_dir: Callable[..., Path]) -> None:
    monkeypatch.setattr(deploy_module, "make_session", lambda: azure)
    azure.existing_groups.add("rg-main")
    azure.results[("what-if", "atakora-Main")] = FIXTURE
    root = assembly_dir([{"id": "Main"}])
    result = CliRunner().invoke(app, ["deploy", "--assembly", str(root), "--subscription", "s", "--what-if"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "± replace (data loss) Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers" in out
    assert "properties.resource.partitionKey.paths[0]" in out and "outboundIpAddresses" not in out
    assert "stdiffa" not in out.split("what-if (read-only")[1]
    assert "deploy" not in azure.names()
    body = next(c[3] for c in azure.calls if c[0] == "what-if")
    assert body["properties"]["whatIfSettings"] == {"resultFormat": "FullResourcePayloads"}


def test_deploy_refuses_what_what_if_predicts_loses_data(monkeypatch: Any, azure: FakeAzure,
                                                         assembly_dir: Callable[..., Path]) -> None:
    monkeypatch.setattr(deploy_module, "make_session", lambda: azure)
    azure.existing_groups.add("rg-main")
    azure.results[("what-if", "atakora-Main")] = FIXTURE
    root = assembly_dir([{"id": "Main"}])
    args = ["deploy", "--assembly", str(root), "--subscription", "s", "--yes"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1
    assert "ARM what-if predicts changes that lose data" in result.output
    assert "cosmos-a/order-db/order" in result.output and "partition key cannot change" in result.output
    assert "what-if" in azure.names() and "deploy" not in azure.names()
    result = CliRunner().invoke(app, [*args, "--allow-data-loss"])
    assert result.exit_code == 0, result.output
    assert azure.names().count("deploy") == 1
