"""Component secrets: one Key Vault per backend, secret-scoped grants, Key Vault references as app settings.

The template grants the component's identity *Key Vault Secrets User* on that one secret (a role
assignment whose scope is the secret) and sets the app setting to
``@Microsoft.KeyVault(SecretUri=...)``, resolved by the app with the component's identity
(``keyVaultReferenceIdentity``). Secret names in the vault are ``<component>--<NAME>``
(``shared--<NAME>`` for the backend's own ``secrets=``), with ``_`` written as ``-``.

A secret-scoped role assignment needs its secret to exist, so the template declares each secret as
a ``Microsoft.KeyVault/vaults/secrets`` resource written only when its ``securestring`` parameter
is not empty (``condition``; a dependency on a resource whose condition is false is dropped by ARM:
https://learn.microsoft.com/azure/azure-resource-manager/templates/conditional-resource-deployment).
``atakora deploy`` passes a value only for a secret the vault does not hold yet, so the first
deployment creates secrets and grants together and later ones never overwrite a value rotated with
``atakora secrets set``. A secure parameter's value is neither logged nor kept in the deployment
history (https://learn.microsoft.com/azure/azure-resource-manager/templates/data-types#secure-strings-and-objects),
and the template holds only ``[parameters(...)]``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ...core.construct import Construct
from ...core.expressions import Expr, concat, not_empty
from ...core.grants import Grant, assignment_name, principal_id_of
from ...core.resource import Resource
from ...core.synthesis.assembly import SECRET_METADATA
from ...errors import ConfigurationError
from ...resources.authorization import API_VERSIONS as AUTH_API_VERSIONS
from ...resources.authorization import BuiltInRole, role_definition_id
from ...resources.keyvault import KeyVault, KeyVaultSecret
from ...resources.managedidentity import UserAssignedIdentity
from ..secret_names import check_secret_names
from .network import network_for

if TYPE_CHECKING:
    from .base import ProviderContext

__all__ = ["CONSTRUCT_ID", "SHARED_OWNER", "BackendVault", "SecretRoleAssignment", "check_secret_names",
           "value_parameter_id", "vault_for", "vault_secret_name"]

CONSTRUCT_ID = "Secrets"
SHARED_OWNER = "shared"


def vault_secret_name(owner: str, name: str) -> str:
    """The secret's name in the vault: ``<owner>--<NAME>`` in letters, digits and hyphens."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", owner)
    cleaned = re.sub(r"[^a-z0-9]+", "-", spaced.lower()).strip("-")
    return f"{cleaned}--{name.replace('_', '-')}"[:127]


def value_parameter_id(vault: str, secret: str) -> str:
    """The template parameter holding a secret's first value: ``secret_<vault>__<secret>`` in letters,
    digits and ``_``; unique across stacks, as ``atakora deploy`` passes parameter values by name."""
    return f"secret_{re.sub(r'[^A-Za-z0-9]', '_', vault)}__{re.sub(r'[^A-Za-z0-9]', '_', secret)}"


class SecretRoleAssignment(Resource):
    """*Key Vault Secrets User* for one identity on one secret (scope: the secret, created before it)."""

    TYPE = "Microsoft.Authorization/roleAssignments"
    API_VERSION = AUTH_API_VERSIONS[TYPE]
    LOCATION = "none"
    TAGGABLE = False

    def __init__(self, scope: Construct, id: str, *, vault: KeyVault, secret: KeyVaultSecret,
                 identity: UserAssignedIdentity) -> None:
        role = BuiltInRole.KEY_VAULT_SECRETS_USER
        secret_name = str(secret.resource_name)
        secret_id = concat(vault.resource_id, f"/secrets/{secret_name}")
        principal = principal_id_of(identity)
        super().__init__(scope, id, name=assignment_name(secret_id, principal, role.value), properties={
            "roleDefinitionId": role_definition_id(role), "principalId": principal,
            "principalType": "ServicePrincipal"}, depends_on=[vault, identity, secret])
        self.deploys_with_grants = True  # the name includes the identity's object id: a parameter there
        self.add_override("scope", f"Microsoft.KeyVault/vaults/{vault.resource_name}/secrets/{secret_name}")
        self.grant = Grant(role.display_name, identity, vault, within=f"secret {secret_name}")
        """What this assignment gives: the role, the component's identity, and the secret in the vault."""


