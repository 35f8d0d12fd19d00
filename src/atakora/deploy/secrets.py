"""Whether a declared Key Vault secret exists, read over ARM (the management plane): never its value.

``GET .../vaults/<vault>/secrets/<name>`` is the Key Vault resource provider's *Secrets - Get* (the
operation ARM deployments use), which returns a secret's properties and never its value
(https://learn.microsoft.com/python/api/azure-mgmt-keyvault/azure.mgmt.keyvault.operations.secretsoperations,
https://learn.microsoft.com/dotnet/api/azure.resourcemanager.keyvault.models.secretproperties.value). It needs only read access to
the resource group (no Key Vault data role) and works for a vault without public network access:
firewall and virtual network rules apply to the data plane only
(https://learn.microsoft.com/azure/key-vault/general/overview-vnet-service-endpoints).
"""

from __future__ import annotations

from .arm import AUTH_FIX, auth_summary, describe_arm_error
from .clients import ArmClients, plain
from .errors import DeployError
from .plan import SecretParameter, StackPlan

__all__ = ["secret_exists"]


def secret_exists(clients: ArmClients, stack: StackPlan, secret: SecretParameter) -> bool:
    """Whether the vault of ``secret`` (in the stack's resource group) holds it; a missing vault or
    resource group means it does not."""
    from azure.core.exceptions import ClientAuthenticationError, HttpResponseError, ResourceNotFoundError

    where = f"Key Vault {secret.vault} (secret {secret.secret}, {secret.label})"
    if clients.resources is None:
        raise DeployError(f"cannot check whether {where} exists: the session has no resource client",
                          stack_id=stack.id, fix="deploy with the Azure session atakora creates (AzureSession)")
    if stack.resource_group is None:
        raise DeployError(f"{where} is declared in a stack without a resource group", stack_id=stack.id,
                          fix="put the backend in a ResourceGroupStack")
    rid = secret.resource_id(clients.subscription_id, stack.resource_group)
    try:
        plain(clients.resources.get_by_id(rid, api_version=secret.api_version))
    except ResourceNotFoundError:
        return False
    except ClientAuthenticationError as error:
        raise DeployError(f"could not authenticate to Azure while checking {where}: {auth_summary(error)}",
                          stack_id=stack.id, fix=AUTH_FIX) from error
    except HttpResponseError as error:
        raise DeployError(f"could not check whether {where} exists:\n{describe_arm_error(error)}",
                          stack_id=stack.id,
                          fix=f"your identity needs read access to resource group {stack.resource_group}") from error
    return True
