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
