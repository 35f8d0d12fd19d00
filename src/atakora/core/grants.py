"""Role grants: what an assignment gives (for reports), and how assignments are named.

Azure refuses to change the principal of an existing role assignment (RoleAssignmentUpdateNotPermitted),
so an assignment's name must change when its principal does: names are ``guid(scope, principal id, role)``
(https://learn.microsoft.com/azure/azure-resource-manager/bicep/scenarios-rbac). A managed identity's
principal id is known only at deployment (``reference()``), which ARM does not allow in a name
(https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-resource#reference):
such assignments are rendered into the stack's role-assignment deployment, a nested deployment that takes
the principal ids as a parameter (see ``synthesis/grants.py``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .expressions import (
    Expr,
    ExprArg,
    KnownExpr,
    NamedExpr,
    RawExpr,
    ReferenceExpr,
    RenderContext,
    _Call,
    _ListKeys,
    _Member,
    guid,
)

if TYPE_CHECKING:
    from .resource import Resource

__all__ = ["Grant", "PrincipalId", "assignment_name", "principal_id_of", "runtime_principal", "uses_runtime_value"]


@dataclass(frozen=True)
class Grant:
    """The access a role assignment gives: a role's display name, to a principal, on a target.

    ``principal`` is the resource whose identity holds the role (None for an object id given as a
    value); ``target`` is the resource the role covers (None for a whole resource group or subscription).
    """

    role: str
    principal: Resource | None
    target: Resource | None
    within: str | None = None
    """What the role covers inside ``target`` when that is no resource of its own (a Key Vault secret's name)."""


class PrincipalId(Expr):
    """A principal (object) id known only at deployment, such as a managed identity's ``principalId``.

    In the outer template it renders as its value (``reference(...).principalId``); inside the stack's
    role-assignment deployment it renders as that deployment's parameter, so a name may include it.
    ``key`` is a deploy-time constant that tells principals apart (the identity's name).
    """

    __slots__ = ("key", "principal", "value")

    def __init__(self, value: Expr, key: str, principal: Resource | None = None) -> None:
        self.value = value
        self.key = key
        self.principal = principal

    def render_inner(self, ctx: RenderContext) -> str:
        as_parameter = getattr(ctx, "principal_parameter", None)
        if as_parameter is not None:
            text: str = as_parameter(self)
            return text
        return self.value.render_inner(ctx)

    def resources(self) -> Iterator[Resource]:
        return self.value.resources()


def principal_id_of(principal: Resource, value: Expr | None = None) -> PrincipalId:
    """The principal id of ``principal``'s managed identity (``value``: default its ``principal_id``)."""
    name = principal.name_segments[-1]
    key = name if isinstance(name, str) else principal.node.path
    return PrincipalId(value if value is not None else principal.principal_id, key, principal)


def runtime_principal(value: Expr) -> PrincipalId:
    """A principal id given as an expression that calls ``reference()`` (keyed by its text)."""
    return PrincipalId(value, "p" + hashlib.sha256(repr(value).encode()).hexdigest()[:10])


def uses_runtime_value(expr: Expr) -> bool:
    """True when ``expr`` calls reference()/list*(), which ARM does not allow in resource names."""
    if isinstance(expr, PrincipalId):
        return True
    if isinstance(expr, (ReferenceExpr, _ListKeys)):
        return True
    if isinstance(expr, RawExpr):
        text = expr.text.lower()
        return "reference(" in text or "list" in text
    if isinstance(expr, (_Member, NamedExpr, KnownExpr)):
        return uses_runtime_value(expr.base if isinstance(expr, _Member) else expr.expr)
    if isinstance(expr, _Call):
        return expr.name.lower() == "reference" or expr.name.lower().startswith("list") or any(
            isinstance(a, Expr) and uses_runtime_value(a) for a in expr.args)
    return False


def assignment_name(scope: ExprArg, principal: ExprArg, *rest: ExprArg) -> Expr:
    """The name of a role assignment: ``guid(scope, principal id, role, ...)``, which changes with the principal.

    Every role assignment atakora makes is named here. A :class:`PrincipalId` principal makes the
    assignment deploy in its stack's role-assignment deployment (the caller sets ``deploys_with_grants``).
    """
    return guid(scope, principal, *rest)
