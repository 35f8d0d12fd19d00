from __future__ import annotations

from typing import Any

import pytest

from atakora.rules import AssemblyView
from atakora.rules.authorization import assignment_names_include_the_principal

from .conftest import findings, template

_IDENTITY = "resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', 'id-api')"
_GROUP = "7f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"


def _rbac(name: str, principal: str) -> dict[str, Any]:
    return {"type": "Microsoft.Authorization/roleAssignments", "name": name,
            "properties": {"roleDefinitionId": "r", "principalId": principal}}


@pytest.mark.parametrize("name, principal", [
    # the recreated identity keeps the name: the classic guid(scope, identity's resource id, role)
    (f"[guid(resourceGroup().id, {_IDENTITY}, 'role')]", f"[reference({_IDENTITY}, '2024-11-30').principalId]"),
    ("[guid(resourceGroup().id, 'role')]", "[parameters('readers')]"),
    ("11111111-2222-3333-4444-555555555555", _GROUP),
])
def test_a_role_assignment_named_without_its_principal_id_is_an_error(name: str, principal: str) -> None:
    found = findings(assignment_names_include_the_principal,
                     AssemblyView.from_templates({"S": template(_rbac(name, principal))}))
    assert [f.rule_id for f in found] == ["AZ-AUTH-001"]
    assert "RoleAssignmentUpdateNotPermitted" in found[0].message


def test_assignments_whose_names_include_the_principal_id_pass_also_inside_a_nested_deployment() -> None:
    inner = template(
        _rbac("[guid(resourceGroup().id, parameters('principalIds')['id-api'], 'role')]",
              "[parameters('principalIds')['id-api']]"),
        {"type": "Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments",
         "name": "[format('{0}/{1}', 'acct', guid('acct', parameters('principalIds')['id-api'], 'r', 's'))]",
         "properties": {"principalId": "[parameters('principalIds')['id-api']]", "scope": "s"}})
    deployment = {"type": "Microsoft.Resources/deployments", "name": "S-grants",
                  "properties": {"mode": "Incremental", "template": inner}}
    view = AssemblyView.from_templates({"S": template(
        deployment, _rbac(f"[guid(subscription().id, '{_GROUP}', 'role')]", _GROUP))})
    assert len(list(view.resources("Microsoft.Authorization/roleAssignments"))) == 2  # the nested one is seen
    assert not findings(assignment_names_include_the_principal, view)


def test_a_nested_assignment_named_without_its_principal_is_found() -> None:
    inner = template(_rbac("[guid(resourceGroup().id, 'role')]", "[parameters('principalIds')['id-api']]"))
    view = AssemblyView.from_templates({"S": template(
        {"type": "Microsoft.Resources/deployments", "name": "S-grants", "properties": {"template": inner}})})
    found = findings(assignment_names_include_the_principal, view)
    assert [f.rule_id for f in found] == ["AZ-AUTH-001"]
