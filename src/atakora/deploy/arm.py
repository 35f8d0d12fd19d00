"""ARM deployments of one stack: resource group, validate, what-if, create; ARM errors as clear messages."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .clients import ArmClients, plain
from .errors import DeployError
from .plan import StackPlan

__all__ = [
    "WhatIfChange",
    "auth_summary",
    "deployment_body",
    "describe_arm_error",
    "ensure_resource_group",
    "run_create",
    "run_validate",
    "run_what_if",
]

AUTH_FIX = ("run `az login` (and `az account set --subscription ID`), or set AZURE_CLIENT_ID, AZURE_TENANT_ID "
            "and AZURE_CLIENT_SECRET for a service principal, or run where a managed identity is available")


@dataclass(frozen=True)
class WhatIfChange:
    """One predicted change: ``Create``, ``Modify``, ``Delete``, ``NoChange``, ``Ignore``, ``Deploy``, ...

    ``raw`` is ARM's ``WhatIfChange`` object (``before``, ``after``, ``delta``, ``unsupportedReason``).
    """

    change_type: str
    resource_id: str
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False)


def deployment_body(stack: StackPlan, template: Mapping[str, Any], parameters: Mapping[str, Any], *,
                    what_if: bool = False) -> dict[str, Any]:
    """The REST body of a deployment (incremental mode); subscription deployments carry the location."""
    properties: dict[str, Any] = {
        "mode": "Incremental",
        "template": dict(template),
        "parameters": {name: {"value": value} for name, value in parameters.items()},
    }
    if what_if:
        properties["whatIfSettings"] = {"resultFormat": "FullResourcePayloads"}
    body: dict[str, Any] = {"properties": properties}
    if stack.scope == "subscription":
        body["location"] = stack.location
    if not what_if:
        body["tags"] = {"atakora-stack": stack.id[:256]}
    return body


def _error_lines(error: Mapping[str, Any], depth: int = 0) -> list[str]:
    code, message = error.get("code"), error.get("message")
    text = ": ".join(str(part) for part in (code, message) if part)
    lines = [("  " * depth) + text] if text else []
    if depth < 4:
        for detail in error.get("details") or []:
            if isinstance(detail, Mapping):
                lines.extend(_error_lines(detail, depth + 1))
    return lines


def describe_arm_error(error: BaseException | Mapping[str, Any]) -> str:
    """An ARM error (an ``HttpResponseError`` or an ``error`` object of a result) with its nested details."""
    if isinstance(error, Mapping):
        inner = error.get("error", error)
        lines = _error_lines(inner if isinstance(inner, Mapping) else {"message": str(inner)})
        return "\n".join(lines) or "unknown error"
    odata = getattr(error, "error", None)
    if odata is not None:
        lines = _error_lines(_odata(odata))
        if lines:
            return "\n".join(lines)
    message = getattr(error, "message", None)
    return str(message or error)


def auth_summary(error: BaseException) -> str:
    """The first line of a credential error (the full chain of credentials tried is shown with --verbose)."""
    text = describe_arm_error(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def _odata(odata: Any) -> dict[str, Any]:
    return {"code": getattr(odata, "code", None), "message": getattr(odata, "message", None),
            "details": [_odata(d) for d in getattr(odata, "details", None) or []]}


def _arm_call(stack: StackPlan, what: str, call: Any) -> Any:
    from azure.core.exceptions import ClientAuthenticationError, HttpResponseError

    try:
        return call()
    except ClientAuthenticationError as error:
        raise DeployError(f"could not authenticate to Azure while trying to {what}: {auth_summary(error)}",
                          stack_id=stack.id, fix=AUTH_FIX) from error
    except HttpResponseError as error:
        status = getattr(error, "status_code", None)
        fix = ""
        if status == 403:
            fix = "your identity needs Contributor (or Owner) on the subscription or resource group"
        elif status == 404 and "subscription" in str(error).lower():
            fix = "check the subscription id (--subscription or AZURE_SUBSCRIPTION_ID)"
        raise DeployError(f"{what} failed:\n{describe_arm_error(error)}", stack_id=stack.id, fix=fix) from error


def _group(stack: StackPlan) -> str:
    if stack.resource_group is None:
        raise DeployError("a resource-group stack has no resource group", stack_id=stack.id)
    return stack.resource_group


def ensure_resource_group(clients: ArmClients, stack: StackPlan, *, create: bool) -> bool:
    """Whether the stack's resource group existed; with ``create`` a missing one is created in the stack's location.

    An existing group is left as it is (its tags and location are not touched).
    """
    group = _group(stack)
    exists = bool(_arm_call(stack, f"look up resource group {group}",
                            lambda: clients.resource_groups.check_existence(group)))
    if not exists and create:
        _arm_call(stack, f"create resource group {group}",
                  lambda: clients.resource_groups.create_or_update(
                      group, {"location": stack.location, "tags": {"created-by": "atakora"}}))
    return exists


def _run_deployment_call(stack: StackPlan, what: str, at_group: Callable[[str, str], Any],
                         at_subscription: Callable[[str], Any]) -> Any:
    """Start the resource-group or subscription variant of a deployments call and wait for its result."""
    name = stack.deployment_name
    if stack.scope == "subscription":
        poller = _arm_call(stack, what, lambda: at_subscription(name))
    else:
        group = _group(stack)
        poller = _arm_call(stack, what, lambda: at_group(group, name))
    return plain(_arm_call(stack, what, poller.result)) or {}


def run_validate(clients: ArmClients, stack: StackPlan, body: dict[str, Any]) -> None:
    """Validate the deployment; raise :class:`DeployError` with ARM's errors and the stack id."""
    ops = clients.deployments
    result = _run_deployment_call(stack, "template validation", lambda g, n: ops.begin_validate(g, n, body),
                                  lambda n: ops.begin_validate_at_subscription_scope(n, body))
    if isinstance(result, Mapping) and result.get("error"):
        raise DeployError(f"template validation failed:\n{describe_arm_error(result['error'])}", stack_id=stack.id,
                          fix="fix the construct named in the error and synthesize again")


