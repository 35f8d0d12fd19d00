"""Microsoft.Resources: resource groups (subscription scope) and nested deployments."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any, Literal

from ..core.construct import Construct
from ..core.expressions import Expr, RenderContext, render_value
from ..core.resource import Resource
from ..core.stack import register_resource_group_factory
from ..core.synthesis.grants import DEPLOYMENT_API_VERSION
from ..errors import ConfigurationError
from ._common import child_path

__all__ = ["API_VERSION", "API_VERSIONS", "NestedDeployment", "ResourceGroup"]

API_VERSIONS: dict[str, str] = {
    "Microsoft.Resources/resourceGroups": "2025-04-01",
    "Microsoft.Resources/deployments": DEPLOYMENT_API_VERSION,  # also the role-assignment deployments' version
}
API_VERSION = API_VERSIONS["Microsoft.Resources/resourceGroups"]

DeploymentMode = Literal["Incremental", "Complete"]
EvaluationScope = Literal["inner", "outer"]


class _ByNameReference(Expr):
    """``reference('<name>', apiVersion)`` of a resource in the same template (an implicit dependency)."""

    __slots__ = ("resource",)

    def __init__(self, resource: Resource) -> None:
        self.resource = resource

    def render_inner(self, ctx: RenderContext) -> str:
        name = self.resource.name_segments[-1]
        name_arg = name.render_inner(ctx) if isinstance(name, Expr) else "'" + name.replace("'", "''") + "'"
        return f"reference({name_arg}, '{self.resource.api_version}')"


class ResourceGroup(Resource):
    """A resource group, created by a subscription-scope stack."""

    TYPE = "Microsoft.Resources/resourceGroups"
    API_VERSION = API_VERSION
    TARGET_SCOPE = "subscription"

    def __init__(self, scope: Construct, id: str, *, name: str, location: str | None = None,
                 tags: Mapping[str, str] | None = None) -> None:
        super().__init__(scope, id, name=name, location=location, tags=tags)


class NestedDeployment(Resource):
    """A deployment with an inline template, optionally into another resource group or subscription.

    ``template`` is a complete ARM template as a dict (for example one produced by rendering a stack);
    it is written as given. ``parameters`` maps the inner template's parameter names to values
    (literals or expressions of the outer template). Defaults: mode ``Incremental``, expressions
    evaluated in the ``inner`` scope, deployed to the stack's own resource group or subscription.
    ``resource_group`` may be a ``ResourceGroup`` of the same (subscription) stack: the deployment
    then waits for it.
    """

    TYPE = "Microsoft.Resources/deployments"
    API_VERSION = API_VERSIONS[TYPE]
    LOCATION = "none"

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        name: str | Expr,
        template: Mapping[str, Any],
        parameters: Mapping[str, Any] | None = None,
        mode: DeploymentMode = "Incremental",
        expression_evaluation_scope: EvaluationScope = "inner",
        resource_group: str | Expr | ResourceGroup | None = None,
        subscription_id: str | Expr | None = None,
        location: str | Expr | None = None,
        tags: Mapping[str, str] | None = None,
    ) -> None:
        path = child_path(scope, id)
        if not isinstance(template, Mapping) or not isinstance(template.get("resources"), (list, dict)):
            raise ConfigurationError("template must be an ARM template dict with a 'resources' member",
                                     field="template", path=path,
                                     fix="pass a template such as {'$schema': ..., 'contentVersion': '1.0.0.0', "
                                     "'resources': []}")
        for member in ("$schema", "contentVersion"):
            if member not in template:
                raise ConfigurationError(f"template has no {member!r} member", field="template", path=path,
                                         fix=f"add {member!r} to the inner template")
        inner_params = template.get("parameters") or {}
        if expression_evaluation_scope == "outer" and (inner_params or parameters):
            raise ConfigurationError("parameters are ignored when expressions are evaluated in the outer scope",
                                     field="expression_evaluation_scope", path=path,
                                     fix="keep expression_evaluation_scope='inner' to pass parameters, or drop them")
        for key in parameters or {}:
            if key not in inner_params:
                raise ConfigurationError(f"parameters has {key!r}, which the inner template does not declare",
                                         field="parameters", path=path,
                                         fix=f"declare {key!r} in the template's parameters, or remove it")
        missing = [k for k, p in inner_params.items()
                   if isinstance(p, Mapping) and "defaultValue" not in p and k not in (parameters or {})]
        if missing:
            raise ConfigurationError(f"parameters lacks {', '.join(repr(m) for m in missing)}, which the inner "
                                     "template requires", field="parameters", path=path,
                                     fix="pass a value for every inner parameter without a default")
        self.template: dict[str, Any] = copy.deepcopy(dict(template))
        self.deployment_parameters: dict[str, Any] = dict(parameters or {})
        self.mode = mode
        self.expression_evaluation_scope = expression_evaluation_scope
        depends_on: list[Resource] = []
        if isinstance(resource_group, ResourceGroup):
            depends_on.append(resource_group)
            resource_group = resource_group.resource_name
        self.target_resource_group = resource_group
        self.target_subscription_id = subscription_id
        super().__init__(scope, id, name=name, location=location, tags=tags, depends_on=depends_on)
        if self.location is None and self.stack.TARGET_SCOPE == "subscription":
            self.location = self.stack.location  # subscription deployments need a location

    def output(self, name: str) -> Expr:
        """The value of the inner template's output ``name``.

        For a deployment into another resource group or subscription the value is read with
        ``reference('<deployment name>')``, which ARM resolves (and orders after the deployment) within
        the same template only: use it in this stack.
        """
        if self.target_resource_group is None and self.target_subscription_id is None:
            return self.attribute("outputs", name, "value")
        return _ByNameReference(self).get("outputs").get(name).get("value")

    def render_properties(self) -> Mapping[str, Any]:
        """Mode, expression scope and parameters; the template itself is added verbatim by ``render``."""
        return {
            "mode": self.mode,
            "expressionEvaluationOptions": {"scope": self.expression_evaluation_scope},
            "parameters": {k: {"value": v} for k, v in self.deployment_parameters.items()},
        }

    def render(self, ctx: RenderContext) -> dict[str, Any]:
        """The deployment resource, with the target scope and the inner template unescaped."""
        out = super().render(ctx)
        if self.target_subscription_id is not None:
            out["subscriptionId"] = render_value(self.target_subscription_id, ctx)
        if self.target_resource_group is not None:
            out["resourceGroup"] = render_value(self.target_resource_group, ctx)
        properties = out.setdefault("properties", {})
        properties["template"] = copy.deepcopy(self.template)
        return out


def _create_resource_group(scope: Construct, id: str, name: str, location: str,
                           tags: Mapping[str, str]) -> ResourceGroup:
    return ResourceGroup(scope, id, name=name, location=location, tags=dict(tags))


register_resource_group_factory(_create_resource_group)
