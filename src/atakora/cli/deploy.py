"""``atakora deploy``: synthesize (or read) an assembly and deploy it with the Azure SDK, with progress and a summary."""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..deploy import (
    AzureSession,
    Deployer,
    DeployError,
    DeployEvent,
    DeployMode,
    DeployOptions,
    DeployPlan,
    DeployResult,
    DeploySession,
    PublishOptions,
    load_plan,
    parse_parameter_assignments,
    read_parameters_file,
)
from ..deploy.assets import check_publish_path
from ..deploy.guard import GuardResult, api_versions, check_changes, orphans_of, restrict
from ..deploy.prune import Orphan, prune
from ..deploy.stale_grants import GrantRecord
from ..deploy.state import load_orphans, record_deployed, state_dir_for
from ..diff import AssemblyState, load_state, quiet_what_if
from ..errors import AtakoraError

__all__ = ["DeployRequest", "make_session", "run_deploy"]

_STATUS_STYLE = {"deployed": "green", "validated": "green", "previewed": "cyan", "failed": "bold red",
                 "skipped": "yellow"}


def make_session() -> DeploySession:
    """The clients ``atakora deploy`` uses: real Azure with ``DefaultAzureCredential`` (tests replace this)."""
    return AzureSession()


@dataclass(frozen=True)
class DeployRequest:
    """The options of ``atakora deploy`` (see its help); exactly one of ``program`` and ``assembly``."""

    program: Path | None = None
    assembly: Path | None = None
    subscription: str | None = None
    what_if: bool = False
    validate_only: bool = False
    stacks: Sequence[str] = ()
    parameters_file: Path | None = None
    params: Sequence[str] = ()
    yes: bool = False
    allow_data_loss: bool = False
    prune: bool = False
    secrets: Sequence[str] = ()
    """``--secret [Component/]NAME=@FILE``: first values of Key Vault secrets the vault lacks."""
    from_vnet: bool = False
    client_ip: str | None = None

    @property
    def mode(self) -> DeployMode:
        """``what-if``, ``validate`` or ``deploy``."""
        return "what-if" if self.what_if else "validate" if self.validate_only else "deploy"


def _assemblies(console: Console, request: DeployRequest) -> list[Path]:
    if (request.program is None) == (request.assembly is None):
        raise DeployError("give either your program (atakora deploy app.py) or --assembly DIR, not both or neither",
                          fix="atakora deploy app.py, or atakora deploy --assembly atakora.out")
    if request.what_if and request.validate_only:
        raise DeployError("--what-if and --validate-only exclude each other", fix="pass one of them")
    if request.mode != "deploy" and (request.prune or request.allow_data_loss):
        flag = "--prune" if request.prune else "--allow-data-loss"
        mode = "--what-if" if request.what_if else "--validate-only"
        raise DeployError(f"{flag} applies to a deployment, not to {mode}", fix=f"drop {flag}, or deploy without {mode}")
    if request.assembly is not None:
        return [request.assembly]
    from .program import run_program

    assert request.program is not None
    run = run_program(request.program, outdir=None)
    for assembly in run.assemblies:
        console.print(f"synthesized {len(assembly.units)} stack(s) to {escape(str(assembly.outdir))}")
    return [a.outdir for a in run.assemblies]


def _plans(directories: list[Path], stacks: Sequence[str]) -> list[DeployPlan]:
    if not stacks:
        return [load_plan(d) for d in directories]
    everything = [load_plan(d) for d in directories]
    known = {i for p in everything for i in p.all_stack_ids}
    unknown = [s for s in stacks if s not in known]
    if unknown:
        raise DeployError(f"no stack {', '.join(map(repr, unknown))} in the assembly",
                          fix=f"choose from: {', '.join(sorted(known)) or 'none'}")
    chosen = [load_plan(p.assembly, stacks=[s for s in stacks if s in p.all_stack_ids]) for p in everything]
    return [p for p in chosen if p.stacks]


def _parameters(request: DeployRequest) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if request.parameters_file is not None:
        values.update(read_parameters_file(request.parameters_file))
    values.update(parse_parameter_assignments(request.params))
    return values


