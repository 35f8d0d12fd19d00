"""The synthesis driver: prepare → validate → render → limits → preflight rules → write."""

from __future__ import annotations

import gc
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...errors import SynthesisError, ValidationError
from ...rules import AssemblyView, PreflightError, PreflightReport, Rule, UnitView, run_rules
from ...rules._model import ParseCache
from ..assets import Asset, AssetFiles
from ..resource import Resource
from ..stack import Stack
from ..steps import DeployStep
from ..tokens import check_no_tokens
from .assembly import CloudAssembly, DeploymentUnit, JsonFile, StagedJsonFile, TextFile, artifact_bytes
from .render import render_stack
from .streamed import JsonData, TextPieces
from .workers import share, worker_count
from .writer import Staging, dump_json

if TYPE_CHECKING:
    from ..app import App
    from ..construct import Construct

__all__ = ["synthesize"]


def _prepare(app: App) -> None:
    # Hooks may add constructs (and further hooks); run until none is left.
    while app.pending_prepare_hooks:
        hook = app.pending_prepare_hooks.pop(0)
        hook()
    app.node.lock()


@dataclass
class _Constructs:
    """What synthesis reads of the locked tree, in tree order (one walk)."""

    stacks: list[Stack] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)
    """The number of constructs met after each stack and before the next one: about the work of rendering it."""
    assets: list[Asset] = field(default_factory=list)
    steps: list[DeployStep] = field(default_factory=list)


def _validate(app: App) -> _Constructs:
    """Validate every construct; the stacks, assets and deploy steps met on the way."""
    errors: list[str] = []
    found = _Constructs()
    for construct in app.node.find_all():
        errors.extend(construct.node.validate())
        if isinstance(construct, Stack):
            found.stacks.append(construct)
            found.sizes.append(0)
            continue
        if found.sizes:
            found.sizes[-1] += 1
        if isinstance(construct, Asset):
            found.assets.append(construct)
        elif isinstance(construct, DeployStep):
            found.steps.append(construct)
    if errors:
        raise ValidationError(errors, what="synthesis validation", field="constructs",
                              fix="each error above names its construct and what to change")
    return found


def _render(constructs: _Constructs, staging: Staging | None,
            early: _Artifacts) -> tuple[list[DeploymentUnit], dict[str, Any]]:
    """Every stack's deployment units in deploy order, each template written into ``staging`` (when given) as
    soon as its stack is rendered, and the assets with them; the ``early`` artifacts made meanwhile, by name
    (see :func:`_make_and_render`)."""
    units, made = _make_and_render(constructs, staging, early)
    # A stack split into parts is complete after its last part: other stacks depend on that one.
    last_part: dict[str, str] = {}
    for unit in units:
        last_part[unit.stack_path.replace("/", "-")] = unit.id
    for unit in units:
        own = unit.stack_path.replace("/", "-")
        unit.dependencies = sorted({dep if dep.startswith(own) and dep.split(".part")[0] == own
                                    else last_part.get(dep, dep) for dep in unit.dependencies})
    by_id = {u.id: u for u in units}
    ordered: list[DeploymentUnit] = []
    done: set[str] = set()

    def place(unit: DeploymentUnit, trail: tuple[str, ...]) -> None:
        if unit.id in done:
            return
        if unit.id in trail:
            raise SynthesisError(f"stacks reference each other in a cycle: {' -> '.join((*trail, unit.id))}",
                                 fix="move the shared resource into one stack that both others reference")
        for dep in unit.dependencies:
            if dep in by_id:
                place(by_id[dep], (*trail, unit.id))
        done.add(unit.id)
        ordered.append(unit)

    for unit in units:
        place(unit, ())
    _place_assets(constructs.assets, ordered)
    _place_steps(constructs.steps, ordered)
    return ordered, made


_SHARED_WORK = 1_000
"""Constructs from which making assets and rendering stacks is shared with forked processes (fewer: forking
costs more than it saves)."""


@dataclass(frozen=True)
class _Artifacts:
    """Pure artifacts to make alongside other work (while the stacks render, or the rules run), and how to make
    one (:func:`_produce`)."""

    names: tuple[str, ...] = ()
    produce: Callable[[str], Any] | None = None


@dataclass(frozen=True)
class _Made:
    """An artifact made alongside other work: its content, or ``failed`` (its producer raised, so it is made
    again where synthesis in one round makes it, and raises there: errors keep their order)."""

    content: Any = None
    failed: bool = False


