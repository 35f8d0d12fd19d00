"""Deploying a stack's assets: function app packages and static site content.

- ``function-package`` with ``deployment: flex-consumption``: the zip is published through the app's
  SCM (Kudu) OneDeploy endpoint ``POST https://<scm host>/api/publish?type=zip&RemoteBuild=<bool>`` with an
  Entra bearer token; the platform stores it in the app's deployment container and (with a remote build)
  installs ``requirements.txt``. An app that refuses public traffic (isolated networking) has its SCM site
  behind its private endpoint: it is published from inside the virtual network (``--from-vnet``).
- ``function-package`` with ``deployment: run-from-package`` (Elastic Premium and dedicated plans): the
  dependencies are installed into the zip (a package URL has no remote build), the zip is uploaded to the
  app's fixed blob ``function-releases/<app>.zip`` with the caller's Entra credential (through a temporary
  storage firewall rule for an isolated backend, see :mod:`.blobs`), then the app is restarted and its
  triggers synced, as the platform requires for a package updated in place:
  https://learn.microsoft.com/azure/azure-functions/deployment-zip-push#run-from-an-external-package-url
- ``static-site``: Static Web Apps take content only through their deployment-token flow, which the
  ``swa`` CLI implements; no Azure SDK for Python can upload it. The deploy step prints the exact commands.
"""

from __future__ import annotations

import shlex
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from .blobs import PublishOptions, reachable_account, upload_package
from .clients import ArmClients
from .errors import DeployError
from .packages import needs_remote_build, ready_to_run
from .plan import AssetPlan, StackPlan

__all__ = ["AssetResult", "check_publish_path", "deploy_asset", "describe_asset", "needs_remote_build",
           "static_site_commands"]

_DEPLOYMENTS = ("flex-consumption", "run-from-package")

AssetStatus = Literal["deployed", "manual", "planned"]


@dataclass(frozen=True)
class AssetResult:
    """What happened to one asset: ``deployed``, ``manual`` (commands to run) or ``planned`` (dry run)."""

    asset_id: str
    kind: str
    status: AssetStatus
    detail: str
    commands: tuple[str, ...] = ()


def _dest(asset: AssetPlan, stack: StackPlan, key: str) -> str:
    value = asset.destination.get(key)
    if not value or not isinstance(value, str):
        raise DeployError(f"asset {asset.id} has no {key} in its destination", stack_id=stack.id,
                          fix="synthesize again with this version of atakora")
    return value


def _resource_group(asset: AssetPlan, stack: StackPlan) -> str:
    if stack.resource_group is None:
        raise DeployError(f"asset {asset.id} belongs to a subscription stack, which has no resource group for "
                          "its app", stack_id=stack.id, fix="put the component in a ResourceGroupStack")
    return stack.resource_group


def describe_asset(asset: AssetPlan, stack: StackPlan) -> str:
    """What deploying the asset does, in one line (for what-if and validate-only runs)."""
    d = asset.destination
    if asset.kind == "function-package":
        if d.get("deployment") not in _DEPLOYMENTS:
            return (f"deployment {d.get('deployment')!r} of Function App {d.get('functionApp')} is not one atakora "
                    "deploys (expected 'flex-consumption' or 'run-from-package'); synthesize again")
        if d.get("deployment") == "run-from-package":
            return (f"would upload {asset.size} bytes (and their dependencies) to blob {d.get('container')}/"
                    f"{d.get('blob')} of storage account {d.get('storageAccount')}, then restart Function App "
                    f"{d.get('functionApp')} and sync its triggers")
        where = " (from inside its virtual network: pass --from-vnet there)" if d.get("sitePrivate") else ""
        return f"would publish {asset.size} bytes to Function App {d.get('functionApp')} through OneDeploy{where}"
    if asset.kind == "static-site":
        return (f"content of Static Web App {d.get('staticSite')} is deployed with the swa CLI "
                "(atakora deploy prints the commands)")
    return f"asset kind {asset.kind!r} is not deployed by atakora"


