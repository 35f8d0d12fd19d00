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
            "[reference(resourceId('rg-front', 'Microsoft.Cdn/profiles', 'afd-shop'), '2025-12-01').frontDoorId]"]}},
        {"name": "AllowFrontDoorProbes", "description": "Azure Front Door health probes", "action": "Allow",
         "tag": "ServiceTag", "ipAddress": "AzureFrontDoor.Backend", "priority": 110,
         "headers": {"x-fd-healthprobe": ["1"]}}]
    assert config["ipSecurityRestrictionsDefaultAction"] == "Deny"
    assert config["scmIpSecurityRestrictionsUseMain"] is False


def test_the_front_door_deploys_first_and_names_its_function_origins_by_host(tmp_path: Path) -> None:
    assembly = _synth(tmp_path)
    assert assembly.manifest["deployOrder"][0] == "Front"
    origins = [r for r in assembly.template("Front")["resources"] if r["type"].endswith("/origins")]
    hosts = sorted(o["properties"]["hostName"] for o in origins)
    assert all(h.endswith(".azurewebsites.net") and h.startswith("func-shop-") for h in hosts)
    assert all(o["properties"]["originHostHeader"] == o["properties"]["hostName"] for o in origins)


def test_the_apps_get_one_shared_key_after_the_last_of_them_is_deployed(tmp_path: Path) -> None:
    assembly = _synth(tmp_path)
    steps = {u["id"]: u.get("steps", []) for u in assembly.manifest["stacks"]}
    assert steps["Front"] == [] and steps["Api-eastus"] == []
    (step,) = steps["Api-westeurope"]
    assert step["kind"] == "share-function-key" and step["keyName"] == "frontdoor"
    assert [a["resourceGroup"] for a in step["apps"]] == ["rg-eastus", "rg-westeurope"]
    assert all(a["site"].startswith("func-shop-") for a in step["apps"])


def test_apps_that_take_entra_tokens_share_no_key(tmp_path: Path) -> None:
    from atakora.backend.config import EntraAuthConfig

    app = App(outdir=tmp_path)
    frontend = ResourceGroupStack(app, "Front", resource_group_name="rg-front", location="eastus")
    group = FrontDoorOriginGroup(FrontDoorProfile(frontend, "Fd", name="afd-shop"), "Apis", name="apis",
                                 probe_path="/api/users/health", probe_request_type="GET")
    auth = EntraAuthConfig(tenant_id="11111111-1111-1111-1111-111111111111",
                           client_id="22222222-2222-2222-2222-222222222222")
    for region in ("eastus", "westeurope"):
        backend = define_backend({"users": CrudApi.define("UserApi", entity_name="User", schema={"id": "string"})},
                                 environment="prod", location=region, backend_id=f"shop-{region}", auth=auth)
        backend.add_to_stack(ResourceGroupStack(app, f"Api-{region}", resource_group_name=f"rg-{region}",
                                                location=region))
        FrontDoorOrigin(group, region, name=region, host_name=backend.get_resource("functions").default_host_name)
    assembly = app.synth()
    assert not any(u.get("steps") for u in assembly.manifest["stacks"])


def test_a_private_link_origin_is_approved_after_its_target_exists(tmp_path: Path) -> None:
    from atakora.resources.cdn import host_from_url
    from atakora.resources.storage import StorageAccount

    app = App(outdir=tmp_path)
    data = ResourceGroupStack(app, "Data", resource_group_name="rg-data", location="eastus")
    site = StorageAccount(data, "Site", name="stsiteprod0001")
    site.enable_static_website()
    front = ResourceGroupStack(app, "Front", resource_group_name="rg-front", location="eastus")
    profile = FrontDoorProfile(front, "Fd", name="afd-shop", sku="Premium_AzureFrontDoor")
    group = FrontDoorOriginGroup(profile, "Site", name="site")
    FrontDoorOrigin(group, "Web", name="web", host_name=host_from_url(site.primary_web_endpoint), private_link=site,
                    private_link_group_id="web")
    assembly = app.synth()
    (step,) = next(u for u in assembly.manifest["stacks"] if u["id"] == "Front")["steps"]
    assert step == {"id": "Front/Fd/Site/Web/ApprovePrivateLink", "kind": "approve-private-link",
                    "requestMessage": "atakora: Front Door origin Front/Fd/Site/Web", "groupId": "web",
                    "target": {"resourceGroup": "rg-data", "type": "Microsoft.Storage/storageAccounts",
                               "name": "stsiteprod0001", "apiVersion": "2026-04-01"}}
    origin = next(r for r in assembly.template("Front")["resources"] if r["type"].endswith("/origins"))
    assert origin["properties"]["sharedPrivateLinkResource"]["requestMessage"] == step["requestMessage"]


def test_an_app_behind_front_door_cannot_also_be_a_traffic_manager_endpoint(tmp_path: Path) -> None:
    import pytest

    from atakora.errors import ConfigurationError
    from atakora.resources.network import TrafficManagerProfile

    app = App(outdir=tmp_path)
    front = ResourceGroupStack(app, "Front", resource_group_name="rg-front", location="eastus")
    group = FrontDoorOriginGroup(FrontDoorProfile(front, "Fd", name="afd-shop"), "Apis", name="apis",
                                 probe_path="/api/users/health", probe_request_type="GET")
    backend = define_backend({"users": CrudApi.define("UserApi", entity_name="User", schema={"id": "string"})},
                             environment="prod", location="eastus")
    backend.add_to_stack(ResourceGroupStack(app, "Api", resource_group_name="rg-api", location="eastus"))
    functions = backend.get_resource("functions")
    FrontDoorOrigin(group, "East", name="east", host_name=functions.default_host_name)
    profile = TrafficManagerProfile(front, "Tm", name="tm-shop", routing_method="Priority",
                                    monitor_path="/api/users/health")
    with pytest.raises(ConfigurationError, match="admits only Azure Front Door"):
        profile.add_endpoint("App", name="app", target_resource=functions)


def test_a_function_app_origin_needs_a_probe_under_api_and_a_public_or_private_link_path(tmp_path: Path) -> None:
    import pytest

    from atakora.errors import ConfigurationError

    app = App(outdir=tmp_path)
    front = ResourceGroupStack(app, "Front", resource_group_name="rg-front", location="eastus")
    profile = FrontDoorProfile(front, "Fd", name="afd-shop")
    backend = define_backend({"users": CrudApi.define("UserApi", entity_name="User", schema={"id": "string"})},
                             environment="prod", location="eastus")
    backend.add_to_stack(ResourceGroupStack(app, "Api", resource_group_name="rg-api", location="eastus"))
    functions = backend.get_resource("functions")
    root_probe = FrontDoorOriginGroup(profile, "Root", name="root")
    with pytest.raises(ConfigurationError, match=r"probes '/'.*under /api"):
        FrontDoorOrigin(root_probe, "East", name="east", host_name=functions.default_host_name)
    functions.public_network_access = "Disabled"
    group = FrontDoorOriginGroup(profile, "Apis", name="apis", probe_path="/api/users/health", probe_request_type="GET")
    with pytest.raises(ConfigurationError, match="refuses public traffic"):
        FrontDoorOrigin(group, "East", name="east", host_name=functions.default_host_name)
