"""Rules for role assignments (Azure RBAC and Cosmos DB data-plane)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ._model import AssemblyView, Violation
from ._registry import builtin

__all__ = ["assignment_names_include_the_principal"]

_TYPES = ("Microsoft.Authorization/roleAssignments", "Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments")
_RUNTIME = re.compile(r"\b(reference|list\w*)\(", re.IGNORECASE)


@builtin("AZ-AUTH-001", "error", title="a role assignment's name includes its principal id",
         docs="https://learn.microsoft.com/azure/role-based-access-control/troubleshooting"
              "#symptom---arm-template-role-assignment-returns-badrequest-status")
def assignment_names_include_the_principal(assembly: AssemblyView) -> Iterator[Violation]:
    """Azure never changes the principal of an existing assignment (RoleAssignmentUpdateNotPermitted; Cosmos DB:
    "Updating SQL Role Assignment Principal ID is not permitted"): when an identity is deleted and recreated
    with a new object id, an assignment whose name does not include that id fails the next deployment."""
    for assignment in assembly.resources(*_TYPES):
        principal = assignment.properties.get("principalId")
        if not isinstance(principal, str) or not principal:
            continue
        name = assignment.name
        is_expression = principal.startswith("[") and not principal.startswith("[[")
        value = principal[1:-1] if is_expression else principal
        if is_expression and _RUNTIME.search(value):
            problem = ("its principal id is read at deployment (reference()), which ARM does not allow in a name, "
                       "so the name stays the same when the identity is recreated")
        elif value.lower() in name.lower():
            continue
        else:
            problem = "its name does not include the principal id, so it stays the same when the principal changes"
        yield Violation(
            assignment, f"role assignment {name}: {problem}; Azure then refuses the next deployment "
                        "(RoleAssignmentUpdateNotPermitted: the principal of an assignment cannot be updated)",
            fix="name it guid(scope, principal id, role) with the principal id known at the start of the deployment "
                "(a parameter, as atakora's role-assignment deployment passes managed identities' ids)")