def check_publish_path(asset: AssetPlan, stack: StackPlan, publish: PublishOptions) -> None:
    """Refuse, before anything is deployed, a package this machine cannot publish.

    A Flex Consumption app that refuses public traffic takes OneDeploy only through its private endpoint.
    """
    d = asset.destination
    if asset.kind != "function-package" or d.get("deployment") != "flex-consumption":
        return
    if d.get("sitePrivate") and not publish.from_vnet:
        raise DeployError(
            f"Function App {d.get('functionApp')} refuses public traffic (isolated networking), so its SCM site "
            "answers only through its private endpoint and a publish from outside the virtual network gets 403",
            stack_id=stack.id,
            fix="run atakora deploy on a machine inside the backend's virtual network (a self-hosted runner or a "
                "VM in a peered network that resolves the privatelink.azurewebsites.net zone) with --from-vnet; "
                "or choose an Elastic Premium or dedicated plan (sku='EP1', 'P1v3', ...), whose package is "
                "published through blob storage from anywhere")
def static_site_commands(asset: AssetPlan, stack: StackPlan, workdir: Path) -> tuple[str, ...]:
    """The shell commands that deploy a static site asset with the ``swa`` CLI and the Azure CLI."""
    d = asset.destination
    site = _dest(asset, stack, "staticSite")
    target = workdir / site
    app_dir = target / str(d.get("appLocation") or ".")
    output = str(d.get("outputLocation") or ".")
    out_dir = app_dir / output
    q = shlex.quote
    commands = [f"rm -rf {q(str(target))} && mkdir -p {q(str(target))}",
                f"unzip -q {q(str(asset.file))} -d {q(str(target))}"]
    if d.get("buildCommand"):
        commands.append(f"(cd {q(str(app_dir))} && {d['buildCommand']})")
    config = d.get("configFile")
    if config and output not in ("", "."):
        commands.append(f"cp {q(str(target / str(config)))} {q(str(out_dir))}/")
    group = f" --resource-group {q(stack.resource_group)}" if stack.resource_group else ""
    commands.append(f"SWA_CLI_DEPLOYMENT_TOKEN=\"$(az staticwebapp secrets list --name {q(site)}{group} "
                    f"--query properties.apiKey -o tsv)\" swa deploy {q(str(out_dir))} --env production")
    return tuple(commands)


def deploy_asset(asset: AssetPlan, stack: StackPlan, clients: ArmClients, *,
                 workdir: Path, dry_run: bool = False, publish: PublishOptions | None = None) -> AssetResult:
    """Deploy one asset of a deployed stack (with ``dry_run`` only say what would happen); ``publish``
    (default :class:`PublishOptions`) says how packages reach their storage."""
    if dry_run:
        return AssetResult(asset.id, asset.kind, "planned", describe_asset(asset, stack))
    if asset.kind == "static-site":
        return AssetResult(asset.id, asset.kind, "manual",
                           f"Static Web App {asset.destination.get('staticSite')}: content is uploaded with the "
                           "deployment-token flow of the swa CLI (npm i -g @azure/static-web-apps-cli); run:",
                           static_site_commands(asset, stack, workdir))
    if asset.kind != "function-package":
        raise DeployError(f"asset {asset.id} is of kind {asset.kind!r}, which atakora cannot deploy",
                          stack_id=stack.id)
    app = _dest(asset, stack, "functionApp")
    group = _resource_group(asset, stack)
    mode = asset.destination.get("deployment")
    if mode == "flex-consumption":
        return _one_deploy(asset, stack, clients, app, group)
    if mode == "run-from-package":
        return _run_from_package(asset, stack, clients, app, group, publish or PublishOptions())
    raise DeployError(f"asset {asset.id} has deployment {mode!r}, which atakora cannot deploy", stack_id=stack.id,
                      fix="expected 'flex-consumption' or 'run-from-package'; synthesize again")


