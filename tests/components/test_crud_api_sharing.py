from __future__ import annotations

from typing import Any

import pytest

from atakora import App, ResourceGroupStack
from atakora.backend import define_backend
from atakora.components import CrudApi
from atakora.errors import ConfigurationError
from atakora.testing import Template

SEED_APIS: dict[str, dict[str, Any]] = {
    "UserApi": {"entity_name": "User", "schema": {"id": "string", "name": "string", "email": "string"}},
    "ProductApi": {"entity_name": "Product", "schema": {"id": "string", "name": "string", "price": "number"}},
    "OrderApi": {"entity_name": "Order", "schema": {"id": "string", "userId": "string", "total": "number"}},
}
TOP_LEVEL = ("Microsoft.DocumentDB/databaseAccounts", "Microsoft.Web/sites", "Microsoft.Storage/storageAccounts")


def stack() -> ResourceGroupStack:
    return ResourceGroupStack(App(outdir="unused"), "MyStack", resource_group_name="rg-myapp-prod", location="eastus")


def test_three_apis_built_traditionally_create_three_of_each_top_level_resource() -> None:
    target = stack()
    for component_id, config in SEED_APIS.items():
        CrudApi(target, component_id, **config)
    template = Template.from_stack(target)
    for resource_type in TOP_LEVEL:
        template.resource_count_is(resource_type, 3)


def test_three_apis_in_one_backend_share_one_of_each_top_level_resource() -> None:
    target = stack()
    backend = define_backend({k: CrudApi.define(k, **v) for k, v in SEED_APIS.items()}, environment="prod")
    backend.add_to_stack(target)
    template = Template.from_stack(target)
    for resource_type in TOP_LEVEL:
        template.resource_count_is(resource_type, 1)
    template.resource_count_is("Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers", 3)
    plan = backend.plan()
    assert (plan.shared_resource_count, plan.traditional_resource_count) == (3, 9)


def test_each_api_gets_least_privilege_on_its_own_container() -> None:
    target = stack()
    backend = define_backend({
        "reader": CrudApi.define("ReadOnlyApi", entity_name="Data", schema={"id": "string"},
                                 operations=["read", "list"], database_name="shared-db", container_name="data"),
        "admin": CrudApi.define("AdminApi", entity_name="Data", schema={"id": "string"},
                                database_name="shared-db", container_name="data"),
    })
    backend.add_to_stack(target)
    assignments = Template.from_stack(target).find_resources("Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments")
    roles = sorted(a["properties"]["roleDefinitionId"].rsplit("/", 1)[-1].rstrip("')]") for a in assignments)
    assert roles == ["00000000-0000-0000-0000-000000000001", "00000000-0000-0000-0000-000000000002"]
    scopes = {a["properties"]["scope"] for a in assignments}
    assert all("/dbs/shared-db/colls/data" in s for s in scopes)


def test_app_settings_are_namespaced_per_component_and_use_identity_for_host_storage() -> None:
    target = stack()
    define_backend({k: CrudApi.define(k, **v) for k, v in SEED_APIS.items()}).add_to_stack(target)
    site = Template.from_stack(target).find_resources("Microsoft.Web/sites")[0]
    names = [s["name"] for s in site["properties"]["siteConfig"]["appSettings"]]
    assert len(names) == len(set(names))
    assert {"USER_API_COSMOS_ENDPOINT", "ORDER_API_CONTAINER_NAME", "AzureWebJobsStorage__accountName"} <= set(names)
    assert not any("ConnectionString" in n or n == "AzureWebJobsStorage" for n in names)
    values = [s["value"] for s in site["properties"]["siteConfig"]["appSettings"]]
    assert not any("AccountKey" in v for v in values if isinstance(v, str))


def test_the_package_holding_every_api_is_an_asset_of_the_stack(tmp_path: Any) -> None:
    app = App(outdir=tmp_path)
    target = ResourceGroupStack(app, "MyStack", resource_group_name="rg", location="eastus")
    define_backend({k: CrudApi.define(k, **v) for k, v in SEED_APIS.items()}).add_to_stack(target)
    assembly = app.synth()
    assets = assembly.manifest["stacks"][0]["assets"]
    assert len(assets) == 1 and assets[0]["kind"] == "function-package"
    assert (tmp_path / assets[0]["path"]).exists()


