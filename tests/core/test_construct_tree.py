from __future__ import annotations

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