def _make_and_render(constructs: _Constructs, staging: Staging | None,
                     early: _Artifacts) -> tuple[list[DeploymentUnit], dict[str, Any]]:
    """Every stack's units, and every asset made: each written into ``staging`` when given (the assets made
    before synthesis at once, their bytes let go; then those still to make, packages to build, after the
    stacks), the work shared with forked processes; when there is enough of it to share (with or without
    forked processes), the ``early`` artifacts too (those made, by name)."""
    if staging is not None:
        for asset in constructs.assets:
            if asset.made:
                asset.stage(staging)
    waiting = [asset for asset in constructs.assets if not asset.made] if staging is not None else []
    worth_it = sum(constructs.sizes) >= _SHARED_WORK
    # The longest first, so that none is left alone at the end (an artifact of many backends is long).
    jobs: list[Asset | Stack | str] = [*(early.names if worth_it else ()), *constructs.stacks, *waiting]
    do = partial(_do, staging=staging, produce=early.produce)
    done = share(do, jobs, worth_it=worth_it, portable=_portable)
    units: list[DeploymentUnit] = []
    made: dict[str, Any] = {}
    for job, result in zip(jobs, done, strict=True):
        if isinstance(job, str):
            if not result.failed:
                made[job] = result.content
            continue
        if isinstance(job, Asset):
            assert staging is not None and isinstance(result, tuple)
            job.staged_elsewhere(result, staging)
            continue
        assert isinstance(result, list)
        for unit in result:
            if unit.data is None and unit.store is None:  # rendered and written by a forked process
                unit.store = staging
        units.extend(result)
    return units, made


def _do(job: Asset | Stack | str | Rule, staging: Staging | None, produce: Callable[[str], Any] | None,
        check: Callable[[Rule], Any] | None = None) -> Any:
    """An asset made and written into ``staging`` (its SHA-256 and size), a stack's units (written there), the
    artifact of that name (:class:`_Made` by ``produce``), or a built-in rule's findings (by ``check``)."""
    if isinstance(job, str):
        assert produce is not None
        try:
            return _Made(produce(job))
        except Exception:  # noqa: BLE001 - made again in its own place, where it raises
            return _Made(failed=True)
    if isinstance(job, Rule):
        assert check is not None
        return check(job)
    if isinstance(job, Asset):
        assert staging is not None
        job.stage(staging)
        return job.sha256, job.size
    units = render_stack(job)
    if staging is not None:
        for unit in units:
            unit.stage(staging)
    return units


def _portable(result: Any) -> Any:
    """A result of :func:`_do` as a forked process sends it back: a unit's construct paths as text, its staging
    not sent; an artifact as :func:`_portable_artifact` sends it."""
    if isinstance(result, _Made):
        return _Made(_portable_artifact(result.content), result.failed)
    if isinstance(result, list):
        for unit in result:
            unit.resource_paths = tuple(unit.resource_paths)
            unit.store = None
    return result


def _owning_resource(construct: Construct) -> Resource | None:
    """The nearest resource above ``construct`` (for example the Function App of a package)."""
    scope = construct.node.scope
    return scope.node.find_ancestor(Resource) if scope is not None else None


def _positions(units: list[DeploymentUnit], paths: set[str]) -> dict[str, int]:
    """The number of the last unit that creates each of the resources at ``paths`` (those it finds)."""
    found: dict[str, int] = {}
    if paths:
        for number, unit in enumerate(units):
            for path in unit.resource_paths:
                if path in paths:
                    found[path] = number
    return found


def _place_assets(assets: list[Asset], units: list[DeploymentUnit]) -> None:
    """Each asset deploys after the unit that creates the resource it belongs to (its nearest resource
    ancestor, for example a function package after its Function App), else after its stack's last part."""
    last_of_stack = {unit.stack_path: unit for unit in units}
    placed = [(asset, _owning_resource(asset)) for asset in assets]
    position = _positions(units, {owner.node.path for _, owner in placed if owner is not None})
    for asset, owner in placed:
        number = position.get(owner.node.path) if owner is not None else None
        (units[number] if number is not None else last_of_stack[asset.stack.node.path]).assets.append(
            asset.manifest_entry())


def _place_steps(steps: list[DeployStep], units: list[DeploymentUnit]) -> None:
    """Each deploy step runs after the latest unit that creates one of the resources it needs (its
    ``after`` resources and its nearest resource ancestor), else after its stack's last part."""
    last_of_stack = {unit.stack_path: number for number, unit in enumerate(units)}
    wanted = [(step, [*step.after, *([owner] if (owner := _owning_resource(step)) is not None else [])])
              for step in steps]
    position = _positions(units, {r.node.path for _, needed in wanted for r in needed})
    for step, needed in wanted:
        found = [position[r.node.path] for r in needed if r.node.path in position]
        target = max(found) if found else last_of_stack[step.stack.node.path]
        units[target].steps.append(step.manifest_entry())