def _one_deploy(asset: AssetPlan, stack: StackPlan, clients: ArmClients, app: str, group: str) -> AssetResult:
    data = asset.read()
    remote_build = needs_remote_build(data)
    host = _service_call(stack, f"look up the SCM site of {app}", lambda: clients.app_service.scm_host(group, app))
    _service_call(stack, f"publish the package to {app}",
                  lambda: clients.app_service.publish_zip(host, data, remote_build=remote_build))
    build = " with a remote build" if remote_build else ""
    return AssetResult(asset.id, asset.kind, "deployed",
                       f"published to Function App {app} through OneDeploy (https://{host}/api/publish){build}")


def _run_from_package(asset: AssetPlan, stack: StackPlan, clients: ArmClients, app: str, group: str,
                      publish: PublishOptions) -> AssetResult:
    if clients.storage is None:
        raise DeployError("the deploy session has no storage client", stack_id=stack.id,
                          fix="deploy with this version of atakora (AzureSession provides one)")
    storage = clients.storage
    account, container, blob = (_dest(asset, stack, k) for k in ("storageAccount", "container", "blob"))
    data = ready_to_run(asset.read(), runtime=str(asset.destination.get("runtime") or "python"),
                        runtime_version=str(asset.destination.get("runtimeVersion") or "3.11"),
                        installer=publish.installer)
    with reachable_account(storage, stack_id=stack.id, subscription=clients.subscription_id, group=group,
                           account=account, options=publish) as where:
        url = upload_package(storage, stack_id=stack.id, subscription=clients.subscription_id, group=group,
                             account=account, where=where, container=container, blob=blob, data=data,
                             options=publish)
    # The package changed in place (same URL): restart, then sync triggers (the host may still be starting).
    _service_call(stack, f"restart {app}", lambda: clients.app_service.restart(group, app))
    _sync_after_restart(stack, clients, app, group, publish)
    opened = (f" (storage firewall opened for {where.opened_for} during the upload, then restored)"
              if where.opened_for else "")
    return AssetResult(asset.id, asset.kind, "deployed",
                       f"uploaded {len(data)} bytes to {url}{opened}; restarted Function App {app} and synced its "
                       "triggers")


SYNC_ATTEMPTS = 3
"""Trigger syncs tried after a restart before the error is reported."""


def _sync_after_restart(stack: StackPlan, clients: ArmClients, app: str, group: str, publish: PublishOptions) -> None:
    """Sync triggers, retried a few times while the restarted host comes up (not on 401/403)."""
    from azure.core.exceptions import HttpResponseError

    for attempt in range(1, SYNC_ATTEMPTS):
        try:
            clients.app_service.sync_triggers(group, app)
            return
        except HttpResponseError as error:
            if getattr(error, "status_code", None) in (401, 403):
                break
            time.sleep(publish.poll_interval * attempt)
    _service_call(stack, f"sync the triggers of {app}", lambda: clients.app_service.sync_triggers(group, app))


def _service_call(stack: StackPlan, what: str, call: Callable[[], Any]) -> Any:
    from azure.core.exceptions import ClientAuthenticationError, HttpResponseError

    from .arm import AUTH_FIX, auth_summary, describe_arm_error

    try:
        return call()
    except DeployError:
        raise
    except ClientAuthenticationError as error:
        raise DeployError(f"could not authenticate to Azure to {what}: {auth_summary(error)}",
                          stack_id=stack.id, fix=AUTH_FIX) from error
    except HttpResponseError as error:
        fix = ""
        if getattr(error, "status_code", None) == 403:
            fix = ("your identity needs Contributor (or Website Contributor) on the Function App; an app that refuses "
                   "public traffic is published from inside its virtual network (--from-vnet)")
        raise DeployError(f"could not {what}:\n{describe_arm_error(error)}", stack_id=stack.id, fix=fix) from error
