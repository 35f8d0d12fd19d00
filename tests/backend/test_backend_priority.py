"""Priority conflicts: the higher priority wins with a warning; equal priorities that differ are an error."""

from __future__ import annotations

import pytest

from atakora.backend import define_backend
from atakora.errors import MergeConflictError

from ._support import WidgetProvider, crud, probe, widget


def _plan(a_priority: int, b_priority: int, *, a_mode: str = "fast", b_mode: str = "safe"):  # type: ignore[no-untyped-def]
    return define_backend({
        "cache": probe("CacheService", widget({"mode": a_mode}, priority=a_priority)),
        "orders": probe("OrderService", widget({"mode": b_mode}, priority=b_priority)),
    }, providers=[WidgetProvider()]).plan()


def test_the_higher_priority_wins_and_the_warning_names_both_components_the_field_and_both_values() -> None:
    plan = _plan(20, 10)
    entry = plan.resource_for("CacheService", "widget", "shared")
    assert entry.config["mode"] == "fast"
    [warning] = [w for w in plan.warnings if "mode" in w]
    for part in ("'CacheService'", "'OrderService'", "mode", "'fast'", "'safe'", "priority 20", "priority 10"):
        assert part in warning, f"{part!r} missing from {warning!r}"
    assert entry.warnings == [warning]


def test_the_lower_priority_loses_whichever_component_is_defined_or_sorted_first() -> None:
    plan = _plan(10, 30)
    assert plan.resource_for("CacheService", "widget", "shared").config["mode"] == "safe"
    assert any("'OrderService' (priority 30) sets 'safe'" in w for w in plan.warnings)


def test_equal_priorities_with_different_values_are_an_error_naming_components_field_and_values() -> None:
    with pytest.raises(MergeConflictError) as raised:
        _plan(10, 10)
    message = str(raised.value)
    for part in ("'CacheService'", "'OrderService'", "mode", "'fast'", "'safe'", "same priority 10", "Fix:"):
        assert part in message, f"{part!r} missing from {message!r}"


def test_the_conflict_fix_names_the_whole_resource_kind() -> None:
    class PoolProvider(WidgetProvider):
        display_name = "Widget pool"

    backend = define_backend({"a": probe("A", widget({"mode": "x"})), "b": probe("B", widget({"mode": "y"}))},
                             providers=[PoolProvider()])
    with pytest.raises(MergeConflictError, match="so that each gets its own Widget pool$"):
        backend.plan()


def test_equal_priorities_with_equal_values_merge_silently() -> None:
    plan = _plan(10, 10, b_mode="fast")
    assert plan.resource_for("OrderService", "widget", "shared").config["mode"] == "fast"
    assert plan.warnings == []


def test_validate_reports_an_equal_priority_conflict_instead_of_raising() -> None:
    backend = define_backend({
        "cache": probe("CacheService", widget({"mode": "fast"})),
        "orders": probe("OrderService", widget({"mode": "safe"})),
    }, providers=[WidgetProvider()])
    result = backend.validate()
    assert not result.valid
    assert "mode" in result.errors[0] and "'CacheService'" in result.errors[0]


def test_conflicting_union_entries_follow_priority_too() -> None:
    plan = define_backend({
        "a": probe("A", widget({"settings": {"LEVEL": "debug"}}, priority=5)),
        "b": probe("B", widget({"settings": {"LEVEL": "info", "X": "1"}}, priority=15)),
    }, providers=[WidgetProvider()]).plan()
    assert plan.resources[0].config["settings"] == {"LEVEL": "info", "X": "1"}
    assert any("settings['LEVEL']" in w and "'debug'" in w and "'info'" in w for w in plan.warnings)


def test_the_merged_requirement_carries_the_highest_priority() -> None:
    plan = _plan(25, 10)
    assert plan.resources[0].priority == 25


def test_two_crud_apis_with_health_checks_share_one_function_app() -> None:
    plan = define_backend({"a": crud("UserApi", health_check={}), "b": crud("OrderApi", health_check={})}).plan()
    assert len([r for r in plan.resources if r.resource_type == "functions"]) == 1
