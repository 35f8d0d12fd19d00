from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from atakora import App, ResourceGroupStack
from atakora.core.expressions import parameter
from atakora.errors import ConfigurationError, NamingError
from atakora.resources.documentdb import (
    API_VERSIONS,
    ContinuousBackup,
    CosmosDbAccount,
    CosmosLocation,
    CosmosSqlContainer,
    CosmosSqlContainerThroughputSettings,
    CosmosSqlDatabase,
    CosmosSqlDatabaseThroughputSettings,
    CosmosSqlRoleAssignment,
    CosmosVirtualNetworkRule,
    IndexingPolicy,
)
from atakora.resources.web import AppServicePlan, FunctionApp
from atakora.testing import Template

ACCOUNT = "Microsoft.DocumentDB/databaseAccounts"
PRINCIPAL = "11111111-2222-3333-4444-555555555555"


@pytest.fixture
def stack() -> ResourceGroupStack:
    return ResourceGroupStack(App(), "Main", resource_group_name="rg-test", location="westeurope")


@pytest.fixture
def account(stack: ResourceGroupStack) -> CosmosDbAccount:
    return CosmosDbAccount(stack, "Cosmos", name="cosmos-test")


@pytest.fixture
def provisioned(stack: ResourceGroupStack) -> CosmosDbAccount:
    return CosmosDbAccount(stack, "Cosmos", name="cosmos-test", serverless=False)


def test_account_has_secure_serverless_defaults(account: CosmosDbAccount, stack: ResourceGroupStack) -> None:
    template = Template.from_stack(stack)
    template.has_resource(ACCOUNT, {"kind": "GlobalDocumentDB", "location": "westeurope"})
    template.has_resource_properties(ACCOUNT, {
        "databaseAccountOfferType": "Standard", "disableLocalAuth": True, "disableKeyBasedMetadataWriteAccess": True,
        "minimalTlsVersion": "Tls12", "publicNetworkAccess": "Enabled", "enableMultipleWriteLocations": False,
        "consistencyPolicy": {"defaultConsistencyLevel": "Session"}, "capabilities": [{"name": "EnableServerless"}],
        "locations": [{"locationName": "westeurope", "failoverPriority": 0, "isZoneRedundant": False}]})


def test_account_golden(stack: ResourceGroupStack, golden: Callable[[str, Any], None]) -> None:
    CosmosDbAccount(stack, "Cosmos", name="cosmos-test", serverless=False, consistency_level="BoundedStaleness",
                    max_staleness_prefix=100_000, max_interval_in_seconds=300,
                    locations=[CosmosLocation("westeurope", 0, True), CosmosLocation("northeurope", 1)],
                    enable_automatic_failover=True, public_network_access="Disabled", ip_rules=["203.0.113.0/24"],
                    virtual_network_rules=[CosmosVirtualNetworkRule(parameter("subnetId"))],
                    network_acl_bypass="AzureServices", backup_policy=ContinuousBackup(),
                    capabilities=["EnableNoSQLVectorSearch"])
    golden("resources/documentdb_account", Template.from_stack(stack).resources)


def test_database_container_and_role_assignment_golden(account: CosmosDbAccount, stack: ResourceGroupStack,
                                                       golden: Callable[[str, Any], None]) -> None:
    db = CosmosSqlDatabase(account, "Db", name="shop")
    container = CosmosSqlContainer(
        db, "Products", name="products", partition_key="/category", default_ttl=-1, unique_keys=[["/sku"]],
        indexing_policy=IndexingPolicy(composite_indexes=[[("/category", "ascending"), ("/price", "descending")]]))
    container.grant_data_access("Reader", principal_id=PRINCIPAL)
    golden("resources/documentdb_sql", Template.from_stack(stack).resources)


