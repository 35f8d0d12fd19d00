"""Reading a cloud assembly into a deploy plan: order, selection, assets, names and parameters."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from atakora.deploy import (
    DeployError,
    ParameterSpec,
    deployment_name,
    load_plan,
    parse_parameter_assignments,
    read_parameters_file,
)
from atakora.deploy.plan import coerce_parameter

from .conftest import zip_bytes

ARM_NAME = re.compile(r"^[A-Za-z0-9_.()-]{1,64}$")


def test_the_plan_follows_the_manifests_deploy_order(assembly_dir: Callable[..., Path]) -> None:
    root = assembly_dir([{"id": "Data"}, {"id": "Api"}, {"id": "Web"}], order=["Web", "Data", "Api"])
    plan = load_plan(root)
    assert [s.id for s in plan.stacks] == ["Web", "Data", "Api"]
    assert plan.stacks[0].resource_group == "rg-web"
    assert plan.stacks[0].template()["resources"] == []


def test_selecting_stacks_keeps_the_deploy_order_and_rejects_unknown_ids(assembly_dir: Callable[..., Path]) -> None:
    root = assembly_dir([{"id": "A"}, {"id": "B"}, {"id": "C"}])
    assert [s.id for s in load_plan(root, stacks=["C", "A"]).stacks] == ["A", "C"]
    with pytest.raises(DeployError, match=r"no stack 'Nope'.*\n.*choose from: A, B, C"):
        load_plan(root, stacks=["Nope"])


def test_a_directory_without_a_manifest_says_what_to_pass(tmp_path: Path) -> None:
    with pytest.raises(DeployError, match="no manifest.json.*\n.*atakora.out"):
        load_plan(tmp_path)


def test_a_tampered_asset_is_reported_before_anything_is_deployed(assembly_dir: Callable[..., Path]) -> None:
    root = assembly_dir([{"id": "Api", "assets": [{"kind": "function-package", "data": zip_bytes({"a": "1"}),
                                                   "destination": {}}]}])
    asset = next((root / "assets").iterdir())
    asset.write_bytes(b"changed")
    with pytest.raises(DeployError, match=r"\[Api\] asset .* does not match the sha256"):
        load_plan(root)
    asset.unlink()
    with pytest.raises(DeployError, match=r"\[Api\] asset .* is missing"):
        load_plan(root)


def test_a_resource_group_stack_without_a_group_is_rejected(assembly_dir: Callable[..., Path]) -> None:
    root = assembly_dir([{"id": "Api", "resourceGroup": None}])
    with pytest.raises(DeployError, match=r"\[Api\] a resource-group stack has no resource group"):
        load_plan(root)


def test_deployment_names_are_stable_and_prefixed() -> None:
    assert deployment_name("MyStack") == "atakora-MyStack"
    assert deployment_name("My Stack/Part 2") == "atakora-My-Stack-Part-2"
    assert deployment_name("x" * 100) == deployment_name("x" * 100)
    assert deployment_name("x" * 100) != deployment_name("x" * 99 + "y")


@given(st.text(min_size=1, max_size=120))
def test_every_deployment_name_is_a_valid_arm_name(stack_id: str) -> None:
    assert ARM_NAME.match(deployment_name(stack_id))


def test_parameter_values_are_converted_to_their_declared_types() -> None:
    cases = [("int", "42", 42), ("bool", "true", True), ("bool", "No", False), ("string", "x=y", "x=y"),
             ("object", '{"a": 1}', {"a": 1}), ("array", "[1, 2]", [1, 2]), ("securestring", "s3cret", "s3cret"),
             ("int", 7, 7)]
    for kind, raw, expected in cases:
        assert coerce_parameter(ParameterSpec("p", kind, True), raw) == expected
    with pytest.raises(DeployError, match=r"\[S\] parameter count is of type int; 'many' is not one"):
        coerce_parameter(ParameterSpec("count", "int", True), "many", stack_id="S")


def test_a_missing_required_parameter_names_the_stack_and_how_to_pass_it(
        assembly_dir: Callable[..., Path]) -> None:
    root = assembly_dir([{"id": "Api", "parameters": {"adminEmail": {"type": "string"},
                                                       "tier": {"type": "string", "defaultValue": "S1"}}}])
    plan = load_plan(root)
    with pytest.raises(DeployError, match=r"\[Api\] the template needs a value for: adminEmail \(string\)\n"
                                          r".*--param adminEmail=VALUE"):
        plan.check_parameters({})
    assert plan.stacks[0].parameter_values({"adminEmail": "a@b.c"}) == {"adminEmail": "a@b.c"}


def test_a_parameter_no_stack_declares_is_rejected_as_a_typo(assembly_dir: Callable[..., Path]) -> None:
    root = assembly_dir([{"id": "Api", "parameters": {"tier": {"type": "string", "defaultValue": "S1"}}}])
    with pytest.raises(DeployError, match=r"declares the parameter\(s\) teir\n.*declare: tier"):
        load_plan(root).check_parameters({"teir": "S2"})


def test_arm_parameter_files_and_plain_objects_are_both_read(tmp_path: Path) -> None:
    arm = tmp_path / "arm.json"
    arm.write_text(json.dumps({"$schema": "https://schema.management.azure.com/schemas/2019-04-01/"
                                          "deploymentParameters.json#", "contentVersion": "1.0.0.0",
                               "parameters": {"tier": {"value": "S2"}, "count": {"value": 3}}}))
    plain = tmp_path / "plain.json"
    plain.write_text(json.dumps({"tier": "S2", "count": 3}))
    assert read_parameters_file(arm) == read_parameters_file(plain) == {"tier": "S2", "count": 3}
    with pytest.raises(DeployError, match="not found"):
        read_parameters_file(tmp_path / "missing.json")


def test_param_assignments_need_a_name_and_an_equals_sign() -> None:
    assert parse_parameter_assignments(["a=1", "b=x=y", "c="]) == {"a": "1", "b": "x=y", "c": ""}
    with pytest.raises(DeployError, match="is not NAME=VALUE"):
        parse_parameter_assignments(["novalue"])


def test_a_secret_parameter_reads_its_vault_and_secret_and_an_incomplete_one_is_an_error(
        assembly_dir: Callable[..., Path]) -> None:
    root = assembly_dir([{"id": "Api", "parameters": {"secret_x": {"type": "securestring", "defaultValue": ""}}}])
    manifest = json.loads((root / "manifest.json").read_text())
    entry = {"vault": "kv-a", "secret": "pay--KEY", "component": "Pay", "name": "KEY", "apiVersion": "2026-02-01"}
    manifest["stacks"][0]["parameters"]["secret_x"]["secret"] = entry
    (root / "manifest.json").write_text(json.dumps(manifest))
    (secret,) = load_plan(root).stacks[0].secrets
    assert secret.label == "Pay/KEY"
    assert secret.resource_id("s", "rg") == "/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/" \
                                           "kv-a/secrets/pay--KEY"
    manifest["stacks"][0]["parameters"]["secret_x"]["secret"] = {"vault": "kv-a"}
    (root / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(DeployError, match=r"secret parameter secret_x is incomplete.*\n.*atakora synth"):
        load_plan(root)