_SHARED_CHECKING = 2_000
"""Resources from which the built-in preflight rules and the artifacts are shared with forked processes (each
parses the templates its rules read again)."""


def _worth_sharing(units: list[DeploymentUnit]) -> bool:
    """Whether ``units`` hold enough resources for their rules and artifacts to be shared."""
    return sum(unit.index.resource_count for unit in units) >= _SHARED_CHECKING


def preflight(app: App, assembly: CloudAssembly, late: _Artifacts = _Artifacts(),
              staging: Staging | None = None) -> PreflightReport:
    """Run the built-in rules and the App's own rules over a rendered assembly.

    The ``late`` artifacts (pure ones that read the rendered units; plan.json and the other artifacts the
    built-in rules read are made before) are made with the built-in rules, written into ``staging``, and in
    the assembly before the App's own rules run.
    """
    manifest = assembly.manifest
    cache = ParseCache()
    units = tuple(UnitView.of_unit(u, entry, cache) for u, entry in zip(assembly.units, manifest["stacks"], strict=True))
    view = AssemblyView(units=units, manifest=manifest, artifacts=assembly.artifacts, project_id=app.project_id)
    worth_it = _worth_sharing(assembly.units)

    def map_builtin(check: Callable[[Rule], Any], rules: list[Rule]) -> list[Any]:
        names = late.names
        jobs: list[str | Rule] = [*names, *rules]  # an artifact of many backends first: it takes longest
        done = share(partial(_do, staging=staging, produce=late.produce, check=check), jobs, worth_it=worth_it,
                     portable=_portable)
        for name, made in zip(names, done[:len(names)], strict=True):
            assert late.produce is not None
            # One whose producer raised is made again here, and raises as it did before the rules.
            assembly.artifacts[name] = late.produce(name) if made.failed else _received(name, made.content, staging)
        return done[len(names):]

    try:
        return run_rules(view, rules=app.rules, suppressions=app.suppressions, map_builtin=map_builtin)
    finally:
        for unit in units:
            unit.release()
        cache.clear()


def synthesize(app: App, outdir: Path, *, write: bool = True, commit: bool = True) -> CloudAssembly:
    """Run every synthesis phase for ``app`` and write the assembly to ``outdir`` atomically.

    Each template, artifact and asset goes into a staging directory as soon as it is produced (the
    assembly then reads it back from there when asked), and the staging directory replaces ``outdir``
    once the preflight rules pass (with ``commit=False``, when ``assembly.write()`` is called: the CLI
    writes once the whole program succeeded; ``assembly.discard()`` drops the files). With ``write=False``
    every phase runs except writing, and the assembly holds its files. A preflight rule error raises
    :class:`~atakora.rules.PreflightError` (with every finding); then, as after any error, the previous
    assembly is untouched.
    """
    # Freezing what exists (the tree) lets the young collections after artifact producers visit only what
    # synthesis made since; skipped when the program froze objects itself (unfreezing would thaw those too).
    frozen = gc.get_freeze_count() == 0
    if frozen:
        gc.freeze()
    try:
        app.work_ahead.stop()  # what it has not made is made here, on every CPU
        return _synthesize(app, outdir, write=write, commit=commit, collect=frozen)
    except UnicodeEncodeError as error:  # a string of the program holds half of a surrogate pair
        raise _not_unicode(error) from None
    finally:
        app.work_ahead.close()
        if frozen:
            gc.unfreeze()


def _not_unicode(error: UnicodeEncodeError) -> SynthesisError:
    """What a string that UTF-8 cannot encode looks like in the output, with the text around it."""
    text = error.object
    around = text[max(0, error.start - 60):error.end + 60]
    return SynthesisError(
        f"a string of the program is not valid Unicode: {text[error.start:error.end]!r} is half of a surrogate "
        f"pair, so no template or file can hold it; it is here: {around!r}", field="strings",
        fix="remove the character from that name or value (strings decoded with errors='surrogateescape', or "
            "written with a \\ud800-\\udfff escape, hold such halves)")


