"""The stack's role-assignment deployment: assignments named after a principal id known only at deployment.

ARM computes a resource's name before the deployment starts, so a name cannot call ``reference()``
(https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-resource#reference).
Assignments whose name includes a managed identity's object id (``deploys_with_grants``) are rendered
into a nested deployment (``expressionEvaluationOptions.scope: inner``) that receives the object ids as
one object parameter, ``principalIds``; inside, the name ``guid(scope, parameters('principalIds')[...],
role)`` is known at its start. One deployment per stack, split into further ones (each after the one
before) only when a deployment would exceed 800 resources or the size budget of one resource definition.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ...errors import SynthesisError
from ..expressions import quote, render_value
from ..grants import PrincipalId
from .assembly import SCHEMAS
from .context import StackContext
from .limits import MAX_RESOURCES
from .writer import compact_encoder

if TYPE_CHECKING:
    from ..resource import Resource
    from ..stack import Stack

__all__ = ["DEPLOYMENT_API_VERSION", "GrantDeployment", "render_grant_deployments"]

DEPLOYMENT_API_VERSION = "2025-04-01"
"""The apiVersion of ``Microsoft.Resources/deployments`` (also listed in ``resources.resources``)."""

PARAMETER = "principalIds"
MAX_DEPLOYMENT_BYTES = 512 * 1024
"""Size budget of one role-assignment deployment: ARM allows 1 MB per resource definition."""

_ascii_compact = compact_encoder(ensure_ascii=True)
"""``json.dumps(value, separators=(",", ":"))`` without building an encoder on every call."""

_OUTER_PARAMETER = re.compile(r"parameters\('((?:[^']|'')+)'\)")


class _GrantContext(StackContext):
    """Renders one assignment inside the role-assignment deployment: principal ids as its parameter."""

    def __init__(self, stack: Stack, keys: dict[tuple[object, str], str], values: dict[str, PrincipalId]) -> None:
        super().__init__(stack)
        self._keys = keys
        self._values = values
        self.used: list[str] = []

    def principal_parameter(self, principal: PrincipalId) -> str:
        identity = (id(principal.principal) if principal.principal is not None else None, principal.key)
        key = self._keys.get(identity)
        if key is None:
            key, n = principal.key, 2
            while key in self._values:
                key, n = f"{principal.key}-{n}", n + 1
            self._keys[identity] = key
            self._values[key] = principal
        self.replay_effect(key)
        return f"parameters('{PARAMETER}')[{quote(key)}]"

    def replay_effect(self, effect: str) -> None:
        """The principal key ``effect`` is used (again) by the assignment being rendered."""
        self.effects.append(effect)
        if effect not in self.used:
            self.used.append(effect)


@dataclass
class _Member:
    resource: Resource
    body: dict[str, Any]
    deps: list[Resource]
    keys: list[str]
    size: int
    parameters: set[str]
    """The outer template's parameters the body uses (its ``dependsOn`` names nothing else)."""


@dataclass
class GrantDeployment:
    """One rendered role-assignment deployment: its resource body, outer dependencies and members."""

    name: str
    body: dict[str, Any]
    deps: list[Resource]
    members: list[Resource] = field(default_factory=list)
    ref: str = ""
    """The ``dependsOn`` entry of this deployment."""


def _deployment_name(stack: Stack, number: int) -> str:
    base = re.sub(r"[^A-Za-z0-9\-._()]", "-", stack.artifact_id)
    suffix = "-grants" if number == 0 else f"-grants-{number + 1}"
    return base[: 64 - len(suffix)] + suffix


def _render_member(resource: Resource, ctx: _GrantContext) -> _Member:
    ctx.used = []
    body = ctx.render_resource(resource)
    text = _ascii_compact(body)
    if "variables('" in text:
        raise SynthesisError("a role assignment whose principal is a managed identity uses a template variable, "
                             "which its role-assignment deployment cannot see", path=resource.node.path,
                             fix="use a parameter or a literal value instead of the variable")
    used = {m.group(1).replace("''", "'") for m in _OUTER_PARAMETER.finditer(text)} if "parameters(" in text else set()
    return _Member(resource, body, list(ctx.deps), list(ctx.used), len(text), used)


