"""Command definitions: ``atakora synth | plan | validate | diff | deploy | secrets``."""

from __future__ import annotations

import contextlib
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from .. import __version__
from ..errors import AtakoraError
from .program import ProgramError, run_program

__all__ = ["app", "main"]

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="atakora: infrastructure as code for Azure, built around the backend pattern.")
console = Console()
err_console = Console(stderr=True)
_state = {"verbose": False}
T = TypeVar("T")

ProgramArg = Annotated[Path, typer.Argument(help="your program, for example app.py")]
OutOption = Annotated[Path | None, typer.Option("--out", "-o", help="output directory (default: the App's outdir)")]
UsageOption = Annotated[Path | None, typer.Option(
    "--usage", help="usage profile (TOML): stored GB for Azure's minimum RU/s of shared databases, and the cost "
    "estimate")]


def _usage_block(usage: Path | None) -> contextlib.AbstractContextManager[object]:
    """Run the program with the usage profile of ``--usage`` (built-in defaults without it)."""
    from ..backend.cost import UsageProfile, load_usage, use_usage

    return use_usage(UsageProfile() if usage is None else guarded(lambda: load_usage(usage)))


def _version(value: bool) -> None:
    if value:
        console.print(f"atakora {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="show tracebacks of errors")] = False,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="print the version and exit")] = False,
) -> None:
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
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        err_console.print("[bold red]error:[/] interrupted; the previous assembly is intact", highlight=False)
        raise typer.Exit(1) from None


@app.command()
def init(directory: Annotated[Path, typer.Argument(help="project directory")] = Path("."),
         name: Annotated[str | None, typer.Option(help="project name (default: the directory's)")] = None,
         environment: Annotated[str, typer.Option(help="environment of the backend")] = "dev",
         location: Annotated[str, typer.Option(help="Azure region")] = "eastus") -> None:
    """Create app.py with a working backend in DIRECTORY."""
    from .init_project import init_project

    written = guarded(lambda: init_project(directory, name=name, environment=environment, location=location))
    for path in written:
        console.print(f"created {path}")
    console.print(f"next: atakora synth {written[0]}")


@app.command()
def synth(program: ProgramArg, out: OutOption = None, usage: UsageOption = None) -> None:
    """Run PROGRAM and write the cloud assembly (ARM templates, manifest, assets, plan)."""
    from .findings import print_warnings
    from .report import print_synth_summary

    with _usage_block(usage):
        run = guarded(lambda: run_program(program, outdir=out))
    print_synth_summary(console, run.assemblies)
    for assembly in run.assemblies:
        if assembly.preflight is not None:
            print_warnings(console, assembly.preflight.findings)


@app.command()
def plan(program: ProgramArg, out: OutOption = None,
         json_output: Annotated[bool, typer.Option("--json", help="print plan.json instead of the tree")] = False,
         usage: UsageOption = None,
         mermaid: Annotated[bool, typer.Option("--mermaid", help="print the architecture diagram (Mermaid)")] = False,
         markdown: Annotated[bool, typer.Option("--markdown", help="print a pull-request comment: tables and the "
                                                 "diagram in a mermaid block")] = False,
         ) -> None:
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
def validate(program: ProgramArg,
             json_output: Annotated[bool, typer.Option("--json", help="print the findings as JSON")] = False,
             usage: UsageOption = None) -> None:
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
        raise typer.Exit(1)


@app.command()
def diff(program: ProgramArg, out: OutOption = None,
         json_output: Annotated[bool, typer.Option("--json", help="print the changes as JSON")] = False,
         usage: UsageOption = None) -> None:
    """Show what PROGRAM would change against the assembly written last time: every property, and data loss."""
    from .report import print_diff

    with _prints_to_stderr(json_output), _usage_block(usage):
        run = guarded(lambda: run_program(program, outdir=out, write=False))
    for assembly in run.assemblies:
        previous = out or assembly.outdir
        guarded(lambda a=assembly, p=Path(previous): print_diff(console, a, p, as_json=json_output))  # type: ignore[misc]


