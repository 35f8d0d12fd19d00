"""Role assignments the last deployment made and the program no longer has are removed before the stack deploys."""

from __future__ import annotations

import json
import shutil
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from azure.core.exceptions import HttpResponseError, ResourceNotFoundError
from click.testing import CliRunner

from atakora.cli import deploy as deploy_module
from atakora.cli.main import app
from atakora.deploy import Deployer, DeployError, DeployOptions, load_plan
from atakora.deploy.stale_grants import GrantRecord, assignment_id, stale_assignments
from atakora.deploy.state import state_dir_for

from .conftest import FakeAzure

SUB = "00000000-0000-0000-0000-000000000001"
GROUP = "rg-api"
ROLE = "3913510d-42f4-4e42-8a64-420c390055eb"
RA_TYPE = "Microsoft.Authorization/roleAssignments"
APPI = f"/subscriptions/{SUB}/resourceGroups/{GROUP}/providers/Microsoft.Insights/components/appi-api"
SITE = f"/subscriptions/{SUB}/resourceGroups/{GROUP}/providers/Microsoft.Web/sites/func-api"
ARM_GUID = uuid.UUID("11fb06fb-712d-4ddd-98c7-e71bbd588830")
OLD_ID = f"{APPI}/providers/Microsoft.Authorization/roleAssignments/{uuid.uuid5(ARM_GUID, f'{APPI}-{SITE}-{ROLE}')}"

OLD_ASSIGNMENT = {
    "type": RA_TYPE, "apiVersion": "2022-04-01",
    "name": f"[guid(resourceId('Microsoft.Insights/components', 'appi-api'), "
            f"resourceId('Microsoft.Web/sites', 'func-api'), '{ROLE}')]",
    "scope": "Microsoft.Insights/components/appi-api",
    "properties": {"roleDefinitionId": f"[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '{ROLE}')]",
                   "principalId": "[reference(resourceId('Microsoft.Web/sites', 'func-api'), '2023-12-01', "
                                  "'full').identity.principalId]"}}
NEW_ASSIGNMENT = {
    "type": RA_TYPE, "apiVersion": "2022-04-01",
    "name": f"[guid(resourceId('Microsoft.Insights/components', 'appi-api'), parameters('principalIds').api, '{ROLE}')]",
    "scope": "Microsoft.Insights/components/appi-api",
    "properties": {"roleDefinitionId": f"[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '{ROLE}')]",
                   "principalId": "[parameters('principalIds').api]"}}
STORAGE = {"type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-05-01", "name": "stapi"}
GRANTS = {"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "Api-grants",
          "properties": {"mode": "Incremental", "expressionEvaluationOptions": {"scope": "inner"},
                         "template": {"resources": [NEW_ASSIGNMENT]}}}


def _write(root: Path, resources: list[dict[str, Any]]) -> Path:
    template = json.loads((root / "Api.json").read_text())
    template["resources"] = resources
    (root / "Api.json").write_text(json.dumps(template))
    return root