def _print_plan(console: Console, plans: list[DeployPlan], mode: DeployMode, subscription: str | None) -> None:
    table = Table(title=f"atakora deploy ({mode})", title_justify="left")
    for column in ("#", "stack", "scope", "target", "location", "assets"):
        table.add_column(column)
    n = 0
    for plan in plans:
        for stack in plan.stacks:
            n += 1
            sub = stack.subscription_id or subscription or "?"
            target = f"{stack.resource_group} (sub {sub})" if stack.resource_group else f"subscription {sub}"
            table.add_row(str(n), escape(stack.id), stack.scope, escape(target), stack.location,
                          str(len(stack.assets)))
    console.print(table)


def _confirm(request: DeployRequest, count: int) -> None:
    if request.mode != "deploy" or request.yes:
        return
    try:
        agreed = click.confirm(f"Deploy {count} stack(s) to Azure?", default=False)
    except click.Abort:
        agreed = False
    if not agreed:
        raise DeployError("nothing was deployed: not confirmed", fix="answer y, or pass --yes to deploy without asking")


def _print_summary(console: Console, result: DeployResult) -> None:
    table = Table(title="summary", title_justify="left")
    for column in ("stack", "status", "time", "details"):
        table.add_column(column)
    for stack in result.stacks:
        details: list[str] = []
        if result.mode == "what-if" and stack.status == "previewed":
            counts = Counter(c.change_type for c in stack.changes)
            details.append(", ".join(f"{k}: {v}" for k, v in sorted(counts.items())) or "no changes reported")
        if stack.outputs:
            details.append(f"{len(stack.outputs)} output(s)")
        if stack.assets:
            details.append(", ".join(f"{a.kind} {a.status}" for a in stack.assets))
        if stack.error is not None:
            details.append(stack.error.detail.splitlines()[0])
        style = _STATUS_STYLE.get(stack.status, "")
        table.add_row(escape(stack.stack_id), f"[{style}]{stack.status}[/]", f"{stack.seconds:.1f}s",
                      escape("; ".join(details)))
    console.print(table)
    for stack in result.stacks:
        sid = escape(stack.stack_id)
        for note in stack.notes:
            console.print(f"  {sid}: {escape(note)}", soft_wrap=True)
        for name, value in _output_lines(stack.outputs):
            console.print(f"  {sid}: output {escape(name)} = {escape(value)}", soft_wrap=True)
        for asset in stack.assets:
            console.print(f"  {sid}: {escape(asset.detail)}", soft_wrap=True)
            for command in asset.commands:
                console.print(f"      {escape(command)}", soft_wrap=True)


def _output_lines(outputs: Mapping[str, Any], prefix: str = "") -> list[tuple[str, str]]:
    """Deployed outputs one value a line; nested objects (``componentOutputs``) by dotted name."""
    lines: list[tuple[str, str]] = []
    for name, value in outputs.items():
        if isinstance(value, Mapping) and value:
            lines.extend(_output_lines(value, f"{prefix}{name}."))
        else:
            lines.append((f"{prefix}{name}", value if isinstance(value, str) else json.dumps(value)))
    return lines


@dataclass(frozen=True)
class _Checked:
    """One assembly compared with what was last deployed from it."""

    plan: DeployPlan
    previous: AssemblyState | None
    current: AssemblyState
    result: GuardResult
    orphans: list[Orphan]


def _guard(console: Console, plans: list[DeployPlan], request: DeployRequest) -> list[_Checked]:
    """Compare each assembly with what was last deployed from it; refuse data loss (no Azure call yet)."""
    from .report import print_changes

    checked = []
    for plan in plans:
        ids = [s.id for s in plan.stacks]
        state_dir = state_dir_for(plan.assembly)
        previous = restrict(load_state(state_dir), ids)
        current = restrict(load_state(plan.assembly), ids)
        assert current is not None
        result = check_changes(previous, current, allow_data_loss=request.allow_data_loss)
        if previous is None:
            console.print("nothing deployed from this assembly is recorded yet: every resource is new")
        else:
            console.print("[bold]changes since the last deployment[/]")
            print_changes(console, list(result.changes), empty="no changes since the last deployment")
        recorded = [o for o in load_orphans(state_dir) if o.stack in {s.stack for s in current.stacks}]
        checked.append(_Checked(plan, previous, current, result, orphans_of(result, previous, current, recorded)))
    return checked


