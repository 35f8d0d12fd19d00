"""Each bad input the random-program study found is a clear AtakoraError: field, path where one applies, and fix."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from atakora import App, AtakoraError, ResourceGroupStack
from atakora.backend import BackendConfig, define_backend
from atakora.components import CrudApi, FunctionsApp, MessageQueue, StaticSite, StaticSiteWithCdn

from .programs import FUNCTIONS, SITE, _custom

SCHEMA = {"id": "string"}


def stack(app: App | None = None, id: str = "S", group: str = "rg") -> ResourceGroupStack:
    return ResourceGroupStack(app or App(outdir=Path("unused")), id, resource_group_name=group, location="eastus")


def backend(*definitions: Any, **config: Any) -> None:
    target = stack()
    define_backend({f"c{i}": d for i, d in enumerate(definitions)},
                   **{"environment": "dev", "location": "eastus", **config}).add_to_stack(target)


def crud(id: str = "UserApi", **kwargs: Any) -> Any:
    return CrudApi.define(id, **{"entity_name": "User", "schema": SCHEMA, **kwargs})


def two_stacks_on_one_resource_group() -> None:
    app = App(outdir=Path("unused"))
    for name in ("A", "B"):
        define_backend({"u": crud()}, environment="dev", location="eastus").add_to_stack(stack(app, name, "rg-same"))


def one_storage_name_in_two_stacks_on_one_resource_group() -> None:
    from atakora.resources.storage import StorageAccount

    app = App(outdir=Path("unused"))
    for name in ("A", "B"):
        StorageAccount(stack(app, name, "rg-same"), "Store", name="stsame0001")


def naming(function: Callable[..., Any]) -> Callable[[], None]:
    return lambda: backend(crud(), naming=function)


# (label, call, field the error names)
EXAMPLES: list[tuple[str, Callable[[], Any], str]] = [
    # raw exceptions before
    ("resource_group_name=5", lambda: ResourceGroupStack(App(), "T", resource_group_name=5, location="eastus"),
     "resource_group_name"),
    ("location=5", lambda: ResourceGroupStack(App(), "T", resource_group_name="rg", location=5), "location"),
    ("StaticSite source_directory=0", lambda: StaticSite.define("Site", source_directory=0), "source_directory"),
    ("StaticSite build_command=5", lambda: StaticSite.define("Site", source_directory=SITE, build_command=5),
     "build_command"),
    ("StaticSite headers='x'", lambda: StaticSite.define("Site", source_directory=SITE, headers="x"), "headers"),
    ("FunctionsApp functions='hello'", lambda: FunctionsApp.define("Jobs", functions="hello"), "functions"),
    ("FunctionsApp environment_variables='A=b'", lambda: FunctionsApp.define("Jobs", environment_variables="A=b"),
     "environment_variables"),
    ("FunctionsApp version=3.11", lambda: FunctionsApp.define("Jobs", version=3.11), "version"),
    ("FunctionsApp extensions=[None]", lambda: FunctionsApp.define("Jobs", extensions=[None]), "extensions"),
    ("priority='x'", lambda: crud(priority="x"), "priority"),
    ("queue_name=5", lambda: FunctionsApp.define("Jobs", source_directory=FUNCTIONS, functions={
        "orders": {"trigger": "queue", "queue_name": 5}}), "functions.orders.queue_name"),
    ("MessageQueue queues=None", lambda: MessageQueue.define("Q", queues=None), "queues"),
    ("StaticSiteWithCdn custom_domain=5", lambda: StaticSiteWithCdn.define("Cdn", custom_domain=5), "custom_domain"),
    ("schema={'name': 3.5}", lambda: crud(schema={"name": 3.5}), "schema"),
    ("BackendConfig(environment='')", lambda: BackendConfig(environment=""), "environment"),
    ("a naming function of the wrong arity", naming(lambda a: a), "naming"),
    ("a naming function that raises", naming(lambda resource_type, backend_id, suffix: 1 // 0), "naming"),
    ("an unknown keyword", lambda: crud(bogus=1), "bogus"),
    ("a typed resource with a wrong type", lambda: __import__("atakora.resources.storage", fromlist=["x"])
     .StorageAccount(stack(), "Store", name=5), "name"),
    ("a typed resource with an unknown keyword", lambda: __import__("atakora.resources.storage", fromlist=["x"])
     .StorageAccount(stack(), "Store", name="stx", bogus=1), "bogus"),
    ("a custom component whose get_requirements raises", lambda: backend(_custom("Uploads", queues=None)),
     "get_requirements"),
    ("a custom component's id that is no string", lambda: _custom(object()), "component_id"),
    ("a custom component's requirement priority='x'", lambda: backend(_custom("Uploads", priority="x")), "priority"),
    # poor messages before
    ("an empty component id", lambda: backend(crud("")), "id"),
    ("duplicate component ids", lambda: backend(crud("UserApi"), crud("UserApi", entity_name="Item")), "c1"),
    ("schema={'name': ['string']}", lambda: crud(schema={"name": ["string"]}), "schema"),
    # accepted but invalid before
    ("enable_compression='x'", lambda: StaticSiteWithCdn.define("Cdn", enable_compression="x"),
     "enable_compression"),
    ("CDN ids differing by a hyphen", lambda: backend(StaticSiteWithCdn.define("Web-2", cache_max_age=60),
                                                      StaticSiteWithCdn.define("web2", cache_max_age=60)), "name"),
    ("two CDN sites with one custom domain", lambda: backend(
        StaticSiteWithCdn.define("Shop", custom_domain="app.example.com"),
        StaticSiteWithCdn.define("Blog", custom_domain="app.example.com")), "custom_domain"),
    ("two StaticSites on one Static Web App", lambda: backend(StaticSite.define("WebSite", source_directory=SITE),
                                                              StaticSite.define("web-site", source_directory=SITE)),
     "staticsite:web-site"),
    ("ttl=2**63", lambda: crud(ttl=2**63), "ttl"),
    ("Cosmos region 'mars'", lambda: backend(crud(), cosmos_config={"failover_policies": [
        {"location_name": "mars", "priority": 0}]}), "cosmos_config.failover_policies.0.location_name"),
    ("Cosmos read_location 'mars'", lambda: backend(crud(), cosmos_config={"read_location": "mars"}),
     "cosmos_config.read_location"),
    ("tags differing only in case", lambda: backend(crud(), tags={"Team": "a", "team": "b"}), "tags"),
    ("the reserved 'microsoft' tag prefix", lambda: backend(crud(), tags={"microsoft.x": "a"}), "tags"),
    ("a user 'environment' tag", lambda: backend(crud(), tags={"environment": "x"}), "tags"),
    ("two stacks on one resource group", two_stacks_on_one_resource_group, "backend_id"),
    ("one storage account name in two stacks on one resource group",
     one_storage_name_in_two_stacks_on_one_resource_group, "name"),
    ("runtime='node', version='0'", lambda: FunctionsApp.define("Jobs", runtime="node", version="0"), "version"),
    ("an app setting name with a space", lambda: FunctionsApp.define("Jobs", environment_variables={"A B": "1"}),
     "environment_variables"),
    ("extensions='x@1'", lambda: FunctionsApp.define("Jobs", extensions="x@1"), "extensions"),
    ("cron '*/0'", lambda: FunctionsApp.define("Jobs", source_directory=FUNCTIONS, functions={
        "tick": {"trigger": "timer", "schedule": "*/0 * * * * *"}}), "functions.tick.schedule"),
    ("an unknown indexing_policy key", lambda: crud(indexing_policy={"bogusKey": 1}), "indexing_policy"),
]


@pytest.mark.parametrize(("label", "call", "field"), EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_a_bad_input_is_an_atakora_error_naming_the_field_and_the_fix(label: str, call: Callable[[], Any],
                                                                       field: str) -> None:
    with pytest.raises(AtakoraError) as raised:
        call()
    error = raised.value
    assert error.field == field, str(error)
    assert error.fix and error.fix in str(error)
