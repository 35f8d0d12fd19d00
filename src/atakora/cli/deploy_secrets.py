"""The first values of declared Key Vault secrets for ``atakora deploy``, found before anything is written.

Each declared secret (``secrets=``) is a ``securestring`` template parameter whose resource is
written only when the value is given. For every secret the vault does not hold yet (read over ARM,
never a value), the value comes from, in this order: ``--secret [Component/]NAME=@FILE`` (the file's
content, trailing newlines removed), the environment variable ``ATAKORA_SECRET_<NAME>``, or a hidden
prompt when deploying from a terminal without ``--yes``. A secret the vault holds gets no value, so
the deployment never overwrites it (rotate with ``atakora secrets set``). A missing secret without a
value stops ``atakora deploy`` before any Azure write, with one message naming them all. Values are
never printed; only where each came from.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.markup import escape

from ..deploy import DeployError, DeployPlan, DeploySession, StackPlan
from ..deploy.plan import SecretParameter
from ..deploy.secrets import secret_exists

__all__ = ["ENV_PREFIX", "first_secret_values", "interactive"]

ENV_PREFIX = "ATAKORA_SECRET_"


def _stdin_is_a_terminal() -> bool:
    return sys.stdin.isatty()


interactive: Callable[[], bool] = _stdin_is_a_terminal
"""Whether ``atakora deploy`` may prompt for a missing secret (tests replace it)."""


@dataclass(frozen=True)
class _Declared:
    stack: StackPlan
    secret: SecretParameter


def _match(reference: str, declared: Sequence[_Declared]) -> _Declared:
    component, _, name = reference.rpartition("/")
    found = [d for d in declared if d.secret.name == name and (not component or d.secret.component == component)]
    labels = ", ".join(sorted({d.secret.label for d in declared}))
    if not found:
        raise DeployError(f"--secret {reference}: no stack to deploy declares this secret",
                          fix=f"use one of {labels}")
    if len({d.secret.label for d in found}) > 1:
        raise DeployError(f"--secret {reference}: several components declare {name}",
                          fix=f"name the component: {', '.join(sorted({d.secret.label for d in found}))}")
    return found[0]


def _read_file(reference: str, file: Path) -> str:
    try:
        value = file.read_text(encoding="utf-8").rstrip("\r\n")
    except OSError as error:
        raise DeployError(f"--secret {reference}: cannot read {file} ({error.strerror or error})",
                          fix="pass the path of a file that holds the value") from None
    if not value:
        raise DeployError(f"--secret {reference}: {file} is empty", fix="write the value to the file")
    return value


def _from_options(options: Sequence[str], declared: Sequence[_Declared]) -> dict[str, tuple[str, str]]:
    """``--secret REF=@FILE`` options as {parameter: (value, where it came from)}."""
    values: dict[str, tuple[str, str]] = {}
    for option in options:
        reference, sep, source = option.partition("=")
        reference = reference.strip()
        if not sep or not reference:
            raise DeployError(f"--secret {option!r} is not NAME=@FILE", fix="write --secret NAME=@path/to/file")
        if not source.startswith("@") or len(source) < 2:
            raise DeployError(f"--secret {reference}: the value must come from a file (NAME=@FILE), not the "
                              "command line, where shell history and the process list would keep it",
                              fix=f"write the value to a file and pass --secret {reference}=@FILE, or set "
                              f"{ENV_PREFIX}{reference.rpartition('/')[2]}")
        found = _match(reference, declared)
        if found.secret.parameter in values:
            raise DeployError(f"--secret {reference}: {found.secret.label} is given twice", fix="pass it once")
        path = Path(source[1:]).expanduser()
        values[found.secret.parameter] = (_read_file(reference, path), f"file {path}")
    return values


def _env_name(secret: SecretParameter) -> str:
    return f"{ENV_PREFIX}{secret.name}"


def _how_to_give(missing: Sequence[_Declared], shared_names: set[str]) -> str:
    files = " ".join(f"--secret {d.secret.label}=@FILE" for d in missing)
    env = [_env_name(d.secret) for d in missing if d.secret.name not in shared_names]
    ways = [f"set {', '.join(env)}"] if env else []
    ways.append(f"pass {files}")
    clashing = sorted({d.secret.name for d in missing if d.secret.name in shared_names})
    note = (f"; {', '.join(ENV_PREFIX + n for n in clashing)} cannot say which component it is for (several "
            "declare the name), so those need --secret") if clashing else ""
    return (" or ".join(ways) + " (or deploy from a terminal without --yes to be asked); each value is used only "
            "to create the secret, later values go through `atakora secrets set`" + note)


def first_secret_values(console: Console, session: DeploySession, plans: Sequence[DeployPlan], *,
                        options: Sequence[str], given: Mapping[str, Any], subscription_for: Callable[[StackPlan], str],
                        deploying: bool, may_prompt: bool) -> dict[str, str]:
    """The value parameter of each declared secret its vault lacks, by parameter name.

    ``options`` are the ``--secret`` options, ``given`` the other parameter values (a secret's value
    parameter there is an error: it would overwrite an existing secret). When ``deploying``, a
    missing secret without a value raises :class:`DeployError`; otherwise it is only reported.
    """
    # The parts of a stack split by size share its parameters: one entry per parameter.
    declared = list({secret.parameter: _Declared(stack, secret) for plan in plans for stack in plan.stacks
                     for secret in stack.secrets}.values())
    if not declared:
        if options:
            raise DeployError("--secret was given, but no stack to deploy declares a secret",
                              fix="drop --secret, or add secrets=['NAME'] to a component")
        return {}
    for item in declared:
        if item.secret.parameter in given:
            raise DeployError(f"parameter {item.secret.parameter} is the first value of Key Vault secret "
                              f"{item.secret.label}; atakora deploy fills it itself, only while the secret does "
                              "not exist", stack_id=item.stack.id,
                              fix=f"drop it from --param/--parameters and pass --secret {item.secret.label}=@FILE "
                              f"or set {_env_name(item.secret)}; change an existing value with `atakora secrets set`")
    from_files = _from_options(options, declared)
    shared_names = {d.secret.name for d in declared
                    if len({o.secret.label for o in declared if o.secret.name == d.secret.name}) > 1}
    values: dict[str, str] = {}
    missing: list[_Declared] = []
    for item in declared:
        secret = item.secret
        where = f"secret {escape(secret.label)} in Key Vault {escape(secret.vault)}"
        if secret_exists(session.arm(subscription_for(item.stack)), item.stack, secret):
            unused = " (its --secret value is not used: change it with `atakora secrets set`)" \
                if secret.parameter in from_files else ""
            console.print(f"{where}: exists, kept{unused}", highlight=False, soft_wrap=True)
            continue
        value, source = from_files.get(secret.parameter, ("", ""))
        if not value and secret.name not in shared_names and os.environ.get(_env_name(secret)):
            value, source = os.environ[_env_name(secret)], _env_name(secret)
        if not value and deploying and may_prompt:
            value = click.prompt(f"first value of {secret.label}", hide_input=True, confirmation_prompt=True)
            source = "the prompt"
        if value:
            values[secret.parameter] = value
            console.print(f"{where}: missing, created by this deployment with the value from {escape(source)}",
                          highlight=False, soft_wrap=True)
        else:
            missing.append(item)
    if missing:
        listing = ", ".join(f"{d.secret.label} (Key Vault {d.secret.vault})" for d in missing)
        if deploying:
            raise DeployError(f"nothing was deployed: {len(missing)} secret(s) do not exist yet and have no value "
                              f"to create them with: {listing}", fix=_how_to_give(missing, shared_names))
        console.print(f"[yellow]{len(missing)} secret(s) do not exist yet[/] and need a value to deploy: "
                      f"{escape(listing)}", highlight=False, soft_wrap=True)
    return values