def _grant_records(plans: list[DeployPlan]) -> dict[str, GrantRecord]:
    """By the first part of each stack being deployed: its resources as last deployed and as now (no Azure call)."""
    records: dict[str, GrantRecord] = {}
    for plan in plans:
        previous = load_state(state_dir_for(plan.assembly))
        current = load_state(plan.assembly)
        if previous is None or current is None:
            continue
        path_of = {s.id: s.stack for s in current.stacks}
        for stack in plan.stacks:
            path = path_of.get(stack.id)
            if path is None or any(r for r in records if path_of.get(r) == path):
                continue
            records[stack.id] = GrantRecord(
                tuple(r for s in previous.stacks if s.stack == path for r in s.resources),
                tuple(r for s in current.stacks if s.stack == path for r in s.resources))
    return records


def _confirm_prune(request: DeployRequest, orphans: list[Orphan]) -> bool:
    if request.yes:
        return True
    try:
        return click.confirm(f"Delete {len(orphans)} resource(s) no longer in the program (atakora-tagged only)?",
                             default=False)
    except click.Abort:
        return False


def _prune(console: Console, session: DeploySession, options: DeployOptions, item: _Checked,
           request: DeployRequest) -> list[Orphan]:
    """Delete the orphans of one assembly after confirmation; return the ones still in Azure."""
    if not item.orphans or not _confirm_prune(request, item.orphans):
        return item.orphans
    left: list[Orphan] = []
    versions = api_versions(item.previous, item.current)
    protected = item.current.protected | (item.previous.protected if item.previous else frozenset())
    by_stack = {s.stack: s for s in item.current.stacks}
    plans = {s.id: s for s in item.plan.stacks}
    for stack_path in dict.fromkeys(o.stack for o in item.orphans):
        orphans = [o for o in item.orphans if o.stack == stack_path]
        stack = plans.get(by_stack[stack_path].id) if stack_path in by_stack else None
        if stack is None or stack.resource_group is None:
            left.extend(orphans)
            continue
        clients = session.arm(Deployer(session).subscription_for(stack, options))
        for outcome in prune(clients, stack.resource_group, orphans, allow_data_loss=request.allow_data_loss,
                             protected=protected, top_api_versions=versions):
            detail = f": {outcome.detail}" if outcome.detail else ""
            console.print(f"  prune {outcome.status} {escape(outcome.orphan.label)}{escape(detail)}",
                          highlight=False, soft_wrap=True)
            if outcome.status == "kept":
                left.append(outcome.orphan)
    return left


def _print_orphans(console: Console, orphans: list[Orphan]) -> None:
    if not orphans:
        return
    console.print(f"[yellow]{len(orphans)} resource(s) left in Azure[/], no longer in the program "
                  "(an incremental deployment does not delete them):")
    for orphan in orphans:
        loss = " [bold red](holds data)[/]" if orphan.data_loss else ""
        console.print(f"  {escape(orphan.stack)}: {escape(orphan.label)}{loss}", highlight=False, soft_wrap=True)
    console.print("delete them with `atakora deploy --prune` (only atakora-tagged ones, after confirmation)")


def _finish(console: Console, session: DeploySession, options: DeployOptions, checked: list[_Checked],
            result: DeployResult, request: DeployRequest) -> None:
    """Record what was deployed; prune (``--prune``, after a full success); list what is left in Azure."""
    deployed = {s.stack_id for s in result.stacks if s.status == "deployed"}
    removed = {key for s in result.stacks for key in s.removed_assignments}
    left: list[Orphan] = []
    for item in checked:
        orphans = [o for o in item.orphans if (o.type.lower(), o.name) not in removed]
        if request.prune and result.ok:
            orphans = _prune(console, session, options, replace(item, orphans=orphans), request)
        record_deployed(state_dir_for(item.plan.assembly), item.plan.assembly,
                        [s.id for s in item.plan.stacks if s.id in deployed], orphans)
        left.extend(orphans)
    _print_orphans(console, left)


