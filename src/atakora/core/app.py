"""The App: root of the construct tree, and where synthesis starts."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..arguments import shown, validated
from ..errors import ConfigurationError
from ..rules import Rule, Suppression
from .construct import Construct, TreeRoot
from .gcpause import gc_paused, skip_collection_at_exit
from .paths import nameable
from .synthesis import CloudAssembly, DeploymentUnit, synthesize
from .synthesis.ahead import WorkAhead
from .tokens import TokenRegistry

if TYPE_CHECKING:
    from .resource import Resource
    from .synthesis.writer import Staging

__all__ = ["App", "scratch_app"]

_outdir_override: Path | None = None
_created_apps: list[App] | None = None
_program_dir: Path | None = None
_stage = False

PROJECT_FILE = "atakora.toml"
"""The committed project file that ``atakora init`` writes; its ``[project] id`` is part of every
globally unique name."""


@contextlib.contextmanager
def cli_session(outdir: Path | None, program_dir: Path | None = None, *, stage: bool = False
                ) -> Iterator[list[App]]:
    """Used by the CLI: record every App a program creates and send its output to ``outdir``.

    Inside a session ``App.synth()`` writes nothing to ``outdir``: the CLI writes every assembly once the
    whole program succeeded, so a program that fails after synthesizing leaves the previous output intact.
    With ``stage`` each assembly's files go to its staging directory as they are produced (not held in
    memory), and ``assembly.write()`` swaps them in.
    """
    global _outdir_override, _created_apps, _program_dir, _stage
    saved = (_outdir_override, _created_apps, _program_dir, _stage)
    _outdir_override = outdir
    _created_apps = []
    _program_dir = program_dir
    _stage = stage
    try:
        yield _created_apps
    finally:
        _outdir_override, _created_apps, _program_dir, _stage = saved


def find_project_id(start: Path) -> str | None:
    """The ``[project] id`` of the nearest ``atakora.toml`` in ``start`` or a parent directory (None: none)."""
    import tomllib

    for directory in (start, *start.parents):
        candidate = directory / PROJECT_FILE
        if candidate.is_file():
            try:
                data = tomllib.loads(candidate.read_text(encoding="utf-8"))
            except (OSError, tomllib.TOMLDecodeError) as error:
                raise ConfigurationError(f"{candidate} cannot be read: {error}", field="project.id",
                                         fix="fix the file, or write it again with atakora init") from error
            value = data.get("project", {}).get("id") if isinstance(data.get("project"), dict) else None
            if not isinstance(value, str) or not value.strip():
                raise ConfigurationError(f"{candidate} has no [project] id", field="project.id",
                                         fix='add [project] id = "<a random id>" (atakora init writes one)')
            return checked_project_id(value.strip(), f"project.id of {candidate}")
    return None


def checked_project_id(value: object, field: str) -> str:
    """``value`` as a project id: a printable, non-blank string (it is hashed into globally unique names)."""
    text = value if isinstance(value, str) else ""
    if not text.strip() or not text.isprintable():  # isprintable() is False for NUL and for surrogates too
        raise ConfigurationError(f"the project id must be a printable, non-blank string, got {shown(value)}",
                                 field=field, fix='use the id atakora init writes to atakora.toml, or '
                                 'a short name such as "shop-7f3k2a"')
    return text


def checked_outdir(value: object, field: str) -> Path:
    """``value`` as the output directory: a path (string or ``os.PathLike``) a file system can name."""
    if not isinstance(value, (str, os.PathLike)):
        raise ConfigurationError(f"the output directory must be a path, got {shown(value)}", field=field,
                                 fix='pass a folder, for example outdir="atakora.out"')
    text = os.fspath(value)
    if not isinstance(text, str) or not nameable(text):
        raise ConfigurationError(f"the output directory {shown(value)} cannot name a folder", field=field,
                                 fix='pass a folder name without NUL or unpaired surrogate characters, for example '
                                     'outdir="atakora.out"')
    return Path(text)


def _default_program_dir() -> Path:
    import sys

    main = getattr(sys.modules.get("__main__"), "__file__", None)
    return Path(main).resolve().parent if main else Path.cwd()


def scratch_app() -> App:
    """An App for internal what-if work (planning, inner templates) that the CLI never synthesizes."""
    return App(outdir=".atakora-scratch", _scratch=True)


class App(TreeRoot):
    """The root construct. ``synth()`` writes the cloud assembly to ``outdir`` (default ``atakora.out``).

    ``rules``: your own preflight rules (:mod:`atakora.rules`), run with the built-in ones in every
    synthesis (default none). ``project_id``: part of every globally unique name (default: the
    ``[project] id`` of the nearest ``atakora.toml`` from the program's directory up, which
    ``atakora init`` writes; or the context value ``atakora:projectId``).
    """

    def __init__(self, *, outdir: str | Path = "atakora.out", context: Mapping[str, Any] | None = None,
                 rules: Iterable[Rule] = (), project_id: str | None = None, _scratch: bool = False) -> None:
        super().__init__(None, "App")
        self._project_id = None if project_id is None else checked_project_id(project_id, "project_id")
        self.outdir = checked_outdir(outdir, "outdir")
        self.rules: list[Rule] = []
        self.suppressions: list[Suppression] = []
        if isinstance(rules, (str, bytes, Mapping)) or not isinstance(rules, Iterable):
            raise ConfigurationError(f"App rules must be a list of atakora.rules.Rule objects, got {shown(rules)}",
                                     field="rules", fix="pass rules=[my_rule] (or leave rules out for none)")
        for extra in rules:
            self.add_rule(extra)
        if context is not None and not isinstance(context, Mapping):
            raise ConfigurationError(f"App context must be a mapping of names to values, got {shown(context)}",
                                     field="context", fix="pass context={'name': value} (or leave it out)")
        for key, value in (context or {}).items():
            if not isinstance(key, str) or not key:
                raise ConfigurationError(f"App context keys must be non-empty strings, got {shown(key)}",
                                         field="context", fix="name each context value with a string")
            self.node.set_context(key, value)
        self.pending_prepare_hooks: list[Callable[[], None]] = []
        self.artifact_producers: dict[str, Callable[[], Any]] = {}
        self.pure_artifacts: set[str] = set()
        """Artifacts whose producers have no effect but what they return (synthesis may run them forked)."""
        self.tree_artifacts: set[str] = set()
        """Pure artifacts that read the construct tree only (synthesis may make them while the stacks render)."""
        self.rendered_units: list[DeploymentUnit] = []
        """The deployment units of the current synthesis, for artifacts that describe them (set after rendering)."""
        self.assembly: CloudAssembly | None = None
        self.created_resources: list[Resource] = []
        """Every resource created in this app, in creation order."""
        self.resource_names: dict[tuple[object, str, str], Resource] = {}
        """Each literally named resource by (its parent, or its resource group, type, lower-case name)."""
        self.staging: Staging | None = None
        """Where the written synthesis under way puts its files: an asset made meanwhile (a function package built
        in the prepare phase) is written there at once and lets its bytes go."""
        self.work_ahead = WorkAhead(enabled=_created_apps is None or _stage)  # CLI commands that write nothing: off
        """Work done in a forked process before synthesis (a backend's packages while the next one is built)."""
        self.tokens = TokenRegistry()
        """The printable tokens (``${...}``) handed out for this App's deploy-time values."""
        if _created_apps is not None and not _scratch:
            _created_apps.append(self)

    @property
    def effective_outdir(self) -> Path:
        """Where ``synth()`` writes: the CLI's ``--out`` when given, else ``outdir``."""
        return _outdir_override or self.outdir

    def add_prepare_hook(self, hook: Callable[[], None]) -> None:
        """Run ``hook`` in the prepare phase of synthesis, before validation."""
        self.pending_prepare_hooks.append(hook)

    @validated
    def add_artifact(self, file_name: str, producer: Callable[[], Any], *, pure: bool = False,
                     reads_units: bool = True) -> None:
        """Write ``producer()`` to ``file_name`` in the assembly: text as it is, anything else as JSON (``plan.json``).

        ``pure``: the producer has no effect but what it returns, so synthesis may run it in a forked process.
        ``reads_units=False`` (with ``pure``; ignored without): it reads the construct tree only, not
        ``rendered_units``, so it may be made while the stacks render.
        """
        self.artifact_producers[file_name] = producer
        self.pure_artifacts.discard(file_name)
        self.tree_artifacts.discard(file_name)
        if pure:
            self.pure_artifacts.add(file_name)
            if not reads_units:
                self.tree_artifacts.add(file_name)

    def add_rule(self, rule: Rule) -> None:
        """Run ``rule`` in every synthesis of this App (a rule added twice runs once)."""
        if not isinstance(rule, Rule):
            raise ConfigurationError(f"App rules must be atakora.rules.Rule objects, got {type(rule).__name__}",
                                     field="rules", fix="make one with the @atakora.rules.rule(...) decorator")
        if rule not in self.rules:
            self.rules.append(rule)

    def suppress_rule(self, rule_id: str, *, resource: str | Construct, reason: str) -> None:
        """Silence ``rule_id`` on one resource (a construct, its path, or its ARM name) for ``reason``.

        The suppression and its reason are recorded in ``manifest.json``; a rule id or resource the
        assembly does not have is an error at synthesis.
        """
        target = resource.node.path if isinstance(resource, Construct) else resource
        self.suppressions.append(Suppression(rule_id=rule_id, resource=target, reason=reason))

    @property
    def project_id(self) -> str | None:
        """The project id that globally unique names include (None: this program has none)."""
        if self._project_id is None:
            value = self.node.try_get_context("atakora:projectId")
            self._project_id = (checked_project_id(str(value), "context atakora:projectId") if value
                                else (find_project_id(_program_dir or _default_program_dir()) or ""))
        return self._project_id or None

    def synth(self, *, outdir: str | Path | None = None) -> CloudAssembly:
        """Synthesize every stack and write the assembly atomically; returns it.

        Runs once: later calls return the same assembly.
        """
        if self.assembly is None:
            target = _outdir_override or (Path(outdir) if outdir is not None else self.outdir)
            with gc_paused():
                self.assembly = synthesize(self, target, write=_created_apps is None or _stage,
                                           commit=_created_apps is None)
            skip_collection_at_exit()
        return self.assembly
