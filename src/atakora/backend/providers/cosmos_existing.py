"""An existing Cosmos DB account (``cosmos_config.use_existing``, seed 003 example 8).

No account is created. The backend's databases, containers and the Function App's data-plane role
assignments are deployed into the existing account by one nested deployment (``Microsoft.Resources/
deployments``), targeted at the account's resource group when ``resource_group_name`` names
another one. The apps get the existing account's endpoint.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from ...core.app import App, scratch_app
from ...core.construct import Construct
from ...core.expressions import Expr, RawExpr, RenderContext, parameter, quote
from ...core.resource import Resource
from ...core.stack import ResourceGroupStack
from ...core.synthesis.render import render_stack
from ...resources.documentdb import CosmosDbAccount, CosmosSqlContainer, CosmosSqlRoleAssignment
from ...resources.resources import NestedDeployment
from ..config import CosmosConfig
from ..requirements import CosmosRequirementConfig
from .base import ProviderContext
from .cosmos import SharedCosmos, add_databases

__all__ = ["ExistingCosmos", "ExistingCosmosDeployment", "provide_existing"]

_EMPTY_TEMPLATE = {"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
                   "contentVersion": "1.0.0.0", "resources": []}


class ExistingCosmosDeployment(NestedDeployment):
    """The nested deployment that adds databases, containers and role assignments to an existing account.

    Its inner template is rendered when the outer template is, so grants made by components after
    provisioning are included. Each principal is a parameter (``principalId<n>``) of the inner template.
    """

    def __init__(self, scope: Construct, id: str, *, name: str, inner: ResourceGroupStack,
                 account: CosmosDbAccount, resource_group: str | None) -> None:
        super().__init__(scope, id, name=name, template=_EMPTY_TEMPLATE, resource_group=resource_group)
        self.inner = inner
        self.account = account
        self.principals: dict[str, Expr] = {}

    def principal_parameter(self, principal: Resource) -> Expr:
        """The inner template's parameter carrying ``principal``'s managed identity object id."""
        for name, value in self.principals.items():
            if getattr(value, "_atakora_principal", None) is principal:
                return parameter(name)
        name = f"principalId{len(self.principals)}"
        value = _PrincipalId(principal)
        self.principals[name] = value
        self.inner.add_parameter(name, description=f"object id of {principal.node.path}'s managed identity")
        return parameter(name)

    def render(self, ctx: RenderContext) -> dict[str, Any]:
        """Render the inner template (without the existing account itself), then the deployment."""
        template = render_stack(self.inner)[0].template
        account_id = "[" + _InnerContext(self.inner).resource_id_call(self.account) + "]"
        resources = []
        for body in template["resources"]:
            if body["type"] == self.account.resource_type:
                continue
            depends = [d for d in body.get("dependsOn", []) if d != account_id]
            if depends:
                body["dependsOn"] = depends
            else:
                body.pop("dependsOn", None)
            resources.append(body)
        template["resources"] = resources
        template.pop("metadata", None)
        self.template = template
        self.deployment_parameters = dict(self.principals)
        return super().render(ctx)


class _PrincipalId(Expr):
    """``principal.principal_id``, remembering the principal (one parameter per principal)."""

    __slots__ = ("_atakora_principal", "_expr")

    def __init__(self, principal: Resource) -> None:
        self._atakora_principal = principal
        self._expr = principal.principal_id

    def render_inner(self, ctx: RenderContext) -> str:
        return self._expr.render_inner(ctx)

    def resources(self) -> Any:
        return self._expr.resources()


class _InnerContext:
    def __init__(self, stack: ResourceGroupStack) -> None:
        from ...core.synthesis.render import _StackContext

        self._ctx = _StackContext(stack)

    def resource_id_call(self, resource: Resource) -> str:
        return self._ctx.resource_id_call(resource)

    def resolve_string(self, value: str) -> str | Expr:
        return self._ctx.resolve_string(value)


@dataclass
class ExistingCosmos(SharedCosmos):
    """``cosmos:<key>`` for an existing account: the endpoint, and grants deployed into the account."""

    deployment: ExistingCosmosDeployment | None = None
    existing_endpoint: Expr | None = None
    resource_group_name: str | None = None
    principals: dict[int, Expr] = field(default_factory=dict)

    @property
    def endpoint(self) -> Expr:
        """The existing account's document endpoint (read at deployment time)."""
        assert self.existing_endpoint is not None
        return self.existing_endpoint

    def grant_data_access(self, principal: Resource, role: Literal["reader", "contributor"],
                          container: CosmosSqlContainer) -> CosmosSqlRoleAssignment:
        """A data-plane role on one container of the existing account, deployed by the nested deployment."""
        assert self.deployment is not None
        key = (principal, role, container)  # the constructs: a leaf joins its path when read
        if key not in self.grants:
            principal_id = self.deployment.principal_parameter(principal)
            self.grants[key] = CosmosSqlRoleAssignment(
                self.account, f"Access-{principal.node.id}-{container.database.node.id}-{container.node.id}-{role}",
                principal_id=principal_id, role_definition=role, scope=container)
            self.deployment.add_dependency(principal)
        return self.grants[key]


def _scratch_stack(resource_group: str, location: str) -> ResourceGroupStack:
    """A stack outside the user's App (never synthesized) that holds the inner template's constructs."""
    return ResourceGroupStack(scratch_app(), "ExistingCosmos", resource_group_name=resource_group, location=location)





def provide_existing(config: CosmosRequirementConfig, scope: Construct, context: ProviderContext,
                     cosmos_config: CosmosConfig) -> ExistingCosmos:
    """Inject the existing account ``cosmos_config.account_name``; its databases and containers are deployed."""
    name = cosmos_config.account_name
    assert name is not None
    stack = context.stack
    own_group = getattr(stack, "resource_group_name", None)
    group = cosmos_config.resource_group_name
    other_group = group if group and group != own_group else None
    inner = _scratch_stack(other_group or own_group or "rg", context.location)
    account = CosmosDbAccount(inner, "Account", name=name, serverless=config.enable_serverless)
    backend_id = context.backend.backend_id
    deployment_name = f"cosmos-{backend_id}-{context.environment}-{name}"[:64].rstrip("-.")
    deployment = ExistingCosmosDeployment(scope, f"ExistingCosmos-{context.plan_entry.construct_suffix}", name=deployment_name, inner=inner,
                                          account=account, resource_group=other_group)
    type_ = quote(CosmosDbAccount.TYPE)
    rid = (f"resourceId({quote(other_group)}, {type_}, {quote(name)})" if other_group
           else f"resourceId({type_}, {quote(name)})")
    endpoint = RawExpr(f"reference({rid}, {quote(CosmosDbAccount.API_VERSION)}).documentEndpoint")
    shared = ExistingCosmos(account, deployment=deployment, existing_endpoint=endpoint,
                            resource_group_name=other_group)
    add_databases(shared, config, context)
    _order_after_owner(context, name, group or own_group)
    return shared


def _order_after_owner(context: ProviderContext, name: str, group: str | None) -> None:
    """When this App creates the account in another stack, deploy this stack after that one."""
    app = context.stack.node.find_ancestor(App)
    if app is None:
        return
    for construct in app.node.find_all():
        if (isinstance(construct, CosmosDbAccount) and construct.resource_name == name
                and getattr(construct.stack, "resource_group_name", None) == group
                and construct.stack is not context.stack):
            context.stack.add_dependency(construct.stack)
