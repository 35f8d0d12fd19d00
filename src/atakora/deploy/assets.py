"""Deploying a stack's assets: function app packages (OneDeploy) and static site content.

- ``function-package`` with ``deployment: flex-consumption``: the zip is published through the app's
  SCM (Kudu) OneDeploy endpoint ``POST https://<scm host>/api/publish?RemoteBuild=<bool>`` with an
  Entra bearer token; the platform stores it in the app's deployment container and (with a remote
  build) installs ``requirements.txt``.
- ``function-package`` with ``deployment: zip-deploy`` (Elastic Premium and dedicated plans): the same
  OneDeploy call with a remote build (the app has ``SCM_DO_BUILD_DURING_DEPLOYMENT``), then the
  triggers are synced.
- ``static-site``: Static Web Apps take content only through their deployment-token flow, which the
  ``swa`` CLI implements; no Azure SDK for Python can upload it. The deploy step prints the exact commands.
"""

from __future__ import annotations

import io
import shlex
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from .clients import ArmClients
from .errors import DeployError
from .plan import AssetPlan, StackPlan

__all__ = ["AssetResult", "deploy_asset", "describe_asset", "needs_remote_build",
           "static_site_commands"]

AssetStatus = Literal["deployed", "manual", "planned"]


@dataclass(frozen=True)
class AssetResult:
    """What happened to one asset: ``deployed``, ``manual`` (commands to run) or ``planned`` (dry run)."""

    asset_id: str
    kind: str
    status: AssetStatus
    detail: str
    commands: tuple[str, ...] = ()


def needs_remote_build(data: bytes) -> bool:
    """Whether a package has dependencies to install (``requirements.txt`` or ``package.json`` at its root)
    and does not ship them (``.python_packages/`` or ``node_modules/``)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
    declares = any(n in ("requirements.txt", "package.json") for n in names)
    ships = any(n.startswith((".python_packages/", "node_modules/")) for n in names)
    return declares and not ships


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
        if d.get("deployment") not in ("flex-consumption", "zip-deploy"):
            return (f"deployment {d.get('deployment')!r} of Function App {d.get('functionApp')} is not one atakora "
                    "deploys (expected 'flex-consumption' or 'zip-deploy'); synthesize again")
        return f"would publish {asset.size} bytes to Function App {d.get('functionApp')} through OneDeploy"
    if asset.kind == "static-site":
        return (f"content of Static Web App {d.get('staticSite')} is deployed with the swa CLI "
                "(atakora deploy prints the commands)")
    return f"asset kind {asset.kind!r} is not deployed by atakora"


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
                 workdir: Path, dry_run: bool = False) -> AssetResult:
    """Deploy one asset of a deployed stack (with ``dry_run`` only say what would happen)."""
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
    data = asset.read()
    if mode in ("flex-consumption", "zip-deploy"):
        remote_build = needs_remote_build(data)
        host = _service_call(stack, f"look up the SCM site of {app}", lambda: clients.app_service.scm_host(group, app))
        _service_call(stack, f"publish the package to {app}",
                      lambda: clients.app_service.publish_zip(host, data, remote_build=remote_build))
        build = " with a remote build" if remote_build else ""
        if mode == "zip-deploy":
            _service_call(stack, f"sync the triggers of {app}", lambda: clients.app_service.sync_triggers(group, app))
        return AssetResult(asset.id, asset.kind, "deployed",
                           f"published to Function App {app} through OneDeploy (https://{host}/api/publish){build}")
    raise DeployError(f"asset {asset.id} has deployment {mode!r}, which atakora cannot deploy", stack_id=stack.id,
                      fix="expected 'flex-consumption' or 'zip-deploy'; synthesize again")


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
            fix = ("your identity needs Contributor (or Website Contributor) on the Function App; with isolated "
                   "networking, deploy from inside the virtual network")
        raise DeployError(f"could not {what}:\n{describe_arm_error(error)}", stack_id=stack.id, fix=fix) from error