def _synthesize(app: App, outdir: Path, *, write: bool, commit: bool, collect: bool) -> CloudAssembly:
    worker_count()  # a wrong ATAKORA_WORKERS is an error whatever the size, before anything is written
    staging = app.staging = Staging(outdir) if write else None
    try:
        _prepare(app)
        constructs = _validate(app)
        produce = partial(_produce, app, staging=staging, collect=collect)
        written = staging is not None  # in-memory artifacts are not sent back from forked processes
        early = _Artifacts(tuple(sorted(app.tree_artifacts)) if written else (), produce)
        units, made = _render(constructs, staging, early)
        app.rendered_units = units
        # Pure artifacts that read the units are made with the built-in rules, when those are shared.
        late = _Artifacts(tuple(sorted(app.pure_artifacts - app.tree_artifacts))
                          if written and _worth_sharing(units) else (), produce)
        assembly = _assemble(app, outdir, units, constructs.assets, staging, produce, made, late.names)
        report = preflight(app, assembly, late, staging)
        assembly.preflight = report
        if report.errors:
            raise PreflightError(report)
        if staging is not None:
            staging.add("manifest.json", dump_json(assembly.manifest))
            if commit:
                staging.commit()
            else:
                assembly.staged = staging
    except BaseException:
        if staging is not None:
            staging.discard()
        raise
    finally:
        app.staging = None
    return assembly


_YOUNG_OBJECTS = 1_000
"""Objects made since the last collection above which a producer's garbage is collected."""


def _assemble(app: App, outdir: Path, units: list[DeploymentUnit], assets: list[Asset], staging: Staging | None,
              produce: Callable[[str], Any], made: dict[str, Any], later: tuple[str, ...]) -> CloudAssembly:
    """The assembly of ``units``, the artifacts and the assets, each written into ``staging`` when given.

    ``made``: the artifacts made already (while the stacks rendered); ``later``: those made with the rules
    (their places kept, so that every artifact is in name order); the others are made here in name order.
    """
    artifacts: dict[str, Any] = {}
    for name in sorted(app.artifact_producers):
        if name in later:
            artifacts[name] = None
        elif name in made:
            artifacts[name] = _received(name, made[name], staging)
        else:
            artifacts[name] = produce(name)
    return CloudAssembly(outdir=outdir, units=units, artifacts=artifacts, assets=AssetFiles(assets))


def _received(name: str, content: Any, staging: Staging | None) -> Any:
    """An artifact's content as the assembly holds it, where a forked process made it or here."""
    if isinstance(content, _WrittenArtifact):
        assert staging is not None
        return content.kind(partial(staging.read, name))
    return content


def _produce(app: App, name: str, staging: Staging | None, *, collect: bool) -> Any:
    """Artifact ``name`` made by its producer, as the assembly holds it (see :func:`_artifact`).

    With ``collect``, the reference cycles a producer left behind are collected after it when it made many
    objects (synthesis pauses the collector, and the next producer would add its peak to that garbage).
    """
    content = app.artifact_producers[name]()
    if collect and gc.get_count()[0] > _YOUNG_OBJECTS:
        gc.collect(0)
    return _artifact(app, name, content, staging)


@dataclass(frozen=True)
class _WrittenArtifact:
    """An artifact a forked process wrote into the staging directory: how to read it back."""

    kind: type[JsonFile | TextFile]


def _portable_artifact(content: Any) -> Any:
    """An artifact as a forked process sends it back: one it wrote as where it is, others as they are."""
    if isinstance(content, (JsonFile, TextFile)):
        return _WrittenArtifact(type(content))
    return content


def _artifact(app: App, name: str, content: Any, staging: Staging | None) -> Any:
    """The artifact ``content`` as the assembly holds it, checked for tokens and written into ``staging`` when
    given (:class:`JsonData` and :class:`TextPieces` piece by piece; a :class:`StagedJsonFile` is there)."""
    if isinstance(content, StagedJsonFile):
        return content
    if isinstance(content, TextPieces):
        if staging is not None:
            return content.stage(name, staging, app.tokens)
        content = content.text()
    if isinstance(content, JsonData):
        if staging is None:
            content = content.in_memory()
        else:
            content = content.stage(name, staging, app.tokens)
            if isinstance(content, JsonFile):
                return content
    data = artifact_bytes(content)
    if b"${" in data:
        check_no_tokens(data.decode("utf-8"), app.tokens, where=name)
    if staging is not None:
        staging.add(name, data)
        if isinstance(content, JsonFile):
            content = JsonFile(partial(staging.read, name))
        elif isinstance(content, str):
            content = TextFile(partial(staging.read, name))
    return content
