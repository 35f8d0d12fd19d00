"""A data stack: serverless Cosmos DB, storage, and a Flex Consumption Python Function App.

Uses every resource type of atakora.resources.documentdb, .storage and .web. The Function App
reads Cosmos DB and storage with its managed identity: no keys or connection strings anywhere.

    python examples/showcase_data.py      # writes ./atakora.out
"""

from __future__ import annotations

from atakora import App, ResourceGroupStack
from atakora.core.expressions import concat
from atakora.resources.authorization import BuiltInRole, RoleAssignment
from atakora.resources.documentdb import (
    CosmosDbAccount,
    CosmosSqlContainer,
    CosmosSqlContainerThroughputSettings,
    CosmosSqlDatabase,
    CosmosSqlDatabaseThroughputSettings,
    CosmosSqlRoleAssignment,
    IndexingPolicy,
)
from atakora.resources.storage import (
    BlobContainer,
    BlobService,
    LifecycleRule,
    ManagementPolicy,
    StorageAccount,
    StorageQueue,
    StorageTable,
)
from atakora.resources.web import AppServicePlan, FunctionApp

app = App()
stack = ResourceGroupStack(app, "Data", resource_group_name="rg-shop-data", location="eastus",
                           tags={"app": "shop"})

# --- Cosmos DB: serverless account, one database, one container -----------------------------
cosmos = CosmosDbAccount(stack, "Cosmos", name="cosmos-shop-data")
database = CosmosSqlDatabase(cosmos, "Database", name="shop")
products = CosmosSqlContainer(
    database, "Products", name="products",
    partition_key="/category",
    default_ttl=-1,                       # items may set their own ttl; none expire by default
    unique_keys=[["/sku"]],
    indexing_policy=IndexingPolicy(
        excluded_paths=['/"_etag"/?', "/description/?"],
        composite_indexes=[[("/category", "ascending"), ("/price", "descending")]],
    ),
)

# --- Storage: the Function App's host and deployment storage, plus a queue and a table ----------
# No virtual network here, so the account must accept traffic from the Functions platform: the
# network rules allow all networks, while access still needs Entra ID (shared keys are off).
storage = StorageAccount(stack, "Storage", name="stshopdata001", network_default_action="Allow")
BlobService(storage, delete_retention_days=14, container_delete_retention_days=14, versioning=True)
packages = BlobContainer(storage, "Packages", name="app-package")
StorageQueue(storage, "Orders", name="orders")
StorageTable(storage, "Audit", name="audit")
ManagementPolicy(storage, rules=[
    LifecycleRule("expireOldVersions", prefix_match=["app-package/"], delete_previous_versions_after_days=30),
    LifecycleRule("archiveExports", prefix_match=["exports/"], tier_to_cool_after_days=30,
                  tier_to_archive_after_days=90, delete_after_days=365),
])

# --- Function App on Flex Consumption -----------------------------------------------------------
plan = AppServicePlan(stack, "Plan", name="plan-shop-data")        # FC1, Linux
api = FunctionApp(
    stack, "Api", name="func-shop-data-api", plan=plan,
    runtime="python", runtime_version="3.12",
    deployment_storage=packages,          # read with the app's system-assigned identity
    maximum_instance_count=40, instance_memory_mb=2048,
    cors_allowed_origins=["https://shop.example.com"],
    app_settings={
        "COSMOS_ENDPOINT": cosmos.document_endpoint,
        "COSMOS_DATABASE": "shop",
    },
)
api.add_app_setting("COSMOS_CONTAINER", "products")
api.add_app_setting("ORDERS_QUEUE_URL", concat(storage.primary_queue_endpoint, "orders"))

# The app's identity: data-plane access to its one container, and to its host storage.
CosmosSqlRoleAssignment(cosmos, "ApiProductsAccess", principal_id=api, role_definition="contributor",
                        scope=products)
for role in (BuiltInRole.STORAGE_BLOB_DATA_OWNER, BuiltInRole.STORAGE_QUEUE_DATA_CONTRIBUTOR,
             BuiltInRole.STORAGE_TABLE_DATA_CONTRIBUTOR):
    RoleAssignment(stack, f"Api{role.display_name.replace(' ', '')}", role=role, principal=api, target=storage)

# Throughput settings apply to provisioned accounts: a second, provisioned account for reporting.
reporting = CosmosDbAccount(stack, "Reporting", name="cosmos-shop-reporting", serverless=False,
                            consistency_level="BoundedStaleness", max_staleness_prefix=100_000,
                            max_interval_in_seconds=300)
# Each throughput is set once: in the constructor, or by a throughput settings construct (both write options).
reports_db = CosmosSqlDatabase(reporting, "Database", name="reports")
CosmosSqlDatabaseThroughputSettings(reports_db, "Throughput", autoscale_max_throughput=4000)
daily = CosmosSqlContainer(reports_db, "Daily", name="daily", partition_key=["/tenant", "/day"])
CosmosSqlContainerThroughputSettings(daily, "Throughput", throughput=800)
daily.grant_data_access("ApiReadsDaily", principal_id=api, role="reader")

stack.add_output("apiHostName", api.default_host_name)
stack.add_output("cosmosEndpoint", cosmos.document_endpoint)

app.synth()
