"""Deploy steps (manifest ``steps``): management-plane actions after a unit, with the user's credential.

- ``share-function-key``: Front Door spreads a client's requests over every Function App of an origin
  group, and each app has its own keys, so a key would work in one region only. The step reads the
  host key ``keyName`` of the apps (``POST .../host/default/listkeys``), keeps the first one found (or
  makes a new random one) and sets it on every app that lacks it (``PUT .../host/default/functionKeys/
  <name>``). The value passes through memory only: it is never printed, logged or written.
- ``approve-private-link``: Front Door Premium reaches a private link origin through a managed private
  endpoint whose connection stays Pending until the target's owner approves it. The step waits for the
  connection Front Door requested for this origin (its request message) and approves it; connections
  requested by anyone else are left alone.
"""

from __future__ import annotations

import secrets
import shlex
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from .assets import AssetResult
from .clients import ArmClients, ManagementApi
from .errors import DeployError
from .plan import StackPlan, StepPlan

__all__ = ["StepOptions", "describe_step", "run_step"]

WEB_API_VERSION = "2024-11-01"


@dataclass(frozen=True)
class StepOptions:
    """Waiting: ``attempts`` tries ``interval`` seconds apart (defaults: 40 × 15 s, ten minutes, for the
    private endpoint connection Front Door creates after its origin; six for an app's host keys)."""

    attempts: int = 40
    interval: float = 15.0
    key_attempts: int = 6


def describe_step(step: StepPlan) -> str:
    """What the step does, in one line (for what-if and validate-only runs)."""
    if step.kind == "share-function-key":
        apps = ", ".join(a.get("site", "?") for a in step.details.get("apps") or ())
        return f"would give Function Apps {apps} one shared host key {step.details.get('keyName')!r}"
    if step.kind == "approve-private-link":
        target = step.details.get("target") or {}
        return f"would approve Front Door's private endpoint connection to {target.get('name', 'its target')}"
    return f"step kind {step.kind!r} is not one atakora runs"


def run_step(step: StepPlan, stack: StackPlan, clients: ArmClients, *, dry_run: bool = False,
             options: StepOptions | None = None, sleep: Callable[[float], None] = time.sleep) -> AssetResult:
    """Run one deploy step after its unit (with ``dry_run`` only say what it would do)."""
    options = options or StepOptions()
    if dry_run:
        return AssetResult(step.id, step.kind, "planned", describe_step(step))
    api = clients.management
    if api is None:
        raise DeployError(f"step {step.id} needs the ARM management client", stack_id=stack.id,
                          fix="use AzureSession (atakora deploy does)")
    if step.kind == "share-function-key":
        return _share_function_key(step, stack, clients.subscription_id, api, options, sleep)
    if step.kind == "approve-private-link":
        return _approve_private_link(step, stack, clients.subscription_id, api, options, sleep)
    raise DeployError(f"step {step.id} is of kind {step.kind!r}, which this atakora cannot run", stack_id=stack.id,
                      fix="synthesize again with this version of atakora")


def _site_path(subscription: str, app: Mapping[str, Any]) -> str:
    return (f"/subscriptions/{subscription}/resourceGroups/{app['resourceGroup']}/providers/Microsoft.Web/sites/"
            f"{app['site']}")


def _call(stack: StackPlan, what: str, call: Callable[[], Any]) -> Any:
    from .assets import _service_call

    return _service_call(stack, what, call)


def _share_function_key(step: StepPlan, stack: StackPlan, subscription: str, api: ManagementApi,
                        options: StepOptions, sleep: Callable[[float], None]) -> AssetResult:
    name = str(step.details.get("keyName") or "")
    apps = [a for a in step.details.get("apps") or () if isinstance(a, Mapping)]
    if not name or len(apps) < 2 or any(not a.get("resourceGroup") or not a.get("site") for a in apps):
        raise DeployError(f"step {step.id} needs keyName and at least two apps with resourceGroup and site",
                          stack_id=stack.id, fix="synthesize again with this version of atakora")
    current: list[str | None] = []
    for app in apps:
        url = f"{_site_path(subscription, app)}/host/default/listkeys?api-version={WEB_API_VERSION}"
        keys = _with_retries(stack, f"read the host keys of {app['site']}", partial(api.request, "POST", url),
                             options.key_attempts, options.interval, sleep)
        value = ((keys or {}).get("functionKeys") or {}).get(name)
        current.append(str(value) if value else None)
    shared = next((v for v in current if v), None) or secrets.token_urlsafe(32)
    changed = 0
    for app, value in zip(apps, current):
        if value == shared:
            continue
        url = f"{_site_path(subscription, app)}/host/default/functionKeys/{name}?api-version={WEB_API_VERSION}"
        body = {"properties": {"name": name, "value": shared}}
        _call(stack, f"set the shared host key on {app['site']}", partial(api.request, "PUT", url, body))
        changed += 1
    first = apps[0]
    read = (f"az functionapp keys list -g {shlex.quote(first['resourceGroup'])} -n {shlex.quote(first['site'])} "
            f"--query functionKeys.{name} -o tsv")
    return AssetResult(step.id, step.kind, "deployed",
                       f"the {len(apps)} Function Apps behind Front Door share the host key {name!r} (set on "
                       f"{changed}); a client sends it as x-functions-key, read it with: {read}")


