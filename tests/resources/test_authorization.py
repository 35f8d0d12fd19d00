from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from atakora import App, ResourceGroupStack, SubscriptionStack
from atakora.core import ArmResource
from atakora.errors import ConfigurationError
from atakora.resources.authorization import API_VERSIONS, BuiltInRole, RoleAssignment, role_definition_id
from atakora.resources.keyvault import KeyVault
from atakora.resources.managedidentity import UserAssignedIdentity
from atakora.testing import Template

RA = "Microsoft.Authorization/roleAssignments"
PRINCIPAL = "11111111-2222-3333-4444-555555555555"


@pytest.fixture
def stack() -> ResourceGroupStack:
    return ResourceGroupStack(App(), "Main", resource_group_name="rg-test", location="westeurope")


@pytest.fixture
def identity(stack: ResourceGroupStack) -> UserAssignedIdentity:
    return UserAssignedIdentity(stack, "Id", name="id-workload")


def test_built_in_roles_have_the_azure_role_definition_ids() -> None:
    expected = {
        "Storage Blob Data Owner": "b7e6dc6d-f1e8-4753-8033-0f276bb0955b",
        "Storage Blob Data Contributor": "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
        "Storage Blob Data Reader": "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
        "Storage Queue Data Contributor": "974c5e8b-45b9-4653-ba55-5f855dd0fb88",
        "Storage Table Data Contributor": "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3",
        "Storage Account Contributor": "17d1049b-9a84-46fb-8f53-869881c3d3ab",
        "Key Vault Secrets User": "4633458b-17de-408a-b874-0445c86b69e6",
        "Key Vault Secrets Officer": "b86a8fe4-44ce-4948-aee5-eccb2c155cd7",
        "Azure Service Bus Data Sender": "69a216fc-b8fb-44d8-bc22-1f3c2cd27a39",
        "Azure Service Bus Data Receiver": "4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0",
        "Azure Service Bus Data Owner": "090c5cfd-751d-490a-894a-3ce6f1109419",
        "Monitoring Metrics Publisher": "3913510d-42f4-4e42-8a64-420c390055eb",
        "Reader": "acdd72a7-3385-48ef-bd42-f606fba81ae7",
        "Contributor": "b24988ac-6180-42a0-ab88-20f7382dd24c",
        "Cosmos DB Account Reader Role": "fbdf93bf-df7d-467e-a4d2-9458aa1360c8",
        "DocumentDB Account Contributor": "5bd9cd88-fe45-4216-938b-f97437e15450",
    }
    assert {role.display_name: role.value for role in BuiltInRole} == expected
    assert BuiltInRole.from_display_name("key vault secrets user") is BuiltInRole.KEY_VAULT_SECRETS_USER


def test_role_assignment_on_a_target_golden(stack: ResourceGroupStack, identity: UserAssignedIdentity,
                                            golden: Callable[[str, Any], None]) -> None:
    vault = KeyVault(stack, "Vault", name="kv-test-0001")
    ra = RoleAssignment(stack, "Secrets", role=BuiltInRole.KEY_VAULT_SECRETS_USER, principal=identity, target=vault,
                        description="workload reads secrets")
    assert ra.api_version == API_VERSIONS[RA]
    golden("resources/authorization_role_assignment", Template.from_stack(stack).to_json())


def test_role_assignment_on_a_target_is_an_extension_resource_named_after_the_identitys_object_id(
        stack: ResourceGroupStack, identity: UserAssignedIdentity) -> None:
    vault = KeyVault(stack, "Vault", name="kv-test-0001")
    RoleAssignment(stack, "Secrets", role=BuiltInRole.KEY_VAULT_SECRETS_USER, principal=identity, target=vault)
    template = Template.from_stack(stack)
    assert not [r for r in template.resources if r["type"] == RA]  # it deploys in the role-assignment deployment
    deployment = template.find_resources("Microsoft.Resources/deployments")[0]
    assert deployment["name"] == "Main-grants"
    assert deployment["properties"]["expressionEvaluationOptions"] == {"scope": "inner"}
    ra = template.find_resources(RA)[0]
    assert ra["scope"] == "Microsoft.KeyVault/vaults/kv-test-0001"
    # The name includes the object id (a new identity gets a new assignment), which is a parameter there:
    # names must be known when the deployment starts, so no reference() in it.
    assert ra["name"] == ("[guid(resourceId('Microsoft.KeyVault/vaults', 'kv-test-0001'), "
                          "parameters('principalIds')['id-workload'], '4633458b-17de-408a-b874-0445c86b69e6')]")
    assert ra["properties"] == {
        "roleDefinitionId": "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', "
                            "'4633458b-17de-408a-b874-0445c86b69e6')]",
        "principalId": "[parameters('principalIds')['id-workload']]",
        "principalType": "ServicePrincipal"}
    assert deployment["properties"]["parameters"]["principalIds"] == {"value": {"id-workload": (
        "[reference(resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', 'id-workload'), "
        "'2024-11-30').principalId]")}}
    assert "location" not in ra and "tags" not in ra and "dependsOn" not in ra
    assert sorted(deployment["dependsOn"]) == [
        "[resourceId('Microsoft.KeyVault/vaults', 'kv-test-0001')]",
        "[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', 'id-workload')]"]


