from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from atakora import App, ResourceGroupStack
from atakora.cli import app as cli
from atakora.core import ArmResource
from atakora.errors import ConfigurationError
from atakora.rules import (
    AssemblyView,
    PreflightError,
    Rule,
    Violation,
    parse_resource_ref,
    registered_rules,
    rule,
    run_rules,
)

from .conftest import template


@rule("ACME-TAGS-001", "error", title="every storage account has an owner tag", docs="https://example.org/tags")
def owner_tag(assembly: AssemblyView) -> Iterator[Violation]:
    for r in assembly.resources("Microsoft.Storage/storageAccounts"):
        if "owner" not in r.body.get("tags", {}):
            yield Violation(r, "the account has no owner tag", fix="tag it with owner=<team>")


@rule("ACME-NAME-001", "warning", title="names are short", docs="https://example.org/names")
def short_names(assembly: AssemblyView) -> Iterator[Violation]:
    for r in assembly.resources():
        if len(r.name) > 10:
            yield Violation(r, "the name is long", fix="shorten it")


def _app(tmp_path: Path, *, tags: dict[str, str] | None = None, rules: tuple[Rule, ...] = (owner_tag,)) -> App:
    app = App(outdir=tmp_path / "out", rules=rules)
    stack = ResourceGroupStack(app, "Main", resource_group_name="rg-rules", location="eastus")
    ArmResource(stack, "Acct", type="Microsoft.Storage/storageAccounts", api_version="2025-08-01",
                name="stacmerules01", sku={"name": "Standard_LRS"}, kind="StorageV2", tags=tags)
    return app


def test_an_error_finding_stops_synthesis_and_nothing_is_written(tmp_path: Path) -> None:
    with pytest.raises(PreflightError) as caught:
        _app(tmp_path).synth()
    assert not (tmp_path / "out").exists()
    text = str(caught.value)
    assert "ACME-TAGS-001" in text and "Main/Acct" in text and "tag it with owner" in text
    assert "https://example.org/tags" in text
    assert [f.rule_id for f in caught.value.report.errors] == ["ACME-TAGS-001"]


def test_a_passing_program_synthesizes_with_its_warnings_reported(tmp_path: Path) -> None:
    assembly = _app(tmp_path, tags={"owner": "data"}, rules=(owner_tag, short_names)).synth()
    assert (tmp_path / "out" / "Main.json").exists()
    assert assembly.preflight is not None
    assert [(f.rule_id, f.severity, f.resource) for f in assembly.preflight.findings
            if f.rule_id.startswith("ACME")] == [("ACME-NAME-001", "warning", "Main/Acct")]


def test_a_suppression_silences_one_rule_on_one_resource_and_is_recorded_in_the_manifest(tmp_path: Path) -> None:
    app = _app(tmp_path)
    app.suppress_rule("ACME-TAGS-001", resource="Main/Acct", reason="the sandbox account belongs to nobody")
    app.synth()
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["suppressions"] == [{"rule": "ACME-TAGS-001", "stack": "Main", "resource": "Main/Acct",
                                         "reason": "the sandbox account belongs to nobody"}]


def test_a_suppression_by_arm_name_or_construct_works_too(tmp_path: Path) -> None:
    app = _app(tmp_path)
    app.suppress_rule("ACME-TAGS-001", resource="stacmerules01", reason="named by its ARM name here")
    assert app.synth().preflight is not None


def test_a_suppression_needs_a_written_reason() -> None:
    with pytest.raises(ConfigurationError, match="written reason"):
        App().suppress_rule("ACME-TAGS-001", resource="Main/Acct", reason="")


def test_a_suppression_of_an_unknown_rule_or_resource_is_an_error(tmp_path: Path) -> None:
    app = _app(tmp_path)
    app.suppress_rule("ACME-TAGS-002", resource="Main/Acct", reason="a rule id with a typo in it")
    with pytest.raises(ConfigurationError, match="unknown rule 'ACME-TAGS-002'"):
        app.synth()
    app = _app(tmp_path)
    app.suppress_rule("ACME-TAGS-001", resource="Main/Acc", reason="a resource path with a typo")
    with pytest.raises(ConfigurationError, match="no resource of the assembly"):
        app.synth()


