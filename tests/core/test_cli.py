from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from atakora import __version__
from atakora.cli import app

runner = CliRunner()

PROGRAM = """
from atakora import App, ResourceGroupStack
from atakora.core import ArmResource
app = App()
stack = ResourceGroupStack(app, "Main", resource_group_name="rg-cli", location="eastus")
ArmResource(stack, "Acct", type="Microsoft.Storage/storageAccounts", api_version="2025-08-01",
            name="stcli0001", sku={"name": "Standard_LRS"}, kind="StorageV2")
"""


def write_program(tmp_path: Path, extra: str = "") -> Path:
    program = tmp_path / "app.py"
    program.write_text(PROGRAM + extra)
    return program


def test_synth_writes_the_assembly_and_prints_a_summary(tmp_path: Path) -> None:
    result = runner.invoke(app, ["synth", str(write_program(tmp_path)), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "Main" in result.output and (tmp_path / "out" / "Main.json").exists()


def test_synth_twice_gives_identical_output(tmp_path: Path) -> None:
    program = write_program(tmp_path)
    runner.invoke(app, ["synth", str(program), "--out", str(tmp_path / "a")])
    runner.invoke(app, ["synth", str(program), "--out", str(tmp_path / "b")])
    assert (tmp_path / "a" / "Main.json").read_bytes() == (tmp_path / "b" / "Main.json").read_bytes()


def test_a_program_that_raises_exits_1_with_one_line_and_keeps_the_previous_assembly(tmp_path: Path) -> None:
    out = tmp_path / "out"
    runner.invoke(app, ["synth", str(write_program(tmp_path)), "--out", str(out)])
    before = (out / "Main.json").read_bytes()
    broken = write_program(tmp_path, "\nraise ValueError('boom')\n")
    result = runner.invoke(app, ["synth", str(broken), "--out", str(out)])
    assert result.exit_code == 1
    assert "app.py (line 9) raised ValueError: boom" in result.output
    assert "Traceback" not in result.output
    assert (out / "Main.json").read_bytes() == before


def test_verbose_shows_the_traceback(tmp_path: Path) -> None:
    broken = write_program(tmp_path, "\nraise ValueError('boom')\n")
    result = runner.invoke(app, ["--verbose", "synth", str(broken), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1 and "Traceback" in result.output


def test_validate_writes_nothing(tmp_path: Path) -> None:
    program = write_program(tmp_path, "\napp.synth()\n")
    result = runner.invoke(app, ["validate", str(program)], catch_exceptions=False)
    assert result.exit_code == 0 and "valid" in result.output
    assert not (tmp_path / "atakora.out").exists()


def test_diff_lists_added_and_changed_resources(tmp_path: Path) -> None:
    out = tmp_path / "out"
    runner.invoke(app, ["synth", str(write_program(tmp_path)), "--out", str(out)])
    changed = write_program(tmp_path, "\nstack.tags['owner'] = 'me'\n")
    result = runner.invoke(app, ["diff", str(changed), "--out", str(out)])
    assert "~ Microsoft.Storage/storageAccounts stcli0001" not in result.output  # tags were set after creation
    assert "no changes" in result.output


def test_version_prints_the_package_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output


def test_init_writes_a_program_that_synthesizes(tmp_path: Path) -> None:
    result = runner.invoke(app, ["init", str(tmp_path / "shop"), "--environment", "prod"])
    assert result.exit_code == 0, result.output
    program = tmp_path / "shop" / "app.py"
    synth_result = runner.invoke(app, ["synth", str(program), "--out", str(tmp_path / "out")])
    assert synth_result.exit_code == 0, synth_result.output
    assert (tmp_path / "out" / "ShopStack.json").exists() and (tmp_path / "out" / "plan.json").exists()
    again = runner.invoke(app, ["init", str(tmp_path / "shop")])
    assert again.exit_code == 1 and "already exists" in again.output


def test_plan_prints_the_sharing_of_the_quickstart() -> None:
    quickstart = Path(__file__).parents[2] / "examples" / "quickstart.py"
    result = runner.invoke(app, ["plan", str(quickstart)])
    assert result.exit_code == 0, result.output
    assert "2 components → 3 shared resources" in result.output
    assert "shared by 2: ProductApi, UserApi" in result.output
    assert "1 Cosmos DB account, 1 Function App, 1 Storage account" in " ".join(result.output.split())


def test_a_program_that_fails_after_its_own_synth_leaves_the_previous_assembly(tmp_path: Path) -> None:
    out = tmp_path / "out"
    runner.invoke(app, ["synth", str(write_program(tmp_path)), "--out", str(out)])
    before = (out / "Main.json").read_bytes()
    broken = write_program(tmp_path, "\nstack.tags['x'] = 'y'\napp.synth()\nraise RuntimeError('late')\n")
    result = runner.invoke(app, ["synth", str(broken), "--out", str(out)])
    assert result.exit_code == 1 and "raised RuntimeError: late" in result.output
    assert (out / "Main.json").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["app.py", "out"]  # no staged files left behind


def test_two_apps_writing_to_one_directory_is_an_error(tmp_path: Path) -> None:
    second = PROGRAM.replace("app = App()", "app2 = App()").replace("ResourceGroupStack(app,", "ResourceGroupStack(app2,")
    program = write_program(tmp_path, second.replace('"Main"', '"Second"').replace("stcli0001", "stcli0002"))
    result = runner.invoke(app, ["synth", str(program), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1 and "two Apps write to" in result.output
    assert not (tmp_path / "out").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["app.py"]  # neither App's staged files are left


def test_synth_writes_each_file_as_it_is_produced_and_holds_no_template_in_memory(tmp_path: Path) -> None:
    from atakora.cli.program import run_program

    out = tmp_path / "out"
    run = run_program(write_program(tmp_path), outdir=out)
    unit = run.assemblies[0].units[0]
    assert unit.data is None and unit.store is not None and unit.store.path == out.resolve()
    assert unit.template_data == (out / "Main.json").read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["app.py", "out"]


def test_an_atakora_error_names_the_line_of_the_program(tmp_path: Path) -> None:
    program = write_program(tmp_path, "\nArmResource(stack, 'Bad', type='Microsoft.Storage/storageAccounts', "
                                      "api_version='2025-08-01', name='Bad_Name')\n")
    result = runner.invoke(app, ["synth", str(program), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1 and "at app.py line 9" in result.output
