"""Pause the cyclic garbage collector while the construct tree is built or synthesized."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["gc_paused"]


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Run the block without cyclic collections (reference counting still frees everything else).

    Building a backend or synthesizing creates many objects that all stay alive; each collection
    would only walk the growing tree again, so synthesis time would grow faster than its size.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
