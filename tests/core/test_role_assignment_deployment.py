"""Role assignments named after their principal's object id (RoleAssignmentUpdateNotPermitted, issue 8)."""

from __future__ import annotations

import itertools
import json

from atakora import App, ResourceGroupStack
from atakora.core import ArmResource
from atakora.core.synthesis import render_stack
from atakora.resources.authorization import BuiltInRole, RoleAssignment
from atakora.resources.documentdb import CosmosDbAccount, CosmosSqlDatabase, CosmosSqlRoleAssignment
from atakora.resources.managedidentity import UserAssignedIdentity
from atakora.rules import AssemblyView, UnitView, run_rules
from atakora.testing import Template

RA = "Microsoft.Authorization/roleAssignments"
GROUP = "11111111-2222-3333-4444-555555555555"


def _stack() -> ResourceGroupStack:
    return ResourceGroupStack(App(), "Main", resource_group_name="rg-test", location="westeurope")


def _view(stack: ResourceGroupStack) -> AssemblyView:
    units = render_stack(stack)
    return AssemblyView(units=tuple(UnitView(u.id, u.stack_path, u.template, u.manifest_entry(),
                                             tuple(u.resource_paths)) for u in units), manifest={})


def test_a_recreated_identity_gets_a_new_assignment_name_because_the_name_includes_its_object_id() -> None:
    stack = _stack()
    identity = UserAssignedIdentity(stack, "Id", name="id-api")
    RoleAssignment(stack, "Reader", role=BuiltInRole.READER, principal=identity)
    (deployment,) = Template.from_stack(stack).find_resources("Microsoft.Resources/deployments")
    (assignment,) = deployment["properties"]["template"]["resources"]
    # The name's guid() takes the object id ARM passes in: a new identity (new object id) yields a new name.
    assert assignment["name"] == ("[guid(resourceGroup().id, parameters('principalIds')['id-api'], "
                                  "'acdd72a7-3385-48ef-bd42-f606fba81ae7')]")
    assert deployment["properties"]["parameters"]["principalIds"]["value"]["id-api"].endswith(".principalId]")
    report = run_rules(_view(stack))
    assert not report.errors


def test_every_runtime_principal_assignment_of_a_stack_shares_one_deployment_and_literal_ones_stay_outside() -> None:
    stack = _stack()
    identities = [UserAssignedIdentity(stack, f"Id{i}", name=f"id-{i}") for i in range(5)]
    site = ArmResource(stack, "Web", type="Microsoft.Web/sites", api_version="2024-11-01", name="web-test",
                       identity={"type": "SystemAssigned"})
    for i, identity in enumerate(identities):
        RoleAssignment(stack, f"Reader{i}", role=BuiltInRole.READER, principal=identity)
    RoleAssignment(stack, "SiteReader", role=BuiltInRole.READER, principal=site)
    RoleAssignment(stack, "Group", role=BuiltInRole.READER, principal=GROUP, principal_type="Group")
    (unit,) = render_stack(stack)
    top = unit.template["resources"]
    deployments = [r for r in top if r["type"] == "Microsoft.Resources/deployments"]
    assert len(deployments) == 1
    assert [r["properties"]["principalId"] for r in top if r["type"] == RA] == [GROUP]  # known at the start
    inner = deployments[0]["properties"]["template"]["resources"]
    assert len(inner) == 6
    assert sorted(deployments[0]["properties"]["parameters"]["principalIds"]["value"]) == [
        "id-0", "id-1", "id-2", "id-3", "id-4", "web-test"]
    # Each inner assignment's construct path is recorded right after its deployment's.
    assert unit.resource_paths[top.index(deployments[0]) + 1:][:6] == [
        *(f"Main/Reader{i}" for i in range(5)), "Main/SiteReader"]