def test_throughput_settings_golden(provisioned: CosmosDbAccount, stack: ResourceGroupStack,
                                    golden: Callable[[str, Any], None]) -> None:
    db = CosmosSqlDatabase(provisioned, "Db", name="reports")
    CosmosSqlDatabaseThroughputSettings(db, "Throughput", autoscale_max_throughput=4000)
    container = CosmosSqlContainer(db, "Daily", name="daily", partition_key=["/tenant", "/day"])
    CosmosSqlContainerThroughputSettings(container, "Throughput", throughput=800)
    golden("resources/documentdb_throughput", Template.from_stack(stack).resources)


def test_throughput_settings_write_the_parents_options_and_no_second_resource(
        provisioned: CosmosDbAccount, stack: ResourceGroupStack) -> None:
    db = CosmosSqlDatabase(provisioned, "Db", name="reports")
    CosmosSqlDatabaseThroughputSettings(db, "Throughput", autoscale_max_throughput=4000)
    container = CosmosSqlContainer(db, "Daily", name="daily", partition_key="/day")
    CosmosSqlContainerThroughputSettings(container, "Throughput", throughput=800)
    resources = Template.from_stack(stack).resources
    assert not [r for r in resources if r["type"].endswith("/throughputSettings")]
    options = {r["name"]: r["properties"].get("options") for r in resources if "sqlDatabases" in r["type"]}
    assert options == {"cosmos-test/reports": {"autoscaleSettings": {"maxThroughput": 4000}},
                       "cosmos-test/reports/daily": {"throughput": 800}}


def test_throughput_settings_on_a_database_that_sets_its_own_throughput_are_an_error(
        provisioned: CosmosDbAccount) -> None:
    db = CosmosSqlDatabase(provisioned, "Db", name="reports", autoscale_max_throughput=1000)
    with pytest.raises(ConfigurationError, match=r"already sets its throughput \(autoscale_max_throughput=1000\)"):
        CosmosSqlDatabaseThroughputSettings(db, "Throughput", autoscale_max_throughput=4000)
    container = CosmosSqlContainer(db, "Daily", name="daily", partition_key="/day", throughput=400)
    with pytest.raises(ConfigurationError, match=r"already sets its throughput \(throughput=400\)"):
        CosmosSqlContainerThroughputSettings(container, "Throughput", throughput=800)


def test_every_resource_uses_the_declared_api_version(provisioned: CosmosDbAccount, stack: ResourceGroupStack) -> None:
    db = CosmosSqlDatabase(provisioned, "Db", name="db", throughput=400)
    CosmosSqlContainer(db, "C", name="c", partition_key="/id")
    CosmosSqlRoleAssignment(provisioned, "Ra", principal_id=PRINCIPAL)
    for resource in Template.from_stack(stack).resources:
        assert resource["apiVersion"] == API_VERSIONS[resource["type"]]


def test_document_endpoint_is_a_reference(account: CosmosDbAccount, stack: ResourceGroupStack) -> None:
    stack.add_output("endpoint", account.document_endpoint)
    Template.from_stack(stack).has_output("endpoint", {
        "value": f"[reference(resourceId('{ACCOUNT}', 'cosmos-test'), '{API_VERSIONS[ACCOUNT]}').documentEndpoint]"})


def test_multi_hash_partition_key_has_version_2(account: CosmosDbAccount, stack: ResourceGroupStack) -> None:
    CosmosSqlContainer(CosmosSqlDatabase(account, "Db", name="db"), "C", name="c", partition_key=["/a", "/b"])
    Template.from_stack(stack).has_resource_properties(f"{ACCOUNT}/sqlDatabases/containers", {
        "resource": {"partitionKey": {"paths": ["/a", "/b"], "kind": "MultiHash", "version": 2}}})


def test_container_role_assignment_is_scoped_to_the_container(account: CosmosDbAccount,
                                                              stack: ResourceGroupStack) -> None:
    container = CosmosSqlContainer(CosmosSqlDatabase(account, "Db", name="shop"), "C", name="items",
                                   partition_key="/id")
    CosmosSqlRoleAssignment(account, "Ra", principal_id=PRINCIPAL, role_definition="contributor", scope=container)
    assignment = Template.from_stack(stack).find_resources(f"{ACCOUNT}/sqlRoleAssignments")[0]
    account_id = f"resourceId('{ACCOUNT}', 'cosmos-test')"
    assert assignment["properties"]["scope"] == f"[concat({account_id}, '/dbs/shop/colls/items')]"
    assert assignment["properties"]["roleDefinitionId"] == (
        f"[concat({account_id}, '/sqlRoleDefinitions/00000000-0000-0000-0000-000000000002')]")
    assert assignment["name"].startswith("[format('{0}/{1}', 'cosmos-test', guid(")


