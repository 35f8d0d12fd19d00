from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from atakora import App, ResourceGroupStack
from atakora.core.expressions import parameter
from atakora.errors import ConfigurationError, NamingError
from atakora.resources.keyvault import API_VERSIONS, KeyVault, KeyVaultSecret, key_vault_reference
from atakora.testing import Template

VAULT = "Microsoft.KeyVault/vaults"


@pytest.fixture
def stack() -> ResourceGroupStack:
    return ResourceGroupStack(App(), "Main", resource_group_name="rg-test", location="westeurope")


@pytest.fixture
def vault(stack: ResourceGroupStack) -> KeyVault:
    return KeyVault(stack, "Vault", name="kv-test-0001")


def test_key_vault_has_secure_defaults(stack: ResourceGroupStack, vault: KeyVault) -> None:
    Template.from_stack(stack).has_resource_properties(VAULT, {
        "tenantId": "[subscription().tenantId]", "sku": {"family": "A", "name": "standard"},
        "enableRbacAuthorization": True, "enableSoftDelete": True, "softDeleteRetentionInDays": 90,
        "enablePurgeProtection": True, "publicNetworkAccess": "Disabled",
        "networkAcls": {"defaultAction": "Deny", "bypass": "AzureServices"}})
    assert vault.api_version == API_VERSIONS[VAULT]


def test_key_vault_golden(stack: ResourceGroupStack, golden: Callable[[str, Any], None]) -> None:
    vault = KeyVault(stack, "Vault", name="kv-test-0001", sku="premium", public_network_access="Enabled",
                     ip_rules=["203.0.113.0/24"], soft_delete_retention_in_days=30,
                     tenant_id="00000000-0000-0000-0000-000000000001")
    vault.add_virtual_network_rule("/subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/"
                                   "virtualNetworks/vnet/subnets/apps")
    stack.add_output("vaultUri", vault.vault_uri)
    golden("resources/keyvault_vault", Template.from_stack(stack).to_json())


def test_key_vault_without_purge_protection_leaves_the_property_out(stack: ResourceGroupStack) -> None:
    KeyVault(stack, "Vault", name="kv-test-0001", enable_purge_protection=False)
    props = Template.from_stack(stack).find_resources(VAULT)[0]["properties"]
    assert "enablePurgeProtection" not in props


def test_key_vault_uri_is_a_reference(stack: ResourceGroupStack, vault: KeyVault) -> None:
    stack.add_output("uri", vault.vault_uri)
    Template.from_stack(stack).has_output("uri", {
        "value": "[reference(resourceId('Microsoft.KeyVault/vaults', 'kv-test-0001'), '2026-02-01').vaultUri]"})


@pytest.mark.parametrize("days", [6, 91])
def test_key_vault_rejects_soft_delete_retention_out_of_range(stack: ResourceGroupStack, days: int) -> None:
    with pytest.raises(ConfigurationError, match=r"soft_delete_retention_in_days is \d+, but must be at least 7 "
                                                 "and at most 90"):
        KeyVault(stack, "Vault", name="kv-test-0001", soft_delete_retention_in_days=days)


def test_key_vault_rejects_unknown_sku(stack: ResourceGroupStack) -> None:
    with pytest.raises(ConfigurationError, match=r"sku: input should be .*\(given 'Standard'"):
        KeyVault(stack, "Vault", name="kv-test-0001", sku="Standard")  # type: ignore[arg-type]


def test_key_vault_rejects_a_tenant_that_is_not_a_guid(stack: ResourceGroupStack) -> None:
    with pytest.raises(ConfigurationError, match="tenant_id 'contoso' is not a GUID"):
        KeyVault(stack, "Vault", name="kv-test-0001", tenant_id="contoso")


def test_key_vault_rejects_a_bad_ip_rule(stack: ResourceGroupStack) -> None:
    with pytest.raises(ConfigurationError, match="'my-laptop' is not an IPv4 address or CIDR range"):
        KeyVault(stack, "Vault", name="kv-test-0001", ip_rules=["my-laptop"])


def test_key_vault_rejects_a_name_with_double_hyphen(stack: ResourceGroupStack) -> None:
    with pytest.raises(NamingError, match="contains '--'"):
        KeyVault(stack, "Vault", name="kv--test")


