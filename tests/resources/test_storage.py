from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from atakora import App, ResourceGroupStack
from atakora.errors import ConfigurationError, NamingError, ValidationError
from atakora.resources.storage import (
    API_VERSIONS,
    BlobContainer,
    BlobService,
    LifecycleRule,
    ManagementPolicy,
    QueueService,
    StorageAccount,
    StorageQueue,
    StorageTable,
    TableService,
)
from atakora.testing import Template

ACCOUNT = "Microsoft.Storage/storageAccounts"


@pytest.fixture
def stack() -> ResourceGroupStack:
    return ResourceGroupStack(App(), "Main", resource_group_name="rg-test", location="westeurope")


@pytest.fixture
def account(stack: ResourceGroupStack) -> StorageAccount:
    return StorageAccount(stack, "Storage", name="sttest001")


def test_storage_account_has_secure_defaults(account: StorageAccount, stack: ResourceGroupStack) -> None:
    template = Template.from_stack(stack)
    template.has_resource(ACCOUNT, {"kind": "StorageV2", "sku": {"name": "Standard_GRS"}})
    template.has_resource_properties(ACCOUNT, {
        "supportsHttpsTrafficOnly": True, "minimumTlsVersion": "TLS1_2", "allowBlobPublicAccess": False,
        "allowSharedKeyAccess": False, "defaultToOAuthAuthentication": True, "allowCrossTenantReplication": False,
        "networkAcls": {"defaultAction": "Deny", "bypass": "AzureServices"}})
    assert "publicNetworkAccess" not in template.find_resources(ACCOUNT)[0]["properties"]


def test_storage_account_golden(stack: ResourceGroupStack, golden: Callable[[str, Any], None]) -> None:
    StorageAccount(stack, "Storage", name="sttest001", sku="Standard_RAGZRS", access_tier="Cool",
                   public_network_access="Disabled", network_bypass=["AzureServices", "Logging"],
                   ip_rules=["203.0.113.7"], virtual_network_rules=["/subscriptions/x/subnets/a"],
                   require_infrastructure_encryption=True, system_assigned_identity=True)
    golden("resources/storage_account", Template.from_stack(stack).resources)


def test_storage_services_golden(account: StorageAccount, stack: ResourceGroupStack,
                                 golden: Callable[[str, Any], None]) -> None:
    BlobService(account, delete_retention_days=30, container_delete_retention_days=None, versioning=True)
    BlobContainer(account, "Packages", name="app-package", metadata={"owner": "api"})
    StorageQueue(account, "Orders", name="orders")
    StorageTable(account, "Audit", name="audit")
    ManagementPolicy(account, rules=[LifecycleRule("archive", prefix_match=["exports/"], tier_to_cool_after_days=30,
                                                   tier_to_archive_after_days=90, delete_after_days=365,
                                                   delete_previous_versions_after_days=7)])
    golden("resources/storage_services", Template.from_stack(stack).resources)


def test_every_resource_uses_the_declared_api_version(account: StorageAccount, stack: ResourceGroupStack) -> None:
    BlobContainer(account, "C", name="c01")
    StorageQueue(account, "Q", name="q01")
    StorageTable(account, "T", name="t01")
    ManagementPolicy(account, rules=[LifecycleRule("r", delete_after_days=1)])
    resources = Template.from_stack(stack).resources
    assert len(resources) == 8
    for resource in resources:
        assert resource["apiVersion"] == API_VERSIONS[resource["type"]]


def test_services_are_named_default_and_shared(account: StorageAccount, stack: ResourceGroupStack) -> None:
    BlobContainer(account, "A", name="aaa")
    BlobContainer(account.blob_service(), "B", name="bbb")
    Template.from_stack(stack).resource_count_is(f"{ACCOUNT}/blobServices", 1)
    assert account.blob_service().resource_name == "default"
    assert isinstance(account.queue_service(), QueueService)
    assert isinstance(account.table_service(), TableService)


def test_blob_container_is_private(account: StorageAccount, stack: ResourceGroupStack) -> None:
    BlobContainer(account, "C", name="data")
    Template.from_stack(stack).has_resource_properties(f"{ACCOUNT}/blobServices/containers", {"publicAccess": "None"})


def test_blob_service_defaults_to_seven_days_of_soft_delete(account: StorageAccount,
                                                            stack: ResourceGroupStack) -> None:
    BlobService(account)
    Template.from_stack(stack).has_resource_properties(f"{ACCOUNT}/blobServices", {
        "deleteRetentionPolicy": {"enabled": True, "days": 7},
        "containerDeleteRetentionPolicy": {"enabled": True, "days": 7}, "isVersioningEnabled": False})


