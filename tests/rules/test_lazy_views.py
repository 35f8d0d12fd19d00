"""Rules read a synthesized assembly from its serialized templates: the same resources as from dicts."""

from __future__ import annotations

from atakora import App, ResourceGroupStack
from atakora.core import ArmResource
from atakora.core.synthesis.synthesizer import preflight
from atakora.rules import AssemblyView, UnitView
from atakora.rules._model import ParseCache


def _assembly(tmp_path):
    app = App(outdir=str(tmp_path))
    stack = ResourceGroupStack(app, "Main", resource_group_name="rg-main", location="eastus")
    for i in range(3):
        ArmResource(stack, f"Account{i}", type="Microsoft.Storage/storageAccounts", api_version="2025-08-01",
                    name=f"stmain{i}", sku={"name": "Standard_LRS"}, kind="StorageV2",
                    properties={"note": "café", "throughput": i})
    return app, app.synth()


def test_a_unit_view_of_a_synthesized_unit_has_the_same_resources_as_a_view_of_its_parsed_template(tmp_path):
    _, assembly = _assembly(tmp_path)
    unit = assembly.unit("Main")
    lazy = UnitView.of_unit(unit, unit.manifest_entry())
    plain = AssemblyView.from_templates({"Main": unit.template}).units[0]
    assert [(r.type, r.name, r.within, dict(r.body)) for r in lazy.resources] == \
        [(r.type, r.name, r.within, dict(r.body)) for r in plain.resources]
    assert dict(lazy.template) == unit.template


def test_might_contain_is_false_only_when_the_serialized_body_lacks_every_text(tmp_path):
    _, assembly = _assembly(tmp_path)
    unit = assembly.unit("Main")
    first = UnitView.of_unit(unit, unit.manifest_entry()).resources[0]
    assert first.might_contain('"throughput"') and first.might_contain("nothing", "café")
    assert not first.might_contain('"autoscaleSettings"')
    assert AssemblyView.from_templates({"Main": unit.template}).units[0].resources[0].might_contain("anything")


def test_the_parse_cache_keeps_only_the_most_recent_pieces():
    cache = ParseCache(size=2)
    loads: list[int] = []

    def load(n: int) -> object:
        loads.append(n)
        return n

    for n in (1, 2, 1, 3, 2, 1):
        cache.get((0, n), lambda n=n: load(n))
    assert loads == [1, 2, 3, 2, 1]


def test_preflight_over_a_synthesized_assembly_finds_what_the_rules_find_over_its_templates(tmp_path):
    app, assembly = _assembly(tmp_path)
    from atakora.rules import run_rules

    plain = run_rules(AssemblyView.from_templates({u.id: u.template for u in assembly.units}, project_id=None),
                      rules=app.rules, suppressions=app.suppressions)
    assert [(f.rule_id, f.resource) for f in preflight(app, assembly).findings] == \
        [(f.rule_id, f.resource) for f in plain.findings]


def test_resources_of_a_written_template_are_read_from_its_file_with_few_files_open(tmp_path):
    _, assembly = _assembly(tmp_path)
    unit = assembly.unit("Main")
    assert unit.data is None
    cache = ParseCache(files=1)
    view = UnitView.of_unit(unit, unit.manifest_entry(), cache)
    assert [r.body["name"] for r in view.resources] == ["stmain0", "stmain1", "stmain2"]
    assert len(cache._open) == 1
    cache.clear()
    assert not cache._open