def test_key_vault_rejects_a_name_starting_with_a_digit(stack: ResourceGroupStack) -> None:
    with pytest.raises(NamingError, match="not a valid Microsoft.KeyVault/vaults name"):
        KeyVault(stack, "Vault", name="1kv-test")


# ----- secrets --------------------------------------------------------------------------------
def test_secret_from_secure_parameter_golden(stack: ResourceGroupStack, vault: KeyVault,
                                             golden: Callable[[str, Any], None]) -> None:
    password = stack.add_parameter("dbPassword", type="securestring")
    KeyVaultSecret(vault, "Db", name="db-password", value=password, expires=1798761600, not_before=1767225600)
    golden("resources/keyvault_secret", Template.from_stack(stack).find_resources(VAULT + "/secrets"))


def test_secret_is_a_child_of_its_vault(stack: ResourceGroupStack, vault: KeyVault) -> None:
    KeyVaultSecret(vault, "Db", name="db-password", value=parameter("dbPassword"))
    secret = Template.from_stack(stack).find_resources(VAULT + "/secrets")[0]
    assert secret["name"] == "kv-test-0001/db-password"
    assert secret["properties"] == {"value": "[parameters('dbPassword')]", "attributes": {"enabled": True},
                                    "contentType": "text/plain"}
    assert secret["dependsOn"] == ["[resourceId('Microsoft.KeyVault/vaults', 'kv-test-0001')]"]


def test_secret_refuses_a_literal_value(vault: KeyVault) -> None:
    with pytest.raises(ConfigurationError, match="value is a plain string, which would be written into the template "
                                                 "in clear text"):
        KeyVaultSecret(vault, "Db", name="db-password", value="hunter2")


def test_secret_accepts_a_literal_value_when_allowed(stack: ResourceGroupStack, vault: KeyVault) -> None:
    KeyVaultSecret(vault, "Region", name="region", value="westeurope", allow_literal=True)
    Template.from_stack(stack).has_resource_properties(VAULT + "/secrets", {"value": "westeurope"})


def test_secret_refuses_a_parameter_that_is_not_secure(stack: ResourceGroupStack, vault: KeyVault) -> None:
    plain = stack.add_parameter("dbPassword")
    with pytest.raises(ConfigurationError, match="parameter 'dbPassword' of type 'string', which is not secure"):
        KeyVaultSecret(vault, "Db", name="db-password", value=plain)


def test_secret_rejects_expiry_that_is_not_a_unix_time(vault: KeyVault) -> None:
    with pytest.raises(ConfigurationError, match=r"expires: input should be a valid integer \(given '2027-01-01'"):
        KeyVaultSecret(vault, "Db", name="db-password", value=parameter("p"), expires="2027-01-01")  # type: ignore[arg-type]


def test_secret_rejects_not_before_after_expiry(vault: KeyVault) -> None:
    with pytest.raises(ConfigurationError, match="not_before is not earlier than expires"):
        KeyVaultSecret(vault, "Db", name="db-password", value=parameter("p"), expires=100, not_before=200)


def test_secret_rejects_a_name_with_underscore(vault: KeyVault) -> None:
    with pytest.raises(NamingError, match="not a valid Microsoft.KeyVault/vaults/secrets name"):
        KeyVaultSecret(vault, "Db", name="db_password", value=parameter("p"))


def test_key_vault_reference_formats_the_secret_uri(stack: ResourceGroupStack, vault: KeyVault) -> None:
    secret = KeyVaultSecret(vault, "Db", name="db-password", value=parameter("p"))
    stack.add_output("setting", key_vault_reference(secret))
    Template.from_stack(stack).has_output("setting", {"value": (
        "[format('@Microsoft.KeyVault(SecretUri={0})', reference(resourceId('Microsoft.KeyVault/vaults/secrets', "
        "'kv-test-0001', 'db-password'), '2026-02-01').secretUri)]")})


def test_secret_must_be_created_under_a_vault(stack: ResourceGroupStack) -> None:
    with pytest.raises(ConfigurationError, match="input should be an instance of KeyVault"):
        KeyVaultSecret(stack, "Db", name="db-password", value=parameter("p"))  # type: ignore[arg-type]
