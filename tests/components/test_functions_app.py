from __future__ import annotations

from pathlib import Path

import pytest

from atakora.backend import define_backend
from atakora.components import CrudApi, FunctionsApp
from atakora.errors import ConfigurationError


def test_function_specs_are_checked_when_the_component_is_defined(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match=r"trigger: input should be 'http', 'queue' or 'timer' \(given 'cron'") as raised:
        FunctionsApp.define("Jobs", source_directory=tmp_path, functions={"tick": {"trigger": "cron"}})
    assert raised.value.field == "functions.tick.trigger" and raised.value.path == "Jobs"
    with pytest.raises(ConfigurationError, match="needs a queue_name"):
        FunctionsApp.define("Jobs", runtime="node", functions={"orders": {"trigger": "queue"}})


def test_seed_style_queue_and_timer_functions_size_the_app_and_create_the_queue() -> None:
    backend = define_backend({
        "processor": FunctionsApp.define("OrderProcessor", runtime="node", version="20",
                                         functions={"process-order": {"trigger": "queue", "queueName": "orders"}}),
        "analytics": FunctionsApp.define("AnalyticsProcessor", runtime="node", version="20",
                                         functions={"aggregate-metrics": {"trigger": "timer",
                                                                          "schedule": "0 0 * * * *"}}),
    })
    plan = backend.plan()
    app = next(r for r in plan.resources if r.resource_type == "functions")
    storage = next(r for r in plan.resources if r.resource_type == "storage")
    assert app.config.runtime == "node" and app.config.function_count == 2
    assert storage.config.queues == ("orders",)


def test_a_node_app_and_a_python_api_get_separate_apps_with_the_reason_in_the_plan() -> None:
    backend = define_backend({
        "api": CrudApi.define("UserApi", entity_name="User", schema={"id": "string"}),
        "jobs": FunctionsApp.define("Jobs", runtime="node", version="20"),
    })
    plan = backend.plan()
    assert len([r for r in plan.resources if r.resource_type == "functions"]) == 2
    assert any("node 20" in w and "python 3.11" in w for w in plan.warnings)
