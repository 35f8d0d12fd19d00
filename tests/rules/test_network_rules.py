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
