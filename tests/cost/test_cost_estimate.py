"""The cost model: usage-based serverless estimates, like-for-like traditional figures, usage files."""

from __future__ import annotations

from pathlib import Path

import pytest

from atakora.backend import define_backend
from atakora.backend.cost import (
    ApiUsage,
    UsageProfile,
    cost_markdown,
    estimate_plan,
    load_usage,
    usage_from_mapping,
)
from atakora.errors import ConfigurationError
from tests.backend._support import crud


def _plan(**config: object):  # type: ignore[no-untyped-def]
    backend = define_backend({f"a{i}": crud(f"Item{i}Api", **config) for i in range(3)}, monitoring=True)
    return backend.plan()


def test_serverless_cosmos_is_priced_from_the_usage_profile_not_shown_as_zero() -> None:
    usage = UsageProfile(ApiUsage(requests_per_month=2_000_000, avg_ru_per_request=5, stored_gb=4))
    estimate = estimate_plan(_plan(), usage)
    cosmos = [line for line in estimate.shared if line.resource_type == "cosmos"]
    # 3 APIs x 2M requests x 5 RU = 30M RU x $0.25 per million = $7.50; 12 GB x $0.25 = $3.00
    assert [round(line.monthly_usd, 2) for line in cosmos] == [7.50, 3.00]
    assert "30,000,000 RU" in cosmos[0].arithmetic[0]
    assert estimate.by_type()["cosmos"] == pytest.approx((10.5, 10.5))


def test_flex_consumption_applies_the_free_grant_once_in_each_build() -> None:
    usage = UsageProfile(ApiUsage(requests_per_month=1_000_000, avg_duration_ms=100))
    estimate = estimate_plan(_plan(), usage)
    shared, traditional = estimate.by_type()["functions"]
    # 3M executions x 0.1 s x 2 GB = 600,000 GB-s; minus 100,000 free = 500,000 x $0.000026 = $13.00
    # 3M executions minus 250,000 free = 2.75M x $0.40 = $1.10
    assert shared == pytest.approx(14.10)
    assert traditional == pytest.approx(14.10)
    assert sum(1 for line in estimate.traditional if line.name == "Flex Consumption free grant") == 1


def test_per_component_usage_overrides_the_defaults() -> None:
    usage = usage_from_mapping({"defaults": {"requests_per_month": 0, "stored_gb": 0},
                                "components": {"Item1Api": {"requests_per_month": 4_000_000,
                                                            "avg_ru_per_request": 10}}})
    estimate = estimate_plan(_plan(), usage)
    assert estimate.by_type()["cosmos"][0] == pytest.approx(10.0)  # 40M RU x $0.25 per million


def test_traditional_build_pays_one_storage_account_per_component() -> None:
    estimate = estimate_plan(_plan(), UsageProfile(ApiUsage(storage_gb=0)))
    assert estimate.by_type()["storage"] == pytest.approx((0.18, 0.54))


def test_a_premium_plan_is_one_instance_per_plan_in_each_build() -> None:
    from dataclasses import replace

    plan = _plan()
    for entry in plan.resources:
        if entry.resource_type == "functions":
            entry.config = replace(entry.config, sku="EP1")
            entry.requirements = [replace(r, config=replace(r.config, sku="EP1")) for r in entry.requirements]
    assert estimate_plan(plan).by_type()["functions"] == pytest.approx((0.216 * 730, 3 * 0.216 * 730))


def test_provisioned_containers_are_priced_per_100_rus_hour() -> None:
    estimate = estimate_plan(_plan(enable_serverless=False, throughput=400), UsageProfile(ApiUsage(stored_gb=0)))
    throughput = [line for line in estimate.traditional if line.resource_type == "cosmos" and line.monthly_usd]
    assert [round(line.monthly_usd, 2) for line in throughput] == [23.36] * 3
    assert "4 × $0.008 per 100 RU/s-hour × 730 h = $23.36" in throughput[0].arithmetic[0]


