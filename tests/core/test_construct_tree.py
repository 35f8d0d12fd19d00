from __future__ import annotations

from pathlib import Path

import pytest

from atakora import App, ResourceGroupStack
from atakora.core import Construct
from atakora.errors import ConstructError, ValidationError


def make_stack() -> tuple[App, ResourceGroupStack]:
    app = App(outdir="unused")
    return app, ResourceGroupStack(app, "Stack", resource_group_name="rg-test", location="eastus")


def test_paths_join_ids_from_the_root_down() -> None:
    _, stack = make_stack()
    child = Construct(Construct(stack, "Outer"), "Inner")
    assert child.node.path == "Stack/Outer/Inner"
    assert [c.node.id for c in child.node.scopes] == ["App", "Stack", "Outer", "Inner"]


def test_sibling_ids_must_be_unique_and_the_error_names_the_path() -> None:
    _, stack = make_stack()
    Construct(stack, "Api")
    with pytest.raises(ConstructError, match=r"\[Stack\] there is already a construct with id 'Api'"):
        Construct(stack, "Api")


@pytest.mark.parametrize("bad", ["\x00", "Api\nv2", "tab\there", "del\x7f"])
def test_ids_with_control_characters_are_rejected_before_they_reach_a_file_name(bad: str) -> None:
    app = App(outdir="unused")
    with pytest.raises(ConstructError, match="control characters"):
        ResourceGroupStack(app, bad, resource_group_name="rg-test", location="eastus")


def test_ids_with_a_slash_are_rejected() -> None:
    _, stack = make_stack()
    with pytest.raises(ConstructError, match="invalid construct id"):
        Construct(stack, "a/b")


def test_find_child_lists_the_known_children_when_missing() -> None:
    _, stack = make_stack()
    Construct(stack, "One")
    assert stack.node.try_find_child("Two") is None
    with pytest.raises(ConstructError, match="children: One"):
        stack.node.find_child("Two")


def test_context_is_inherited_from_the_nearest_scope() -> None:
    app = App(outdir="unused", context={"env": "prod"})
    stack = ResourceGroupStack(app, "Stack", resource_group_name="rg", location="eastus")
    assert Construct(stack, "X").node.try_get_context("env") == "prod"
    assert stack.node.try_get_context("missing") is None


def test_constructs_cannot_be_added_after_the_tree_is_locked() -> None:
    app, stack = make_stack()
    app.node.lock()
    with pytest.raises(ConstructError, match="locked"):
        Construct(stack, "Late")


def test_synthesis_collects_every_validation_error_with_its_path(tmp_path: object) -> None:
    app, stack = make_stack()
    Construct(stack, "A").node.add_validation(lambda: ["first problem"])
    Construct(stack, "B").node.add_validation(lambda: ["second problem"])
    with pytest.raises(ValidationError) as raised:
        app.synth(outdir=str(tmp_path))
    assert raised.value.errors == ["[Stack/A] first problem", "[Stack/B] second problem"]


def test_a_leaf_construct_holds_no_containers_until_it_gets_children_context_metadata_or_validations() -> None:
    _, stack = make_stack()
    leaf, other_leaf = Construct(stack, "Leaf"), Construct(stack, "Other")
    node = leaf.node
    assert node._children is None and node._extras is other_leaf.node._extras  # one shared empty set of extras
    assert node.children == [] and node.metadata == [] and node.validate() == []
    assert node.try_find_child("x") is None and node.try_get_context("k") is None
    assert [c.node.id for c in node.find_all()] == ["Leaf"]
    node.set_context("k", 1)
    node.add_metadata("note", "n")
    node.add_validation(lambda: ["bad"])
    Construct(leaf, "Child")
    assert node.try_get_context("k") == 1 and node.metadata == [("note", "n")]
    assert node.validate() == ["[Stack/Leaf] bad"] and [c.node.id for c in node.children] == ["Child"]
    node.remove_child("Child")
    assert node.children == []
    assert other_leaf.node.metadata == [] and other_leaf.node.try_get_context("k") is None


def test_resources_without_dependencies_or_overrides_share_one_empty_value_and_still_take_both_later(
        tmp_path: Path) -> None:
    from atakora.core.resource import ArmResource

    app = App(outdir=str(tmp_path))
    stack = ResourceGroupStack(app, "Stack", resource_group_name="rg-test", location="eastus")
    first = ArmResource(stack, "A", type="Microsoft.Test/things", api_version="2024-01-01", name="a")
    second = ArmResource(stack, "B", type="Microsoft.Test/things", api_version="2024-01-01", name="b")
    assert first.depends_on is second.depends_on and first._overrides is second._overrides
    second.add_dependency(first)
    second.add_override("properties.x", 1)
    assert list(second.depends_on) == [first] and list(first.depends_on) == []
    assert second.stack is stack and first.stack is stack
    resources = app.synth().template("Stack")["resources"]
    rendered = next(r for r in (resources.values() if isinstance(resources, dict) else resources)
                    if r["name"] == "b")
    assert rendered["properties"] == {"x": 1} and rendered["dependsOn"]


def test_a_leaf_joins_its_path_when_read_and_a_construct_keeps_its_own_once_it_has_children() -> None:
    app, stack = make_stack()
    outer = Construct(stack, "Outer")
    assert outer.node._path is None and outer.node.path == "Stack/Outer"
    inner = Construct(outer, "Inner")
    assert outer.node._path == "Stack/Outer" and inner.node.path == "Stack/Outer/Inner"
    assert app.node.path == "" and stack.node.path == "Stack"
    with pytest.raises(ConstructError, match=r"\[Stack/Outer\] there is already a construct with id 'Inner'"):
        Construct(outer, "Inner")


def test_a_resource_holds_no_properties_dict_until_given_or_used_and_renders_them_the_same(tmp_path: Path) -> None:
    from atakora.core.resource import ArmResource

    app = App(outdir=str(tmp_path))
    stack = ResourceGroupStack(app, "Stack", resource_group_name="rg-test", location="eastus")
    bare = ArmResource(stack, "A", type="Microsoft.Test/things", api_version="2024-01-01", name="a")
    given = ArmResource(stack, "B", type="Microsoft.Test/things", api_version="2024-01-01", name="b",
                        properties={"x": 1})
    assert bare._properties is None and bare.render_properties() == {} and bare._properties is None
    bare.properties["y"] = 2
    given.properties = {"z": 3}
    resources = app.synth().template("Stack")["resources"]
    rendered = {r["name"]: r for r in (resources.values() if isinstance(resources, dict) else resources)}
    assert rendered["a"]["properties"] == {"y": 2} and rendered["b"]["properties"] == {"z": 3}


def test_name_segments_join_the_parents_names_when_read_unless_set() -> None:
    from atakora.core.resource import ArmResource

    _, stack = make_stack()
    parent = ArmResource(stack, "P", type="Microsoft.Test/things", api_version="2024-01-01", name="p")
    child = ArmResource(parent, "C", type="Microsoft.Test/things/parts", api_version="2024-01-01", name="c")
    assert parent.name_segments == ("p",) and child.name_segments == ("p", "c")
    child.name_segments = ("zone", "c")
    assert child.name_segments == ("zone", "c") and parent.name_segments == ("p",)
