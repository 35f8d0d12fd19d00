"""Deploy steps against fake ARM: one shared host key for the apps behind a Front Door, and Front Door's
private endpoint connection approved; the key value never leaves memory."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from azure.core.exceptions import HttpResponseError

from atakora.deploy import ArmClients, Deployer, DeployEvent, DeployOptions, load_plan
from atakora.deploy.errors import DeployError
from atakora.deploy.plan import StackPlan, StepPlan
from atakora.deploy.steps import StepOptions, run_step

from .conftest import FakeAzure

SUB = "00000000-0000-0000-0000-000000000001"
NOW = StepOptions(attempts=3, interval=0, key_attempts=3)
APPS = [{"resourceGroup": "rg-east", "site": "func-east"}, {"resourceGroup": "rg-west", "site": "func-west"},
        {"resourceGroup": "rg-asia", "site": "func-asia"}]


@dataclass
class FakeArm:
    """ARM REST as the steps call it: host keys per site, private endpoint connections per target."""

    keys: dict[str, dict[str, str]] = field(default_factory=dict)
    connections: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    appear_after: int = 0
    """How many listings of connections come back empty before they appear."""
    unavailable: dict[str, int] = field(default_factory=dict)
    """How many key reads of a site fail (503) before its host answers."""
    calls: list[tuple[str, str, Any]] = field(default_factory=list)

    def request(self, method: str, url: str, body: Any = None) -> Any:
        self.calls.append((method, url, body))
        path = url.split("?")[0]
        if path.endswith("/host/default/listkeys"):
            site = path.split("/sites/")[1].split("/")[0]
            if self.unavailable.get(site, 0) > 0:
                self.unavailable[site] -= 1
                raise HttpResponseError(message="Encountered an error (ServiceUnavailable) from host runtime.")
            return {"masterKey": "m", "functionKeys": dict(self.keys.get(site, {}))}
        if "/host/default/functionKeys/" in path:
            site = path.split("/sites/")[1].split("/")[0]
            self.keys.setdefault(site, {})[path.rsplit("/", 1)[1]] = body["properties"]["value"]
            return body
        if path.endswith("/privateEndpointConnections"):
            if self.appear_after > 0:
                self.appear_after -= 1
                return {"value": []}
            return {"value": json.loads(json.dumps(self.connections.get(path.rsplit("/", 1)[0], [])))}
        for found in self.connections.values():
            for connection in found:
                if connection["id"] == path:
                    connection["properties"]["privateLinkServiceConnectionState"] = \
                        body["properties"]["privateLinkServiceConnectionState"]
                    return connection
        raise AssertionError(f"unexpected call {method} {url}")


def _clients(arm: FakeArm) -> ArmClients:
    fake = FakeAzure()
    return ArmClients(subscription_id=SUB, resource_groups=fake, deployments=fake, app_service=fake, management=arm)


STACK = StackPlan(id="Api", scope="resourceGroup", location="eastus", resource_group="rg-asia", subscription_id=SUB,
                  template_file=Path("unused.json"))
SHARE = StepPlan("Front/Fd/Apis/ShareFunctionKey", "share-function-key", {"keyName": "frontdoor", "apps": APPS})


def test_apps_without_the_key_all_get_one_new_random_value_that_is_never_reported() -> None:
    arm = FakeArm()
    result = run_step(SHARE, STACK, _clients(arm), options=NOW)
    values = {arm.keys[a["site"]]["frontdoor"] for a in APPS}
    assert len(values) == 1 and len(next(iter(values))) >= 32
    value = next(iter(values))
    assert result.status == "deployed" and "set on 3" in result.detail
    assert value not in result.detail and all(value not in c for c in result.commands)
    assert "az functionapp keys list -g rg-east -n func-east --query functionKeys.frontdoor" in result.detail


def test_the_first_app_s_existing_key_is_copied_to_the_others_and_a_second_run_changes_nothing() -> None:
    arm = FakeArm(keys={"func-west": {"frontdoor": "west-key", "default": "w"}, "func-asia": {"frontdoor": "old"}})
    run_step(SHARE, STACK, _clients(arm), options=NOW)
    assert {s: k["frontdoor"] for s, k in arm.keys.items()} == {
        "func-east": "west-key", "func-west": "west-key", "func-asia": "west-key"}
    assert arm.keys["func-west"]["default"] == "w"
    arm.calls.clear()
    result = run_step(SHARE, STACK, _clients(arm), options=NOW)
    assert [m for m, _, _ in arm.calls] == ["POST", "POST", "POST"] and "set on 0" in result.detail


def test_a_host_that_is_still_starting_is_asked_again() -> None:
    arm = FakeArm(unavailable={"func-east": 2})
    slept: list[float] = []
    run_step(SHARE, STACK, _clients(arm), options=StepOptions(key_attempts=3, interval=7), sleep=slept.append)
    assert slept == [7, 7] and arm.keys["func-east"]["frontdoor"] == arm.keys["func-asia"]["frontdoor"]
    with pytest.raises(DeployError, match="read the host keys of func-west"):
        run_step(SHARE, STACK, _clients(FakeArm(unavailable={"func-west": 9})), options=NOW, sleep=lambda s: None)


TARGET = {"resourceGroup": "rg-front", "type": "Microsoft.Storage/storageAccounts", "name": "stsite",
          "apiVersion": "2026-04-01"}
TARGET_ID = f"/subscriptions/{SUB}/resourceGroups/rg-front/providers/Microsoft.Storage/storageAccounts/stsite"
MESSAGE = "atakora: Front Door origin Front/Fd/Site/Web"
APPROVE = StepPlan("Front/Fd/Site/Web/ApprovePrivateLink", "approve-private-link",
                   {"requestMessage": MESSAGE, "groupId": "web", "target": TARGET})


def _connection(name: str, message: str, status: str = "Pending") -> dict[str, Any]:
    return {"id": f"{TARGET_ID}/privateEndpointConnections/{name}", "name": name, "properties": {
        "privateLinkServiceConnectionState": {"status": status, "description": message}}}


def test_front_door_s_pending_connection_is_approved_once_it_appears_and_no_other() -> None:
    arm = FakeArm(connections={TARGET_ID: [_connection("fd", MESSAGE), _connection("other", "someone else")]},
                  appear_after=1)
    result = run_step(APPROVE, STACK, _clients(arm), options=NOW, sleep=lambda s: None)
    assert result.status == "deployed"
    states = {c["name"]: c["properties"]["privateLinkServiceConnectionState"]["status"]
              for c in arm.connections[TARGET_ID]}
    assert states == {"fd": "Approved", "other": "Pending"}
    puts = [(u, b) for m, u, b in arm.calls if m == "PUT"]
    assert puts[0][0] == f"{TARGET_ID}/privateEndpointConnections/fd?api-version=2026-04-01"


def test_a_connection_that_never_appears_leaves_the_commands_to_approve_it() -> None:
    result = run_step(APPROVE, STACK, _clients(FakeArm()), options=NOW, sleep=lambda s: None)
    assert result.status == "manual"
    assert f"az network private-endpoint-connection list --id {TARGET_ID}" in result.commands
    with pytest.raises(DeployError, match="is Rejected"):
        run_step(APPROVE, STACK, _clients(FakeArm(connections={TARGET_ID: [_connection("fd", MESSAGE, "Rejected")]})),
                 options=NOW, sleep=lambda s: None)


def test_a_multi_region_program_deploys_with_one_key_for_every_region(tmp_path: Path) -> None:
    from atakora import App, ResourceGroupStack
    from atakora.backend import define_backend
    from atakora.components import CrudApi
    from atakora.resources.cdn import FrontDoorOrigin, FrontDoorOriginGroup, FrontDoorProfile

    app = App(outdir=tmp_path / "out")
    front = ResourceGroupStack(app, "Front", resource_group_name="rg-front", location="eastus")
    group = FrontDoorOriginGroup(FrontDoorProfile(front, "Fd", name="afd-shop"), "Apis", name="apis",
                                 probe_path="/api/users/health", probe_request_type="GET")
    for region in ("eastus", "westeurope"):
        backend = define_backend({"users": CrudApi.define("UserApi", entity_name="User", schema={"id": "string"})},
                                 environment="prod", location=region, backend_id=f"shop-{region}")
        backend.add_to_stack(ResourceGroupStack(app, f"Api-{region}", resource_group_name=f"rg-{region}",
                                                location=region))
        FrontDoorOrigin(group, region, name=region, host_name=backend.get_resource("functions").default_host_name)
    app.synth()
    arm, fake = FakeArm(), FakeAzure()
    events: list[DeployEvent] = []

    class Session:
        def arm(self, subscription_id: str) -> ArmClients:
            base = fake.arm(subscription_id)
            return ArmClients(subscription_id, base.resource_groups, base.deployments, base.app_service,
                              management=arm)

    result = Deployer(Session(), on_event=events.append, step_options=NOW).run(
        load_plan(tmp_path / "out"), DeployOptions(subscription_id=SUB))
    assert result.ok
    assert [s.stack_id for s in result.stacks] == ["Front", "Api-eastus", "Api-westeurope"]
    step = result.stacks[-1].assets[-1]
    assert step.kind == "share-function-key" and step.status == "deployed"
    sites = sorted(arm.keys)
    assert len(sites) == 2 and arm.keys[sites[0]]["frontdoor"] == arm.keys[sites[1]]["frontdoor"]
    value = arm.keys[sites[0]]["frontdoor"]
    written = "".join(p.read_text(errors="ignore") for p in (tmp_path / "out").rglob("*.json"))
    assert value not in written and all(value not in e.message for e in events)