def test_json_carries_shared_and_traditional_totals_and_lines() -> None:
    data = estimate_plan(_plan(), UsageProfile()).to_json()
    assert set(data) >= {"sharedMonthlyUsd", "traditionalMonthlyUsd", "byType", "shared", "traditional"}
    assert data["traditionalMonthlyUsd"] > data["sharedMonthlyUsd"] > 0
    assert all("arithmetic" in line for line in data["shared"])


def test_markdown_has_one_row_per_resource_type_and_a_total() -> None:
    text = cost_markdown([_plan()], UsageProfile(ApiUsage(storage_gb=0, requests_per_month=0, stored_gb=0,
                                                          log_gb_per_month=0)))
    assert "| resource type | shared | traditional | saving |" in text
    assert "| Storage | $0.18 | $0.54 | $0.36 |" in text
    assert "| **total** | **$0.18** | **$0.54** | **$0.36 (67%)** |" in text
    assert "<details><summary>arithmetic (shared)</summary>" in text


def test_usage_file_is_read_with_defaults_components_and_prices(tmp_path: Path) -> None:
    path = tmp_path / "usage.toml"
    path.write_text("[defaults]\nrequests_per_month = 10\n[components.UserApi]\nstored_gb = 3\n"
                    "[prices]\ncosmos_storage_per_gb_month = 0.5\n[prices.plan_instance_per_hour]\nEP1 = 0.2\n")
    usage = load_usage(path)
    assert usage.for_component("UserApi") == ApiUsage(requests_per_month=10, stored_gb=3)
    assert usage.prices.cosmos_storage_per_gb_month == 0.5
    assert usage.prices.plan_instance_per_hour["EP1"] == 0.2
    assert usage.prices.plan_instance_per_hour["EP2"] == 0.432


@pytest.mark.parametrize(("text", "needle"), [
    ("[defaults]\nrequests = 1\n", "unknown usage field 'requests'"),
    ("[defaults]\nstored_gb = -1\n", "stored_gb must be a finite number >= 0"),
    ("[defaults]\nrequests_per_month = nan\n", "requests_per_month must be a finite number >= 0"),
    ("[components.UserApi]\nstored_gb = 1e400\n", "stored_gb must be a finite number >= 0"),
    ("[prices]\ncosmos_storage_per_gb_month = inf\n", "must be a finite number >= 0"),
    ("[prices.plan_instance_per_hour]\nEP1 = nan\n", "must be a table of numbers by SKU"),
    ("[prices.plan_instance_per_hour]\nEP1 = true\n", "must be a table of numbers by SKU"),
    ("[prices]\ncosmos_free = 1\n", "unknown price 'cosmos_free'"),
    ("[other]\n", "unknown section(s) other"),
    ("[defaults\n", "is not valid TOML"),
])
def test_a_bad_usage_file_names_the_field_and_the_fix(tmp_path: Path, text: str, needle: str) -> None:
    path = tmp_path / "usage.toml"
    path.write_text(text)
    with pytest.raises(ConfigurationError) as raised:
        load_usage(path)
    assert needle in str(raised.value)


def test_a_missing_usage_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="does not exist"):
        load_usage(tmp_path / "nope.toml")


def test_a_usage_path_that_is_a_directory_or_not_utf8_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="cannot be read") as raised:
        load_usage(tmp_path)
    assert raised.value.field == "--usage"
    binary = tmp_path / "usage.toml"
    binary.write_bytes(b"[defaults]\nstored_gb = 1 # \xff\xfe\n")
    with pytest.raises(ConfigurationError, match="is not UTF-8 text"):
        load_usage(binary)


def test_every_price_names_one_source_and_how_sure_it_is() -> None:
    from dataclasses import fields

    from atakora.backend.cost.prices import SOURCES, PriceTable

    assert sorted(SOURCES) == sorted(f.name for f in fields(PriceTable))
    assert {s.status for s in SOURCES.values()} <= {"confirmed", "third-party", "unverified"}
    assert all(s.url and s.says for s in SOURCES.values())
