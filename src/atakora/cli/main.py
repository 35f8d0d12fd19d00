"""Command definitions: ``atakora synth | plan | validate | diff | deploy | secrets``."""

from __future__ import annotations

import contextlib
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click
from rich.console import Console
from rich.markup import escape

from .. import __version__
from ..errors import AtakoraError
from .program import ProgramError, run_program

__all__ = ["app", "main"]

console = Console()
err_console = Console(stderr=True)
_state = {"verbose": False}
T = TypeVar("T")
_PATH = click.Path(path_type=Path)

program_argument = click.argument("program", type=_PATH)
"""PROGRAM: your program, for example app.py."""
out_option = click.option("--out", "-o", type=_PATH, default=None,
                          help="output directory (default: the App's outdir)")
usage_option = click.option("--usage", type=_PATH, default=None, help=(
    "usage profile (TOML): stored GB for Azure's minimum RU/s of shared databases, and the cost estimate"))


def _flag(name: str, help: str, *short: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """An on/off option (off unless given)."""
    return click.option(name, *short, is_flag=True, default=False, help=help)


def _usage_block(usage: Path | None) -> contextlib.AbstractContextManager[object]:
    """Run the program with the usage profile of ``--usage`` (built-in defaults without it)."""
    from ..backend.cost import UsageProfile, load_usage, use_usage

    return use_usage(UsageProfile() if usage is None else guarded(lambda: load_usage(usage)))


def _version(context: click.Context, _: click.Parameter, value: bool) -> None:
    if value:
        console.print(f"atakora {__version__}")
        context.exit()


@click.group(no_args_is_help=True,
             help="atakora: infrastructure as code for Azure, built around the backend pattern.")
@_flag("--verbose", "show tracebacks of errors", "-v")
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_version,
              help="print the version and exit")
def app(verbose: bool) -> None:
    _state["verbose"] = verbose


def guarded(action: Callable[[], T]) -> T:
    """Run a command body; an error prints one clear message (a traceback with --verbose) and exits 1."""
    try:
        return action()
    except AtakoraError as error:
        if _state["verbose"]:
            cause = error.original if isinstance(error, ProgramError) else error
            err_console.print("".join(traceback.format_exception(cause)), markup=False, highlight=False)
        where = f"\n  at {error.location}" if error.location else ""
        err_console.print(f"[bold red]error:[/] {escape(str(error))}{where}", highlight=False)
        raise click.exceptions.Exit(1) from None
    except KeyboardInterrupt:
        err_console.print("[bold red]error:[/] interrupted; the previous assembly is intact", highlight=False)
        raise click.exceptions.Exit(1) from None


@app.command()
@click.argument("directory", type=_PATH, default=Path("."))
@click.option("--name", default=None, help="project name (default: the directory's)")
@click.option("--environment", default="dev", show_default=True, help="environment of the backend")
@click.option("--location", default="eastus", show_default=True, help="Azure region")
def init(directory: Path, name: str | None, environment: str, location: str) -> None:
    """Create app.py with a working backend in DIRECTORY (default: the current directory)."""
    from .init_project import init_project

    written = guarded(lambda: init_project(directory, name=name, environment=environment, location=location))
    for path in written:
        console.print(f"created {path}")
    console.print(f"next: atakora synth {written[0]}")


@app.command()
@program_argument
@out_option
@usage_option
def synth(program: Path, out: Path | None, usage: Path | None) -> None:
    """Run PROGRAM (your program, for example app.py) and write the cloud assembly (ARM templates, manifest, assets, plan)."""
    from .findings import print_warnings
    from .report import print_synth_summary

    with _usage_block(usage):
        run = guarded(lambda: run_program(program, outdir=out))
    print_synth_summary(console, run.assemblies)
    for assembly in run.assemblies:
        if assembly.preflight is not None:
            print_warnings(console, assembly.preflight.findings)


