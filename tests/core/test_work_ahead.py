"""Function packages built in a forked process while the program adds further backends are taken by synthesis
only when they were built from what it would build them from, and the assembly is the one built without them."""

from __future__ import annotations

import dataclasses
import io
import os
import sys
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from atakora import App, ResourceGroupStack
from atakora.backend import define_backend
from atakora.components import CrudApi
from atakora.core.app import cli_session
from atakora.core.assets import Asset
from atakora.core.synthesis import ahead
from atakora.core.synthesis.ahead import WorkAhead
from atakora.core.synthesis.workers import WORKERS_VARIABLE
from atakora.errors import ConfigurationError
from atakora.rules import AssemblyView, PreflightError, Rule, Violation

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="synthesis forks on Linux only")

SCHEMA = {"id": "string", "name": {"type": "string", "required": True}}


@pytest.fixture
def eager(monkeypatch: pytest.MonkeyPatch, forked_pids: list[int]) -> list[int]:
    """Work is forked for as soon as one piece waits; the pids forked."""
    monkeypatch.setattr(ahead, "BATCH", 1)
    monkeypatch.setenv(WORKERS_VARIABLE, "1")
    return forked_pids


@pytest.fixture(autouse=True)
def temporary_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Work done ahead leaves its files in the test's own folder."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))


def wait_for(pids: list[int]) -> None:
    """Let every process forked so far finish its work (synthesis would stop the one at work)."""
    for pid in pids:
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass


def files(outdir: Path) -> dict[str, bytes]:
    return {str(path.relative_to(outdir)): path.read_bytes() for path in sorted(outdir.rglob("*")) if path.is_file()}


def backends(outdir: Path, count: int = 4, after_each: list[int] | None = None) -> App:
    """``count`` backends of two CrudApis, each in its own stack (``after_each``: the pids forked, waited for
    after each backend is added)."""
    app = App(outdir=str(outdir))
    for number in range(count):
        stack = ResourceGroupStack(app, f"Stack{number}", resource_group_name=f"rg-{number}", location="eastus")
        components = {f"api{i}": CrudApi.define(f"Api{number}x{i}", entity_name=f"Item{number}x{i}", schema=SCHEMA)
                      for i in range(2)}
        define_backend(components, environment="dev", location="eastus", backend_id=f"b{number}").add_to_stack(stack)
        if after_each is not None:
            wait_for(after_each)
    return app