def test_rule_ids_must_be_well_formed_and_unique() -> None:
    with pytest.raises(ConfigurationError, match="AREA-NAME-NNN"):
        rule("acme tags", "error", title="t", docs="d")(lambda a: ())
    with pytest.raises(ConfigurationError, match="added twice"):
        run_rules(AssemblyView.from_templates({}), rules=[owner_tag, owner_tag], include_builtin=False)
    builtin_id = registered_rules()[0].id
    clash = rule(builtin_id, "error", title="t", docs="d")(lambda a: ())
    with pytest.raises(ConfigurationError, match="clashes with a built-in rule"):
        run_rules(AssemblyView.from_templates({}), rules=[clash])


def test_app_rules_must_be_rule_objects() -> None:
    with pytest.raises(ConfigurationError, match="Rule objects"):
        App(rules=[lambda a: ()])  # type: ignore[list-item]


def test_every_builtin_rule_has_an_id_severity_title_and_docs() -> None:
    rules = registered_rules()
    assert len({r.id for r in rules}) == len(rules) >= 2
    for r in rules:
        assert r.id.startswith("AZ-") and r.docs.startswith("https://learn.microsoft.com/") and r.title


def test_every_builtin_rule_is_listed_in_the_readme() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    missing = [r.id for r in registered_rules() if f"`{r.id}`" not in readme]
    assert not missing


def test_resource_references_in_depends_on_are_parsed() -> None:
    assert parse_resource_ref("[resourceId('Microsoft.Web/sites', 'app1')]") == ("Microsoft.Web/sites", "app1")
    assert parse_resource_ref("[resourceId('A/b/c', 'x', 'y')]") == ("A/b/c", "x/y")
    assert parse_resource_ref("[reference('x')]") is None


def test_hand_written_templates_can_be_checked() -> None:
    view = AssemblyView.from_templates({"S": template({"type": "Microsoft.Storage/storageAccounts", "name": "s1"})})
    report = run_rules(view, rules=[owner_tag], include_builtin=False)
    assert [(f.stack, f.resource) for f in report.errors] == [("S", "Microsoft.Storage/storageAccounts s1")]


PROGRAM = """
from collections.abc import Iterator
from atakora import App, ResourceGroupStack
from atakora.core import ArmResource
from atakora.rules import AssemblyView, Violation, rule

@rule("ACME-TAGS-001", "{severity}", title="owner tag", docs="https://example.org/tags")
def owner_tag(assembly: AssemblyView) -> Iterator[Violation]:
    for r in assembly.resources("Microsoft.Storage/storageAccounts"):
        yield Violation(r, "the account has no owner tag", fix="tag it")

app = App(rules=[owner_tag], project_id="test-project")
stack = ResourceGroupStack(app, "Main", resource_group_name="rg-cli", location="eastus")
ArmResource(stack, "Acct", type="Microsoft.Storage/storageAccounts", api_version="2025-08-01",
            name="stcli0001", sku={{"name": "Standard_LRS"}}, kind="StorageV2")
"""


def test_validate_lists_findings_in_a_table_and_fails_on_errors(tmp_path: Path) -> None:
    program = tmp_path / "app.py"
    program.write_text(PROGRAM.format(severity="error"))
    result = CliRunner().invoke(cli, ["validate", str(program)])
    assert result.exit_code == 1
    assert "ACME-TAGS-001" in result.output and "Preflight findings" in result.output


def test_validate_json_prints_every_finding(tmp_path: Path) -> None:
    program = tmp_path / "app.py"
    program.write_text(PROGRAM.format(severity="warning"))
    result = CliRunner().invoke(cli, ["validate", str(program), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["valid"] is True and data["warnings"] == 1
    assert data["findings"][0]["rule"] == "ACME-TAGS-001" and data["findings"][0]["resource"] == "Main/Acct"


def test_synth_prints_warnings(tmp_path: Path) -> None:
    program = tmp_path / "app.py"
    program.write_text(PROGRAM.format(severity="warning"))
    result = CliRunner().invoke(cli, ["synth", str(program), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "warning" in result.output and "ACME-TAGS-001" in result.output
