"""Synthesis pauses the cyclic garbage collector and restores it afterwards, also on errors."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from pathlib import Path

import pytest

from atakora.core.gcpause import gc_paused


def test_the_collector_is_off_inside_and_back_on_after_the_block() -> None:
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_an_error_inside_still_turns_the_collector_back_on() -> None:
    with pytest.raises(RuntimeError), gc_paused():
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_a_collector_the_caller_turned_off_stays_off() -> None:
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


_EXIT_PROGRAM = """
import atexit, gc, sys, tempfile
atexit.register(lambda: print("frozen at exit:", gc.get_freeze_count() > 0))  # runs last (handlers run LIFO)
from atakora import App, ResourceGroupStack
app = App(outdir=tempfile.mkdtemp() + "/out")
ResourceGroupStack(app, "Main", resource_group_name="rg-main", location="eastus")
if sys.argv[1] == "synth":
    app.synth()
"""


@pytest.mark.parametrize(("action", "frozen"), [("synth", True), ("build", False)])
def test_a_program_that_synthesized_leaves_its_tree_to_the_system_at_exit(action: str, frozen: bool) -> None:
    src = Path(__file__).resolve().parents[2] / "src"
    result = subprocess.run([sys.executable, "-c", _EXIT_PROGRAM, action], capture_output=True, text=True,
                            check=True, env={**os.environ, "PYTHONPATH": str(src)})
    assert result.stdout.strip() == f"frozen at exit: {frozen}"
