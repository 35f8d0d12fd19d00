"""The shared-throughput merge rule: priority against the budget and in placement, Azure's minimum RU/s."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from atakora.backend import define_backend
from atakora.backend.cosmos_sharing import HIGHEST_PREFIX, PLACEMENT_PREFIX, place_shared_throughput
from atakora.backend.cost import ApiUsage, UsageProfile, estimate_plan, use_usage
from atakora.backend.requirements import CosmosRequirementConfig
from atakora.errors import ConfigurationError
from atakora.rules.cosmos_throughput import shared_database_minimum
from tests.backend._support import crud


def _apis(count: int, **config: object) -> dict[str, object]:
    return {f"a{i:02}": crud(f"Item{i:02}Api", enable_serverless=False, throughput=400, **config)
            for i in range(count)}


def _databases(plan) -> dict[str, CosmosRequirementConfig]:  # type: ignore[no-untyped-def]
    return {db.name: db for e in plan.resources if e.resource_type == "cosmos" for db in e.config.databases}


def test_a_newcomer_above_the_budget_with_the_highest_priority_keeps_its_own_throughput() -> None:
    apis = _apis(2)
    apis["big"] = crud("BigApi", enable_serverless=False, throughput=1200, priority=20)
    plan = define_backend(apis, cosmos_config={"shared_throughput": 1000}).plan()
    databases = _databases(plan)
    assert databases["big-db"].throughput is None and databases["big-db"].containers[0].throughput == 1200
    assert databases["shared-throughput-1"].throughput == 1000 and len(databases["shared-throughput-1"].containers) == 2
    assert "BigApi" not in plan.database_placements
    assert any("'BigApi' asks for 1200 RU/s" in w and "keeps its own 1200 RU/s" in w for w in plan.warnings)


def test_at_equal_priority_the_budget_caps_a_component_with_a_warning() -> None:
    apis = _apis(2)
    apis["big"] = crud("BigApi", enable_serverless=False, throughput=1200)
    plan = define_backend(apis, cosmos_config={"shared_throughput": 1000}).plan()
    assert plan.database_placements["BigApi"] == "shared-throughput-1"
    assert _databases(plan)["shared-throughput-1"].throughput == 1000
    assert any("'BigApi' asks for 1200 RU/s, but shares shared-throughput-1 at the budget" in w for w in plan.warnings)


def test_without_a_budget_priority_does_not_change_the_throughput() -> None:
    apis = _apis(2)
    apis["big"] = crud("BigApi", enable_serverless=False, throughput=1200, priority=20)
    plan = define_backend(apis).plan()
    assert plan.database_placements["BigApi"] == "shared-throughput-1"
    assert _databases(plan)["shared-throughput-1"].throughput == 1200


def test_higher_priority_newcomers_take_the_first_database() -> None:
    apis = _apis(25)
    apis["zz"] = crud("ZzApi", enable_serverless=False, throughput=400, priority=20)
    placed = define_backend(apis).plan().database_placements
    assert placed["ZzApi"] == "shared-throughput-1"
    assert [c for c, d in placed.items() if d == "shared-throughput-2"] == ["Item24Api"]


def test_a_pooled_component_whose_priority_rises_stays_in_its_database() -> None:
    apis = _apis(2)
    apis["big"] = crud("BigApi", enable_serverless=False, throughput=1200, priority=20)
    plan = define_backend(apis, cosmos_config={"shared_throughput": 1000}).plan()
    asked = [r for e in plan.resources for r in e.requirements]
    asked = [plan.unshared_requirements.get(r.component_id, r) if r.resource_type == "cosmos" else r for r in asked]
    previous = {"cosmos:shared:Item00Api": "cosmos:shared", "cosmos:shared:Item01Api": "cosmos:shared",
                **{PLACEMENT_PREFIX + c: "shared-throughput-1" for c in ("Item00Api", "Item01Api", "BigApi")}}
    from atakora.backend.config import parse_backend_config

    config = parse_backend_config(None, {"cosmos_config": {"shared_throughput": 1000}})
    shared = place_shared_throughput(asked, config, previous)
    assert shared.placements["BigApi"] == "shared-throughput-1"
    assert any("'BigApi' asks for 1200 RU/s, but shares" in w for w in shared.warnings)


def test_stored_data_raises_a_derived_throughput_to_azures_minimum() -> None:
    with use_usage(UsageProfile(ApiUsage(stored_gb=60))):
        plan = define_backend(_apis(10)).plan()
    assert _databases(plan)["shared-throughput-1"].throughput == 600  # 10 × 60 GB × 1 RU/s per GB
    assert any("raised from 400 to 600 RU/s" in w and "600 GB × 1 RU/s" in w for w in plan.warnings)


def test_a_budget_below_azures_minimum_is_an_error_naming_the_minimum() -> None:
    with use_usage(UsageProfile(ApiUsage(stored_gb=60))), \
            pytest.raises(ConfigurationError, match="requires at least 600 RU/s for shared database shared-throughput-1"):
        define_backend(_apis(10), cosmos_config={"shared_throughput": 500}).plan()


def test_the_highest_throughput_ever_given_raises_the_minimum() -> None:
    plan = define_backend(_apis(2)).plan()
    asked = [plan.unshared_requirements.get(r.component_id, r) if r.resource_type == "cosmos" else r
             for e in plan.resources for r in e.requirements]
    previous = {**plan.placements(), **{PLACEMENT_PREFIX + c: d for c, d in plan.database_placements.items()},
                HIGHEST_PREFIX + "shared-throughput-1": "60000"}
    shared = place_shared_throughput(asked, None, previous)
    db = next(r.config.databases[0] for r in shared.requirements if r.component_id == "Item00Api"
              and r.resource_type == "cosmos")
    assert db.throughput == 600 and shared.highest == {"shared-throughput-1": 60000}


def test_the_minimum_follows_azures_formula() -> None:
    # the examples of "Minimum throughput on shared throughput database" in Azure's service quotas
    assert shared_database_minimum("manual", 10, 15, 400).rus == 400
    assert shared_database_minimum("manual", 30).rus == 900
    assert shared_database_minimum("autoscale", 10, 15, 1000).rus == 1000
    # the page's own autoscale example says 5000, but its formula gives 1000 + 5 × 1000: the formula is followed
    assert shared_database_minimum("autoscale", 30).rus == 6000
    assert shared_database_minimum("manual", 3, 450.5).rus == 500  # 451 RU/s, in steps of 100
    assert shared_database_minimum("autoscale", 3, 120).rus == 2000  # 1200, in steps of 1000
    assert shared_database_minimum("manual", 3, 0, 50_000).arithmetic.endswith("= 500 RU/s")


def test_synth_with_a_usage_profile_deploys_the_minimum(tmp_path: Path) -> None:
    from atakora.cli.main import app

    program = tmp_path / "prog.py"
    program.write_text(
        "from atakora import App, ResourceGroupStack\nfrom atakora.backend import define_backend\n"
        "from atakora.components import CrudApi\napp = App()\n"
        "stack = ResourceGroupStack(app, 'S', resource_group_name='rg-c', location='eastus')\n"
        "backend = define_backend({f'a{i}': CrudApi.define(f'Api{i}', entity_name=f'E{i}', schema={'id': 'string'},"
        " enable_serverless=False, throughput=400) for i in range(3)})\nbackend.add_to_stack(stack)\napp.synth()\n")
    usage = tmp_path / "usage.toml"
    usage.write_text("[defaults]\nstored_gb = 250\n")
    result = CliRunner().invoke(app, ["synth", str(program), "--out", str(tmp_path / "out"), "--usage", str(usage)])
    assert result.exit_code == 0, result.output
    template = json.loads((tmp_path / "out" / "S.json").read_text())
    database = next(r for r in template["resources"] if r["type"].endswith("/sqlDatabases"))
    assert database["properties"]["options"] == {"throughput": 800}  # 3 × 250 GB → 750 → 800
    plan = json.loads((tmp_path / "out" / "plan.json").read_text())["backends"][0]
    assert plan["sharedThroughputHighest"] == {"shared-throughput-1": 800}


def test_autoscale_apis_pool_apart_from_manual_ones_at_the_largest_maximum() -> None:
    apis = _apis(2)
    apis.update({f"s{i}": crud(f"Scale{i}Api", enable_serverless=False, throughput=t, autoscale=True)
                 for i, t in enumerate((1000, 4000, 2000))})
    plan = define_backend(apis).plan()
    databases = _databases(plan)
    assert databases["shared-autoscale-1"].autoscale_max_throughput == 4000
    assert databases["shared-autoscale-1"].throughput is None and len(databases["shared-autoscale-1"].containers) == 3
    assert all(c.autoscale_max_throughput is None and c.throughput is None
               for c in databases["shared-autoscale-1"].containers)
    assert databases["shared-throughput-1"].throughput == 400 and len(databases["shared-throughput-1"].containers) == 2
    # priced as one autoscale maximum (billed at 10% when idle), against three traditional ones
    estimate = estimate_plan(plan, UsageProfile(ApiUsage(requests_per_month=0, stored_gb=0)))
    shared = [s for line in estimate.shared for s in line.arithmetic if "shared-autoscale-1" in s]
    assert shared and "autoscale max 4000 RU/s, billed at 400 RU/s" in shared[0]


def test_the_autoscale_budget_and_minimum_apply_to_autoscale_databases() -> None:
    apis = {f"s{i}": crud(f"Scale{i}Api", enable_serverless=False, throughput=4000, autoscale=True) for i in range(2)}
    plan = define_backend(apis, cosmos_config={"shared_autoscale_max_throughput": 2000}).plan()
    assert _databases(plan)["shared-autoscale-1"].autoscale_max_throughput == 2000
    assert any("asks for 4000 RU/s autoscale maximum, but shares shared-autoscale-1" in w for w in plan.warnings)
    with use_usage(UsageProfile(ApiUsage(stored_gb=150))):  # 300 GB × 10 RU/s = 3000
        raised = define_backend(apis, cosmos_config={"shared_autoscale_max_throughput": 2000})
        with pytest.raises(ConfigurationError, match="requires at least 3000 RU/s autoscale maximum"):
            raised.plan()
        assert _databases(define_backend(apis).plan())["shared-autoscale-1"].autoscale_max_throughput == 4000


def test_a_component_that_switches_mode_stays_in_its_database_with_a_warning() -> None:
    plan = define_backend(_apis(2)).plan()
    apis = _apis(2)
    apis["a01"] = crud("Item01Api", enable_serverless=False, throughput=4000, autoscale=True)
    fresh = define_backend(apis).plan()
    asked = [fresh.unshared_requirements.get(r.component_id, r) if r.resource_type == "cosmos" else r
             for e in fresh.resources for r in e.requirements]
    previous = {**plan.placements(), **{PLACEMENT_PREFIX + c: d for c, d in plan.database_placements.items()}}
    shared = place_shared_throughput(asked, None, previous)
    assert shared.placements["Item01Api"] == "shared-throughput-1"
    assert any("'Item01Api' asks for autoscale throughput, but its container shares manual database" in w
               for w in shared.warnings)
