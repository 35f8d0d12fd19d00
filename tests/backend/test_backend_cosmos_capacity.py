from __future__ import annotations

from collections import Counter
from pathlib import Path

from atakora import App, ResourceGroupStack
from atakora.backend import define_backend

from ._support import crud


def test_300_crud_apis_in_one_stack_keep_each_cosmos_account_within_500_databases_and_containers(
        tmp_path: Path) -> None:
    backend = define_backend({f"api{i}": crud(f"Thing{i:03d}Api", database_name=f"db{i:03d}") for i in range(300)},
                             environment="prod", limits={"max_function_apps": 100, "max_cosmos_accounts": 10})
    app = App(outdir=tmp_path)
    stack = ResourceGroupStack(app, "Big", resource_group_name="rg-big", location="eastus")
    backend.add_to_stack(stack)
    assembly = app.synth()  # the preflight rules (AZ-COSMOS-001 among them) raise on any error
    assert assembly.preflight is not None and not assembly.preflight.errors
    per_account: Counter[str] = Counter()
    for unit in assembly.units:
        for resource in unit.template["resources"]:
            if resource["type"].startswith("Microsoft.DocumentDB/databaseAccounts/sqlDatabases"):
                per_account[resource["name"].split("/")[0]] += 1
    assert sum(per_account.values()) == 600
    assert len(per_account) == 2 and max(per_account.values()) <= 500
    # Role assignments deploy in the stack's role-assignment deployment(s), each within ARM's limits.
    deployments = [r for u in assembly.units for r in u.template["resources"]
                   if r["type"] == "Microsoft.Resources/deployments"]
    inner = [r for d in deployments for r in d["properties"]["template"]["resources"]]
    assert sum(r["type"].endswith("/sqlRoleAssignments") for r in inner) == 300
    assert all(len(d["properties"]["template"]["resources"]) <= 800 for d in deployments)
    assert all(len(u.template["resources"]) <= 800 for u in assembly.units)
