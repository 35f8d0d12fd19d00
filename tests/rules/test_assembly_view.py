"""The assembly view rules read: lookups by type and name, in template order."""

from __future__ import annotations

from atakora.rules import AssemblyView


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
