from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from atakora import App
from atakora.cli import app as cli
from atakora.errors import ConfigurationError
from atakora.rules import AssemblyView, run_rules
from atakora.rules.naming import GLOBALLY_UNIQUE_TYPES, project_id_for_unique_names

runner = CliRunner()


def _unique_names(project: Path) -> set[str]:
    out = project / "atakora.out"
    result = runner.invoke(cli, ["synth", str(project / "app.py"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    names: set[str] = set()
    for stack in json.loads((out / "manifest.json").read_text())["stacks"]:
        for resource in json.loads((out / stack["templateFile"]).read_text())["resources"]:
            if resource["type"].lower() in GLOBALLY_UNIQUE_TYPES:
                names.add(resource["name"])
    return names


def test_two_init_projects_in_different_folders_never_share_a_globally_unique_name(tmp_path: Path) -> None:
    # Same folder name, so the same app.py: only the project id tells them apart.
    first, second = tmp_path / "a" / "shop", tmp_path / "b" / "shop"
    for project in (first, second):
        assert runner.invoke(cli, ["init", str(project)]).exit_code == 0
        assert (project / "atakora.toml").exists()
    assert (first / "app.py").read_text() == (second / "app.py").read_text()
    names_a, names_b = _unique_names(first), _unique_names(second)
    assert names_a and len(names_a) >= 3
    assert not names_a & names_b


def test_one_projects_names_never_change_between_runs(tmp_path: Path) -> None:
    project = tmp_path / "shop"
    runner.invoke(cli, ["init", str(project)])
    assert _unique_names(project) == _unique_names(project)


def test_init_keeps_an_existing_project_file(tmp_path: Path) -> None:
    (tmp_path / "atakora.toml").write_text('[project]\nid = "keep-me"\n')
    runner.invoke(cli, ["init", str(tmp_path)])
    assert 'id = "keep-me"' in (tmp_path / "atakora.toml").read_text()


def test_the_project_id_comes_from_the_argument_the_context_or_the_nearest_project_file(tmp_path: Path) -> None:
    from atakora.core.app import cli_session

    assert App(project_id="p1").project_id == "p1"
    assert App(context={"atakora:projectId": "p2"}).project_id == "p2"
    (tmp_path / "atakora.toml").write_text('[project]\nid = "p3"\n')
    (tmp_path / "sub").mkdir()
    with cli_session(None, tmp_path / "sub"):
        assert App().project_id == "p3"


def test_a_project_file_without_an_id_is_an_error(tmp_path: Path) -> None:
    from atakora.core.app import cli_session

    (tmp_path / "atakora.toml").write_text('[project]\nname = "x"\n')
    with cli_session(None, tmp_path), pytest.raises(ConfigurationError, match=r"has no \[project\] id"):
        _ = App().project_id


def _view(project_id: str | None) -> AssemblyView:
    template = {"resources": [{"type": "Microsoft.Storage/storageAccounts", "name": "stshop"}]}
    return AssemblyView.from_templates({"Main": template}, project_id=project_id)


def test_a_program_without_a_project_id_gets_a_naming_warning() -> None:
    found = run_rules(_view(None), rules=[project_id_for_unique_names], include_builtin=False).findings
    assert [(f.rule_id, f.severity, f.stack) for f in found] == [("AZ-NAME-001", "warning", "Main")]


def test_a_program_with_a_project_id_passes_the_naming_rule() -> None:
    assert not run_rules(_view("abc"), rules=[project_id_for_unique_names], include_builtin=False).findings


def test_the_examples_find_their_project_file_and_get_no_naming_warning() -> None:
    from atakora.cli.program import run_program
    from atakora.core.app import find_project_id

    examples = Path(__file__).resolve().parents[2] / "examples"
    assert {p.parent for p in examples.glob("*.py")} == {examples}  # one folder: one project file covers all
    assert find_project_id(examples) == "c729aa931c1c6807"
    run = run_program(examples / "quickstart.py", outdir=None, write=False)
    found = [f.rule_id for a in run.assemblies for f in (a.preflight.findings if a.preflight else ())]
    assert "AZ-NAME-001" not in found