def taken_count(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times synthesis took work made ahead (a list holding the count)."""
    count = [0]
    take = WorkAhead.take

    def counting(self: WorkAhead, key: object, inputs: tuple[object, ...]) -> dict[str, ahead.MadeFile] | None:
        made = take(self, key, inputs)
        count[0] += made is not None
        return made

    monkeypatch.setattr(WorkAhead, "take", counting)
    return count


def ahead_directories(tmp_path: Path) -> list[Path]:
    return [p for p in tmp_path.iterdir() if p.name.startswith("atakora-ahead-")]


def test_packages_built_ahead_are_byte_for_byte_those_synthesis_builds(
        tmp_path: Path, eager: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    taken = taken_count(monkeypatch)
    backends(tmp_path / "ahead", after_each=eager).synth()
    assert eager and taken[0] == 3  # the last backend's package waits for a next backend that never comes
    assert ahead_directories(tmp_path) == []
    monkeypatch.setenv(WORKERS_VARIABLE, "0")
    backends(tmp_path / "alone").synth()
    assert files(tmp_path / "ahead") == files(tmp_path / "alone")


def test_nothing_is_forked_ahead_where_synthesis_may_not_fork(
        tmp_path: Path, eager: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(WORKERS_VARIABLE, "0")
    taken = taken_count(monkeypatch)
    backends(tmp_path / "out").synth()
    assert eager == [] and taken[0] == 0


def test_a_small_program_forks_nothing_ahead(tmp_path: Path, forked_pids: list[int],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(WORKERS_VARIABLE, "1")
    app = backends(tmp_path / "out", count=ahead.BATCH)  # one package short of a batch before the last backend
    assert forked_pids == []
    app.synth()


def test_a_package_is_built_again_when_its_app_got_another_api_after_it_was_built_ahead(
        tmp_path: Path, eager: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    taken = taken_count(monkeypatch)
    app = backends(tmp_path / "ahead", count=2, after_each=eager)
    first = app.node.find_child("Stack0").node.find_child("b0")
    shared = first.backend.get_shared("functions")
    extra = shared.crud_apis[0]
    shared.crud_apis.append(dataclasses.replace(extra, component_id="Extra", route_prefix="extras",
                                                settings_prefix="EXTRA"))
    app.synth()
    assert taken[0] == 0  # the first app changed; the second's was never built ahead
    package = shared.package
    assert package is not None
    with zipfile.ZipFile(io.BytesIO(package.data)) as archive:
        assert b"Extra" in archive.read("function_app.py")


def test_work_that_fails_ahead_is_not_taken(tmp_path: Path, eager: list[int]) -> None:
    work = WorkAhead()
    inputs = (object(),)

    def broken() -> dict[str, Sequence[bytes]]:
        raise ValueError("a builder bug")

    work.submit("key", inputs, broken)
    work.start()
    wait_for(eager)
    assert len(eager) == 1 and work.take("key", inputs) is None
    work.close()
    assert ahead_directories(tmp_path) == []


def test_work_is_taken_only_from_the_very_objects_it_was_made_from(tmp_path: Path, eager: list[int]) -> None:
    work = WorkAhead()
    spec, equal = ["spec"], ["spec"]
    work.submit("a", (spec,), lambda: {"zip": (b"PK", b"\x05\x06")})
    work.submit("b", (spec,), lambda: {"zip": (b"other",)})
    work.start()
    wait_for(eager)
    assert work.take("a", (equal,)) is None  # equal, but not the same object: it may have changed
    made = work.take("b", (spec,))
    assert made is not None and Path(made["zip"].path).read_bytes() == b"other" and made["zip"].size == 5
    assert work.take("b", (spec,)) is None  # taken once
    work.close()
    assert ahead_directories(tmp_path) == []


def test_a_program_that_never_synthesizes_leaves_no_files_once_closed(tmp_path: Path, eager: list[int]) -> None:
    app = backends(tmp_path / "out", count=3, after_each=eager)
    assert eager and ahead_directories(tmp_path)
    app.work_ahead.close()  # what the exit handler does
    assert ahead_directories(tmp_path) == [] and not (tmp_path / "out").exists()


class _FailsOnce:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, assembly: AssemblyView) -> Iterator[Violation]:
        self.calls += 1
        if self.calls == 1:
            yield Violation(assembly.units[0], "fails the first synthesis", fix="synthesize again")


def test_after_a_failed_synthesis_the_packages_built_ahead_are_built_again(
        tmp_path: Path, eager: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    app = backends(tmp_path / "ahead", count=3, after_each=eager)
    app.add_rule(Rule("TEST-ONCE-001", "error", "fails once", "https://example.com", _FailsOnce()))
    with pytest.raises(PreflightError):
        app.synth()
    app.synth()
    monkeypatch.setenv(WORKERS_VARIABLE, "0")
    alone = backends(tmp_path / "alone", count=3)
    alone.add_rule(Rule("TEST-ONCE-001", "error", "fails once", "https://example.com", lambda assembly: iter(())))
    alone.synth()
    assert files(tmp_path / "ahead") == files(tmp_path / "alone")


def test_an_asset_made_elsewhere_whose_file_is_gone_is_made_here(tmp_path: Path) -> None:
    app = App(outdir=str(tmp_path / "out"))
    stack = ResourceGroupStack(app, "Stack", resource_group_name="rg", location="eastus")
    asset = Asset(stack, "Package", data=lambda: [b"made ", b"here"])
    asset.made_elsewhere(str(tmp_path / "gone.zip"), ("0" * 64, 3), lambda: True)
    assert asset.made
    assert asset.data == b"made here" and asset.size == 9


def test_an_asset_made_elsewhere_from_what_has_changed_since_is_made_here(tmp_path: Path) -> None:
    app = App(outdir=str(tmp_path / "out"))
    stack = ResourceGroupStack(app, "Stack", resource_group_name="rg", location="eastus")
    asset = Asset(stack, "Package", data=lambda: [b"made here"])
    (tmp_path / "ahead.zip").write_bytes(b"made ahead")
    asset.made_elsewhere(str(tmp_path / "ahead.zip"), ("0" * 64, 10), lambda: False)
    assert asset.data == b"made here"


def test_an_api_a_later_prepare_hook_adds_is_in_the_package_built_ahead_before(
        tmp_path: Path, eager: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    taken = taken_count(monkeypatch)
    app = backends(tmp_path / "ahead", count=2, after_each=eager)
    shared = app.node.find_child("Stack0").node.find_child("b0").backend.get_shared("functions")
    extra = dataclasses.replace(shared.crud_apis[0], component_id="Extra", route_prefix="extras",
                                settings_prefix="EXTRA")
    app.add_prepare_hook(lambda: shared.crud_apis.append(extra))  # runs after the package hooks
    app.synth()
    assert taken[0] == 1
    with zipfile.ZipFile(tmp_path / "ahead" / shared.package.path) as archive:
        assert b"Extra" in archive.read("function_app.py")
    document = (tmp_path / "ahead" / "openapi" / f"{shared.site.resource_name}.json").read_bytes()
    assert b"extras" in document


def test_a_cli_command_that_writes_nothing_builds_nothing_ahead(tmp_path: Path, eager: list[int]) -> None:
    with cli_session(tmp_path / "out"):
        backends(tmp_path / "out", count=3, after_each=eager)
    assert eager == [] and ahead_directories(tmp_path) == []


def test_a_wrong_worker_count_is_reported_by_synthesis_not_by_adding_a_backend(
        tmp_path: Path, eager: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(WORKERS_VARIABLE, "many")
    app = backends(tmp_path / "out", count=3)
    assert eager == []
    with pytest.raises(ConfigurationError, match="ATAKORA_WORKERS"):
        app.synth()
