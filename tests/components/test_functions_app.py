from __future__ import annotations

import re
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


@pytest.mark.parametrize("component_id", ["", "a b", "a/b", "1st", "Ünï", "x" * 81])
def test_a_component_id_that_cannot_name_functions_is_refused_when_defined(component_id: str, tmp_path: Path) -> None:
    for define in (lambda: FunctionsApp.define(component_id, source_directory=tmp_path,
                                               functions={"hello": {"trigger": "http"}}),
                   lambda: CrudApi.define(component_id, entity_name="Item", schema={"id": "string"})):
        with pytest.raises(ConfigurationError, match="cannot name generated functions") as raised:
            define()
        assert raised.value.field == "id" and "start with a letter" in str(raised.value)


@pytest.mark.parametrize("name", ["${Stack/Site.url}", "_etag", "ttl"])
def test_a_schema_field_name_no_item_can_carry_says_how_to_name_it(name: str) -> None:
    with pytest.raises(ConfigurationError, match=f"schema field (name )?'{re.escape(name)}'") as raised:
        CrudApi.define("Items", entity_name="Item", schema={"id": "string", name: "string"})
    assert raised.value.field == "schema" and "fixed text" in str(raised.value)
