"""The architecture diagram: golden Mermaid per shape, every component and resource shown, valid syntax."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from atakora.backend.backend import backends_of
from atakora.backend.diagram import _FRONT_TYPES, _Ids, _resources, _text, _Tree, backend_diagram
from atakora.cli import app as cli
from atakora.cli.program import run_program
from atakora.core.stack import Stack

ROOT = Path(__file__).parent.parent.parent
GOLDEN = ROOT / "tests" / "golden" / "diagram"
PROGRAMS = {
    "quickstart": ROOT / "examples" / "quickstart.py",
    "multi_region": ROOT / "examples" / "multi_region.py",
    "network_isolation": ROOT / "examples" / "network_isolation.py",
    "blue_green": ROOT / "examples" / "blue_green.py",
    "split": Path(__file__).parent / "split_program.py",
}
NODE_CACHE = Path(os.environ.get("ATAKORA_TEST_NODE_CACHE", Path.home() / ".cache" / "atakora-test-node"))
runner = CliRunner()


@pytest.fixture(autouse=True)
def _seed_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DEPLOY_COLOR", "VERSION", "DEPLOY_ENV", "ENTRA_TENANT_ID", "ENTRA_CLIENT_ID"):
        monkeypatch.delenv(name, raising=False)


def diagram_of(program: Path) -> tuple[str, list[object]]:
    run = run_program(program, outdir=None, write=False)
    backends = [b for created in run.apps for b in backends_of(created)]
    return backend_diagram(backends, [u for a in run.assemblies for u in a.units]), backends


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_the_diagram_matches_its_golden_file(name: str, request: pytest.FixtureRequest) -> None:
    text, _ = diagram_of(PROGRAMS[name])
    path = GOLDEN / f"{name}.mmd"
    if request.config.getoption("--update-golden") or os.environ.get("ATAKORA_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"{path} is missing; run pytest --update-golden"
    assert text == path.read_text(encoding="utf-8"), f"diagram differs from {path}; run pytest --update-golden"


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_every_component_and_shared_resource_of_the_plan_appears(name: str) -> None:
    text, backends = diagram_of(PROGRAMS[name])
    for backend in backends:
        plan = backend.plan()  # type: ignore[attr-defined]
        for component_id in plan.components:
            assert f'["{component_id}<br/>' in text
        for entry in plan.resources:
            assert f"{entry.name}<br/>" in text


def test_the_diagram_is_deterministic() -> None:
    assert diagram_of(PROGRAMS["multi_region"])[0] == diagram_of(PROGRAMS["multi_region"])[0]


def test_components_are_linked_to_resources_with_the_role_they_hold() -> None:
    text, _ = diagram_of(PROGRAMS["quickstart"])
    assert ('c_MyStack_backend_ProductApi -->|"Cosmos DB data contributor on product"| '
            "r_MyStack_backend_cosmos_shared") in text
    assert 'c_MyStack_backend_UserApi -->|"runs in"| r_MyStack_backend_functions_shared' in text
    assert "Storage Blob Data Owner" in text  # the app's own identity on its host storage


def test_a_capacity_split_carries_a_note_with_its_reason() -> None:
    text, _ = diagram_of(PROGRAMS["split"])
    assert 'n_SplitStack_backend_functions_shared_2>"split: functions:shared: the members need more than one' in text
    assert "n_SplitStack_backend_functions_shared_2 -.- r_SplitStack_backend_functions_shared_2" in text


def test_networking_front_doors_and_stack_references_are_drawn() -> None:
    isolated, _ = diagram_of(PROGRAMS["network_isolation"])
    assert 'v_SecureStack_Vnet ---|"in subnet"|' in isolated
    assert '-.->|"private link"| r_SecureStack_backend_cosmos_shared' in isolated
    assert 'r_SecureStack_backend_functions_shared -->|"VNet integration"| v_SecureStack_Vnet' in isolated
    regions, _ = diagram_of(PROGRAMS["multi_region"])
    assert ('r_GlobalFrontendStack_backend_frontdoor_shared -->|"routes to"| '
            "r_GlobalStack_westeurope_global_westeurope_functions_shared") in regions
    # each regional app admits only the Front Door (its frontDoorId): the regional stacks reference the frontend
    assert 's_GlobalStack_eastus -.->|"references"| s_GlobalFrontendStack' in regions
    traffic, _ = diagram_of(PROGRAMS["blue_green"])
    assert '-->|"routes to"| r_AppStack_green_backend_functions_shared' in traffic


def test_labels_are_escaped_and_ids_are_safe_and_unique() -> None:
    assert _text('a "b" <c> | d # e') == "a #quot;b#quot; #lt;c#gt; #124; d #35; e"
    assert _text("two\nlines") == "two lines"
    ids = _Ids()
    first, second = ids.get("c", "My-Stack/api.v1"), ids.get("c", "My_Stack/api_v1")
    assert first == "c_My_Stack_api_v1" and second == "c_My_Stack_api_v1_2"
    assert ids.get("c", "My-Stack/api.v1") == first
    assert ids.get("c", "ünïcode") == "c_n_code"


def test_a_key_met_again_gets_its_own_id_after_others_that_look_alike() -> None:
    ids = _Ids()
    made = [ids.get("r", key) for key in ("a.b", "a_b", "a-b", "a_b_2")]
    assert made == ["r_a_b", "r_a_b_2", "r_a_b_3", "r_a_b_2_2"]
    assert [ids.get("r", key) for key in ("a-b", "a_b_2", "a_b", "a.b")] == [made[2], made[3], made[1], made[0]]
    assert ids.get("c", "a.b") == "c_a_b" and ids.get("r", "a b") == "r_a_b_4"


def test_synth_writes_the_same_diagram_as_plan_mermaid(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert runner.invoke(cli, ["synth", str(PROGRAMS["quickstart"]), "--out", str(out)]).exit_code == 0
    result = runner.invoke(cli, ["plan", str(PROGRAMS["quickstart"]), "--mermaid"])
    assert result.exit_code == 0
    assert result.stdout == (out / "diagram.mmd").read_text(encoding="utf-8")
    assert result.stdout.startswith("flowchart LR\n")  # the program's own prints go to stderr


def test_plan_markdown_embeds_the_diagram_in_a_mermaid_block() -> None:
    result = runner.invoke(cli, ["plan", str(PROGRAMS["quickstart"]), "--markdown"])
    assert result.exit_code == 0
    text = result.stdout
    assert text.startswith("## atakora plan\n")
    assert "| backend | 2 | 3 | 6 | 3 |" in text
    assert "### Estimated monthly cost" in text
    block = text.split("```mermaid\n", 1)[1].split("```", 1)[0]
    assert block == diagram_of(PROGRAMS["quickstart"])[0]


def test_plan_refuses_two_output_formats_at_once() -> None:
    result = runner.invoke(cli, ["plan", str(PROGRAMS["quickstart"]), "--mermaid", "--json"])
    assert result.exit_code == 1
    assert "pass one of them" in result.stderr


@pytest.mark.node
def test_mermaid_itself_parses_every_golden_diagram() -> None:
    """Mermaid's own parser (npm ``mermaid`` with ``jsdom``) accepts each diagram."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("node and npm are needed to run Mermaid's parser (CI=true)")
        pytest.skip("node and npm are needed to run Mermaid's parser")
    if not (NODE_CACHE / "node_modules" / "mermaid" / "package.json").exists():
        NODE_CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", str(NODE_CACHE),
                        "mermaid@11", "jsdom@24"], check=True, capture_output=True, timeout=600)
    files = sorted(str(p) for p in GOLDEN.glob("*.mmd"))
    assert len(files) == len(PROGRAMS)
    result = subprocess.run(["node", str(Path(__file__).parent / "mermaid_parse.mjs"), *files], check=False,
                            cwd=NODE_CACHE, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("command", [["validate", "--json"], ["diff", "--json"], ["plan", "--json"]])
def test_machine_readable_output_is_not_mixed_with_the_programs_prints(command: list[str], tmp_path: Path) -> None:
    result = runner.invoke(cli, [command[0], str(PROGRAMS["quickstart"]), *command[1:],
                                 *(["--out", str(tmp_path)] if command[0] == "diff" else [])])
    assert result.exit_code == 0, result.output
    json.loads(result.stdout)
    assert "User API:" in result.stderr


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_one_walk_of_the_tree_gives_each_scope_the_resources_a_walk_of_the_scope_gives(name: str) -> None:
    _, backends = diagram_of(PROGRAMS[name])
    root = backends[0].scope.node.root  # type: ignore[attr-defined]
    scopes = list(root.node.find_all())
    tree = _Tree(root, scopes)
    for scope in scopes:
        assert tree.resources_of(scope) == list(_resources(scope))
    assert tree.stacks == [c for c in scopes if isinstance(c, Stack)]
    fronts = [(s, r) for s in tree.stacks for r in _resources(s) if r.resource_type.lower().startswith(_FRONT_TYPES)]
    assert tree.fronts(tree.stacks) == fronts
    assert fronts or name not in ("blue_green", "multi_region")


def test_a_written_assembly_reads_its_diagram_from_the_file_and_it_reads_as_the_text(tmp_path: Path) -> None:
    from atakora.core.synthesis.assembly import TextFile

    out = tmp_path / "out"
    (assembly,) = run_program(PROGRAMS["quickstart"], outdir=out).assemblies
    diagram = assembly.artifacts["diagram.mmd"]
    text = (out / "diagram.mmd").read_text(encoding="utf-8")
    assert isinstance(diagram, TextFile) and "data" not in vars(diagram)  # the text is not kept
    assert diagram == text and str(diagram) == text and diagram.splitlines()[0] == "flowchart LR"
    assert dict(assembly.files())["diagram.mmd"] == text.encode()


def test_a_graph_sealed_run_by_run_writes_the_text_of_one_never_sealed() -> None:
    from atakora.backend.diagram import _Graph

    def draw(graph: _Graph, seal: bool) -> str:
        graph.group("s", "stack")
        for n in ("b1", "b2"):
            graph.group(n, f"backend {n}", "s")
            graph.node(n, f'{n}_c["component of {n}"]')
            graph.edge(f"{n}_c", f"{n}_r", "uses")
            graph.edge(f"{n}_c", f"{n}_r", "uses")  # drawn twice, written once
            if seal:
                graph.seal(n)
            graph.node(n, f'{n}_late["drawn after its seal"]')
        graph.node("s", 's_v["in the stack"]')
        graph.edge("s", "b1", "references")
        return graph.render()

    sealed, plain = draw(_Graph(), True), draw(_Graph(), False)
    assert sealed == plain and plain.count('b1_c -->|"uses"| b1_r') == 1
    assert plain.index("b1_late") < plain.index("b2_c") and plain.index("end") < plain.index("-->")


def test_a_private_endpoint_whose_subnet_is_an_id_expression_is_drawn(tmp_path: Path) -> None:
    program = tmp_path / "app.py"
    program.write_text(
        "from atakora import App, ResourceGroupStack\n"
        "from atakora.backend import define_backend\n"
        "from atakora.components import CrudApi\n"
        "app = App()\n"
        "backend = define_backend({'u': CrudApi.define('UserApi', entity_name='User', schema={'id': 'string'})},\n"
        "                         networking={'mode': 'isolated', 'private_endpoints': False}, secrets=['SENTRY_DSN'])\n"
        "backend.add_to_stack(ResourceGroupStack(app, 'S', resource_group_name='rg-s', location='eastus'))\n",
        encoding="utf-8")
    run = run_program(program, outdir=tmp_path / "out")
    text = (tmp_path / "out" / "diagram.mmd").read_text(encoding="utf-8")
    assert text == backend_diagram([b for a in run.apps for b in backends_of(a)], run.assemblies[0].units)
    assert '-.->|"private link"| r_S_backend_KeyVault' in text