def _chunks(members: list[_Member]) -> list[list[_Member]]:
    chunks: list[list[_Member]] = [[]]
    size = 0
    for member in members:
        if chunks[-1] and (len(chunks[-1]) >= MAX_RESOURCES or size + member.size > MAX_DEPLOYMENT_BYTES):
            chunks.append([])
            size = 0
        chunks[-1].append(member)
        size += member.size
    return chunks


def render_grant_deployments(stack: Stack, outer: StackContext, resources: Sequence[Resource]) -> list[GrantDeployment]:
    """The role-assignment deployments of ``stack`` for ``resources`` (in creation order)."""
    keys: dict[tuple[object, str], str] = {}
    values: dict[str, PrincipalId] = {}
    ctx = _GrantContext(stack, keys, values)
    members = [_render_member(r, ctx) for r in resources]
    chunks = _chunks(members)
    chunk_of = {id(m.resource): n for n, chunk in enumerate(chunks) for m in chunk}
    scope = stack.TARGET_SCOPE
    id_call = "subscriptionResourceId" if scope == "subscription" else "resourceId"
    deployments: list[GrantDeployment] = []
    for number, chunk in enumerate(chunks):
        name = _deployment_name(stack, number)
        outer_deps: list[Resource] = []
        inner: list[dict[str, Any]] = []
        used: list[str] = []
        for member in chunk:
            depends: list[str] = []
            for dep in member.deps:
                if dep is member.resource:
                    continue
                if chunk_of.get(id(dep)) == number:
                    entry = "[" + ctx.resource_id_call(dep) + "]"
                    if entry not in depends:
                        depends.append(entry)
                else:
                    outer_deps.append(dep)  # another deployment's member, or a resource of the outer template
            body = member.body
            if depends:
                body["dependsOn"] = depends
            inner.append(body)
            used.extend(k for k in member.keys if k not in used)
        passed = sorted(set().union(*(m.parameters for m in chunk)) - {PARAMETER})
        unknown = [p for p in passed if p not in stack.parameters]
        if unknown or PARAMETER in stack.parameters:
            raise SynthesisError(f"role assignments use the parameter(s) {', '.join(unknown or [PARAMETER])}, which "
                                 "their role-assignment deployment cannot pass on", path=stack.node.path,
                                 fix="declare the parameter on the stack (and do not name one 'principalIds')")
        inner_parameters: dict[str, Any] = {PARAMETER: {"type": "object"}}
        parameters: dict[str, Any] = {}
        outer.deps = []
        parameters[PARAMETER] = {"value": {key: render_value(values[key].value, outer) for key in used}}
        outer_deps.extend(outer.deps)
        for p in passed:
            inner_parameters[p] = {"type": stack.parameters[p].type}
            parameters[p] = {"value": f"[parameters({quote(p)})]"}
        template: dict[str, Any] = {"$schema": SCHEMAS[scope], "contentVersion": "1.0.0.0",
                                    "parameters": inner_parameters, "resources": inner}
        deployment: dict[str, Any] = {"type": "Microsoft.Resources/deployments",
                                      "apiVersion": DEPLOYMENT_API_VERSION, "name": name}
        if scope == "subscription":
            deployment["location"] = stack.location
        deployment["properties"] = {"mode": "Incremental", "expressionEvaluationOptions": {"scope": "inner"},
                                    "parameters": parameters, "template": template}
        deployments.append(GrantDeployment(name, deployment, outer_deps, [m.resource for m in chunk],
                                           f"[{id_call}('Microsoft.Resources/deployments', {quote(name)})]"))
    return deployments