def test_role_assignment_for_a_function_app_uses_its_identity(account: CosmosDbAccount,
                                                              stack: ResourceGroupStack) -> None:
    plan = AppServicePlan(stack, "Plan", name="plan-test", sku="EP1")
    app = FunctionApp(stack, "Fn", name="func-test", plan=plan)
    CosmosSqlRoleAssignment(account, "Ra", principal_id=app)
    template = Template.from_stack(stack)
    (assignment,) = template.role_assignments()
    assert "identity.principalId" in assignment["properties"]["principalId"]
    # The name includes the app's object id (as the role-assignment deployment's parameter, never reference()):
    # Cosmos DB refuses to change an assignment's principal, so a recreated app needs a new name.
    assert "parameters('principalIds')['func-test']" in assignment["name"] and "reference" not in assignment["name"]
    deployment = template.find_resources("Microsoft.Resources/deployments")[0]
    assert "[resourceId('Microsoft.Web/sites', 'func-test')]" in deployment["dependsOn"]


def test_a_runtime_principal_expression_is_passed_to_the_role_assignment_deployment(account: CosmosDbAccount,
                                                                                    stack: ResourceGroupStack) -> None:
    plan = AppServicePlan(stack, "Plan", name="plan-test", sku="EP1")
    app = FunctionApp(stack, "Fn", name="func-test", plan=plan)
    CosmosSqlRoleAssignment(account, "Ra", principal_id=app.principal_id)
    (assignment,) = Template.from_stack(stack).role_assignments()
    assert "identity.principalId" in assignment["properties"]["principalId"]
    assert "parameters('principalIds')" in assignment["name"] and "reference" not in assignment["name"]


def test_role_assignment_rejects_a_principal_that_is_not_a_guid(account: CosmosDbAccount) -> None:
    with pytest.raises(ConfigurationError, match="principal_id 'me' is not a GUID"):
        CosmosSqlRoleAssignment(account, "Ra", principal_id="me")


def test_role_assignment_rejects_an_unknown_role(account: CosmosDbAccount) -> None:
    with pytest.raises(ConfigurationError, match=r"role_definition: input is none of the allowed types \(given 'owner'"):
        CosmosSqlRoleAssignment(account, "Ra", principal_id=PRINCIPAL, role_definition="owner")  # type: ignore[arg-type]


def test_role_assignment_rejects_a_literal_name_that_is_not_a_guid(account: CosmosDbAccount) -> None:
    from atakora.core.resource import ArmResource

    with pytest.raises(NamingError, match="'reader' is not a GUID"):
        ArmResource(account, "Ra", type=f"{ACCOUNT}/sqlRoleAssignments", api_version="2026-03-15", name="reader")


def test_account_rejects_upper_case_name(stack: ResourceGroupStack) -> None:
    with pytest.raises(NamingError, match="'Cosmos-Test' is not a valid Microsoft.DocumentDB/databaseAccounts name"):
        CosmosDbAccount(stack, "Cosmos", name="Cosmos-Test")


def test_account_rejects_unknown_consistency_level(stack: ResourceGroupStack) -> None:
    with pytest.raises(ConfigurationError, match=r"consistency_level: input should be .*\(given 'Strongest'"):
        CosmosDbAccount(stack, "Cosmos", name="cosmos-test", consistency_level="Strongest")  # type: ignore[arg-type]


def test_bounded_staleness_requires_its_parameters(stack: ResourceGroupStack) -> None:
    with pytest.raises(ConfigurationError, match="max_staleness_prefix is required with BoundedStaleness"):
        CosmosDbAccount(stack, "Cosmos", name="cosmos-test", consistency_level="BoundedStaleness")


