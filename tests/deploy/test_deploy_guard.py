"""The data-loss guard of ``atakora deploy``: what was last deployed, refusals before Azure, orphans."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from diff_programs import ORDERS, USERS, program_text

from atakora.cli import deploy as deploy_module
from atakora.cli.main import app

from .conftest import FakeAzure

SUB = "11111111-2222-3333-4444-555555555555"
runner = CliRunner()
BOTH = program_text(USERS.format(extra=""), ORDERS.format(extra=""))
NEW_KEY = program_text(USERS.format(extra=""), ORDERS.format(extra="").replace('"/id"', '"/total"'))


@pytest.fixture
def sessions(monkeypatch: pytest.MonkeyPatch, azure: FakeAzure, tmp_path: Path) -> list[int]:
    """How often deploy asked for Azure clients (credentials); the fake Azure is used."""
    made: list[int] = []

    def make() -> FakeAzure:
        made.append(1)
        return azure
    monkeypatch.setattr(deploy_module, "make_session", make)
    monkeypatch.setenv("AZURE_SUBSCRIPTION_ID", SUB)
    monkeypatch.chdir(tmp_path)
    return made


def _deploy(tmp_path: Path, text: str, *args: str) -> tuple[int, str]:
    program = tmp_path / "app.py"
    program.write_text(text)
    result = runner.invoke(app, ["deploy", str(program), "--yes", *args])
    return result.exit_code, result.output


def test_deploy_records_what_it_deployed(azure: FakeAzure, sessions: list[int], tmp_path: Path) -> None:
    code, out = _deploy(tmp_path, BOTH)
    assert code == 0, out
    assert "every resource is new" in out
    record = tmp_path / ".atakora-deployed" / "atakora.out"
    assert json.loads((record / "manifest.json").read_text())["deployOrder"] == ["Main"]
    assert (record / "Main.json").read_bytes() == (tmp_path / "atakora.out" / "Main.json").read_bytes()
    code, out = _deploy(tmp_path, BOTH)
    assert code == 0 and "no changes since the last deployment" in out


def test_deploy_refuses_a_data_loss_change_before_calling_azure(
        azure: FakeAzure, sessions: list[int], tmp_path: Path) -> None:
    assert _deploy(tmp_path, BOTH)[0] == 0
    calls, made = len(azure.calls), len(sessions)
    code, out = _deploy(tmp_path, NEW_KEY)
    assert code == 1
    assert "refusing to deploy: these changes lose data" in out
    assert "cosmos" in out and "/order-db/order" in out and "properties.resource.partitionKey.paths" in out
    assert "partition key cannot change" in out and "--allow-data-loss" in out
    assert len(azure.calls) == calls and len(sessions) == made  # no Azure call, no credentials


def test_allow_data_loss_deploys_the_change(azure: FakeAzure, sessions: list[int], tmp_path: Path) -> None:
    assert _deploy(tmp_path, BOTH)[0] == 0
    deploys = azure.names().count("deploy")
    code, out = _deploy(tmp_path, NEW_KEY, "--allow-data-loss")
    assert code == 0, out
    assert azure.names().count("deploy") == deploys + 1
    assert "replace" in out and "(data loss)" in out
    code, out = _deploy(tmp_path, NEW_KEY)  # recorded: no change left
    assert code == 0 and "no changes since the last deployment" in out


def test_a_protected_component_refuses_even_with_allow_data_loss(
        azure: FakeAzure, sessions: list[int], tmp_path: Path) -> None:
    protected = program_text(USERS.format(extra=""), ORDERS.format(extra=", protect=True"))
    assert _deploy(tmp_path, protected)[0] == 0
    changed = program_text(USERS.format(extra=""), ORDERS.format(extra=", protect=True").replace('"/id"', '"/total"'))
    code, out = _deploy(tmp_path, changed, "--allow-data-loss")
    assert code == 1 and "protected component" in out and "OrderApi" in out


def test_a_removed_crud_api_is_listed_as_an_orphan_after_deploy(
        azure: FakeAzure, sessions: list[int], tmp_path: Path) -> None:
    assert _deploy(tmp_path, BOTH)[0] == 0
    code, out = _deploy(tmp_path, program_text(USERS.format(extra="")))
    assert code == 0, out
    assert "left in Azure" in out and "/order-db/order" in out and "(holds data)" in out
    assert "atakora deploy --prune" in out


def _cosmos_id(tmp_path: Path) -> str:
    template = json.loads((tmp_path / "atakora.out" / "Main.json").read_text())
    account = next(r for r in template["resources"] if r["type"] == "Microsoft.DocumentDB/databaseAccounts")
    return (f"/subscriptions/{SUB}/resourceGroups/rg-diff/providers/Microsoft.DocumentDB/databaseAccounts/"
            f"{account['name']}")


def _deletes(azure: FakeAzure) -> list[str]:
    return [str(c[1]) for c in azure.calls if c[0] == "delete"]


def test_prune_keeps_orphans_that_hold_data_unless_allowed(
        azure: FakeAzure, sessions: list[int], tmp_path: Path) -> None:
    assert _deploy(tmp_path, BOTH)[0] == 0
    azure.resources[_cosmos_id(tmp_path).lower()] = {"tags": {"managed-by": "atakora"}}
    code, out = _deploy(tmp_path, program_text(USERS.format(extra="")), "--prune")
    assert code == 0, out
    assert _deletes(azure) == [] and "prune kept" in out and "pass --allow-data-loss" in out
    assert "left in Azure" in out  # still recorded: listed again next time
    code, out = _deploy(tmp_path, program_text(USERS.format(extra="")), "--prune", "--allow-data-loss")
    assert code == 0, out
    database = _cosmos_id(tmp_path) + "/sqlDatabases/order-db"
    assert _deletes(azure) == [database]  # the container goes with its database
    assert "prune deleted" in out
    left = out.split("left in Azure")[1]  # a role assignment named by an expression stays, with a note
    assert "/order-db/order " not in left and "sqlRoleAssignments" in left and "ARM expression" in out
    code, out = _deploy(tmp_path, program_text(USERS.format(extra="")), "--prune")
    assert code == 0 and "/order-db/order " not in out.split("left in Azure")[1] and _deletes(azure) == [database]


def test_prune_never_deletes_what_atakora_did_not_tag(azure: FakeAzure, sessions: list[int], tmp_path: Path) -> None:
    assert _deploy(tmp_path, BOTH)[0] == 0
    azure.resources[_cosmos_id(tmp_path).lower()] = {"tags": {"owner": "someone"}}
    code, out = _deploy(tmp_path, program_text(USERS.format(extra="")), "--prune", "--allow-data-loss")
    assert code == 0, out
    assert _deletes(azure) == [] and "not tagged managed-by=atakora" in out


def test_prune_asks_first_and_deletes_nothing_when_declined(
        azure: FakeAzure, sessions: list[int], tmp_path: Path) -> None:
    assert _deploy(tmp_path, BOTH)[0] == 0
    azure.resources[_cosmos_id(tmp_path).lower()] = {"tags": {"managed-by": "atakora"}}
    program = tmp_path / "app.py"
    program.write_text(program_text(USERS.format(extra="")))
    result = runner.invoke(app, ["deploy", str(program), "--prune", "--allow-data-loss"], input="y\nn\n")
    assert result.exit_code == 0, result.output
    assert "resource(s) no longer in the program (atakora-tagged only)?" in result.output and _deletes(azure) == []


def test_prune_never_deletes_a_protected_components_data(
        azure: FakeAzure, sessions: list[int], tmp_path: Path) -> None:
    protected = program_text(USERS.format(extra=""), ORDERS.format(extra=", protect=True"))
    assert _deploy(tmp_path, protected)[0] == 0
    azure.resources[_cosmos_id(tmp_path).lower()] = {"tags": {"managed-by": "atakora"}}
    code, out = _deploy(tmp_path, program_text(USERS.format(extra="")), "--prune", "--allow-data-loss")
    assert code == 0, out
    assert _deletes(azure) == [] and "protect=True" in out


def test_deploy_refuses_renaming_a_database(azure: FakeAzure, sessions: list[int], tmp_path: Path) -> None:
    assert _deploy(tmp_path, BOTH)[0] == 0
    renamed = program_text(USERS.format(extra=""), ORDERS.format(extra=", database_name='sales-db'"))
    code, out = _deploy(tmp_path, renamed)
    assert code == 1 and "renamed to" in out and "order-db" in out


def test_prune_and_allow_data_loss_need_a_deployment(azure: FakeAzure, sessions: list[int], tmp_path: Path) -> None:
    code, out = _deploy(tmp_path, BOTH, "--what-if", "--prune")
    assert code == 1 and "--prune applies to a deployment, not to --what-if" in out
    code, out = _deploy(tmp_path, BOTH, "--validate-only", "--allow-data-loss")
    assert code == 1 and "--allow-data-loss applies to a deployment, not to --validate-only" in out
    assert azure.calls == [] and sessions == []