@app.command()
def dev(program: ProgramArg,
        port: Annotated[int, typer.Option(help="port to listen on (0 picks a free one)")] = 7071,
        host: Annotated[str, typer.Option(help="address to bind")] = "127.0.0.1",
        data_dir: Annotated[Path, typer.Option(help="local projects and SQLite data")] = Path(".atakora-dev"),
        act_as: Annotated[str | None, typer.Option(
            "--as", help="Entra ID caller of requests without X-MS-CLIENT-PRINCIPAL, e.g. tid=tenant-a,oid=u1,"
            "roles=Admin+Editor")] = None,
        ) -> None:
    """Serve PROGRAM's generated APIs locally on SQLite until Ctrl-C (nothing is deployed)."""
    from .dev import run_dev

    guarded(lambda: run_dev(console, program, host=host, port=port, data_dir=data_dir, act_as=act_as))


@app.command()
def deploy(
    program: Annotated[Path | None, typer.Argument(help="your program, synthesized first (or use --assembly)")] = None,
    assembly: Annotated[Path | None, typer.Option("--assembly", help="deploy an assembly written before")] = None,
    subscription: Annotated[str | None, typer.Option(
        "--subscription", help="Azure subscription id for stacks that name none (default: $AZURE_SUBSCRIPTION_ID)")
    ] = None,
    what_if: Annotated[bool, typer.Option("--what-if", help="show the changes ARM predicts; deploy nothing")] = False,
    validate_only: Annotated[bool, typer.Option("--validate-only", help="validate the templates; deploy nothing")
                             ] = False,
    stack: Annotated[list[str] | None, typer.Option("--stack", help="deploy only this stack id (repeatable)")] = None,
    parameters: Annotated[Path | None, typer.Option("--parameters", help="JSON file of template parameter values")
                          ] = None,
    param: Annotated[list[str] | None, typer.Option("--param", help="a template parameter value NAME=VALUE")] = None,
    secret: Annotated[list[str] | None, typer.Option(
        "--secret", help="first value of a declared secret the Key Vault lacks, read from a file: "
        "[Component/]NAME=@FILE (repeatable; or set ATAKORA_SECRET_NAME)")] = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="deploy without asking")] = False,
    allow_data_loss: Annotated[bool, typer.Option(
        "--allow-data-loss", help="deploy even changes that lose data (never for components with protect=True)")
    ] = False,
    prune: Annotated[bool, typer.Option(
        "--prune", help="after deploying, delete atakora-tagged resources no longer in the program (asks first)")
    ] = False,
    usage: UsageOption = None,
    from_vnet: Annotated[bool, typer.Option(
        "--from-vnet", help="this machine is inside the backend's virtual network: publish isolated apps through "
        "their private endpoints and leave the storage firewall alone")] = False,
    client_ip: Annotated[str | None, typer.Option(
        "--client-ip", help="the public IPv4 address a temporary storage firewall rule allows during a package "
        "upload to an isolated backend (default: detected)")] = None,
) -> None:
    """Deploy PROGRAM's assembly to Azure: stacks in deploy order (validate, deploy), then their code packages."""
    from .deploy import DeployRequest, deploy_command

    with _usage_block(usage):
        deploy_command(console, err_console, DeployRequest(
            program=program, assembly=assembly, subscription=subscription, what_if=what_if,
            validate_only=validate_only, stacks=tuple(stack or ()), parameters_file=parameters,
            params=tuple(param or ()), yes=yes, allow_data_loss=allow_data_loss, prune=prune,
            secrets=tuple(secret or ()), from_vnet=from_vnet, client_ip=client_ip,
        ), verbose=_state["verbose"])


secrets_app = typer.Typer(no_args_is_help=True, help="Store and list the secrets components declare (secrets=).")
app.add_typer(secrets_app, name="secrets")


@secrets_app.command("set")
def secrets_set(program: ProgramArg,
                name: Annotated[str, typer.Argument(help="the secret: NAME, or Component/NAME when several declare it")]
                ) -> None:
    """Store a secret's value in the backend's Key Vault (from standard input, else a hidden prompt)."""
    import sys

    from . import secrets as commands

    secret = guarded(lambda: commands.resolve_secret(program, name))
    if sys.stdin.isatty():
        value = typer.prompt(f"value of {secret.owner}/{secret.name}", hide_input=True, confirmation_prompt=True)
    else:
        value = sys.stdin.read().rstrip("\r\n")
    guarded(lambda: commands.set_secret(secret, value))
    console.print(f"set {secret.owner}/{secret.name} as {secret.secret_name} in Key Vault {secret.vault_name}")


@secrets_app.command("list")
def secrets_list(program: ProgramArg) -> None:
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


