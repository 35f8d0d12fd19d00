"""Programs for diff tests: a backend of CRUD APIs written as a file, synthesized, changed and diffed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from diff_programs import ORDERS, USERS, program_text

from atakora.cli.program import run_program
from atakora.diff import ResourceChange, diff_states, load_state, state_of

__all__ = ["ORDERS", "USERS", "Diff", "Synth", "program_text"]

Synth = Callable[..., Path]
Diff = Callable[..., list[ResourceChange]]


@pytest.fixture
def synth(tmp_path: Path) -> Synth:
    """Write a program and synthesize it to ``tmp_path/out`` (the 'deployed' assembly)."""
    def run(text: str) -> Path:
        program = tmp_path / "app.py"
        program.write_text(text)
        out = tmp_path / "out"
        run_program(program, outdir=out)
        return out
    return run


@pytest.fixture
def diff(tmp_path: Path) -> Diff:
    """The changes of a program against ``tmp_path/out``."""
    def run(text: str) -> list[ResourceChange]:
        program = tmp_path / "changed.py"
        program.write_text(text)
        run = run_program(program, outdir=tmp_path / "out", write=False)
        return [c for a in run.assemblies for c in diff_states(load_state(tmp_path / "out"), state_of(a))]
    return run
