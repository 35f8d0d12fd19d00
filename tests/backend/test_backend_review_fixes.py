"""Regressions found in review: priorities, validators, split labels, plan names, grants, naming seeds."""

from __future__ import annotations

from pathlib import Path

from atakora.backend import (
    DefaultNamingConvention,
    FunctionsRequirementConfig,
    ResourceRequirement,
    define_backend,
)
from atakora.testing import Template

from ._support import WidgetProvider, crud, deployed, probe, stack_for, widget


def test_the_highest_priority_wins_whatever_the_component_ids() -> None:
    for ids in (("A", "B", "C"), ("C", "B", "A")):
        backend = define_backend({
            "one": probe(ids[0], widget({"mode": "a"})), "two": probe(ids[1], widget({"mode": "b"})),
            "top": probe(ids[2], widget({"mode": "c"}, priority=20))}, providers=[WidgetProvider()])
        plan = backend.plan()
        assert plan.resources[0].config["mode"] == "c"
        assert sum("wins over" in w for w in plan.warnings) == 2


def test_requirement_validators_run_on_the_merged_requirement() -> None:
    def no_blue(requirement: ResourceRequirement) -> list[str]:
        return ["blue widgets are sold out"] if requirement.config.get("color") == "blue" else []

    needs = ResourceRequirement("widget", "shared", {"color": "blue"}, validators=(no_blue,))
    result = define_backend({"a": probe("A", needs)}, providers=[WidgetProvider()]).validate()
    assert not result.valid and "blue widgets are sold out" in result.errors[0]


def test_further_groups_of_a_split_get_their_own_short_labels() -> None:
    def app_with(value: str) -> ResourceRequirement:
        return ResourceRequirement("functions", "shared", FunctionsRequirementConfig(environment_variables={"X": value}))

    plan = define_backend({f"c{i}": probe(f"C{i}", app_with(str(i))) for i in range(4)}).plan()
    keys = sorted(r.key for r in plan.resources if r.resource_type == "functions")
    assert keys == ["functions:shared", "functions:shared#python311-2", "functions:shared#python311-3",
                    "functions:shared#python311-4"]


def test_function_apps_of_different_requirement_keys_get_distinct_plans(tmp_path: Path) -> None:
    admin = ResourceRequirement("functions", "admin", FunctionsRequirementConfig())
    storage = ResourceRequirement("storage", "shared", {})
    _, _, stack = deployed({"users": crud("UserApi"), "admin": probe("Admin", admin, storage)}, tmp_path)
    names = [r["name"] for r in Template.from_stack(stack).find_resources("Microsoft.Web/serverfarms")]
    assert len(names) == 2 and len(set(names)) == 2


def test_two_apis_over_one_entity_in_different_databases_get_separate_grants(tmp_path: Path) -> None:
    from atakora.components import CrudApi

    _, _, stack = deployed({"a": crud("UserApi", database_name="one-db"),
                            "b": CrudApi.define("UsersApi", entity_name="User", schema={"id": "string"},
                                                database_name="two-db")}, tmp_path)
    grants = Template.from_stack(stack).find_resources("Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments")
    assert len(grants) == 2


def test_planning_first_does_not_change_names_and_a_shared_convention_gives_each_group_its_own(
        tmp_path: Path) -> None:
    convention = DefaultNamingConvention("prod")
    first = define_backend({"u": crud("UserApi")}, naming=convention)
    first.plan()
    _, stack_a = stack_for(tmp_path / "a")
    first.add_to_stack(stack_a)
    second = define_backend({"u": crud("UserApi")}, naming=convention)
    app_b, _ = stack_for(tmp_path / "b")
    from atakora import ResourceGroupStack

    second.add_to_stack(ResourceGroupStack(app_b, "Other", resource_group_name="rg-other", location="eastus"))
    names_a = {r.name for r in first.plan().resources}
    names_b = {r.name for r in second.plan().resources}
    assert names_a.isdisjoint(names_b)
    assert convention.unique_seed == ""


def test_a_component_asking_for_a_flex_maximum_instance_count_outside_1_to_1000_is_an_error_naming_it(
        tmp_path: Path) -> None:
    import pytest

    from atakora.errors import ConfigurationError

    for count in (0, 1001):
        needs = ResourceRequirement("functions", "shared", FunctionsRequirementConfig(maximum_instance_count=count))
        with pytest.raises(ConfigurationError, match=f"maximum_instance_count is {count}, but Flex Consumption "
                                                     "accepts 1 to 1000") as caught:
            deployed({"users": crud("UserApi"), "jobs": probe("Jobs", needs, ResourceRequirement("storage", "shared",
                                                                                              {}))}, tmp_path)
        assert caught.value.path == "Jobs"


def test_a_flex_maximum_instance_count_of_1_is_emitted_as_given(tmp_path: Path) -> None:
    needs = ResourceRequirement("functions", "shared", FunctionsRequirementConfig(maximum_instance_count=1))
    _, _, stack = deployed({"jobs": probe("Jobs", needs, ResourceRequirement("storage", "shared", {}))}, tmp_path)
    site = Template.from_stack(stack).find_resources("Microsoft.Web/sites")[0]
    assert site["properties"]["functionAppConfig"]["scaleAndConcurrency"]["maximumInstanceCount"] == 1
