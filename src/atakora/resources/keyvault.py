"""Microsoft.KeyVault: key vaults and secrets, and Key Vault references for app settings."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from ..core.construct import Construct
from ..core.expressions import Expr, format_, subscription
from ..core.resource import Resource
from ..core.stack import Parameter
from ..errors import ConfigurationError
from ._common import child_path, require_range

__all__ = ["API_VERSIONS", "KeyVault", "KeyVaultSecret", "key_vault_reference"]

API_VERSIONS: dict[str, str] = {
    "Microsoft.KeyVault/vaults": "2026-02-01",
    "Microsoft.KeyVault/vaults/secrets": "2026-02-01",
}

VaultSku = Literal["standard", "premium"]
PublicAccess = Literal["Enabled", "Disabled"]
DefaultAction = Literal["Allow", "Deny"]
Bypass = Literal["AzureServices", "None"]

_GUID = re.compile(r"^[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$")
_IP = re.compile(r"^\d{1,3}(\.\d{1,3}){3}(/\d{1,2})?$")


class KeyVault(Resource):
    """A key vault with RBAC authorization.

    Defaults: sku ``standard``, tenant of the deploying subscription, RBAC authorization, soft delete
    with 90 days of retention (7-90), purge protection, public network access ``Disabled`` and a
    firewall that denies by default and lets trusted Azure services through. For a vault reachable
    from the internet pass ``public_network_access='Enabled'`` with ``ip_rules`` (the firewall still
    denies other addresses unless ``default_action='Allow'``).
    """

    TYPE = "Microsoft.KeyVault/vaults"
    API_VERSION = API_VERSIONS[TYPE]

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        name: str | Expr,
        location: str | Expr | None = None,
        tags: Mapping[str, str] | None = None,
        sku: VaultSku = "standard",
        tenant_id: str | Expr | None = None,
        enable_rbac_authorization: bool = True,
        soft_delete_retention_in_days: int = 90,
        enable_purge_protection: bool = True,
        public_network_access: PublicAccess = "Disabled",
        default_action: DefaultAction = "Deny",
        bypass: Bypass = "AzureServices",
        ip_rules: Sequence[str] = (),
        virtual_network_rules: Sequence[str | Expr] = (),
        enabled_for_template_deployment: bool = False,
    ) -> None:
        path = child_path(scope, id)
        self._path = path
        if isinstance(tenant_id, str) and not _GUID.match(tenant_id):
            raise ConfigurationError(f"tenant_id {tenant_id!r} is not a GUID", field="tenant_id", path=path,
                                     fix="pass the Entra tenant id, or leave it out to use the subscription's tenant")
        require_range(soft_delete_retention_in_days, field="soft_delete_retention_in_days", path=path,
                      minimum=7, maximum=90)
        self.sku_name = sku
        self.tenant_id: str | Expr = tenant_id if tenant_id is not None else subscription().get("tenantId")
        self.enable_rbac_authorization = enable_rbac_authorization
        self.soft_delete_retention_in_days = soft_delete_retention_in_days
        self.enable_purge_protection = enable_purge_protection
        self.public_network_access = public_network_access
        self.default_action = default_action
        self.bypass = bypass
        self.enabled_for_template_deployment = enabled_for_template_deployment
        self.ip_rules: list[str] = []
        self.virtual_network_rules: list[str | Expr] = []
        for rule in ip_rules:
            self.add_ip_rule(rule)
        for subnet in virtual_network_rules:
            self.add_virtual_network_rule(subnet)
        super().__init__(scope, id, name=name, location=location, tags=tags)

    def add_ip_rule(self, address: str) -> None:
        """Allow an IPv4 address or CIDR range through the firewall (needs public network access)."""
        if not _IP.match(address):
            raise ConfigurationError(f"ip_rules: {address!r} is not an IPv4 address or CIDR range", field="ip_rules",
                                     path=self._path, fix="use an address such as '203.0.113.7' or '203.0.113.0/24'")
        self.ip_rules.append(address)

    def add_virtual_network_rule(self, subnet_id: str | Expr) -> None:
        """Allow a subnet (its resource id; the subnet needs the Microsoft.KeyVault service endpoint)."""
        self.virtual_network_rules.append(subnet_id)

    @property
    def vault_uri(self) -> Expr:
        """The vault's URI, ``https://<name>.vault.azure.net/``."""
        return self.attribute("vaultUri")

    def render_properties(self) -> Mapping[str, Any]:
        """The vault's properties, including firewall rules added after construction."""
        props: dict[str, Any] = {
            "tenantId": self.tenant_id,
            "sku": {"family": "A", "name": self.sku_name},
            "enableRbacAuthorization": self.enable_rbac_authorization,
            "enableSoftDelete": True,
            "softDeleteRetentionInDays": self.soft_delete_retention_in_days,
            "enabledForDeployment": False,
            "enabledForDiskEncryption": False,
            "enabledForTemplateDeployment": self.enabled_for_template_deployment,
            "publicNetworkAccess": self.public_network_access,
            "networkAcls": {
                "defaultAction": self.default_action,
                "bypass": self.bypass,
                "ipRules": [{"value": ip} for ip in self.ip_rules],
                "virtualNetworkRules": [{"id": s} for s in self.virtual_network_rules],
            },
        }
        if self.enable_purge_protection:
            # Azure accepts only true here: purge protection cannot be switched off once on.
            props["enablePurgeProtection"] = True
        if not self.enable_rbac_authorization:
            props["accessPolicies"] = []
        return props


