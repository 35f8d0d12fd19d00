"""Invalid or conflicting components are rejected with a clear ConfigurationError."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from atakora.components.codegen import (
    CrudSpec,
    FunctionSpec,
    UserFunctionsCode,
    build_function_package,
    cron_problem,
    crud_spec,
)
from atakora.errors import ConfigurationError


def _functions(source: Path, component_id: str = "Jobs", **functions: Any) -> UserFunctionsCode:
    return UserFunctionsCode(component_id=component_id, source_directory=source, functions=functions)


def test_an_unknown_trigger_is_rejected(jobs_dir: Path) -> None:
    with pytest.raises(ConfigurationError, match=r"functions.hello: trigger: input should be .* \(given 'blob'") as info:
        _functions(jobs_dir, hello=FunctionSpec(trigger="blob"))  # type: ignore[arg-type]
    assert info.value.field == "functions.hello.trigger"
    assert info.value.path == "Jobs"
    assert info.value.fix == "set trigger to one of 'http', 'queue' or 'timer'"


def test_a_queue_trigger_without_queue_name_is_rejected(jobs_dir: Path) -> None:
    with pytest.raises(
        ConfigurationError, match="queue trigger function 'process_order' needs a queue_name"
    ) as info:
        _functions(jobs_dir, process_order=FunctionSpec(trigger="queue"))
    assert info.value.field == "functions.process_order.queue_name"
    assert "queue_name='orders'" in info.value.fix


def test_an_invalid_queue_name_is_rejected(jobs_dir: Path) -> None:
    with pytest.raises(ConfigurationError, match="'Orders_Queue' .* is not a valid Storage queue name"):
        _functions(jobs_dir, process_order=FunctionSpec(trigger="queue", queue_name="Orders_Queue"))


def test_a_timer_without_schedule_is_rejected(jobs_dir: Path) -> None:
    with pytest.raises(ConfigurationError, match="timer trigger function 'cleanup' needs a schedule") as info:
        _functions(jobs_dir, cleanup=FunctionSpec(trigger="timer"))
    assert info.value.field == "functions.cleanup.schedule"


@pytest.mark.parametrize(
    ("schedule", "problem"),
    [
        ("*/5 * * * *", "NCRONTAB needs 6 fields (with seconds), found 5"),
        ("0 0 25 * * *", "the hour field '25' is outside 0-23"),
        ("0 0 * * * $", "the day of week field '$' has characters NCRONTAB does not allow"),
    ],
)
def test_an_invalid_timer_schedule_is_rejected(jobs_dir: Path, schedule: str, problem: str) -> None:
    with pytest.raises(ConfigurationError) as info:
        _functions(jobs_dir, cleanup=FunctionSpec(trigger="timer", schedule=schedule))
    assert f"schedule {schedule!r} of function 'cleanup' is invalid: {problem}" in str(info.value)


def test_valid_schedules_and_setting_references_pass() -> None:
    assert cron_problem("0 */5 * * * *") is None
    assert cron_problem("0 30 9 * * Mon-Fri") is None
    assert cron_problem("%CleanupSchedule%") is None


def test_trigger_fields_of_another_trigger_are_rejected(jobs_dir: Path) -> None:
    with pytest.raises(
        ConfigurationError, match="schedule does not apply to the http trigger of function 'hello'"
    ):
        _functions(jobs_dir, hello=FunctionSpec(trigger="http", schedule="0 * * * * *"))


def test_a_malformed_handler_reference_is_rejected(jobs_dir: Path) -> None:
    with pytest.raises(
        ConfigurationError, match="handler 'handlers.hello' of function 'hello' is not 'module:function'"
    ):
        _functions(jobs_dir, hello=FunctionSpec(trigger="http", handler="handlers.hello"))


def test_a_missing_handler_module_is_rejected_at_build(jobs_dir: Path) -> None:
    component = _functions(jobs_dir, hello=FunctionSpec(trigger="http", handler="api.orders:hello"))
    with pytest.raises(
        ConfigurationError, match="handler module 'api.orders' of function 'hello' was not found"
    ) as info:
        build_function_package(user_functions=[component])
    assert info.value.field == "functions.hello.handler"
    assert "create api/orders.py" in info.value.fix


def test_a_missing_handler_function_is_rejected_at_build(jobs_dir: Path) -> None:
    component = _functions(jobs_dir, goodbye=FunctionSpec(trigger="http"))
    with pytest.raises(
        ConfigurationError, match="handler function 'goodbye' of function 'goodbye' is not defined"
    ):
        build_function_package(user_functions=[component])


def test_a_handler_module_with_a_syntax_error_is_rejected(
    make_source: Callable[[str, dict[str, str]], Path],
) -> None:
    source = make_source("broken", {"handlers.py": "def hello(:\n"})
    with pytest.raises(
        ConfigurationError, match="handler module 'handlers' of function 'hello' has a syntax error"
    ):
        build_function_package(user_functions=[_functions(source, hello=FunctionSpec(trigger="http"))])


def test_a_missing_source_directory_is_rejected(tmp_path: Path) -> None:
    component = _functions(tmp_path / "nowhere", hello=FunctionSpec(trigger="http"))
    with pytest.raises(ConfigurationError, match="source_directory '.*nowhere' does not exist") as info:
        build_function_package(user_functions=[component])
    assert info.value.field == "source_directory"
    assert info.value.path == "Jobs"


def test_duplicate_component_ids_are_rejected(jobs: UserFunctionsCode, user_api: CrudSpec) -> None:
    with pytest.raises(ConfigurationError, match="component id 'jobs' is used by both Jobs and jobs"):
        build_function_package(user_functions=[jobs, replace(jobs, component_id="jobs")])
    with pytest.raises(
        ConfigurationError, match="component id 'UserApi' is used by both UserApi and UserApi"
    ):
        build_function_package(crud_apis=[user_api, user_api])


def test_function_names_that_collide_after_sanitizing_are_rejected(jobs_dir: Path) -> None:
    first = _functions(jobs_dir, "Jobs-A", b_hello=FunctionSpec(trigger="http", handler="handlers:hello"))
    second = _functions(jobs_dir, "Jobs_A-b", hello=FunctionSpec(trigger="http", route="other"))
    with pytest.raises(
        ConfigurationError, match="function name 'Jobs_A_b_hello' is used by both Jobs-A and Jobs_A-b"
    ):
        build_function_package(user_functions=[first, second])


def test_duplicate_routes_across_components_are_rejected(jobs_dir: Path, user_api: CrudSpec) -> None:
    component = _functions(
        jobs_dir, hello=FunctionSpec(trigger="http", route="users/{userId}", methods=("GET",))
    )
    with pytest.raises(
        ConfigurationError, match=r"route 'users/\{userId\}' \(GET\) is used by both UserApi and Jobs"
    ):
        build_function_package(crud_apis=[user_api], user_functions=[component])


def test_two_crud_apis_on_one_route_prefix_are_rejected(user_api: CrudSpec) -> None:
    other = replace(user_api, component_id="PeopleApi", entity_name="Person")
    with pytest.raises(ConfigurationError, match="route 'users' .* is used by both PeopleApi and UserApi"):
        build_function_package(crud_apis=[user_api, other])


def test_the_same_route_with_other_methods_is_allowed(jobs_dir: Path, user_api: CrudSpec) -> None:
    component = _functions(
        jobs_dir, hello=FunctionSpec(trigger="http", route="users/{id}", methods=("PATCH",))
    )
    package = build_function_package(crud_apis=[user_api], user_functions=[component])
    assert "Jobs_hello" in package.function_names


def test_shared_settings_prefixes_are_rejected(user_api: CrudSpec) -> None:
    other = replace(user_api, component_id="OtherApi", route_prefix="others", settings_prefix="USER_API")
    with pytest.raises(
        ConfigurationError, match="settings prefix 'USER_API' is used by both OtherApi and UserApi"
    ):
        build_function_package(crud_apis=[user_api, other])


def test_invalid_crud_api_settings_name_their_field() -> None:
    user = {"entity_name": "User", "route_prefix": "users", "schema": {"name": "string"}}
    with pytest.raises(ConfigurationError) as info:
        crud_spec("UserApi", **{**user, "route_prefix": "/users"})
    assert (info.value.field, info.value.path) == ("route_prefix", "UserApi")
    assert "'users'" in info.value.fix
    with pytest.raises(ConfigurationError) as info:
        crud_spec("UserApi", **user, partition_key="category")
    assert (info.value.field, info.value.path) == ("partition_key", "UserApi")
    assert info.value.fix
    with pytest.raises(ConfigurationError, match="schema cannot be generated") as info:
        crud_spec("UserApi", **{**user, "schema": {"name": {"type": "string", "enum": [object()]}}})
    assert (info.value.field, info.value.path) == ("schema", "UserApi")


def test_a_crud_spec_the_generator_cannot_render_is_rejected_by_build_function_package() -> None:
    unrenderable = CrudSpec("UserApi", "User", "users", {"name": {"type": "string", "enum": [object()]}})
    with pytest.raises(ConfigurationError, match="schema cannot be generated") as info:
        build_function_package(crud_apis=[unrenderable])
    assert (info.value.field, info.value.path) == ("schema", "UserApi")
    with pytest.raises(ConfigurationError, match="cannot name generated functions") as info:
        build_function_package(crud_apis=[CrudSpec("1Api", "User", "users", {})])
    assert info.value.field == "component_id"
    with pytest.raises(ConfigurationError, match="is not an app setting prefix") as info:
        build_function_package(crud_apis=[CrudSpec("UserApi", "User", "users", {}, settings_prefix="user")])
    assert (info.value.field, info.value.path) == ("settings_prefix", "UserApi")


def test_an_empty_app_and_unknown_python_versions_are_rejected(user_api: CrudSpec) -> None:
    with pytest.raises(ConfigurationError, match="needs at least one component"):
        build_function_package()
    with pytest.raises(ConfigurationError, match="python_version '2.7' is not supported"):
        build_function_package(crud_apis=[user_api], python_version="2.7")


def test_requirement_file_references_are_rejected(make_source: Callable[[str, dict[str, str]], Path]) -> None:
    source = make_source(
        "reqs", {"handlers.py": "def hello(req):\n    return 'x'\n", "requirements.txt": "-r base.txt\n"}
    )
    with pytest.raises(ConfigurationError, match="requirement '-r base.txt' in .* cannot be merged"):
        build_function_package(user_functions=[_functions(source, hello=FunctionSpec(trigger="http"))])


def test_functions_given_as_dicts_are_checked_like_function_specs(jobs_dir: Path) -> None:
    component = _functions(jobs_dir, cleanup={"trigger": "timer", "schedule": "0 0 * * * *"})
    assert component.functions["cleanup"] == FunctionSpec(trigger="timer", schedule="0 0 * * * *")
    with pytest.raises(ConfigurationError, match=r"function 'cleanup' has unknown fields \['cron'\]"):
        _functions(jobs_dir, cleanup={"trigger": "timer", "cron": "0 0 * * * *"})
