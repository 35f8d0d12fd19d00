"""Synthesis pauses the cyclic garbage collector and restores it afterwards, also on errors."""

from __future__ import annotations

import gc

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