def _print_what_if(console: Console, plans: list[DeployPlan], result: DeployResult) -> None:
    """What-if's predictions of each stack without the noise, in the format of ``atakora diff``."""
    from .report import print_changes

    states = {s.id: s for p in plans for s in (load_state(p.assembly) or AssemblyState(())).stacks}
    changes = []
    for stack in result.stacks:
        if stack.status != "previewed" or not stack.changes:
            continue
        state = states.get(stack.stack_id)
        changes.extend(quiet_what_if(stack.stack_id, [c.raw for c in stack.changes],
                                     template_resources=state.resources if state else (),
                                     owners=state.owner_map() if state else None))
    console.print("[bold]what-if[/] (read-only and defaulted properties atakora does not set are left out)")
    print_changes(console, changes, empty="no changes predicted")


def run_deploy(console: Console, err_console: Console, request: DeployRequest) -> bool:
    """Run ``atakora deploy``; print progress and a summary; return whether every stack succeeded.

    Errors found before anything is deployed raise :class:`AtakoraError`.
    """
    subscription = request.subscription or os.environ.get("AZURE_SUBSCRIPTION_ID") or None
    plans = _plans(_assemblies(console, request), request.stacks)
    values = _parameters(request)
    count = sum(len(p.stacks) for p in plans)
    if count == 0:
        raise DeployError("the assembly has no stacks to deploy", fix="add a stack to your App and synthesize")
    _print_plan(console, plans, request.mode, subscription)
    guards = _guard(console, plans, request) if request.mode == "deploy" else []
    options = DeployOptions(mode=request.mode, subscription_id=subscription, parameters=values,
                            check_what_if=request.mode == "deploy", allow_data_loss=request.allow_data_loss,
                            publish=PublishOptions(from_vnet=request.from_vnet, client_ip=request.client_ip),
                            grant_records=_grant_records(plans))
    session = make_session()
    for plan in plans:  # check every plan before the first deployment
        for stack in plan.stacks:
            Deployer(session).subscription_for(stack, options)
            if request.mode == "deploy":
                for asset in stack.assets:
                    check_publish_path(asset, stack, options.publish)
    from .deploy_secrets import first_secret_values, interactive

    values.update(first_secret_values(
        console, session, plans, options=request.secrets, given=dict(values),
        subscription_for=lambda stack: Deployer(session).subscription_for(stack, options),
        deploying=request.mode == "deploy", may_prompt=not request.yes and interactive()))
    options = replace(options, parameters=values)
    for plan in plans:
        plan.check_parameters(values)
    _confirm(request, count)
    results: list[DeployResult] = []
    with console.status("starting") as status:
        def show(event: DeployEvent) -> None:
            status.update(f"{escape(event.stack_id)}: {escape(event.message.splitlines()[0])}")
            if event.phase in ("done", "failed", "skipped"):
                mark = {"done": "[green]✓[/]", "failed": "[red]✗[/]", "skipped": "[yellow]-[/]"}[event.phase]
                console.print(f"{mark} {escape(event.stack_id)} {escape(event.phase if event.phase != 'done' else event.message)}")

        deployer = Deployer(session, on_event=show)
        for plan in plans:
            result = deployer.run(plan, options)
            results.append(result)
            if not result.ok:
                break
    merged = DeployResult(request.mode, [s for r in results for s in r.stacks])
    _print_summary(console, merged)
    if request.mode == "deploy":
        _finish(console, session, options, guards, merged, request)
    if request.mode == "what-if":
        _print_what_if(console, plans, merged)
    if merged.error is not None:
        err_console.print(f"[bold red]error:[/] {escape(str(merged.error))}", highlight=False, soft_wrap=True)
        return False
    console.print(f"[green]{request.mode} finished[/]: {len(merged.stacks)} stack(s)")
    return True


def deploy_command(console: Console, err_console: Console, request: DeployRequest, *, verbose: bool = False) -> None:
    """``run_deploy`` with errors printed in one line (markup-safe; a traceback with ``verbose``) and exit code 1
    on any failure."""
    try:
        ok = run_deploy(console, err_console, request)
    except AtakoraError as error:
        if verbose:
            import traceback

            from .program import ProgramError

            cause = error.original if isinstance(error, ProgramError) else error
            err_console.print("".join(traceback.format_exception(cause)), markup=False, highlight=False)
        err_console.print(f"[bold red]error:[/] {escape(str(error))}", highlight=False, soft_wrap=True)
        raise click.exceptions.Exit(1) from None
    if not ok:
        raise click.exceptions.Exit(1)
