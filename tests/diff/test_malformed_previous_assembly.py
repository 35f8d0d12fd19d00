"""`atakora diff` and `synth` against a previous assembly that is damaged: one message, exit 1, nothing rewritten."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from atakora.cli import app

runner = CliRunner()

PROGRAM = """
from atakora import App, ResourceGroupStack
from atakora.backend import define_backend
from atakora.components import CrudApi
app = App()
stack = ResourceGroupStack(app, "Main", resource_group_name="rg-cli", location="eastus")
define_backend({"users": CrudApi.define("UserApi", entity_name="User", schema={"id": "string"})},
               environment="dev", location="eastus").add_to_stack(stack)
"""


def half(text: str) -> str:
    return text[: len(text) // 2]


DAMAGE: dict[str, tuple[str, Callable[[str], str] | None, str]] = {
    "a truncated manifest": ("manifest.json", half, "is not valid JSON"),
    "a manifest that is a list": ("manifest.json", lambda t: "[]", "input should be a valid dictionary"),
    "manifest stacks that are a string": ("manifest.json", lambda t: '{"stacks": "x"}', "stacks: input should be"),
    "a manifest stack without an id": ("manifest.json", lambda t: '{"stacks": [{"templateFile": "Main.json"}]}',
                                       "stacks.0.id: field required"),
    "a truncated template": ("Main.json", half, "is not valid JSON"),
    "a template that is a list": ("Main.json", lambda t: "[1]", "input should be a valid dictionary"),
    "a missing template": ("Main.json", None, "it lists template 'Main.json', which is missing"),
    "template resources that are numbers": ("Main.json", lambda t: '{"resources": [1, 2]}', "resources.0: input"),
    "template parameters that are a list": ("Main.json", lambda t: '{"resources": [], "parameters": [1]}',
                                            "parameters: input should be a valid dictionary"),
    "a truncated components.json": ("components.json", half, "is not valid JSON"),
    "a components.json that is a list": ("components.json", lambda t: "[1]", "input should be a valid dictionary"),
    "a truncated plan.json": ("plan.json", half, "is not valid JSON"),
    "a plan.json that is a list": ("plan.json", lambda t: "[1]", "input should be a valid dictionary"),
    "plan.json backends that are a string": ("plan.json", lambda t: '{"backends": "x"}', "backends: input should be"),
    "a plan.json resource without its key": ("plan.json", lambda t: json.dumps({"backends": [{
        "backendId": "backend", "environment": "dev", "resources": [{"type": "cosmos"}]}]}),
        "backends.0.resources.0.key: field required"),
    "a manifest that is not text": ("manifest.json", lambda t: "\udcff", "malformed"),
}


@pytest.fixture(scope="module")
def synthesized(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("previous")
    program = root / "app.py"
    program.write_text(PROGRAM)
    result = runner.invoke(app, ["synth", str(program), "--out", str(root / "good")])
    assert result.exit_code == 0, result.output
    return program, root / "good"


# synth rewrites the manifest, templates and components.json; of the previous assembly it reads plan.json.
CASES = [(d, "diff") for d in sorted(DAMAGE)] + [(d, "synth") for d in sorted(DAMAGE) if DAMAGE[d][0] == "plan.json"]


@pytest.mark.parametrize(("damage", "command"), CASES)
def test_a_damaged_previous_assembly_is_one_message_naming_the_file_and_the_assembly_stays(
        synthesized: tuple[Path, Path], tmp_path: Path, damage: str, command: str) -> None:
    program, good = synthesized
    name, change, expected = DAMAGE[damage]
    out = tmp_path / "out"
    shutil.copytree(good, out)
    if change is None:
        (out / name).unlink()
    else:
        (out / name).write_text(change((out / name).read_text()), errors="surrogateescape")
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    result = runner.invoke(app, [command, str(program), "--out", str(out)])
    output = " ".join(result.output.split())
    assert result.exit_code == 1 and not isinstance(result.exception, (TypeError, KeyError, AttributeError))
    assert "Traceback" not in output and output.count("error:") == 1, output
    assert "previous assembly's" in output and expected in output and "no changes" not in output
    assert "app.py" not in output.split("Fix:")[0].replace(str(program.parent), ""), output
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