def test_cosmos_assignments_in_the_deployment_stay_one_chain_per_account() -> None:
    stack = _stack()
    account = CosmosDbAccount(stack, "Cosmos", name="cosmos-test")
    database = CosmosSqlDatabase(account, "Db", name="db")
    identities = [UserAssignedIdentity(stack, f"Id{i}", name=f"id-{i}") for i in range(4)]
    for i, identity in enumerate(identities):
        database.grant_data_access(f"Access{i}", principal_id=identity)
    (deployment,) = Template.from_stack(stack).find_resources("Microsoft.Resources/deployments")
    inner = deployment["properties"]["template"]["resources"]
    assert "dependsOn" not in inner[0]
    for before, after in itertools.pairwise(inner):  # each waits for the one before: Cosmos locks the account
        assert after["dependsOn"] == [
            "[resourceId('Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments', 'cosmos-test', "
            + before["name"].split("'cosmos-test', ")[1][:-2] + ")]"]
    assert "[resourceId('Microsoft.DocumentDB/databaseAccounts/sqlDatabases', 'cosmos-test', 'db')]" in (
        deployment["dependsOn"])
    assert not run_rules(_view(stack)).errors


def test_an_assignment_after_one_in_the_deployment_follows_it_there_even_with_a_literal_principal() -> None:
    stack = _stack()
    account = CosmosDbAccount(stack, "Cosmos", name="cosmos-test")
    CosmosSqlRoleAssignment(account, "Identity", principal_id=UserAssignedIdentity(stack, "Id", name="id-0"))
    CosmosSqlRoleAssignment(account, "Group", principal_id=GROUP)
    (unit,) = render_stack(stack)
    assert not [r for r in unit.template["resources"] if r["type"].endswith("sqlRoleAssignments")]
    assert not run_rules(_view(stack)).errors


def test_a_resource_that_depends_on_an_assignment_waits_for_its_deployment() -> None:
    stack = _stack()
    identity = UserAssignedIdentity(stack, "Id", name="id-0")
    assignment = RoleAssignment(stack, "Reader", role=BuiltInRole.READER, principal=identity)
    later = ArmResource(stack, "Later", type="Microsoft.Storage/storageAccounts", api_version="2025-01-01",
                        name="stlater0001")
    later.add_dependency(assignment)
    body = Template.from_stack(stack).find_resources("Microsoft.Storage/storageAccounts")[0]
    assert body["dependsOn"] == ["[resourceId('Microsoft.Resources/deployments', 'Main-grants')]"]


def test_more_assignments_than_one_template_takes_split_into_deployments_that_follow_each_other() -> None:
    stack = _stack()
    account = CosmosDbAccount(stack, "Cosmos", name="cosmos-test")
    for i in range(820):
        account_identity = UserAssignedIdentity(stack, f"Id{i}", name=f"id-{i:04d}")
        CosmosSqlRoleAssignment(account, f"Access{i}", principal_id=account_identity)
    units = render_stack(stack)
    deployments = [r for u in units for r in u.template["resources"] if r["type"] == "Microsoft.Resources/deployments"]
    assert [d["name"] for d in deployments] == ["Main-grants", "Main-grants-2"]
    sizes = [len(d["properties"]["template"]["resources"]) for d in deployments]
    assert sum(sizes) == 820 and max(sizes) <= 800
    assert all(len(json.dumps(d, separators=(",", ":"))) < 1024 * 1024 for d in deployments)
    # The Cosmos chain continues across them: the second deployment waits for the first.
    second = deployments[1]
    assert "[resourceId('Microsoft.Resources/deployments', 'Main-grants')]" in second.get("dependsOn", []) or any(
        "Main.part" in d or d == "Main" for u in units if second in u.template["resources"] for d in u.dependencies)
    first_keys = set(deployments[0]["properties"]["parameters"]["principalIds"]["value"])
    second_keys = set(second["properties"]["parameters"]["principalIds"]["value"])
    assert first_keys.isdisjoint(second_keys) and len(first_keys | second_keys) == 820


