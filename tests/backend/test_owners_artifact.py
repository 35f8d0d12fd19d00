"""components.json names the component(s) of every resource with a literal name, by stack."""

from __future__ import annotations

from atakora import App, ResourceGroupStack
from atakora.backend.owners import OwnerTracker, owners_artifact
from atakora.core import ArmResource
from atakora.core.construct import Construct
from atakora.core.expressions import parameter


def test_resources_named_by_an_expression_are_left_out_and_the_others_listed_by_stack() -> None:
    app = App(outdir="unused")
    stack = ResourceGroupStack(app, "Main", resource_group_name="rg-main", location="eastus")
    scope = Construct(stack, "backend")
    tracker = OwnerTracker(scope)
    ArmResource(scope, "Literal", type="Microsoft.Storage/storageAccounts", api_version="2025-08-01", name="stmain1")
    ArmResource(scope, "Computed", type="Microsoft.Storage/storageAccounts", api_version="2025-08-01",
                name=parameter("storageName"))
    tracker.component_built("UserApi")
    ArmResource(scope, "Other", type="Microsoft.KeyVault/vaults", api_version="2023-07-01", name="kv-main")
    tracker.component_built("OrderApi")
    assert owners_artifact([tracker], ["UserApi", "UserApi"]) == {
        "version": "1.0",
        "stacks": {"Main": {"Microsoft.KeyVault/vaults kv-main": "OrderApi",
                            "Microsoft.Storage/storageAccounts stmain1": "UserApi"}},
        "protected": ["UserApi"],
    }