@dataclass
class BackendVault:
    """The backend's Key Vault and the secrets its components declared (owner, NAME) → vault name."""

    vault: KeyVault
    declared: dict[tuple[str, str], str] = field(default_factory=dict)
    grants: list[SecretRoleAssignment] = field(default_factory=list)
    secrets: dict[str, KeyVaultSecret] = field(default_factory=dict)
    """The secret resources by their name in the vault (written only when their value parameter is given)."""

    def grant(self, owner: str, name: str, identity: UserAssignedIdentity) -> str:
        """Declare the secret, grant ``identity`` read on it (once) and return the secret's name in the vault."""
        scope = self.vault.node.scope
        assert scope is not None
        secret = vault_secret_name(owner, name)
        self.declared[(owner, name)] = secret
        resource = self._secret(owner, name, secret)
        construct_id = f"{identity.node.id}-Secret-{secret}"
        if scope.node.try_find_child(construct_id) is None:
            self.grants.append(SecretRoleAssignment(scope, construct_id, vault=self.vault, secret=resource,
                                                    identity=identity))
        return secret

    def _secret(self, owner: str, name: str, secret: str) -> KeyVaultSecret:
        """The secret's resource (created once): its value is a ``securestring`` parameter, empty by default,
        and it is written only when that value is given."""
        if secret in self.secrets:
            return self.secrets[secret]
        vault_name = self.vault.resource_name
        if not isinstance(vault_name, str):
            raise ConfigurationError(f"the Key Vault of secret {owner}/{name} has a name known only at deployment",
                                     field="secrets", path=self.vault.node.path,
                                     fix="give the backend a naming convention that yields a literal vault name")
        value = self.vault.stack.add_parameter(
            value_parameter_id(vault_name, secret), type="securestring", default="",
            description=f"First value of Key Vault secret {secret} ({owner}/{name}); atakora deploy passes it only "
                        "while the vault does not hold the secret, so a value set later is never overwritten",
            metadata={SECRET_METADATA: {"vault": vault_name, "secret": secret, "component": owner, "name": name,
                                        "apiVersion": KeyVaultSecret.API_VERSION}})
        resource = KeyVaultSecret(self.vault, f"Secret-{secret}", name=secret, value=value,
                                  condition=not_empty(value.value))
        self.secrets[secret] = resource
        return resource

    def reference(self, secret: str) -> Expr:
        """``@Microsoft.KeyVault(SecretUri=<vault uri>secrets/<name>/)``: the app setting value."""
        return concat("@Microsoft.KeyVault(SecretUri=", self.vault.vault_uri, f"secrets/{secret}/)")


class _VaultHolder(Construct):
    def __init__(self, scope: Construct, id: str, vault: BackendVault) -> None:
        super().__init__(scope, id)
        self.backend_vault = vault


def vault_for(scope: Construct, context: ProviderContext) -> BackendVault:
    """The backend's Key Vault (created on first call): RBAC, soft delete, purge protection.

    Public networking: reachable from the internet (the Function App resolves references over it);
    ``networking='isolated'``: public access off and a private endpoint.
    """
    found = scope.node.try_find_child(CONSTRUCT_ID)
    if isinstance(found, _VaultHolder):
        return found.backend_vault
    network = network_for(scope, context)
    name = context.naming.format_resource_name("keyvault", context.backend.backend_id)
    isolated = network is not None
    vault = KeyVault(scope, "KeyVault", name=name, tags=context.tags,
                     public_network_access="Disabled" if isolated else "Enabled",
                     default_action="Deny" if isolated else "Allow")
    if network is not None:
        network.add_private_endpoint(vault, "vault")
    holder = _VaultHolder(scope, CONSTRUCT_ID, BackendVault(vault))
    return holder.backend_vault
