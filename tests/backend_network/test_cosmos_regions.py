"""cosmos_config: regions, failover, multi-region writes, consistency, existing accounts, read location."""

from __future__ import annotations

from typing import Any

import pytest

from atakora import App
from atakora.errors import ConfigurationError
from atakora.testing import Template

from ._helpers import stack, synth, user_api

COSMOS = "Microsoft.DocumentDB/databaseAccounts"
DEPLOYMENT = "Microsoft.Resources/deployments"
TWO_REGIONS = [{"location_name": "eastus", "priority": 0}, {"location_name": "westus2", "priority": 1}]


def _settings(template: Template) -> dict[str, Any]:
    site = template.find_resources("Microsoft.Web/sites")[0]
    return {s["name"]: s["value"] for s in site["properties"]["siteConfig"]["appSettings"]}


def test_failover_policies_become_the_account_locations_with_automatic_failover() -> None:
    _, template = synth({"user_api": user_api(enable_serverless=False)}, cosmos_config={
        "failover_policies": TWO_REGIONS, "enable_automatic_failover": True, "consistency_level": "ConsistentPrefix"})
    template.has_resource_properties(COSMOS, {
        "locations": [{"locationName": "eastus", "failoverPriority": 0},
                      {"locationName": "westus2", "failoverPriority": 1}],
        "enableAutomaticFailover": True, "enableMultipleWriteLocations": False,
        "consistencyPolicy": {"defaultConsistencyLevel": "ConsistentPrefix"}})


def test_enable_multi_region_turns_on_writes_in_every_region() -> None:
    _, template = synth({"user_api": user_api(enable_serverless=False)}, cosmos_config={
        "failover_policies": TWO_REGIONS, "enable_multi_region": True})
    template.has_resource_properties(COSMOS, {"enableMultipleWriteLocations": True})


def test_the_account_home_region_is_the_write_region() -> None:
    _, template = synth({"user_api": user_api(enable_serverless=False)}, location="westus2", cosmos_config={
        "failover_policies": TWO_REGIONS})
    template.has_resource(COSMOS, {"location": "eastus"})


def test_a_serverless_account_cannot_span_regions() -> None:
    with pytest.raises(ConfigurationError, match="serverless"):
        synth({"user_api": user_api()}, cosmos_config={"failover_policies": TWO_REGIONS})


def test_multi_region_settings_are_checked_when_configured() -> None:
    with pytest.raises(ConfigurationError, match="two or more"):
        synth({"user_api": user_api()}, cosmos_config={"enable_multi_region": True})
    with pytest.raises(ConfigurationError, match="Strong"):
        synth({"user_api": user_api()}, cosmos_config={
            "failover_policies": TWO_REGIONS, "enable_multi_region": True, "consistency_level": "Strong"})


def test_apps_prefer_their_own_region_of_a_replicated_account() -> None:
    _, template = synth({"user_api": user_api(enable_serverless=False)}, location="westus2",
                        cosmos_config={"failover_policies": TWO_REGIONS})
    assert _settings(template)["COSMOS_PREFERRED_LOCATIONS"] == "westus2,eastus"


def test_use_existing_in_the_same_resource_group_creates_no_account() -> None:
    backend, template = synth({"user_api": user_api()}, cosmos_config={
        "use_existing": True, "account_name": "cosmos-shared", "read_location": "westus2"})
    template.resource_count_is(COSMOS, 0)
    deployment = template.find_resources(DEPLOYMENT)[0]
    assert "resourceGroup" not in deployment
    inner = deployment["properties"]["template"]
    types = sorted(r["type"] for r in inner["resources"])
    assert types == [f"{COSMOS}/sqlDatabases", f"{COSMOS}/sqlDatabases/containers", f"{COSMOS}/sqlRoleAssignments"]
    assert deployment["properties"]["parameters"]["principalId0"]["value"].startswith(
        "[reference(resourceId('Microsoft.ManagedIdentity/userAssignedIdentities'")
    settings = _settings(template)
    assert settings["USER_API_COSMOS_ENDPOINT"] == (
        "[reference(resourceId('Microsoft.DocumentDB/databaseAccounts', 'cosmos-shared'), '2026-03-15')"
        ".documentEndpoint]")
    assert settings["COSMOS_PREFERRED_LOCATIONS"] == "westus2"
    assert backend.get_resource("cosmos").resource_name == "cosmos-shared"


def test_use_existing_in_another_resource_group_deploys_into_that_group() -> None:
    _, template = synth({"user_api": user_api()}, cosmos_config={
        "use_existing": True, "account_name": "cosmos-primary", "resource_group_name": "rg-primary"})
    deployment = template.find_resources(DEPLOYMENT)[0]
    assert deployment["resourceGroup"] == "rg-primary"
    role = next(r for r in deployment["properties"]["template"]["resources"] if r["type"].endswith("RoleAssignments"))
    assert role["properties"]["principalId"] == "[parameters('principalId0')]"
    assert role["properties"]["scope"].endswith("'/dbs/user-db/colls/user')]")
    assert all("databaseAccounts', 'cosmos-primary')]" not in d for r in
               deployment["properties"]["template"]["resources"] for d in r.get("dependsOn", []))
    assert _settings(template)["USER_API_COSMOS_ENDPOINT"].startswith(
        "[reference(resourceId('rg-primary', 'Microsoft.DocumentDB/databaseAccounts', 'cosmos-primary')")


def test_use_existing_orders_the_stack_after_the_stack_that_owns_the_account() -> None:
    app = App(outdir="unused.out")
    primary_stack = stack(app, name="Primary", group="rg-primary")
    primary, _ = synth({"user_api": user_api()}, primary_stack)
    name = primary.get_resource("cosmos").resource_name
    dr_stack = stack(app, name="Dr", group="rg-dr", location="westus2")
    synth({"user_api": user_api()}, dr_stack, location="westus2", cosmos_config={
        "use_existing": True, "account_name": name, "resource_group_name": "rg-primary"})
    assert dr_stack.stack_dependencies == [primary_stack]


def test_use_existing_rejects_settings_of_the_owning_backend() -> None:
    with pytest.raises(ConfigurationError, match="use_existing"):
        synth({"user_api": user_api()}, cosmos_config={
            "use_existing": True, "account_name": "x", "failover_policies": TWO_REGIONS})
    with pytest.raises(ConfigurationError, match="use_existing"):
        synth({"user_api": user_api()}, cosmos_config={"account_name": "x"})