def test_role_assignment_without_target_covers_the_resource_group(stack: ResourceGroupStack) -> None:
    RoleAssignment(stack, "Readers", role="Reader", principal=PRINCIPAL, principal_type="Group")
    ra = Template.from_stack(stack).find_resources(RA)[0]
    assert "scope" not in ra
    assert f"guid(resourceGroup().id, '{PRINCIPAL}', 'acdd72a7-3385-48ef-bd42-f606fba81ae7')" in ra["name"]
    assert ra["properties"]["principalType"] == "Group"


def test_role_assignment_in_a_subscription_stack_covers_the_subscription(golden: Callable[[str, Any], None]) -> None:
    sub = SubscriptionStack(App(), "Sub", location="westeurope", tags={"team": "platform"})
    readers = sub.add_parameter("readers", description="Object id of the readers group")
    ra = RoleAssignment(sub, "Readers", role=BuiltInRole.READER, principal=readers.value,
                        principal_type="Group")
    sub.add_output("assignmentId", ra.resource_id)
    template = Template.from_stack(sub)
    golden("resources/authorization_subscription_role_assignment", template.to_json())
    assert "guid(subscription().id, parameters('readers')" in template.find_resources(RA)[0]["name"]
    assert template.template["outputs"]["assignmentId"]["value"].startswith(
        "[subscriptionResourceId('Microsoft.Authorization/roleAssignments'")


def test_role_assignment_accepts_a_custom_role_guid_and_a_role_id_expression(stack: ResourceGroupStack) -> None:
    custom = "AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE"
    RoleAssignment(stack, "Custom", role=custom, principal=PRINCIPAL)
    RoleAssignment(stack, "Expr", role=role_definition_id(BuiltInRole.CONTRIBUTOR), principal=PRINCIPAL)
    ids = [r["properties"]["roleDefinitionId"] for r in Template.from_stack(stack).find_resources(RA)]
    assert ids == [
        "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee')]",
        "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'b24988ac-6180-42a0-ab88-20f7382dd24c')]"]


def test_role_assignment_uses_the_system_assigned_identity_of_a_resource(stack: ResourceGroupStack) -> None:
    app = ArmResource(stack, "Web", type="Microsoft.Web/sites", api_version="2024-11-01", name="web-test",
                      identity={"type": "SystemAssigned"})
    RoleAssignment(stack, "Reader", role=BuiltInRole.READER, principal=app)
    (assignment,) = Template.from_stack(stack).role_assignments()
    assert assignment["properties"]["principalId"] == (
        "[reference(resourceId('Microsoft.Web/sites', 'web-test'), '2024-11-01', 'Full').identity.principalId]")
    assert "parameters('principalIds')['web-test']" in assignment["name"]


def test_role_assignment_rejects_a_principal_without_identity(stack: ResourceGroupStack) -> None:
    vault = KeyVault(stack, "Vault", name="kv-test-0001")
    with pytest.raises(ConfigurationError, match="principal Main/Vault has no system-assigned managed identity"):
        RoleAssignment(stack, "Bad", role=BuiltInRole.READER, principal=vault)


def test_role_assignment_rejects_an_unknown_role_name(stack: ResourceGroupStack) -> None:
    with pytest.raises(ConfigurationError, match="role 'Owner of Everything' is neither a role definition GUID"):
        RoleAssignment(stack, "Bad", role="Owner of Everything", principal=PRINCIPAL)


def test_role_assignment_rejects_a_principal_that_is_not_a_guid(stack: ResourceGroupStack) -> None:
    with pytest.raises(ConfigurationError, match="principal 'alice@example.com' is not an object id GUID"):
        RoleAssignment(stack, "Bad", role=BuiltInRole.READER, principal="alice@example.com")


def test_role_assignment_rejects_an_unknown_principal_type(stack: ResourceGroupStack) -> None:
    with pytest.raises(ConfigurationError, match=r"principal_type: input should be .*\(given 'Robot'"):
        RoleAssignment(stack, "Bad", role=BuiltInRole.READER, principal=PRINCIPAL,
                       principal_type="Robot")  # type: ignore[arg-type]


def test_role_assignment_rejects_a_target_in_another_stack(stack: ResourceGroupStack) -> None:
    vault = KeyVault(stack, "Vault", name="kv-test-0001")
    other = ResourceGroupStack(stack.app, "Other", resource_group_name="rg-other", location="westeurope")
    with pytest.raises(ConfigurationError, match="target Main/Vault is not in this resource group stack"):
        RoleAssignment(other, "Bad", role=BuiltInRole.READER, principal=PRINCIPAL, target=vault)


def test_role_assignment_rejects_a_literal_name_that_is_not_a_guid(stack: ResourceGroupStack) -> None:
    from atakora.errors import NamingError

    with pytest.raises(NamingError, match="'readers' is not a GUID"):
        RoleAssignment(stack, "Bad", role=BuiltInRole.READER, principal=PRINCIPAL, name="readers")