@app.command()
@program_argument
@out_option
@click.option("--json", "json_output", is_flag=True, default=False, help="print plan.json instead of the tree")
@usage_option
@_flag("--mermaid", "print the architecture diagram (Mermaid)")
@_flag("--markdown", "print a pull-request comment: tables and the diagram in a mermaid block")
def plan(program: Path, out: Path | None, json_output: bool, usage: Path | None, mermaid: bool, markdown: bool) -> None:
    """Run PROGRAM and print every backend's sharing plan and cost estimate (nothing is written)."""
    from ..backend.backend import backends_of
    from ..backend.cost import UsageProfile, estimate_plan, load_usage, use_usage
    from .findings import print_warnings
    from .plan_report import print_plans

    profile = UsageProfile()
    if usage is not None:
        usage_path: Path = usage
        profile = guarded(lambda: load_usage(usage_path))
    if sum((json_output, mermaid, markdown)) > 1:
        guarded(lambda: _one_format())
    with _prints_to_stderr(json_output or mermaid or markdown), use_usage(profile):
        run = guarded(lambda: run_program(program, outdir=out, write=False))
    if mermaid or markdown:
        from ..backend.diagram import backend_diagram

        found = [b for created in run.apps for b in backends_of(created)]
        if not found:
            guarded(lambda: _no_backend(program))
        diagram = backend_diagram(found, [u for a in run.assemblies for u in a.units])
        if mermaid:
            print(diagram, end="")
        else:
            from .plan_markdown import plan_markdown

            print(plan_markdown([b.plan() for b in found], diagram, profile), end="")
        return
    if not json_output:
        for assembly in run.assemblies:
            if assembly.preflight is not None:
                print_warnings(console, assembly.preflight.findings)
    backends = [b for created in run.apps for b in backends_of(created)]
    if not backends:
        guarded(lambda: _no_backend(program))
    plans = [b.plan() for b in backends]
    if json_output:
        import json

        backends_json = [{**p.to_json(), **estimate_plan(p, profile).to_json()} for p in plans]
        console.print_json(json.dumps({"version": "1.0", "backends": backends_json}))
    else:
        print_plans(console, plans, profile)


def _prints_to_stderr(machine: bool) -> contextlib.AbstractContextManager[object]:
    """While stdout carries machine-readable output (JSON, Mermaid, markdown), the program's own prints go to stderr."""
    return contextlib.redirect_stdout(sys.stderr) if machine else contextlib.nullcontext()


def _one_format() -> None:
    raise AtakoraError("--json, --mermaid and --markdown each choose the output; pass one of them",
                       fix="run atakora plan once per format")


def _no_backend(program: Path) -> None:
    raise AtakoraError(f"{program.name} adds no backend to a stack",
                       fix="define a backend with define_backend(...) and call backend.add_to_stack(stack)")


@app.command()
@program_argument
@click.option("--json", "json_output", is_flag=True, default=False, help="print the findings as JSON")
@usage_option
def validate(program: Path, json_output: bool, usage: Path | None) -> None:
    """Run PROGRAM, every synthesis check and the preflight rules without writing anything; list every finding.

    Exits 1 when a rule of severity error fails.
    """
    from ..rules import Finding, PreflightError
    from .findings import findings_json, print_findings

    def collect() -> tuple[list[Finding], list[Finding], int]:
        try:
            with _prints_to_stderr(json_output), _usage_block(usage):
                run = run_program(program, outdir=None, write=False)
        except PreflightError as error:
            return list(error.report.findings), list(error.report.suppressed), 0
        reports = [a.preflight for a in run.assemblies if a.preflight is not None]
        return ([f for r in reports for f in r.findings], [f for r in reports for f in r.suppressed],
                sum(len(a.units) for a in run.assemblies))

    findings, suppressed, units = guarded(collect)
    errors = sum(1 for f in findings if f.severity == "error")
    if json_output:
        console.print_json(findings_json(findings, suppressed))
    else:
        print_findings(console, findings, suppressed)
        if errors:
            err_console.print(f"[bold red]invalid[/]: {errors} preflight rule error(s); synth would write nothing")
        else:
            console.print(f"[green]valid[/]: {units} template(s) passed validation, ARM limit checks and "
                          f"preflight rules ({len(findings)} warning(s), {len(suppressed)} suppressed)")
    if errors:
        raise click.exceptions.Exit(1)


@app.command()
@program_argument
@out_option
@click.option("--json", "json_output", is_flag=True, default=False, help="print the changes as JSON")
@usage_option
def diff(program: Path, out: Path | None, json_output: bool, usage: Path | None) -> None:
    """Show what PROGRAM would change against the assembly written last time: every property, and data loss."""
    from .report import print_diff

    with _prints_to_stderr(json_output), _usage_block(usage):
        run = guarded(lambda: run_program(program, outdir=out, write=False))
    for assembly in run.assemblies:
        previous = out or assembly.outdir
        guarded(lambda a=assembly, p=Path(previous): print_diff(console, a, p, as_json=json_output))  # type: ignore[misc]


@app.command()
@program_argument
@click.option("--port", type=int, default=7071, show_default=True, help="port to listen on (0 picks a free one)")
@click.option("--host", default="127.0.0.1", show_default=True, help="address to bind")
@click.option("--data-dir", type=_PATH, default=Path(".atakora-dev"), show_default=True,
              help="local projects and SQLite data")
