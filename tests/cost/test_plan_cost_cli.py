"""``atakora plan`` shows the cost estimate: tree tables, --json figures, --markdown, --usage."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from atakora.cli.main import app

runner = CliRunner()
PROGRAM = '''
from atakora import App, ResourceGroupStack
from atakora.backend import define_backend
from atakora.components import CrudApi

app = App()
stack = ResourceGroupStack(app, "S", resource_group_name="rg-cost", location="eastus")
backend = define_backend({f"a{i}": CrudApi.define(f"Api{i}", entity_name=f"E{i}", schema={"id": "string"})
                          for i in range(3)})
backend.add_to_stack(stack)
app.synth()
'''


def _program(tmp_path: Path) -> Path:
    path = tmp_path / "prog.py"
    path.write_text(PROGRAM)
    return path


def test_plan_json_carries_shared_and_traditional_monthly_usd(tmp_path: Path) -> None:
    result = runner.invoke(app, ["plan", str(_program(tmp_path)), "--json"])
    assert result.exit_code == 0, result.output
    backend = json.loads(result.output)["backends"][0]
    assert backend["traditionalMonthlyUsd"] > backend["sharedMonthlyUsd"] > 0
    assert backend["byType"]["storage"] == {"sharedMonthlyUsd": 0.19, "traditionalMonthlyUsd": 0.55}


def test_plan_markdown_prints_the_cost_table(tmp_path: Path) -> None:
    usage = tmp_path / "usage.toml"
    usage.write_text("[defaults]\nrequests_per_month = 0\nstored_gb = 0\nstorage_gb = 0\n")
    result = runner.invoke(app, ["plan", str(_program(tmp_path)), "--markdown", "--usage", str(usage)])
    assert result.exit_code == 0, result.output
    assert "| Storage | $0.18 | $0.54 | $0.36 |" in result.output
    assert f"usage: {usage}" in result.output


def test_plan_tree_shows_the_arithmetic(tmp_path: Path) -> None:
    result = runner.invoke(app, ["plan", str(_program(tmp_path))], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    assert "Estimated monthly cost of backend" in result.output
    assert "serverless: 1,500,000 RU" in result.output


def test_plan_with_a_bad_usage_file_prints_one_error(tmp_path: Path) -> None:
    usage = tmp_path / "usage.toml"
    usage.write_text("[defaults]\nrequests = 1\n")
    result = runner.invoke(app, ["plan", str(_program(tmp_path)), "--usage", str(usage)])
    assert result.exit_code == 1
    assert "unknown usage field 'requests'" in result.output
