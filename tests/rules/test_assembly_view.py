"""The assembly view rules read: lookups by type and name, in template order."""

from __future__ import annotations

from pathlib import Path

from atakora import App, ResourceGroupStack
from atakora.backend import define_backend
from atakora.components import CrudApi
from atakora.core.nested import flatten_resources
from atakora.rules import AssemblyView, UnitView
from atakora.rules._model import ParseCache


def _view() -> AssemblyView:
    return AssemblyView.from_templates({
        "A": {"resources": [{"type": "Microsoft.Web/sites", "name": "one"},
                            {"type": "Microsoft.Storage/storageAccounts", "name": "st"},
                            {"type": "Microsoft.Web/sites", "name": "two"}]},
        "B": {"resources": [{"type": "microsoft.web/SITES", "name": "one"},
                            {"type": "Microsoft.Web/serverfarms", "name": "plan"}]},
    })


def test_resources_of_several_types_come_in_unit_then_template_order() -> None:
    found = [(r.unit.id, r.name) for r in _view().resources("Microsoft.Web/serverfarms", "microsoft.web/sites")]
    assert found == [("A", "one"), ("A", "two"), ("B", "one"), ("B", "plan")]


def test_all_resources_come_in_order_and_one_type_is_matched_case_insensitively() -> None:
    view = _view()
    assert [r.name for r in view.resources()] == ["one", "st", "two", "one", "plan"]
    assert [r.unit.id for r in view.resources("MICROSOFT.WEB/SITES")] == ["A", "A", "B"]


def test_find_returns_the_first_resource_with_that_type_and_name() -> None:
    view = _view()
    first = view.find("microsoft.web/sites", "one")
    assert first is not None and first.unit.id == "A" and first.index == 0
    assert view.find("Microsoft.Web/sites", "three") is None
    assert view.find("Microsoft.Web/serverfarms", "one") is None


def _synthesized(tmp_path: Path) -> AssemblyView:
    app = App(outdir=str(tmp_path / "out"))
    stack = ResourceGroupStack(app, "Main", resource_group_name="rg-main", location="eastus")
    define_backend({"users": CrudApi.define("UserApi", entity_name="User", schema={"id": "string"})},
                   environment="dev", location="eastus").add_to_stack(stack)
    assembly = app.synth()
    cache = ParseCache()
    return AssemblyView(units=tuple(UnitView.of_unit(u, e, cache) for u, e in
                                    zip(assembly.units, assembly.manifest["stacks"], strict=True)),
                        manifest=assembly.manifest)


def test_a_synthesized_units_resource_views_are_made_when_read_and_kept_by_no_one(tmp_path: Path) -> None:
    view = _synthesized(tmp_path)
    unit = view.units[0]
    first, again = unit.resource(0), unit.resource(0)
    assert first is not again and (first.type, first.name, first.path) == (again.type, again.name, again.path)
    assert "_resources" not in vars(unit)
    flat = [body for body, _ in flatten_resources(list(unit.template["resources"]))]
    assert [r.type for r in view.resources()] == [b["type"] for b in flat] and unit.resource_count == len(flat)


def test_a_synthesized_assemblys_lookups_match_its_parsed_templates(tmp_path: Path) -> None:
    view = _synthesized(tmp_path)
    flat = [body for unit in view.units for body, _ in flatten_resources(list(unit.template["resources"]))]
    sites = [b for b in flat if b["type"].lower() == "microsoft.web/sites"]
    assert [r.name for r in view.resources("MICROSOFT.WEB/SITES")] == [b["name"] for b in sites]
    wanted = ("Microsoft.Web/sites", "Microsoft.DocumentDB/databaseAccounts")
    assert [r.type for r in view.resources(*wanted)] == [b["type"] for b in flat if b["type"] in wanted]
    found = view.find("microsoft.web/sites", sites[0]["name"])
    assert found is not None and found.body.get("properties") == sites[0]["properties"]