def _record(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> dict[str, GrantRecord]:
    return {"Api": GrantRecord(tuple(before), tuple(after))}


def _run(azure: FakeAzure, assembly_dir: Callable[..., Path], **options: Any) -> Any:
    azure.existing_groups.add(GROUP)
    root = assembly_dir([{"id": "Api"}])
    return Deployer(azure).run(load_plan(root), DeployOptions(subscription_id=SUB, **options))


def test_an_old_named_assignment_evaluates_to_its_arm_id_on_its_scope() -> None:
    assert assignment_id(OLD_ASSIGNMENT, SUB, GROUP) == OLD_ID
    sql = {"type": "Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments",
           "name": "[format('{0}/{1}', 'cosmos-a', guid('x', 'y'))]"}
    assert assignment_id(sql, SUB, GROUP) == (f"/subscriptions/{SUB}/resourceGroups/{GROUP}/providers/"
                                              f"Microsoft.DocumentDB/databaseAccounts/cosmos-a/sqlRoleAssignments/"
                                              f"{uuid.uuid5(ARM_GUID, 'x-y')}")
    assert assignment_id(NEW_ASSIGNMENT, SUB, GROUP) is None


def test_only_recorded_assignments_missing_from_the_new_assembly_are_stale() -> None:
    kept = {**OLD_ASSIGNMENT, "name": OLD_ASSIGNMENT["name"].replace("func-api", "func-kept")}
    gone_storage = {**STORAGE, "name": "stgone"}
    stale = stale_assignments([OLD_ASSIGNMENT, kept, gone_storage, STORAGE], [kept, STORAGE, GRANTS["properties"]
                                                                               ["template"]["resources"][0]],
                              subscription=SUB, resource_group=GROUP)
    assert [s.id for s in stale] == [OLD_ID]


def test_the_old_assignment_is_deleted_before_the_deployment_and_nothing_else(
        azure: FakeAzure, assembly_dir: Callable[..., Path]) -> None:
    result = _run(azure, assembly_dir, grant_records=_record([OLD_ASSIGNMENT, STORAGE, {**STORAGE, "name": "stgone"}],
                                                             [STORAGE, GRANTS]))
    assert result.ok
    assert azure.names() == ["rg.exists", "validate", "delete", "deploy"]
    assert [c for c in azure.calls if c[0] == "delete"] == [("delete", OLD_ID, "2022-04-01")]
    assert result.stacks[0].notes == [f"removed role assignment {OLD_ID} (no longer in the program)"]


def test_an_assignment_already_gone_is_no_failure(azure: FakeAzure, assembly_dir: Callable[..., Path]) -> None:
    azure.failures[("delete", OLD_ID)] = ResourceNotFoundError("not found")
    result = _run(azure, assembly_dir, grant_records=_record([OLD_ASSIGNMENT], [GRANTS]))
    assert result.ok and azure.names()[-2:] == ["delete", "deploy"]
    assert result.stacks[0].notes == [f"role assignment {OLD_ID} is already gone"]


def test_a_failed_removal_stops_the_stack_before_it_deploys(
        azure: FakeAzure, assembly_dir: Callable[..., Path]) -> None:
    azure.failures[("delete", OLD_ID)] = HttpResponseError("Forbidden")
    result = _run(azure, assembly_dir, grant_records=_record([OLD_ASSIGNMENT], [GRANTS]))
    assert not result.ok and "deploy" not in azure.names()
    assert isinstance(result.error, DeployError) and "roleAssignments/delete" in result.error.fix


def test_what_if_and_validate_only_say_what_would_be_removed(
        azure: FakeAzure, assembly_dir: Callable[..., Path]) -> None:
    for mode in ("what-if", "validate"):
        result = _run(azure, assembly_dir, mode=mode, grant_records=_record([OLD_ASSIGNMENT], [GRANTS]))
        assert result.ok and result.stacks[0].notes == [f"would remove role assignment {OLD_ID} (no longer in the program)"]
    assert "delete" not in azure.names() and "deploy" not in azure.names()


def test_an_assignment_whose_id_needs_deployment_values_is_reported_not_deleted(
        azure: FakeAzure, assembly_dir: Callable[..., Path]) -> None:
    result = _run(azure, assembly_dir, grant_records=_record([NEW_ASSIGNMENT], [OLD_ASSIGNMENT]))
    assert result.ok and "delete" not in azure.names()
    assert "delete it in the portal" in result.stacks[0].notes[0]


def test_atakora_deploy_removes_what_the_record_holds_and_the_program_dropped(
        monkeypatch: Any, azure: FakeAzure, assembly_dir: Callable[..., Path]) -> None:
    monkeypatch.setattr(deploy_module, "make_session", lambda: azure)
    azure.existing_groups.add(GROUP)
    root = _write(assembly_dir([{"id": "Api"}]), [STORAGE, GRANTS])
    record = state_dir_for(root)
    shutil.copytree(root, record)
    _write(record, [STORAGE, OLD_ASSIGNMENT])
    result = CliRunner().invoke(app, ["deploy", "--assembly", str(root), "--subscription", SUB, "--yes"])
    assert result.exit_code == 0, result.output
    assert azure.names().index("delete") < azure.names().index("deploy")
    assert f"removed role assignment {OLD_ID}" in result.output.replace("\n", "")
    assert "left in Azure" not in result.output
    again = CliRunner().invoke(app, ["deploy", "--assembly", str(root), "--subscription", SUB, "--yes"])
    assert again.exit_code == 0 and azure.names().count("delete") == 1