def test_a_subscription_stack_grants_a_managed_identity_through_a_subscription_level_deployment() -> None:
    from atakora import SubscriptionStack

    app = App()
    sub = SubscriptionStack(app, "Sub", location="westeurope")
    workload = ResourceGroupStack(sub, "Workload", resource_group_name="rg-workload", location="westeurope")
    identity = UserAssignedIdentity(workload, "Id", name="id-ops")
    RoleAssignment(sub, "Reader", role=BuiltInRole.READER, principal=identity)
    (unit,) = render_stack(sub)
    (deployment,) = [r for r in unit.template["resources"] if r["type"] == "Microsoft.Resources/deployments"
                     and r["name"].endswith("-grants")]
    assert deployment["location"] == "westeurope"
    template = deployment["properties"]["template"]
    assert template["$schema"].endswith("subscriptionDeploymentTemplate.json#")
    (assignment,) = template["resources"]
    assert assignment["name"].startswith("[guid(subscription().id, parameters('principalIds')['id-ops']")
    assert "rg-workload" in deployment["properties"]["parameters"]["principalIds"]["value"]["id-ops"]
    assert "Sub-Workload" in unit.dependencies  # after the stack that creates the identity


def test_a_stack_parameter_an_assignment_uses_is_passed_into_its_role_assignment_deployment() -> None:
    stack = _stack()
    role = stack.add_parameter("readerRole", default="acdd72a7-3385-48ef-bd42-f606fba81ae7")
    identity = UserAssignedIdentity(stack, "Id", name="id-api")
    RoleAssignment(stack, "Reader", role=role.value, principal=identity)
    (deployment,) = Template.from_stack(stack).find_resources("Microsoft.Resources/deployments")
    properties = deployment["properties"]
    assert properties["parameters"]["readerRole"] == {"value": "[parameters('readerRole')]"}
    assert properties["template"]["parameters"] == {"principalIds": {"type": "object"}, "readerRole": {"type": "string"}}
    assert list(properties["parameters"]["principalIds"]["value"]) == ["id-api"]


def test_a_remembered_name_uses_its_principal_again_in_the_assignment_rendered_next() -> None:
    from atakora.core.synthesis.grants import _GrantContext

    stack = _stack()
    identity = UserAssignedIdentity(stack, "Id", name="id-0")
    first = RoleAssignment(stack, "First", role=BuiltInRole.READER, principal=identity)
    ctx = _GrantContext(stack, {}, {})
    text = ctx.resource_id_call(first)
    noted = list(ctx.deps)
    assert ctx.used == ["id-0"] and "parameters('principalIds')['id-0']" in text
    ctx.deps, ctx.used = [], []
    assert ctx.resource_id_call(first) == text
    assert ctx.used == ["id-0"] and ctx.deps == noted


def test_rules_see_the_name_and_path_of_each_assignment_in_the_deployment_which_the_unit_does_not_keep() -> None:
    stack = _stack()
    for i in range(3):
        RoleAssignment(stack, f"Reader{i}", role=BuiltInRole.READER,
                       principal=UserAssignedIdentity(stack, f"Id{i}", name=f"id-{i}"))
    (unit,) = render_stack(stack)
    inner = [i for i, within in enumerate(unit.index.within) if within]
    assert len(inner) == 3 and all(unit.index.names[i] is None for i in inner)  # read from the body when asked
    resources = UnitView.of_unit(unit, unit.manifest_entry()).resources
    seen = [(resources[i].name, resources[i].path) for i in inner]
    reader = "acdd72a7-3385-48ef-bd42-f606fba81ae7"
    names = [f"[guid(resourceGroup().id, parameters('principalIds')['id-{i}'], '{reader}')]" for i in range(3)]
    assert seen == [(names[i], f"Main/Reader{i}") for i in range(3)]
    assert not isinstance(unit.resource_paths, list) and unit.resource_paths[inner[0]] == "Main/Reader0"