@click.option("--as", "act_as", default=None, help=(
    "Entra ID caller of requests without X-MS-CLIENT-PRINCIPAL, e.g. tid=tenant-a,oid=u1,roles=Admin+Editor"))
def dev(program: Path, port: int, host: str, data_dir: Path, act_as: str | None) -> None:
    """Serve PROGRAM's generated APIs locally on SQLite until Ctrl-C (nothing is deployed)."""
    from .dev import run_dev

    guarded(lambda: run_dev(console, program, host=host, port=port, data_dir=data_dir, act_as=act_as))


@app.command()
@click.argument("program", type=_PATH, required=False, default=None)
@click.option("--assembly", type=_PATH, default=None, help="deploy an assembly written before")
@click.option("--subscription", default=None, help=(
    "Azure subscription id for stacks that name none (default: $AZURE_SUBSCRIPTION_ID)"))
@_flag("--what-if", "show the changes ARM predicts; deploy nothing")
@_flag("--validate-only", "validate the templates; deploy nothing")
@click.option("--stack", multiple=True, help="deploy only this stack id (repeatable)")
@click.option("--parameters", type=_PATH, default=None, help="JSON file of template parameter values")
@click.option("--param", multiple=True, help="a template parameter value NAME=VALUE (repeatable)")
@click.option("--secret", multiple=True, help=(
    "first value of a declared secret the Key Vault lacks, read from a file: [Component/]NAME=@FILE (repeatable; "
    "or set ATAKORA_SECRET_NAME)"))
@_flag("--yes", "deploy without asking", "-y")
@_flag("--allow-data-loss", "deploy even changes that lose data (never for components with protect=True)")
@_flag("--prune", "after deploying, delete atakora-tagged resources no longer in the program (asks first)")
@usage_option
@_flag("--from-vnet", "this machine is inside the backend's virtual network: publish isolated apps through their "
       "private endpoints and leave the storage firewall alone")
@click.option("--client-ip", default=None, help=(
    "the public IPv4 address a temporary storage firewall rule allows during a package upload to an isolated "
    "backend (default: detected)"))
def deploy(program: Path | None, assembly: Path | None, subscription: str | None, what_if: bool,
           validate_only: bool, stack: tuple[str, ...], parameters: Path | None, param: tuple[str, ...],
           secret: tuple[str, ...], yes: bool, allow_data_loss: bool, prune: bool, usage: Path | None,
           from_vnet: bool, client_ip: str | None) -> None:
    """Deploy PROGRAM's assembly (synthesized first; or --assembly) to Azure: stacks in deploy order (validate, deploy), then their code packages."""
    from .deploy import DeployRequest, deploy_command

    with _usage_block(usage):
        deploy_command(console, err_console, DeployRequest(
            program=program, assembly=assembly, subscription=subscription, what_if=what_if,
            validate_only=validate_only, stacks=stack, parameters_file=parameters,
            params=param, yes=yes, allow_data_loss=allow_data_loss, prune=prune,
            secrets=secret, from_vnet=from_vnet, client_ip=client_ip,
        ), verbose=_state["verbose"])


@app.group("secrets", no_args_is_help=True)
def secrets_app() -> None:
    """Store and list the secrets components declare (secrets=)."""


@secrets_app.command("set")
@program_argument
@click.argument("name")
def secrets_set(program: Path, name: str) -> None:
    """Store a secret's value in the backend's Key Vault (from standard input, else a hidden prompt).

    NAME is the secret: NAME, or Component/NAME when several components declare it.
    """
    import sys

    from . import secrets as commands

    secret = guarded(lambda: commands.resolve_secret(program, name))
    if sys.stdin.isatty():
        value = click.prompt(f"value of {secret.owner}/{secret.name}", hide_input=True, confirmation_prompt=True)
    else:
        value = sys.stdin.read().rstrip("\r\n")
    guarded(lambda: commands.set_secret(secret, value))
    console.print(f"set {secret.owner}/{secret.name} as {secret.secret_name} in Key Vault {secret.vault_name}")


@secrets_app.command("list")
@program_argument
def secrets_list(program: Path) -> None:
    """List the declared secrets and whether the backend's Key Vault holds each (values are never shown)."""
    from rich.table import Table

    from . import secrets as commands

    rows = guarded(lambda: commands.list_secrets(program))
    table = Table(title="secrets")
    for column in ("component", "name", "vault", "secret", "status"):
        table.add_column(column)
    for secret, present in rows:
        table.add_row(secret.owner, secret.name, secret.vault_name, secret.secret_name,
                      "set" if present else "[red]missing[/] (atakora secrets set)")
    console.print(table)


def main() -> None:
    """Entry point of the ``atakora`` console script."""
    app()


