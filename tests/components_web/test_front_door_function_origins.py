"""A Function App behind Front Door admits only that Front Door, across stacks, without a cycle."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from atakora import App, ResourceGroupStack
from atakora.backend import define_backend
from atakora.components import CrudApi
from atakora.resources.cdn import FrontDoorOrigin, FrontDoorOriginGroup, FrontDoorProfile


def _synth(tmp_path: Path) -> Any:
    app = App(outdir=tmp_path)
    frontend = ResourceGroupStack(app, "Front", resource_group_name="rg-front", location="eastus")
    profile = FrontDoorProfile(frontend, "Fd", name="afd-shop")
    group = FrontDoorOriginGroup(profile, "Apis", name="apis", probe_path="/api/users/health", probe_request_type="GET")
    for region in ("eastus", "westeurope"):
        backend = define_backend({"users": CrudApi.define("UserApi", entity_name="User", schema={"id": "string"})},
                                 environment="prod", location=region, backend_id=f"shop-{region}")
        backend.add_to_stack(ResourceGroupStack(app, f"Api-{region}", resource_group_name=f"rg-{region}",
                                                location=region))
        FrontDoorOrigin(group, f"Origin-{region}", name=region, host_name=backend.get_resource("functions").default_host_name)
    return app.synth()


def test_a_function_app_origin_admits_only_its_front_door_and_keeps_scm_open(tmp_path: Path) -> None:
    assembly = _synth(tmp_path)
    site = next(r for r in assembly.template("Api-eastus")["resources"] if r["type"] == "Microsoft.Web/sites")
    config = site["properties"]["siteConfig"]
    assert config["ipSecurityRestrictions"] == [{
        "name": "AllowFrontDoor", "description": "Only this program's Azure Front Door profile(s)", "action": "Allow",
        "priority": 100, "tag": "ServiceTag", "ipAddress": "AzureFrontDoor.Backend",
        "headers": {"x-azure-fdid": [
            "[reference(resourceId('rg-front', 'Microsoft.Cdn/profiles', 'afd-shop'), '2025-12-01').frontDoorId]"]}}]
    assert config["ipSecurityRestrictionsDefaultAction"] == "Deny"
    assert config["scmIpSecurityRestrictionsUseMain"] is False


def test_the_front_door_deploys_first_and_names_its_function_origins_by_host(tmp_path: Path) -> None:
    assembly = _synth(tmp_path)
    assert assembly.manifest["deployOrder"][0] == "Front"
    origins = [r for r in assembly.template("Front")["resources"] if r["type"].endswith("/origins")]
    hosts = sorted(o["properties"]["hostName"] for o in origins)
    assert all(h.endswith(".azurewebsites.net") and h.startswith("func-shop-") for h in hosts)
    assert all(o["properties"]["originHostHeader"] == o["properties"]["hostName"] for o in origins)