def _with_retries(stack: StackPlan, what: str, call: Callable[[], Any], attempts: int, interval: float,
                  sleep: Callable[[float], None]) -> Any:
    """The app's host answers key requests once it runs; right after creation it may not yet."""
    for attempt in range(max(attempts, 1)):
        try:
            return _call(stack, what, call)
        except DeployError:
            if attempt == max(attempts, 1) - 1:
                raise
            sleep(interval)
    return None


def _approve_private_link(step: StepPlan, stack: StackPlan, subscription: str, api: ManagementApi,
                          options: StepOptions, sleep: Callable[[float], None]) -> AssetResult:
    message = str(step.details.get("requestMessage") or "")
    target = step.details.get("target")
    if not isinstance(target, Mapping) or not all(target.get(k) for k in ("resourceGroup", "type", "name",
                                                                            "apiVersion")):
        return AssetResult(step.id, step.kind, "manual",
                           "Front Door's private endpoint connection to this origin stays Pending until the target's "
                           f"owner approves it (request message {message!r}); approve it on the target resource:",
                           ("az network private-endpoint-connection list --id <target resource id>",
                            ("az network private-endpoint-connection approve --id <connection id> "
                             "--description 'Azure Front Door'")))
    target_id = (f"/subscriptions/{subscription}/resourceGroups/{target['resourceGroup']}/providers/"
                 f"{target['type']}/{target['name']}")
    version = str(target["apiVersion"])
    for attempt in range(max(options.attempts, 1)):
        listing = _call(stack, f"list the private endpoint connections of {target['name']}",
                        lambda: api.request("GET", f"{target_id}/privateEndpointConnections?api-version={version}"))
        mine = [c for c in (listing or {}).get("value") or () if _state(c).get("description") == message]
        for connection in (c for c in mine if _state(c).get("status") == "Pending"):
            body = {"properties": {"privateLinkServiceConnectionState": {
                "status": "Approved", "description": f"Approved by atakora deploy ({message})"}}}
            _call(stack, f"approve the private endpoint connection {connection.get('name')}",
                  partial(api.request, "PUT", f"{connection['id']}?api-version={version}", body))
            connection.setdefault("properties", {})["privateLinkServiceConnectionState"] = \
                body["properties"]["privateLinkServiceConnectionState"]
        if mine and all(_state(c).get("status") == "Approved" for c in mine):
            return AssetResult(step.id, step.kind, "deployed",
                               f"approved Front Door's private endpoint connection to {target['name']}")
        rejected = [c for c in mine if _state(c).get("status") in ("Rejected", "Disconnected")]
        if rejected:
            raise DeployError(f"Front Door's private endpoint connection to {target['name']} is "
                              f"{_state(rejected[0]).get('status')}", stack_id=stack.id,
                              fix="delete the origin's connection on the target and deploy again, so that Front "
                                  "Door requests a new one")
        if attempt < options.attempts - 1:
            sleep(options.interval)
    return AssetResult(step.id, step.kind, "manual",
                       f"Front Door has not yet requested its private endpoint connection to {target['name']} "
                       f"(waited {options.attempts * options.interval:.0f}s); once it appears (request message "
                       f"{message!r}), approve it:",
                       (f"az network private-endpoint-connection list --id {shlex.quote(target_id)}",
                        ("az network private-endpoint-connection approve --id <the connection's id> "
                         "--description 'Azure Front Door'")))


def _state(connection: Any) -> Mapping[str, Any]:
    if not isinstance(connection, Mapping):
        return {}
    state = (connection.get("properties") or {}).get("privateLinkServiceConnectionState")
    return state if isinstance(state, Mapping) else {}
