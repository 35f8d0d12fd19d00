"""Merge strategies: union, maximum, intersection, priority; the definition order never changes the output."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from atakora.backend import ResourceRequirement, define_backend
from atakora.backend.merge import merge_requirement_configs
from atakora.components import FunctionsApp
from atakora.testing import Template

from ._support import SKUS, WidgetProvider, crud, probe, stack_for, widget

RULES = WidgetProvider().merge_rules()


def req(component_id: str, config: dict[str, Any], priority: int = 10) -> ResourceRequirement:
    return ResourceRequirement("widget", "shared", config, priority, component_id=component_id)


def merged(*requirements: ResourceRequirement) -> dict[str, Any]:
    outcome = merge_requirement_configs("Widget 'shared'", requirements, RULES)
    return dict(outcome.config)


# ----- the four strategies -----------------------------------------------------------------------

def test_union_combines_mappings_and_collections_from_every_member() -> None:
    out = merged(req("A", {"labels": ("x", "y"), "settings": {"K1": "1"}}),
                 req("B", {"labels": ("y", "z"), "settings": {"K2": "2"}}))
    assert set(out["labels"]) == {"x", "y", "z"}
    assert out["settings"] == {"K1": "1", "K2": "2"}


def test_maximum_takes_the_highest_number_and_the_highest_rank_on_a_scale() -> None:
    out = merged(req("A", {"size": 3, "sku": "Premium"}), req("B", {"size": 7, "sku": "Basic"}),
                 req("C", {"size": 5, "sku": "Standard"}))
    assert out["size"] == 7
    assert out["sku"] == "Premium"


def test_maximum_rejects_a_value_that_is_not_on_the_scale() -> None:
    from atakora.errors import MergeConflictError

    with pytest.raises(MergeConflictError, match="'Gold' is not one of"):
        merged(req("A", {"sku": "Gold"}), req("B", {"sku": "Basic"}))


def test_intersection_keeps_only_what_every_member_allows() -> None:
    out = merged(req("A", {"origins": ("https://a", "https://b", "https://c")}),
                 req("B", {"origins": ("https://b", "https://c")}), req("C", {"origins": ("https://c", "https://b")}))
    assert set(out["origins"]) == {"https://b", "https://c"}


def test_intersection_with_nothing_in_common_keeps_nothing_and_warns() -> None:
    outcome = merge_requirement_configs("Widget 'shared'", [req("A", {"origins": ("https://a",)}),
                                                            req("B", {"origins": ("https://b",)})], RULES)
    assert tuple(outcome.config["origins"]) == ()
    assert any("nothing in common" in w and "'A'" in w and "'B'" in w for w in outcome.warnings)


def test_a_field_stated_by_one_member_only_is_taken_as_is() -> None:
    assert merged(req("A", {"mode": "fast"}), req("B", {}))["mode"] == "fast"


def test_the_plan_records_the_strategy_used_for_each_field() -> None:
    backend = define_backend({"a": probe("A", widget({"labels": ("x",), "size": 1, "mode": "m"})),
                              "b": probe("B", widget({"labels": ("y",), "size": 2, "mode": "m"}))},
                             providers=[WidgetProvider()])
    entry = backend.plan().resource_for("A", "widget", "shared")
    assert entry.strategies == {"labels": "union", "size": "maximum", "mode": "priority"}
    assert entry.members == ["A", "B"]


def test_union_of_same_named_databases_merges_their_containers() -> None:
    backend = define_backend({"a": crud("UserApi", database_name="app"), "b": crud("OrderApi", database_name="app")})
    databases = backend.plan().resource_for("UserApi", "cosmos", "shared").config.databases
    assert [(d.name, sorted(c.name for c in d.containers)) for d in databases] == [("app", ["order", "user"])]


# ----- algebra: union and maximum are commutative and associative ------------------------------

labels = st.lists(st.sampled_from(["a", "b", "c", "d", "e", "f"]), max_size=4, unique=True).map(tuple)
settings_maps = st.dictionaries(st.sampled_from(["K1", "K2", "K3", "K4"]), st.just("v"), max_size=3)
configs = st.fixed_dictionaries({"labels": labels, "settings": settings_maps, "size": st.integers(0, 100),
                                 "sku": st.sampled_from(SKUS)})


def _normal(config: dict[str, Any]) -> tuple[Any, ...]:
    return (frozenset(config["labels"]), tuple(sorted(config["settings"].items())), config["size"], config["sku"])


@settings(max_examples=60, deadline=None)
@given(configs, configs)
def test_union_and_maximum_are_commutative(a: dict[str, Any], b: dict[str, Any]) -> None:
    assert _normal(merged(req("A", a), req("B", b))) == _normal(merged(req("B", b), req("A", a)))
    # Swapping which component holds which config does not change the merged value either.
    assert _normal(merged(req("A", a), req("B", b))) == _normal(merged(req("A", b), req("B", a)))


@settings(max_examples=60, deadline=None)
@given(configs, configs, configs)
def test_union_and_maximum_are_associative(a: dict[str, Any], b: dict[str, Any], c: dict[str, Any]) -> None:
    left = merged(req("AB", merged(req("A", a), req("B", b))), req("C", c))
    right = merged(req("A", a), req("BC", merged(req("B", b), req("C", c))))
    assert _normal(left) == _normal(right) == _normal(merged(req("A", a), req("B", b), req("C", c)))


# ----- order independence of the whole backend -------------------------------------------------

def _definitions() -> dict[str, Any]:
    return {
        "user_api": crud("UserApi"),
        "product_api": crud("ProductApi", partition_key="/category"),
        "order_api": crud("OrderApi", operations=["read", "list"]),
        "audit_api": crud("AuditApi", enable_serverless=False, throughput=400, priority=20),
        "jobs": FunctionsApp.define("Jobs", environment_variables={"MODE": "batch"}),
        "legacy": FunctionsApp.define("Legacy", version="3.12"),
    }


ALL = list(_definitions())


def _outputs(keys: list[str], outdir: Path) -> tuple[str, str]:
    definitions = _definitions()
    backend = define_backend({k: definitions[k] for k in keys}, environment="prod", monitoring=True,
                             tags={"team": "shop"})
    _, stack = stack_for(outdir)
    backend.add_to_stack(stack)
    plan = json.dumps(backend.plan().to_json(), sort_keys=True)
    template = json.dumps(Template.from_stack(stack).to_json(), sort_keys=True)
    return plan, template


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(keys=st.permutations(ALL).flatmap(lambda p: st.integers(2, len(p)).map(lambda n: p[:n])), rnd=st.randoms())
def test_the_order_in_which_components_are_defined_never_changes_the_plan(
        keys: list[str], rnd: Any, tmp_path: Path) -> None:
    shuffled = list(keys)
    rnd.shuffle(shuffled)
    assert _outputs(keys, tmp_path)[0] == _outputs(shuffled, tmp_path)[0]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(keys=st.permutations(ALL).flatmap(lambda p: st.integers(2, len(p)).map(lambda n: p[:n])), rnd=st.randoms())
def test_the_order_in_which_components_are_defined_never_changes_the_template(
        keys: list[str], rnd: Any, tmp_path: Path) -> None:
    shuffled = list(keys)
    rnd.shuffle(shuffled)
    assert _outputs(keys, tmp_path)[1] == _outputs(shuffled, tmp_path)[1]


def test_reversing_the_definition_order_gives_the_same_plan_and_template(tmp_path: Path) -> None:
    plan_a, template_a = _outputs(ALL, tmp_path)
    plan_b, template_b = _outputs(list(reversed(ALL)), tmp_path)
    assert plan_a == plan_b
    assert template_a == template_b


def test_merge_rules_default_to_priority_for_unlisted_fields() -> None:
    assert merge_requirement_configs("W", [req("A", {"mode": "x"}, 20), req("B", {"mode": "y"})], {}).config == {
        "mode": "x"}


@settings(max_examples=200, deadline=None)
@given(key=st.text(max_size=12))
def test_cosmos_construct_ids_replace_every_character_that_is_not_alphanumeric_hyphen_or_underscore(key: str) -> None:
    from atakora.backend.providers.cosmos import _construct_id

    expected = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in key)
    assert _construct_id("Db", key) == f"Db-{expected}"


def test_configs_merge_field_by_field_whether_dataclasses_or_mappings_and_a_dataclass_without_fields_merges_empty(
        ) -> None:
    from dataclasses import dataclass

    from atakora.backend.merge import FieldRule
    from atakora.backend.requirements import StorageRequirementConfig

    @dataclass(frozen=True)
    class Empty:
        pass

    as_dataclass = merge_requirement_configs("x", [
        ResourceRequirement("storage", "shared", StorageRequirementConfig(containers=("a",)), component_id="A"),
        ResourceRequirement("storage", "shared", StorageRequirementConfig(containers=("b",)), component_id="B")],
        {"containers": FieldRule("union")})
    as_mapping = merge_requirement_configs("x", [
        ResourceRequirement("custom", "shared", {"containers": ("a",)}, component_id="A"),
        ResourceRequirement("custom", "shared", {"containers": ("b",)}, component_id="B")],
        {"containers": FieldRule("union")})
    assert as_dataclass.config.containers == as_mapping.config["containers"] == ("a", "b")
    assert merge_requirement_configs("x", [ResourceRequirement("custom", "shared", Empty(), component_id="A")],
                                     {}).config == Empty()


def test_requirement_values_are_slotted_frozen_dataclasses_that_replace_and_compare_by_value() -> None:
    from dataclasses import FrozenInstanceError, replace

    from atakora.backend.requirements import FunctionsRequirementConfig, StorageRequirementConfig

    config = FunctionsRequirementConfig(routes=("a",))
    assert not hasattr(config, "__dict__")
    assert replace(config, routes=("b",)).routes == ("b",) and config == FunctionsRequirementConfig(routes=("a",))
    requirement = ResourceRequirement("storage", "shared", StorageRequirementConfig(), component_id="A")
    assert requirement.key == "storage:shared" and not hasattr(requirement, "__dict__")
    with pytest.raises(FrozenInstanceError):
        requirement.priority = 3  # type: ignore[misc]


def test_capacity_buckets_without_a_previous_synth_fill_first_fit_as_with_an_unrelated_one() -> None:
    from atakora.backend.planner import _buckets
    from atakora.backend.providers.functions import FunctionsProvider
    from atakora.backend.requirements import FunctionsRequirementConfig

    members = [ResourceRequirement("functions", "shared", FunctionsRequirementConfig(function_count=n),
                                   component_id=f"C{i}") for i, n in enumerate([90, 90, 50, 30, 120, 10])]
    provider = FunctionsProvider()
    fresh = _buckets(provider, members, 200, {}, "")
    assert fresh == _buckets(provider, members, 200, {"functions:shared:Other": "functions:shared#2"}, "")
    assert [[r.component_id for r in b] for b in fresh] == [["C0", "C1", "C5"], ["C2", "C3", "C4"]]
