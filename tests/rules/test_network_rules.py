from __future__ import annotations

from typing import Any

from atakora.rules import AssemblyView
from atakora.rules.network import closed_resources_have_a_private_endpoint

from .conftest import findings, template

VAULT = {"type": "Microsoft.KeyVault/vaults", "name": "kv-shop", "properties": {"publicNetworkAccess": "Disabled"}}


def _endpoint(target: str) -> dict[str, Any]:
    return {"type": "Microsoft.Network/privateEndpoints", "name": "pe-kv", "properties": {
        "privateLinkServiceConnections": [{"name": "kv", "properties": {"privateLinkServiceId": target}}]}}


def test_a_closed_key_vault_without_a_private_endpoint_is_an_error() -> None:
    found = findings(closed_resources_have_a_private_endpoint, AssemblyView.from_templates({"S": template(VAULT)}))
    assert [f.rule_id for f in found] == ["AZ-NET-001"]


def test_a_closed_key_vault_with_a_private_endpoint_passes() -> None:
    endpoint = _endpoint("[resourceId('Microsoft.KeyVault/vaults', 'kv-shop')]")
    view = AssemblyView.from_templates({"S": template(VAULT, endpoint)})
    assert not findings(closed_resources_have_a_private_endpoint, view)


def test_a_key_vault_whose_firewall_denies_everything_without_rules_or_endpoint_is_an_error() -> None:
    vault = {"type": "Microsoft.KeyVault/vaults", "name": "kv-shop", "properties": {
        "publicNetworkAccess": "Enabled", "networkAcls": {"defaultAction": "Deny", "ipRules": [],
                                                          "virtualNetworkRules": []}}}
    found = findings(closed_resources_have_a_private_endpoint, AssemblyView.from_templates({"S": template(vault)}))
    assert [f.rule_id for f in found] == ["AZ-NET-001"]
    assert "denies by default" in found[0].message


def test_a_key_vault_whose_firewall_allows_an_address_or_a_subnet_passes() -> None:
    by_ip = {"type": "Microsoft.KeyVault/vaults", "name": "kv-a", "properties": {
        "publicNetworkAccess": "Enabled", "networkAcls": {"defaultAction": "Deny", "ipRules": [{"value": "1.2.3.4"}]}}}
    by_subnet = {"type": "Microsoft.KeyVault/vaults", "name": "kv-b", "properties": {
        "networkAcls": {"defaultAction": "Deny", "virtualNetworkRules": [{"id": "/subnets/x"}]}}}
    view = AssemblyView.from_templates({"S": template(by_ip, by_subnet)})
    assert not findings(closed_resources_have_a_private_endpoint, view)


def test_a_closed_key_vault_with_firewall_rules_but_no_endpoint_is_still_an_error() -> None:
    """publicNetworkAccess Disabled overrides the firewall: its rules are not honoured."""
    vault = {"type": "Microsoft.KeyVault/vaults", "name": "kv-shop", "properties": {
        "publicNetworkAccess": "Disabled", "networkAcls": {"defaultAction": "Deny",
                                                           "ipRules": [{"value": "1.2.3.4"}]}}}
    found = findings(closed_resources_have_a_private_endpoint, AssemblyView.from_templates({"S": template(vault)}))
    assert [f.rule_id for f in found] == ["AZ-NET-001"]


def test_a_closed_redis_cache_without_a_private_endpoint_is_an_error_and_a_vnet_injected_one_passes() -> None:
    closed = {"type": "Microsoft.Cache/redis", "name": "redis-a", "properties": {"publicNetworkAccess": "Disabled"}}
    injected = {"type": "Microsoft.Cache/redis", "name": "redis-b", "properties": {"subnetId": "/subnets/x"}}
    found = findings(closed_resources_have_a_private_endpoint,
                     AssemblyView.from_templates({"S": template(closed, injected)}))
    assert [f.resource for f in found] == ["Microsoft.Cache/redis redis-a"]