def test_staleness_parameters_need_bounded_staleness(stack: ResourceGroupStack) -> None:
    with pytest.raises(ConfigurationError, match="max_interval_in_seconds applies only to BoundedStaleness"):
        CosmosDbAccount(stack, "Cosmos", name="cosmos-test", max_interval_in_seconds=10)


def test_serverless_account_rejects_a_second_region(stack: ResourceGroupStack) -> None:
    with pytest.raises(ConfigurationError, match="serverless Cosmos DB account runs in one region only"):
        CosmosDbAccount(stack, "Cosmos", name="cosmos-test",
                        locations=[CosmosLocation("westeurope", 0), CosmosLocation("northeurope", 1)])


def test_account_rejects_duplicate_failover_priorities(stack: ResourceGroupStack) -> None:
    with pytest.raises(ConfigurationError, match=r"failover priorities are \[0, 0\]"):
        CosmosDbAccount(stack, "Cosmos", name="cosmos-test", serverless=False,
                        locations=[CosmosLocation("westeurope", 0), CosmosLocation("northeurope", 0)])


@pytest.mark.parametrize("field", ["throughput", "autoscale_max_throughput"])
def test_serverless_database_rejects_throughput(account: CosmosDbAccount, field: str) -> None:
    with pytest.raises(ConfigurationError, match=f"{field} is not allowed on a serverless Cosmos DB account"):
        CosmosSqlDatabase(account, "Db", name="db", **{field: 4000})


def test_serverless_container_rejects_throughput(account: CosmosDbAccount) -> None:
    db = CosmosSqlDatabase(account, "Db", name="db")
    with pytest.raises(ConfigurationError, match="throughput is not allowed on a serverless Cosmos DB account"):
        CosmosSqlContainer(db, "C", name="c", partition_key="/id", throughput=400)


def test_database_rejects_both_kinds_of_throughput(provisioned: CosmosDbAccount) -> None:
    with pytest.raises(ConfigurationError, match="throughput and autoscale_max_throughput exclude each other"):
        CosmosSqlDatabase(provisioned, "Db", name="db", throughput=400, autoscale_max_throughput=4000)


def test_database_rejects_too_little_throughput(provisioned: CosmosDbAccount) -> None:
    with pytest.raises(ConfigurationError, match="throughput is 100, but must be at least 400"):
        CosmosSqlDatabase(provisioned, "Db", name="db", throughput=100)


def test_autoscale_max_throughput_must_be_a_multiple_of_1000(provisioned: CosmosDbAccount) -> None:
    with pytest.raises(ConfigurationError, match="autoscale_max_throughput is 1500, but must be a multiple of 1000"):
        CosmosSqlDatabase(provisioned, "Db", name="db", autoscale_max_throughput=1500)


def test_throughput_settings_need_a_value(provisioned: CosmosDbAccount) -> None:
    db = CosmosSqlDatabase(provisioned, "Db", name="db")
    with pytest.raises(ConfigurationError, match="throughput settings need throughput or autoscale_max_throughput"):
        CosmosSqlDatabaseThroughputSettings(db, "T")


def test_container_rejects_a_partition_key_without_slash(account: CosmosDbAccount) -> None:
    db = CosmosSqlDatabase(account, "Db", name="db")
    with pytest.raises(ConfigurationError, match="partition_key path 'category' is not a path like '/category'"):
        CosmosSqlContainer(db, "C", name="c", partition_key="category")


def test_container_rejects_four_partition_key_paths(account: CosmosDbAccount) -> None:
    db = CosmosSqlDatabase(account, "Db", name="db")
    with pytest.raises(ConfigurationError, match="partition_key has 4 paths; it needs 1 to 3"):
        CosmosSqlContainer(db, "C", name="c", partition_key=["/a", "/b", "/c", "/d"])