def test_endpoints_are_references(account: StorageAccount, stack: ResourceGroupStack) -> None:
    stack.add_output("blob", account.primary_blob_endpoint)
    stack.add_output("queue", account.primary_queue_endpoint)
    stack.add_output("table", account.primary_table_endpoint)
    template = Template.from_stack(stack)
    ref = f"reference(resourceId('{ACCOUNT}', 'sttest001'), '{API_VERSIONS[ACCOUNT]}')"
    for kind in ("blob", "queue", "table"):
        template.has_output(kind, {"value": f"[{ref}.primaryEndpoints.{kind}]"})


def test_storage_account_rejects_upper_case_name(stack: ResourceGroupStack) -> None:
    with pytest.raises(NamingError, match="'StTest' is not a valid Microsoft.Storage/storageAccounts name"):
        StorageAccount(stack, "Storage", name="StTest")


def test_storage_account_rejects_a_too_long_name(stack: ResourceGroupStack) -> None:
    with pytest.raises(NamingError, match="has 25 characters"):
        StorageAccount(stack, "Storage", name="a" * 25)


def test_storage_account_rejects_unknown_sku(stack: ResourceGroupStack) -> None:
    with pytest.raises(ConfigurationError, match=r"sku: input should be .*\(given 'Standard_XRS'"):
        StorageAccount(stack, "Storage", name="sttest001", sku="Standard_XRS")  # type: ignore[arg-type]


def test_storage_account_rejects_unknown_default_action(stack: ResourceGroupStack) -> None:
    with pytest.raises(ConfigurationError, match=r"network_default_action: input should be .*\(given 'Block'"):
        StorageAccount(stack, "Storage", name="sttest001", network_default_action="Block")  # type: ignore[arg-type]


def test_storage_account_rejects_a_bypass_string(stack: ResourceGroupStack) -> None:
    with pytest.raises(ConfigurationError, match="network_bypass: 'str' instances are not allowed"):
        StorageAccount(stack, "Storage", name="sttest001", network_bypass="AzureServices")  # type: ignore[arg-type]


def test_premium_kinds_need_a_premium_sku(stack: ResourceGroupStack) -> None:
    with pytest.raises(ConfigurationError, match="kind 'BlockBlobStorage' needs a Premium sku"):
        StorageAccount(stack, "Storage", name="sttest001", kind="BlockBlobStorage")


def test_blob_container_rejects_upper_case_name(account: StorageAccount) -> None:
    with pytest.raises(NamingError, match="'Data' is not a valid"):
        BlobContainer(account, "C", name="Data")


def test_table_rejects_a_name_with_hyphens(account: StorageAccount) -> None:
    with pytest.raises(NamingError, match="'audit-log' is not a valid"):
        StorageTable(account, "T", name="audit-log")


def test_queue_rejects_a_two_character_name(account: StorageAccount) -> None:
    with pytest.raises(NamingError, match="'ab' has 2 characters"):
        StorageQueue(account, "Q", name="ab")


def test_blob_service_rejects_retention_over_a_year(account: StorageAccount) -> None:
    with pytest.raises(ConfigurationError, match="delete_retention_days is 400, but must be at least 1 and at most 365"):
        BlobService(account, delete_retention_days=400)


def test_lifecycle_rule_needs_an_action(account: StorageAccount) -> None:
    with pytest.raises(ConfigurationError, match="lifecycle rule 'empty' has no action"):
        ManagementPolicy(account, rules=[LifecycleRule("empty")])


def test_lifecycle_rule_rejects_archive_before_cool(account: StorageAccount) -> None:
    with pytest.raises(ConfigurationError, match=r"tier_to_archive_after_days \(10\) must be later than"):
        ManagementPolicy(account, rules=[LifecycleRule("r", tier_to_cool_after_days=30,
                                                       tier_to_archive_after_days=10)])


def test_lifecycle_rule_rejects_a_prefix_with_leading_slash(account: StorageAccount) -> None:
    with pytest.raises(ConfigurationError, match="prefix '/logs' must start with a container name"):
        ManagementPolicy(account, rules=[LifecycleRule("r", prefix_match=["/logs"], delete_after_days=3)])


def test_lifecycle_rule_names_are_unique(account: StorageAccount) -> None:
    policy = ManagementPolicy(account, rules=[LifecycleRule("r", delete_after_days=3)])
    with pytest.raises(ConfigurationError, match="there is already a lifecycle rule named 'r'"):
        policy.add_rule(LifecycleRule("r", delete_after_days=5))


def test_management_policy_without_rules_fails_validation(account: StorageAccount, stack: ResourceGroupStack,
                                                          tmp_path: Path) -> None:
    ManagementPolicy(account)
    with pytest.raises(ValidationError, match="a management policy needs at least one rule"):
        stack.app.synth(outdir=tmp_path / "out")
