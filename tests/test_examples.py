"""Every example synthesizes, deterministically, to its golden templates and plan."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from atakora.cli.program import run_program

EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("*.py"))


def synthesize(example: Path) -> dict[str, Any]:
    run = run_program(example, outdir=None, write=False)
    out: dict[str, Any] = {}
    for assembly in run.assemblies:
        out["deployOrder"] = assembly.manifest["deployOrder"]
        for unit in assembly.units:
            out[unit.template_file] = unit.template
        # OpenAPI documents are parsed on first access (JsonFile): read them as plain dicts.
        out.update({name: dict(data) if isinstance(data, Mapping) else data for name, data in assembly.artifacts.items()})
    return out


@pytest.fixture(autouse=True)
def _seed_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The examples read a few environment variables, as the seeds do; tests run them with none set."""
    for name in ("DEPLOY_COLOR", "VERSION", "DEPLOY_ENV", "ENTRA_TENANT_ID", "ENTRA_CLIENT_ID"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.stem for e in EXAMPLES])
def test_example_matches_its_golden_output(example: Path, golden: Callable[[str, Any], None]) -> None:
    golden(f"examples/{example.stem}", synthesize(example))


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.stem for e in EXAMPLES])
def test_example_prints_its_golden_text(example: Path, golden: Callable[[str, Any], None],
                                        capsys: pytest.CaptureFixture[str]) -> None:
    run_program(example, outdir=None, write=False)
    golden(f"examples/{example.stem}.stdout", {"stdout": capsys.readouterr().out.splitlines()})


def test_an_example_synthesizes_to_identical_output_twice() -> None:
    quickstart = next(e for e in EXAMPLES if e.stem == "quickstart")
    assert synthesize(quickstart) == synthesize(quickstart)
