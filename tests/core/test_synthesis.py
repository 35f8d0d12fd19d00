from __future__ import annotations

import json
from pathlib import Path

import pytest

from atakora import App, ResourceGroupStack, SubscriptionStack
from atakora.core import ArmResource
from atakora.errors import ConfigurationError, TemplateLimitError


def build(outdir: Path, count: int = 3) -> App:
    app = App(outdir=outdir)
    stack = ResourceGroupStack(app, "Main", resource_group_name="rg-main", location="westeurope",
                               tags={"team": "platform"})
    stack.add_parameter("suffix", default="x")
    previous = None
    for i in range(count):
        previous = ArmResource(stack, f"Account{i}", type="Microsoft.Storage/storageAccounts",
                               api_version="2025-08-01", name=f"stacct{i:05d}", sku={"name": "Standard_LRS"},
                               kind="StorageV2", depends_on=[previous] if previous else [])
    stack.add_output("lastId", previous.resource_id if previous else "")
    return app


def test_the_same_program_writes_byte_identical_output(tmp_path: Path) -> None:
    build(tmp_path / "a").synth()
    build(tmp_path / "b").synth()
    for name in ("manifest.json", "Main.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_a_template_uses_the_2019_04_01_schema_and_stack_tags(tmp_path: Path) -> None:
    template = build(tmp_path).synth().template("Main")
    assert template["$schema"].endswith("/2019-04-01/deploymentTemplate.json#")
    assert template["resources"][0]["tags"] == {"team": "platform"}
    assert template["resources"][0]["location"] == "westeurope"


def test_a_failed_synth_leaves_the_previous_assembly_untouched(tmp_path: Path) -> None:
    build(tmp_path).synth()
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    app = build(tmp_path)
    stack = app.node.find_child("Main")
    for i in range(257):
        stack.add_parameter(f"p{i}")  # type: ignore[attr-defined]
    with pytest.raises(TemplateLimitError, match=r"\[Main\] the template has too many parameters"):
        app.synth()
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_the_output_limit_names_the_stack_and_the_figure(tmp_path: Path) -> None:
    app = build(tmp_path)
    stack = app.node.find_child("Main")
    for i in range(65):
        stack.add_output(f"o{i}", "v")  # type: ignore[attr-defined]
    with pytest.raises(TemplateLimitError, match=r"outputs: 66 > 64"):
        app.synth()


def test_a_stack_over_800_resources_is_split_into_ordered_deployments(tmp_path: Path) -> None:
    assembly = build(tmp_path, count=1700).synth()
    ids = [u.id for u in assembly.units]
    assert ids == ["Main", "Main.part2", "Main.part3"]
    assert [len(u.template["resources"]) for u in assembly.units] == [800, 800, 100]
    assert assembly.unit("Main.part2").dependencies == ["Main"]
    assert assembly.unit("Main.part3").dependencies == ["Main.part2"]
    assert "outputs" in assembly.template("Main.part3") and "outputs" not in assembly.template("Main")
    first_of_part2 = assembly.template("Main.part2")["resources"][0]
    assert "dependsOn" not in first_of_part2  # its dependency deployed in the part before


def test_a_resource_group_stack_under_a_subscription_stack_gets_its_group_created_first(tmp_path: Path) -> None:
    app = App(outdir=tmp_path)
    sub = SubscriptionStack(app, "Sub", location="eastus")
    ResourceGroupStack(sub, "Workload", resource_group_name="rg-work", location="eastus")
    assembly = app.synth()
    assert assembly.manifest["deployOrder"] == ["Sub", "Sub-Workload"]
    group = assembly.template("Sub")["resources"][0]
    assert group["type"] == "Microsoft.Resources/resourceGroups" and group["name"] == "rg-work"
    assert "subscriptionDeploymentTemplate" in assembly.template("Sub")["$schema"]
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["stacks"][1]["dependencies"] == ["Sub"]


def test_variables_that_reference_a_resource_add_no_depends_on_to_other_resources(tmp_path: Path) -> None:
    from atakora.core import Variable

    app = App(outdir=tmp_path)
    stack = ResourceGroupStack(app, "Main", resource_group_name="rg-main", location="eastus")
    first = ArmResource(stack, "A", type="Microsoft.Storage/storageAccounts", api_version="2025-08-01",
                        name="stfirst0001", sku={"name": "Standard_LRS"}, kind="StorageV2")
    ArmResource(stack, "B", type="Microsoft.Storage/storageAccounts", api_version="2025-08-01",
                name="stsecond001", sku={"name": "Standard_LRS"}, kind="StorageV2")
    Variable(stack, "firstId", value=first.resource_id)
    template = app.synth().template("Main")
    assert "dependsOn" not in template["resources"][1]
    assert template["variables"]["firstId"] == "[resourceId('Microsoft.Storage/storageAccounts', 'stfirst0001')]"


def test_an_output_that_references_another_stack_orders_the_stacks(tmp_path: Path) -> None:
    app = App(outdir=tmp_path)
    uses = ResourceGroupStack(app, "Uses", resource_group_name="rg-uses", location="eastus")
    shared = ResourceGroupStack(app, "Shared", resource_group_name="rg-shared", location="eastus")
    account = ArmResource(shared, "A", type="Microsoft.Storage/storageAccounts", api_version="2025-08-01",
                          name="stshared001", sku={"name": "Standard_LRS"}, kind="StorageV2")
    uses.add_output("sharedId", account.resource_id)
    assembly = app.synth()
    assert assembly.manifest["deployOrder"] == ["Shared", "Uses"]


def test_a_reference_to_a_split_stack_waits_for_its_last_part(tmp_path: Path) -> None:
    app = build(tmp_path, count=900)
    big = app.node.find_child("Main")
    other = ResourceGroupStack(app, "Other", resource_group_name="rg-other", location="eastus")
    last = [c for c in big.node.children if isinstance(c, ArmResource)][-1]
    ArmResource(other, "Uses", type="Microsoft.Storage/storageAccounts", api_version="2025-08-01",
                name="stuses00001", sku={"name": "Standard_LRS"}, kind="StorageV2", properties={"x": last.resource_id})
    assembly = app.synth()
    assert assembly.unit("Other").dependencies == ["Main.part2"]
    assert assembly.manifest["deployOrder"] == ["Main", "Main.part2", "Other"]


def test_an_asset_deploys_after_the_part_that_creates_its_resource(tmp_path: Path) -> None:
    from atakora.core import Asset

    app = build(tmp_path, count=1000)
    stack = app.node.find_child("Main")
    site = ArmResource(stack, "Site", type="Microsoft.Web/sites", api_version="2024-11-01", name="func-split",
                       depends_on=[stack.node.find_child("Account999")])
    Asset(site, "Package", data=b"zip", destination={"functionApp": "func-split"})
    Asset(stack, "Loose", data=b"other", kind="static-site")
    assembly = app.synth()
    assert [u.id for u in assembly.units] == ["Main", "Main.part2"]
    assert [a["id"] for a in assembly.unit("Main").assets] == []
    assert sorted(a["id"] for a in assembly.unit("Main.part2").assets) == ["Main/Loose", "Main/Site/Package"]


def test_an_asset_given_as_pieces_is_addressed_sized_and_written_as_their_joined_bytes(tmp_path: Path) -> None:
    import hashlib

    from atakora.core import Asset

    app = build(tmp_path)
    shared = b"shared record " * 100
    asset = Asset(app.node.find_child("Main"), "Content", data=(b"own", shared, b"directory"), kind="static-site")
    joined = b"own" + shared + b"directory"
    assert asset.pieces[1] is shared
    assert (asset.data, asset.size, asset.sha256) == (joined, len(joined), hashlib.sha256(joined).hexdigest())
    assembly = app.synth()
    assert assembly.assets[asset.path] == joined == (tmp_path / asset.path).read_bytes()
    assert assembly.unit("Main").assets[0]["size"] == len(joined)


def test_a_synthesized_unit_reads_its_template_back_from_the_written_file(tmp_path: Path) -> None:
    assembly = build(tmp_path).synth()
    unit = assembly.unit("Main")
    assert unit.data is None and unit.template_data == (tmp_path / "Main.json").read_bytes()
    assert assembly.files()["Main.json"] == (tmp_path / "Main.json").read_bytes()
    assert [p.name for p in tmp_path.parent.iterdir() if p.name.startswith(f".{tmp_path.name}.")] == []


def test_a_synth_that_fails_after_staging_files_removes_them_and_keeps_the_previous_assembly(tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(out).synth()
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    app = build(out)

    def fail() -> str:
        raise RuntimeError("the artifact fails")

    app.add_artifact("zzz.txt", fail)
    with pytest.raises(RuntimeError, match="the artifact fails"):
        app.synth()
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_synth_without_writing_holds_its_templates_and_writes_the_same_files_later(tmp_path: Path) -> None:
    from atakora.core.synthesis import synthesize

    held = synthesize(build(tmp_path / "held"), tmp_path / "held", write=False)
    assert held.unit("Main").data is not None and not (tmp_path / "held").exists()
    held.write()
    build(tmp_path / "direct").synth()
    for name in ("manifest.json", "Main.json"):
        assert (tmp_path / "held" / name).read_bytes() == (tmp_path / "direct" / name).read_bytes()


def test_a_stack_cycle_found_after_templates_were_staged_leaves_no_staging_directory(tmp_path: Path) -> None:
    from atakora.errors import SynthesisError

    out = tmp_path / "out"
    app = App(outdir=out)
    first = ResourceGroupStack(app, "A", resource_group_name="rg-a", location="westeurope")
    second = ResourceGroupStack(app, "B", resource_group_name="rg-b", location="westeurope")
    first.add_dependency(second)
    second.add_dependency(first)
    with pytest.raises(SynthesisError):
        app.synth()
    assert list(tmp_path.iterdir()) == []


def test_the_reference_cycles_an_artifact_producer_leaves_are_collected_before_the_next_one_runs(tmp_path: Path) -> None:
    import gc
    import weakref

    class Node:
        pass

    refs: list[weakref.ref[Node]] = []

    def cyclic() -> str:
        node = Node()
        node.self = node  # type: ignore[attr-defined]
        node.junk = [[] for _ in range(20_000)]  # type: ignore[attr-defined]
        refs.append(weakref.ref(node))
        return "made"

    app = build(tmp_path)
    app.add_artifact("a.txt", cyclic)
    app.add_artifact("b.txt", lambda: "collected" if refs[0]() is None else "alive")
    frozen = gc.get_freeze_count()
    assembly = app.synth()
    assert assembly.artifacts["b.txt"] == "collected"
    assert gc.get_freeze_count() == frozen


@pytest.mark.parametrize(("arguments", "field"), [
    ({"file_name": 3, "producer": lambda: "x"}, "file_name"),
    ({"file_name": "x.txt", "producer": "text"}, "producer"),
    ({"file_name": "x.txt", "producer": lambda: "x", "pure": "yes"}, "pure"),
    ({"file_name": "x.txt", "producer": lambda: "x", "pure": True, "reads_units": None}, "reads_units"),
])
def test_an_artifact_added_with_a_wrong_type_is_a_configuration_error_naming_the_argument(
        tmp_path: Path, arguments: dict[str, object], field: str) -> None:
    app = App(outdir=str(tmp_path))
    with pytest.raises(ConfigurationError, match=f"add_artifact: {field}:") as raised:
        app.add_artifact(**arguments)  # type: ignore[arg-type]
    assert f"pass {field} as" in str(raised.value)
    assert app.artifact_producers == {} and app.pure_artifacts == set()