def run_what_if(clients: ArmClients, stack: StackPlan, body: dict[str, Any]) -> list[WhatIfChange]:
    """The changes ARM predicts for the deployment (nothing is deployed)."""
    ops = clients.deployments
    result = _run_deployment_call(stack, "what-if", lambda g, n: ops.begin_what_if(g, n, body),
                                  lambda n: ops.begin_what_if_at_subscription_scope(n, body))
    if result.get("error"):
        raise DeployError(f"what-if failed:\n{describe_arm_error(result['error'])}", stack_id=stack.id)
    changes = (result.get("properties") or {}).get("changes") or result.get("changes") or []
    return [WhatIfChange(str(c.get("changeType", "?")), str(c.get("resourceId", "")), c) for c in changes]


def run_create(clients: ArmClients, stack: StackPlan, body: dict[str, Any]) -> dict[str, Any]:
    """Deploy and wait; return the deployment's outputs (``{name: value}``)."""
    ops = clients.deployments
    result = _run_deployment_call(stack, "deployment", lambda g, n: ops.begin_create_or_update(g, n, body),
                                  lambda n: ops.begin_create_or_update_at_subscription_scope(n, body))
    properties = result.get("properties") or {}
    if properties.get("error"):
        raise DeployError(f"deployment failed:\n{describe_arm_error(properties['error'])}", stack_id=stack.id)
    state = properties.get("provisioningState")
    if state not in (None, "Succeeded"):
        raise DeployError(f"deployment ended in state {state}", stack_id=stack.id,
                          fix=f"see the deployment {stack.deployment_name} in the Azure portal for the failed operations")
    outputs = properties.get("outputs") or {}
    return {k: (v.get("value") if isinstance(v, Mapping) else v) for k, v in outputs.items()}
