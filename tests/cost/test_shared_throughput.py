"""Shared-throughput databases: pooling, the 25-container limit, opt-out, stability, the saving."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from atakora import App, ResourceGroupStack
from atakora.backend import define_backend
from atakora.backend.backend import _placements, _previous_plan
from atakora.backend.cosmos_sharing import PLACEMENT_PREFIX, place_shared_throughput
from atakora.backend.cost import ApiUsage, UsageProfile, estimate_plan
from atakora.backend.requirements import (
    ContainerRequirement,
    CosmosRequirementConfig,
    DatabaseRequirement,
    ResourceRequirement,
)
from atakora.errors import ResourceLimitError
from tests.backend._support import crud


def _apis(count: int, **config: object) -> dict[str, object]:
    return {f"a{i:02}": crud(f"Item{i:02}Api", enable_serverless=False, throughput=400, **config)
            for i in range(count)}


def _databases(plan) -> dict[str, CosmosRequirementConfig]:  # type: ignore[no-untyped-def]
    return {db.name: db for e in plan.resources if e.resource_type == "cosmos" for db in e.config.databases}


def test_ten_provisioned_apis_share_one_database_and_cost_at_most_35_percent() -> None:
    plan = define_backend(_apis(10), monitoring=True).plan()
    db = _databases(plan)["shared-throughput-1"]
    assert db.throughput == 400 and len(db.containers) == 10
    assert all(c.throughput is None for c in db.containers)
    estimate = estimate_plan(plan, UsageProfile())
    assert estimate.shared_monthly_usd <= 0.35 * estimate.traditional_monthly_usd
    cosmos = [line for line in estimate.traditional if line.resource_type == "cosmos" and "storage" not in line.name]
    assert [round(line.monthly_usd, 2) for line in cosmos] == [23.36] * 10  # each its own 400 RU/s
    assert any("database shared-throughput-1 (10 containers share it): 400 RU/s manual" in step
               for line in estimate.shared for step in line.arithmetic)


def test_a_shared_database_holds_at_most_25_containers() -> None:
    plan = define_backend(_apis(26)).plan()
    databases = _databases(plan)
    assert len(databases["shared-throughput-1"].containers) == 25
    assert [c.name for c in databases["shared-throughput-2"].containers] == ["item25"]


def test_dedicated_throughput_keeps_the_api_in_its_own_database() -> None:
    apis = _apis(3)
    apis["loud"] = crud("LoudApi", enable_serverless=False, throughput=1000, dedicated_throughput=True)
    databases = _databases(define_backend(apis).plan())
    assert databases["loud-db"].throughput is None and databases["loud-db"].containers[0].throughput == 1000
    assert len(databases["shared-throughput-1"].containers) == 3


def test_the_database_gets_the_largest_throughput_asked_or_the_backend_budget() -> None:
    apis = _apis(2)
    apis["big"] = crud("BigApi", enable_serverless=False, throughput=1200)
    assert _databases(define_backend(apis).plan())["shared-throughput-1"].throughput == 1200
    budget = define_backend(apis, cosmos_config={"shared_throughput": 1000}).plan()
    assert _databases(budget)["shared-throughput-1"].throughput == 1000


def test_the_app_setting_names_the_shared_database() -> None:
    plan = define_backend(_apis(2)).plan()
    functions = next(e for e in plan.resources if e.resource_type == "functions")
    assert functions.config.environment_variables["ITEM00_API_DATABASE_NAME"] == "shared-throughput-1"


def test_max_throughput_per_database_applies_to_the_shared_database() -> None:
    with pytest.raises(ResourceLimitError, match="shared-throughput-1"):
        define_backend(_apis(2), cosmos_config={"shared_throughput": 2000},
                       limits={"max_throughput_per_database": 1000}).plan()


def test_a_new_component_never_moves_an_existing_container() -> None:
    plan = define_backend(_apis(25)).plan()
    previous = {**plan.placements(), **{PLACEMENT_PREFIX + c: d for c, d in plan.database_placements.items()}}
    # Item03 leaves, two join: the 24 stay in database 1, the newcomers fill its free place, then database 2
    apis = {k: v for k, v in _apis(25).items() if k != "a03"}
    apis["n1"] = crud("NewOneApi", enable_serverless=False, throughput=400)
    apis["n2"] = crud("NewTwoApi", enable_serverless=False, throughput=400)
    fresh = define_backend(apis).plan()
    # the components' requirements as they asked, placed again with the previous plan's placements
    asked = [fresh.unshared_requirements.get(r.component_id, r) if r.resource_type == "cosmos" else r
             for e in fresh.resources for r in e.requirements]
    placed = place_shared_throughput(asked, None, previous).placements
    assert all(placed[f"Item{i:02}Api"] == "shared-throughput-1" for i in range(25) if i != 3)
    assert {placed["NewOneApi"], placed["NewTwoApi"]} == {"shared-throughput-1", "shared-throughput-2"}


def test_a_component_deployed_before_with_its_own_database_keeps_it() -> None:
    config = CosmosRequirementConfig(enable_serverless=False, databases=(
        DatabaseRequirement("old-db", (ContainerRequirement("old", throughput=400),)),))
    req = ResourceRequirement("cosmos", "shared", config, component_id="OldApi", shares_throughput=True)
    shared = place_shared_throughput([req], None, {"cosmos:shared:OldApi": "cosmos:shared"})
    assert shared.placements == {} and shared.requirements == [req]


def test_placements_are_written_to_plan_json_and_read_back(tmp_path: Path) -> None:
    app = App(outdir=str(tmp_path))
    stack = ResourceGroupStack(app, "S", resource_group_name="rg-s", location="eastus")
    backend = define_backend(_apis(2))
    backend.add_to_stack(stack)
    app.synth()
    data = json.loads((tmp_path / "plan.json").read_text())
    assert data["backends"][0]["databasePlacements"] == {"Item00Api": "shared-throughput-1",
                                                         "Item01Api": "shared-throughput-1"}
    kept = _previous_plan(tmp_path / "plan.json")[("backend", data["backends"][0]["environment"])]
    previous = _placements(json.loads(kept))
    assert previous[PLACEMENT_PREFIX + "Item00Api"] == "shared-throughput-1"


def test_serverless_usage_is_unaffected_by_sharing() -> None:
    plan = define_backend({"a": crud("AApi")}).plan()
    assert _databases(plan).keys() == {"a-db"}
    assert estimate_plan(plan, UsageProfile(ApiUsage(stored_gb=0))).by_type()["cosmos"][0] == pytest.approx(0.125)


def test_the_seed_001_cost_tables_are_reproduced_with_its_usage_profile(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    import runpy

    root = Path(__file__).resolve().parent.parent.parent / "examples"
    monkeypatch.chdir(tmp_path)  # no previous plan.json
    namespace = runpy.run_path(str(root / "seed001_costs.py"))
    from atakora.backend.cost import load_usage

    estimate = estimate_plan(namespace["backend"].plan(), load_usage(root / "seed001_usage.toml"))
    cosmos, storage = estimate.by_type()["cosmos"], estimate.by_type()["storage"]
    assert round(cosmos[0]) == 24 and 70 <= cosmos[1] <= 72  # seed: $24 shared, $72 traditional
    assert storage == pytest.approx((0.18, 0.54))            # seed: $0.18, $0.54
