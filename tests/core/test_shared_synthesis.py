"""A synthesis that shares rendering and package building with forked processes writes the very files that
a synthesis in one process writes."""

from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from atakora import App, ResourceGroupStack
from atakora.backend import define_backend
from atakora.backend.providers import functions
from atakora.cli.program import run_program
from atakora.components import CrudApi
from atakora.core.synthesis import synthesize, synthesizer
from atakora.core.synthesis.workers import WORKERS_VARIABLE
from atakora.errors import ConfigurationError, ProviderError
from atakora.rules import AssemblyView, Rule, Violation
from atakora.testing import Template

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="synthesis forks on Linux only")

EXAMPLES = sorted((Path(__file__).parent.parent.parent / "examples").glob("*.py"))


@pytest.fixture
def forks(monkeypatch: pytest.MonkeyPatch, forked_pids: list[int]) -> list[int]:
    """Sharing whatever the size; the pids forked (none while ``ATAKORA_WORKERS`` is 0)."""
    monkeypatch.setattr(synthesizer, "_SHARED_WORK", 0)
    for name in ("DEPLOY_COLOR", "VERSION", "DEPLOY_ENV", "ENTRA_TENANT_ID", "ENTRA_CLIENT_ID"):
        monkeypatch.delenv(name, raising=False)
    return forked_pids


