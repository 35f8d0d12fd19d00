"""examples/static_sites.py synthesizes, deterministically, to its golden template, plan and assets."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from atakora.cli.program import run_program

EXAMPLE = Path(__file__).parents[2] / "examples" / "static_sites.py"


def synthesize() -> dict[str, Any]:
    run = run_program(EXAMPLE, outdir=None, write=False)
    out: dict[str, Any] = {}
    for assembly in run.assemblies:
        out["deployOrder"] = assembly.manifest["deployOrder"]
        # The site packages (the function package belongs to the CrudApi's own goldens).
        out["assets"] = [{k: v for k, v in asset.items() if k != "id"}
                         for stack in assembly.manifest["stacks"] for asset in stack.get("assets", [])
                         if asset["kind"] == "static-site"]
        for unit in assembly.units:
            out[unit.template_file] = unit.template
        # OpenAPI documents are parsed on first access (JsonFile): read them as plain dicts.
        out.update({name: dict(data) if isinstance(data, Mapping) else data for name, data in assembly.artifacts.items()})
    return out


def test_the_static_sites_example_matches_its_golden_output(golden: Callable[[str, Any], None]) -> None:
    golden("components_web/static_sites", synthesize())


def test_the_static_sites_example_synthesizes_identically_twice() -> None:
    assert synthesize() == synthesize()