class KeyVaultSecret(Resource):
    """A secret in a key vault, whose value comes from a secure parameter (or another expression).

    A plain string value would be written into the template in clear text, so it is refused unless
    ``allow_literal=True``. Defaults: ``contentType`` ``text/plain``, enabled, no expiry (pass
    ``expires`` as a Unix time to set ``attributes.exp``), always deployed (``condition``: an
    expression that decides at deployment whether the secret is written).
    """

    TYPE = "Microsoft.KeyVault/vaults/secrets"
    API_VERSION = API_VERSIONS[TYPE]

    def __init__(
        self,
        vault: KeyVault,
        id: str,
        *,
        name: str | Expr,
        value: Parameter | Expr | str,
        content_type: str = "text/plain",
        expires: int | None = None,
        not_before: int | None = None,
        enabled: bool = True,
        allow_literal: bool = False,
        condition: Expr | None = None,
    ) -> None:
        path = child_path(vault, id)
        if not isinstance(vault, KeyVault):
            raise ConfigurationError(f"a secret must be created under a KeyVault, not {vault!r}", field="scope",
                                     path=path, fix="pass the vault as the first argument")
        if isinstance(value, Parameter):
            if value.type != "securestring":
                raise ConfigurationError(f"value is the parameter {value.node.id!r} of type {value.type!r}, which "
                                         "is not secure", field="value", path=path,
                                         fix=f"declare it with add_parameter({value.node.id!r}, type='securestring')")
            value = value.value
        elif isinstance(value, str) and not allow_literal:
            raise ConfigurationError("value is a plain string, which would be written into the template in clear "
                                     "text", field="value", path=path,
                                     fix="pass a secure parameter: value=stack.add_parameter('x', "
                                     "type='securestring'), or allow_literal=True for a value that is not secret")
        elif not isinstance(value, (str, Expr)):
            raise ConfigurationError(f"value must be a secure parameter or an expression, not {value!r}",
                                     field="value", path=path, fix="pass value=stack.add_parameter(...)")
        for field, stamp in (("expires", expires), ("not_before", not_before)):
            if stamp is not None and (isinstance(stamp, bool) or not isinstance(stamp, int) or stamp <= 0):
                raise ConfigurationError(f"{field} is {stamp!r}, but must be a Unix time in seconds", field=field,
                                         path=path, fix=f"pass {field}=int(datetime(...).timestamp())")
        if expires is not None and not_before is not None and not_before >= expires:
            raise ConfigurationError("not_before is not earlier than expires", field="not_before", path=path,
                                     fix="make not_before earlier than expires")
        attributes: dict[str, Any] = {"enabled": enabled}
        if expires is not None:
            attributes["exp"] = expires
        if not_before is not None:
            attributes["nbf"] = not_before
        properties: dict[str, Any] = {"value": value, "attributes": attributes}
        if content_type:
            properties["contentType"] = content_type
        super().__init__(vault, id, name=name, properties=properties, condition=condition)

    @property
    def secret_uri(self) -> Expr:
        """The secret's URI without a version (always the current version)."""
        return self.attribute("secretUri")

    @property
    def secret_uri_with_version(self) -> Expr:
        """The secret's URI pinned to the deployed version."""
        return self.attribute("secretUriWithVersion")


def key_vault_reference(secret: KeyVaultSecret | Expr) -> Expr:
    """An app setting value ``@Microsoft.KeyVault(SecretUri=...)`` for App Service and Functions.

    ``secret`` is a secret of this assembly (its versionless URI is used) or a secret URI expression.
    """
    uri = secret.secret_uri if isinstance(secret, KeyVaultSecret) else secret
    return format_("@Microsoft.KeyVault(SecretUri={0})", uri)