def files(outdir: Path) -> dict[str, bytes]:
    return {str(path.relative_to(outdir)): path.read_bytes() for path in sorted(outdir.rglob("*")) if path.is_file()}


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.stem for e in EXAMPLES])
def test_an_example_written_by_forked_processes_is_byte_for_byte_the_one_written_alone(
        example: Path, tmp_path: Path, forks: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(WORKERS_VARIABLE, "0")
    run_program(example, outdir=tmp_path / "alone")
    assert forks == []
    monkeypatch.setenv(WORKERS_VARIABLE, "2")
    run_program(example, outdir=tmp_path / "shared")
    manifest = json.loads((tmp_path / "alone" / "manifest.json").read_bytes())
    if len(manifest["stacks"]) > 2:
        assert forks
    assert files(tmp_path / "shared") == files(tmp_path / "alone")


def many_backends(outdir: Path) -> App:
    """Five stacks, the last ones reading the first's Cosmos account (cross-stack references)."""
    app = App(outdir=str(outdir))
    schema = {"id": "string", "name": {"type": "string", "required": True}}
    for number in range(5):
        stack = ResourceGroupStack(app, f"Stack{number}", resource_group_name=f"rg-{number}", location="eastus")
        components = {f"api{i}": CrudApi.define(f"Api{number}x{i}", entity_name=f"Item{number}x{i}", schema=schema)
                      for i in range(3)}
        define_backend(components, environment="dev", location="eastus", backend_id=f"b{number}").add_to_stack(stack)
    first = app.node.find_child("Stack0")
    for number in range(1, 5):
        later = app.node.find_child(f"Stack{number}")
        assert isinstance(later, ResourceGroupStack) and isinstance(first, ResourceGroupStack)
        later.add_dependency(first)
    return app


def test_many_stacks_written_or_held_by_forked_processes_are_those_of_one_process(
        tmp_path: Path, forks: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    done_here: list[str] = []  # what this process rendered and built (a forked one's own list is not this one)
    render, build = synthesizer.render_stack, functions._package_builder
    assert build is not None
    monkeypatch.setattr(synthesizer, "render_stack", lambda stack: done_here.append("stack") or render(stack))
    monkeypatch.setattr(functions, "_package_builder", lambda **kw: done_here.append("package") or build(**kw))

    monkeypatch.setenv(WORKERS_VARIABLE, "0")
    many_backends(tmp_path / "alone").synth()
    held_alone = synthesize(many_backends(tmp_path / "unused"), tmp_path / "unused", write=False)
    assert forks == [] and done_here.count("stack") == 10 and done_here.count("package") == 10
    done_here.clear()
    monkeypatch.setenv(WORKERS_VARIABLE, "2")
    many_backends(tmp_path / "shared").synth()
    held_shared = synthesize(many_backends(tmp_path / "unused"), tmp_path / "unused", write=False)
    assert len(forks) == 4  # two for each synthesis
    assert done_here.count("stack") < 10 and done_here.count("package") < 5 + 5  # held: built when read
    assert files(tmp_path / "shared") == files(tmp_path / "alone")
    assert [u.template_data for u in held_shared.units] == [u.template_data for u in held_alone.units]
    assert held_shared.manifest == held_alone.manifest
    assert [list(u.resource_paths) for u in held_shared.units] == [list(u.resource_paths) for u in held_alone.units]


def test_a_package_error_met_by_a_forked_process_is_raised_as_alone(
        tmp_path: Path, forks: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    build = functions._package_builder
    assert build is not None

    def refuse_the_last(**arguments: Any) -> Any:
        if any(api.component_id.startswith("Api4") for api in arguments["crud_apis"]):
            raise ConfigurationError("Api4x0 is refused", field="crud_apis", fix="remove it")
        return build(**arguments)

    monkeypatch.setattr(functions, "_package_builder", refuse_the_last)
    monkeypatch.setenv(WORKERS_VARIABLE, "2")
    with pytest.raises(ConfigurationError, match="Api4x0 is refused"):
        many_backends(tmp_path / "out").synth()
    assert forks and not (tmp_path / "out").exists()
    assert [p.name for p in tmp_path.iterdir()] == []


def test_preflight_and_artifacts_shared_with_forked_processes_are_those_of_one_process(
        tmp_path: Path, forks: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(synthesizer, "_SHARED_CHECKING", 0)
    assemblies = []
    for workers_allowed in ("0", "2"):
        monkeypatch.setenv(WORKERS_VARIABLE, workers_allowed)
        app = many_backends(tmp_path / workers_allowed)
        app.suppress_rule("AZ-NAME-001", resource="Stack2", reason="named by the platform team")
        seen: list[str] = []

        def note_units(assembly: AssemblyView, seen: list[str] = seen) -> Iterator[Violation]:
            seen.extend(unit.id for unit in assembly.units)
            yield from ()

        app.add_rule(Rule("TEST-SEEN-001", "warning", "notes every unit", "https://example.com", note_units))
        app.add_artifact("seen.txt", lambda seen=seen: seen.append("artifact") or "the program's own\n")
        assemblies.append(app.synth())
        # The program's own rule and artifact run in its process.
        assert seen == ["artifact", *(f"Stack{n}" for n in range(5))]
    alone, shared = assemblies
    # Two to render, build packages and make plan.json and components.json; two to run the rules and make the
    # diagram, which reads the rendered units.
    assert len(forks) == 4
    assert shared.preflight == alone.preflight
    assert shared.preflight is not None and [f.stack for f in shared.preflight.suppressed] == ["Stack2"]
    assert len(shared.preflight.warnings) == 4
    assert files(tmp_path / "2") == files(tmp_path / "0")
    assert sorted(shared.artifacts) == sorted(alone.artifacts)
    for name, content in shared.artifacts.items():
        assert type(content) is type(alone.artifacts[name])
        assert (dict(content) if name.endswith(".json") else str(content)) == (
            dict(alone.artifacts[name]) if name.endswith(".json") else str(alone.artifacts[name]))


@pytest.mark.parametrize("workers_allowed", ["0", "2"])
def test_a_pure_artifact_that_reads_the_tree_only_is_made_while_the_stacks_render_with_or_without_forks(
        tmp_path: Path, forks: list[int], monkeypatch: pytest.MonkeyPatch, workers_allowed: str) -> None:
    monkeypatch.setenv(WORKERS_VARIABLE, workers_allowed)
    monkeypatch.setattr(synthesizer, "_SHARED_CHECKING", 0)  # the artifacts that read the units: with the rules
    app = many_backends(tmp_path)
    units_seen = {name: (lambda: f"{len(app.rendered_units)}\n") for name in ("early.txt", "late.txt", "again.txt")}
    app.add_artifact("early.txt", units_seen["early.txt"], pure=True, reads_units=False)
    app.add_artifact("late.txt", units_seen["late.txt"], pure=True)
    app.add_artifact("again.txt", units_seen["again.txt"], pure=True, reads_units=False)
    app.add_artifact("again.txt", units_seen["again.txt"], pure=True)  # added again: it reads the units
    read_by_rule: list[str] = []

    def read_late(assembly: AssemblyView) -> Iterator[Violation]:
        read_by_rule.append(str(assembly.artifacts["late.txt"]))
        yield from ()

    app.add_rule(Rule("TEST-LATE-001", "warning", "reads an artifact", "https://example.com", read_late))
    app.synth()
    assert read_by_rule == ["5\n"]  # the program's own rules see every artifact
    assert (tmp_path / "early.txt").read_text() == "0\n"  # the same files whether forked processes help or not
    assert (tmp_path / "late.txt").read_text() == (tmp_path / "again.txt").read_text() == "5\n"


def test_a_pure_artifact_made_with_the_stacks_may_be_a_json_list_and_the_forked_work_is_kept(
        tmp_path: Path, forks: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    rendered_here: list[str] = []
    render = synthesizer.render_stack
    monkeypatch.setattr(synthesizer, "render_stack", lambda stack: rendered_here.append(stack.node.id) or render(stack))
    monkeypatch.setenv(WORKERS_VARIABLE, "2")
    app = many_backends(tmp_path / "shared")
    app.add_artifact("stacks.json", lambda: [{"stack": n} for n in range(5)], pure=True, reads_units=False)
    app.synth()
    assert json.loads((tmp_path / "shared" / "stacks.json").read_bytes()) == [{"stack": n} for n in range(5)]
    assert forks and len(rendered_here) < 5  # the forked processes' stacks were not rendered here again


@pytest.mark.parametrize("reads_units", [False, True])
def test_an_error_of_a_pure_artifact_is_raised_where_one_process_raises_it(
        tmp_path: Path, forks: list[int], monkeypatch: pytest.MonkeyPatch, reads_units: bool) -> None:
    monkeypatch.setattr(synthesizer, "_SHARED_CHECKING", 0)
    monkeypatch.setenv(WORKERS_VARIABLE, "2")

    def refuse() -> str:
        raise ConfigurationError("the artifact is refused", field="artifact", fix="make it")

    app = many_backends(tmp_path / "artifact")
    app.add_artifact("refused.txt", refuse, pure=True, reads_units=reads_units)
    with pytest.raises(ConfigurationError, match="the artifact is refused"):
        app.synth()
    # A stack's error comes first, as in one process: stacks render before any artifact is made.
    render = synthesizer.render_stack

    def refuse_stack3(stack: Any) -> Any:
        if stack.node.id == "Stack3":
            raise ConfigurationError("Stack3 is refused", field="stack", fix="remove it")
        return render(stack)

    monkeypatch.setattr(synthesizer, "render_stack", refuse_stack3)
    app = many_backends(tmp_path / "both")
    app.add_artifact("refused.txt", refuse, pure=True, reads_units=reads_units)
    with pytest.raises(ConfigurationError, match="Stack3 is refused"):
        app.synth()
    assert not (tmp_path / "artifact").exists() and not (tmp_path / "both").exists()


def test_a_package_builder_that_writes_no_openapi_document_is_an_error_naming_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build = functions._package_builder
    assert build is not None

    def without_document(**arguments: Any) -> Any:
        package = build(**arguments)
        return dataclasses.replace(package, files={k: v for k, v in package.files.items() if k != "openapi.json"})

    monkeypatch.setattr(functions, "_package_builder", without_document)
    for write in (True, False):
        with pytest.raises(ProviderError, match="package has no openapi.json") as raised:
            synthesize(many_backends(tmp_path / "out"), tmp_path / "out", write=write)
        assert "register_package_builder" in str(raised.value)
    assert not (tmp_path / "out").exists()


def test_a_stack_template_for_tests_builds_its_packages_and_raises_their_errors(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(**arguments: Any) -> Any:
        raise ConfigurationError("no package today", field="crud_apis", fix="build it tomorrow")

    monkeypatch.setattr(functions, "_package_builder", refuse)
    stack = many_backends(tmp_path / "out").node.find_child("Stack0")
    assert isinstance(stack, ResourceGroupStack)
    with pytest.raises(ConfigurationError, match="no package today"):
        Template.from_stack(stack)


def test_a_workers_variable_that_is_no_count_stops_even_a_small_synthesis_before_writing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(WORKERS_VARIABLE, "all")
    app = App(outdir=str(tmp_path / "out"))
    stack = ResourceGroupStack(app, "Small", resource_group_name="rg-small", location="eastus")
    define_backend({"a": CrudApi.define("Api", entity_name="Item", schema={"id": "string"})},
                   environment="dev", location="eastus").add_to_stack(stack)
    with pytest.raises(ConfigurationError, match="ATAKORA_WORKERS='all' is not a number of processes"):
        app.synth()
    assert list(tmp_path.iterdir()) == []
