from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from atakora import App, ResourceGroupStack
from atakora.errors import ConfigurationError, NamingError
from atakora.resources.managedidentity import API_VERSIONS, UserAssignedIdentity
from atakora.testing import Template

UAI = "Microsoft.ManagedIdentity/userAssignedIdentities"


@pytest.fixture
def stack() -> ResourceGroupStack:
    return ResourceGroupStack(App(), "Main", resource_group_name="rg-test", location="westeurope")


def test_identity_golden(stack: ResourceGroupStack, golden: Callable[[str, Any], None]) -> None:
    identity = UserAssignedIdentity(stack, "Id", name="id-workload", tags={"app": "shop"})
    stack.add_output("principalId", identity.principal_id)
    stack.add_output("clientId", identity.client_id)
    golden("resources/managedidentity_user_assigned_identity", Template.from_stack(stack).to_json())
    assert identity.api_version == API_VERSIONS[UAI]


def test_identity_principal_id_is_a_plain_property_not_identity_principal_id(stack: ResourceGroupStack) -> None:
    identity = UserAssignedIdentity(stack, "Id", name="id-workload")
    stack.add_output("principalId", identity.principal_id)
    stack.add_output("tenantId", identity.tenant_id)
    template = Template.from_stack(stack)
    template.has_output("principalId", {"value": (
        "[reference(resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', 'id-workload'), "
        "'2024-11-30').principalId]")})
    template.has_output("tenantId", {"value": (
        "[reference(resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', 'id-workload'), "
        "'2024-11-30').tenantId]")})


def test_identity_renders_empty_properties(stack: ResourceGroupStack) -> None:
    UserAssignedIdentity(stack, "Id", name="id-workload")
    assert Template.from_stack(stack).find_resources(UAI)[0]["properties"] == {}


def test_identity_isolation_scope(stack: ResourceGroupStack) -> None:
    UserAssignedIdentity(stack, "Id", name="id-workload", isolation_scope="Regional")
    Template.from_stack(stack).has_resource_properties(UAI, {"isolationScope": "Regional"})


def test_identity_rejects_unknown_isolation_scope(stack: ResourceGroupStack) -> None:
    with pytest.raises(ConfigurationError, match=r"isolation_scope: input should be .*\(given 'Global'"):
        UserAssignedIdentity(stack, "Id", name="id-workload", isolation_scope="Global")  # type: ignore[arg-type]


def test_identity_rejects_a_name_with_a_dot(stack: ResourceGroupStack) -> None:
    with pytest.raises(NamingError, match="not a valid Microsoft.ManagedIdentity/userAssignedIdentities name"):
        UserAssignedIdentity(stack, "Id", name="id.workload")


def test_identity_rejects_a_two_character_name(stack: ResourceGroupStack) -> None:
    with pytest.raises(NamingError, match="'id' has 2 characters"):
        UserAssignedIdentity(stack, "Id", name="id")