def test_container_rejects_zero_ttl(account: CosmosDbAccount) -> None:
    db = CosmosSqlDatabase(account, "Db", name="db")
    with pytest.raises(ConfigurationError, match="default_ttl is 0; use None"):
        CosmosSqlContainer(db, "C", name="c", partition_key="/id", default_ttl=0)


def test_container_rejects_a_unique_key_given_as_a_string(account: CosmosDbAccount) -> None:
    db = CosmosSqlDatabase(account, "Db", name="db")
    with pytest.raises(ConfigurationError, match=r"unique_keys\[0\]: 'str' instances are not allowed"):
        CosmosSqlContainer(db, "C", name="c", partition_key="/id", unique_keys=["/email"])


def test_indexing_mode_none_needs_automatic_off(account: CosmosDbAccount) -> None:
    db = CosmosSqlDatabase(account, "Db", name="db")
    with pytest.raises(ConfigurationError, match="indexing_mode 'none' needs automatic=False"):
        CosmosSqlContainer(db, "C", name="c", partition_key="/id", indexing_policy=IndexingPolicy(indexing_mode="none"))


def test_indexing_policy_rejects_a_wrong_sort_order(account: CosmosDbAccount) -> None:
    db = CosmosSqlDatabase(account, "Db", name="db")
    policy = IndexingPolicy(composite_indexes=[[("/a", "up"), ("/b", "ascending")]])  # type: ignore[list-item]
    with pytest.raises(ConfigurationError, match="composite_indexes.order is 'up', which is not allowed"):
        CosmosSqlContainer(db, "C", name="c", partition_key="/id", indexing_policy=policy)


def test_indexing_policy_reads_the_arm_shape() -> None:
    arm = {"indexingMode": "consistent", "includedPaths": [{"path": "/name/?"}], "excludedPaths": [{"path": "/*"}],
           "compositeIndexes": [[{"path": "/a"}, {"path": "/b", "order": "descending"}]]}
    policy = IndexingPolicy.from_arm(arm)
    assert policy.to_arm() == {"automatic": True, **arm, "compositeIndexes": [
        [{"path": "/a", "order": "ascending"}, {"path": "/b", "order": "descending"}]]}


def test_role_assignment_rejects_a_resource_without_identity(account: CosmosDbAccount,
                                                             stack: ResourceGroupStack) -> None:
    plan = AppServicePlan(stack, "Plan", name="plan-test", sku="EP1")
    app = FunctionApp(stack, "Fn", name="func-test", plan=plan, system_assigned_identity=False)
    with pytest.raises(ConfigurationError, match="Main/Fn has no system-assigned managed identity"):
        CosmosSqlRoleAssignment(account, "Ra", principal_id=app)


def test_equal_indexing_policies_from_arm_mappings_are_one_shared_frozen_value() -> None:
    arm = {"indexingMode": "consistent", "includedPaths": [{"path": "/*"}],
           "compositeIndexes": [[{"path": "/a", "order": "ascending"}, {"path": "/b", "order": "descending"}]]}
    first, second = IndexingPolicy.from_arm(arm), IndexingPolicy.from_arm(dict(arm))
    assert first is second
    assert first.composite_indexes == ((("/a", "ascending"), ("/b", "descending")),)
    assert first.to_arm()["compositeIndexes"] == [[{"path": "/a", "order": "ascending"},
                                                   {"path": "/b", "order": "descending"}]]
    assert IndexingPolicy.from_arm({**arm, "indexingMode": "lazy"}) is not first


def test_a_shared_indexing_policy_is_checked_once_and_policies_given_directly_are_checked_every_time() -> None:
    shared = IndexingPolicy.from_arm({"indexingMode": "consistent", "includedPaths": [{"path": "/*"}]})
    shared.check("A")
    shared.check("B")
    bad = IndexingPolicy(included_paths=["nope"])  # a list: unhashable, checked as given
    for where in ("A", "B"):
        with pytest.raises(ConfigurationError, match="does not start with '/'"):
            bad.check(where)
    with pytest.raises(ConfigurationError, match="needs at least two paths"):
        IndexingPolicy.from_arm({"compositeIndexes": [[{"path": "/a"}]]}).check("C")
