"""The cyclic garbage collector around the construct tree: paused while it is built or synthesized, and
skipped at interpreter exit once a synthesis has run."""

from __future__ import annotations

import atexit
import contextlib
import gc
from collections.abc import Iterator

__all__ = ["gc_paused", "skip_collection_at_exit"]


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


_skipping_at_exit = False


def skip_collection_at_exit() -> None:
    """At interpreter exit, leave the objects alive then to the operating system instead of collecting them.

    The construct tree is one large cycle (every construct knows its scope and its children), so the final
    collection of a finished program would walk and free it object by object: about a tenth of a large
    synthesis. ``gc.freeze()`` in an exit handler moves everything to the permanent generation, which no
    collection visits; objects freed by reference counting (files, sockets) are closed as before, and
    nothing changes while the program runs. Registered once per process.
    """
    global _skipping_at_exit
    if not _skipping_at_exit:
        _skipping_at_exit = True
        atexit.register(gc.freeze)