def _account(closed: bool) -> dict[str, Any]:
    return {"type": "Microsoft.Storage/storageAccounts", "name": "stshared",
            "properties": {"publicNetworkAccess": "Disabled" if closed else "Enabled",
                           "networkAcls": {"defaultAction": "Deny" if closed else "Allow"}}}


def _runs_from_blob(integrated: bool) -> dict[str, Any]:
    url = ("[concat(reference(resourceId('Microsoft.Storage/storageAccounts', 'stshared'), '2023-05-01')"
           ".primaryEndpoints.blob, 'function-releases/func-ep.zip')]")
    props: dict[str, Any] = {"siteConfig": {"appSettings": [{"name": "WEBSITE_RUN_FROM_PACKAGE", "value": url}]}}
    if integrated:
        props["virtualNetworkSubnetId"] = "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'v', 's')]"
    return {"type": "Microsoft.Web/sites", "name": "func-ep", "kind": "functionapp,linux", "properties": props}


def test_an_app_that_runs_from_a_closed_account_without_vnet_integration_is_an_error() -> None:
    from atakora.rules.network import package_storage_is_reachable

    view = AssemblyView.from_templates({"S": template(_account(True), _runs_from_blob(False))})
    found = findings(package_storage_is_reachable, view)
    assert [f.rule_id for f in found] == ["AZ-NET-002"] and "cannot read its code" in found[0].message


def test_an_integrated_app_or_an_open_account_passes() -> None:
    from atakora.rules.network import package_storage_is_reachable

    for account, site in ((_account(True), _runs_from_blob(True)), (_account(False), _runs_from_blob(False))):
        assert not findings(package_storage_is_reachable, AssemblyView.from_templates({"S": template(account, site)}))


def test_an_isolated_elastic_premium_backend_reads_its_package_over_the_vnet_and_publishes_through_blob(
        tmp_path: Any) -> None:
    from atakora import App, ResourceGroupStack
    from atakora.backend import define_backend
    from atakora.components import FunctionsApp
    from atakora.rules import run_rules
    from atakora.rules.deploy import private_flex_apps_publish_from_the_vnet
    from atakora.rules.network import package_storage_is_reachable

    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "handlers.py").write_text("def hello(req):\n    return None\n")
    app = App(outdir=tmp_path / "out")
    stack = ResourceGroupStack(app, "Main", resource_group_name="rg-iso", location="eastus")
    define_backend({"jobs": FunctionsApp.define("Jobs", sku="EP1", source_directory=tmp_path / "src",
                                                functions={"hello": {"trigger": "http", "methods": ["GET"]}})},
                   networking={"mode": "isolated"}).add_to_stack(stack)
    assembly = app.synth()
    destination = assembly.manifest["stacks"][0]["assets"][0]["destination"]
    assert destination["deployment"] == "run-from-package" and destination["isolated"] and destination["sitePrivate"]
    view = AssemblyView.from_templates({"Main": assembly.template("Main")},
                                       assets={"Main": assembly.manifest["stacks"][0]["assets"]})
    rules = [package_storage_is_reachable, private_flex_apps_publish_from_the_vnet]
    assert not list(run_rules(view, rules=rules, include_builtin=False).findings)


def test_the_names_a_package_location_can_mention_are_found_as_the_substring_test_finds_them():
    from atakora.rules.network import _named_in

    locations = ["https://stapp.blob.core.windows.net/c/p.zip", "[concat('https://', 'stapp', '.blob')]",
                 "///st.x", "https://a//b.c", "no names", "'x','y'", "//tail-without-dot"]
    names = ["stapp", "st", "a", "b", "x", "y", ",", "https:", "tail-without-dot", "c/p"]
    for location in locations:
        found = _named_in(location)
        for name in names:
            if not any(c in name for c in "'./"):
                assert (name in found) == (f"'{name}'" in location or f"//{name}." in location), (location, name)