@pytest.mark.parametrize(("config", "field", "message"), [
    ({"partition_key": "/tenant"}, "partition_key", "names field 'tenant', which is not in the schema"),
    ({"throughput": 400}, "throughput", "enable_serverless is True"),
    ({"operations": ["create", "patch"]}, "operations", r"operations\[1\]: input should be .create., .read."),
    ({"ttl": 0}, "ttl", "must be -1"),
    ({"schema": {"id": "string", "age": "integer"}}, "schema", "age"),
])
def test_bad_crud_api_config_names_the_component_field_and_fix(config: dict[str, Any], field: str,
                                                                message: str) -> None:
    base: dict[str, Any] = {"entity_name": "User", "schema": {"id": "string", "name": "string"}}
    with pytest.raises(ConfigurationError, match=message) as raised:
        CrudApi.define("UserApi", **{**base, **config})
    assert raised.value.field == field and raised.value.path == "UserApi" and raised.value.fix


def test_a_premium_app_runs_from_its_release_blob_read_with_its_own_identity(tmp_path: Any) -> None:
    from atakora.components import FunctionsApp

    source = tmp_path / "src"
    source.mkdir()
    (source / "handlers.py").write_text(
        "import azure.functions as func\n\n\ndef hello(req: func.HttpRequest) -> func.HttpResponse:\n"
        "    return func.HttpResponse('hello')\n")
    app = App(outdir=tmp_path / "out")
    target = ResourceGroupStack(app, "MyStack", resource_group_name="rg", location="eastus")
    define_backend({
        "users": CrudApi.define("UserApi", **SEED_APIS["UserApi"]),
        "jobs": FunctionsApp.define("Jobs", sku="EP1", source_directory=source,
                                    functions={"hello": {"trigger": "http", "methods": ["GET"]}}),
    }).add_to_stack(target)
    assembly = app.synth()
    site = next(r for r in assembly.template("MyStack")["resources"] if r["type"] == "Microsoft.Web/sites")
    settings = {s["name"]: s["value"] for s in site["properties"]["siteConfig"]["appSettings"]}
    package = assembly.manifest["stacks"][0]["assets"][0]
    destination = package["destination"]
    assert destination["deployment"] == "run-from-package"
    assert destination["container"] == "function-releases"
    assert destination["blob"] == f"{destination['functionApp']}.zip"
    # the URL is deterministic: the account's blob endpoint, the container and the app's fixed blob name
    url = settings["WEBSITE_RUN_FROM_PACKAGE"]
    assert "primaryEndpoints.blob" in url and f"/{destination['blob']}" in url and "function-releases" in url
    assert settings["WEBSITE_RUN_FROM_PACKAGE_BLOB_MI_RESOURCE_ID"] == "SystemAssigned"
    # neither a remote build (it cannot be combined with a package URL) nor an Azure Files content share
    for name in ("SCM_DO_BUILD_DURING_DEPLOYMENT", "ENABLE_ORYX_BUILD", "WEBSITE_CONTENTSHARE",
                 "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING"):
        assert name not in settings
    from atakora.testing import Template

    readers = [r for r in Template(assembly.template("MyStack")).role_assignments()
               if r["type"] == "Microsoft.Authorization/roleAssignments"
               and "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1" in str(r["properties"]["roleDefinitionId"])]
    assert len(readers) == 1 and readers[0]["scope"].endswith("/containers/function-releases")
    assert "functionAppConfig" not in site["properties"]
    plan = next(r for r in assembly.template("MyStack")["resources"] if r["type"] == "Microsoft.Web/serverfarms")
    assert plan["sku"]["name"] == "EP1"


def test_two_apis_with_the_same_route_get_separate_apps_and_a_warning_instead_of_a_clash() -> None:
    target = stack()
    backend = define_backend({
        "reader": CrudApi.define("ReadOnlyApi", entity_name="Data", schema={"id": "string"},
                                 operations=["read", "list"]),
        "admin": CrudApi.define("AdminApi", entity_name="Data", schema={"id": "string"}),
    })
    backend.add_to_stack(target)
    Template.from_stack(target).resource_count_is("Microsoft.Web/sites", 2)
    assert any("disagree on who serves the route /api/data" in w for w in backend.plan().warnings)


def test_every_component_of_a_stack_reports_its_endpoint_in_one_output() -> None:
    target = stack()
    for component_id, config in SEED_APIS.items():
        CrudApi(target, component_id, **config)
    outputs = Template.from_stack(target).template["outputs"]
    assert list(outputs) == ["componentOutputs"]
    value = outputs["componentOutputs"]["value"]
    assert sorted(value) == ["OrderApi-resources", "ProductApi-resources", "UserApi-resources"]
    assert value["UserApi-resources"]["UserApi"]["api_endpoint"].endswith("'/api/users')]")
