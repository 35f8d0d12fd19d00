"""Pure work done in a forked process while the program still builds its tree, taken by synthesis when its
inputs have not changed since.

A backend's Function App packages are known once the backend is added to its stack. Building them then, on
a CPU the program does not use (it builds the next backend), leaves synthesis less to do. The forked process
writes each result's files into a temporary directory; synthesis takes those whose inputs are the very
objects it would build from, and builds the others as before.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import hashlib
import json
import os
import shutil
import signal
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from ...errors import ConfigurationError
from . import workers

__all__ = ["BATCH", "MadeFile", "WorkAhead", "same_objects"]

BATCH = 8
"""Pieces of work waiting before a process is forked for them: forking a large program costs some
milliseconds, about what building one function package saves."""

Make = Callable[[], Mapping[str, Sequence[bytes]] | None]
"""Work to do ahead: its files by name, each as the pieces it joins (None: nothing to take, do it later)."""


@dataclass(frozen=True)
class MadeFile:
    """A file made ahead: where it is, its SHA-256 and size."""

    path: str
    sha256: str
    size: int


@dataclass
class _Item:
    number: int
    inputs: tuple[object, ...]
    make: Make


class WorkAhead:
    """The work one App hands out before synthesis: :meth:`submit` it, :meth:`start` a process for what waits
    (when there is enough, and no process is at work already), :meth:`take` what was made; :meth:`close`
    stops the process and removes its files."""

    def __init__(self, *, enabled: bool = True) -> None:
        self.enabled = enabled
        """False: nothing is done ahead (a synthesis that writes no files would take nothing)."""
        self._waiting: list[_Item] = []
        self._items: dict[object, _Item] = {}
        self._child: int | None = None
        self._directory: str | None = None
        self._owner = os.getpid()
        """The process whose work this is: a copy of it (forked by the program) leaves the work alone."""
        self._count = 0

    def submit(self, key: object, inputs: tuple[object, ...], make: Make) -> None:
        """Do ``make`` ahead (it must have no effect but the files it returns); ``inputs``: every object its
        result depends on, compared by identity when it is taken."""
        item = _Item(self._count, inputs, make)
        self._count += 1
        self._items[key] = item  # the latest for the key is the one taken
        self._waiting.append(item)

    def start(self) -> None:
        """Fork a process for the waiting work when there is a batch of it, no process is at work, and
        synthesis may fork (:func:`~atakora.core.synthesis.workers.worker_count`)."""
        if self._busy() or not self.enabled or len(self._waiting) < BATCH or os.getpid() != self._owner \
                or not self._may_fork():
            return
        directory = self._made_directory()
        if directory is None:
            return
        batch = self._waiting
        try:
            pid = os.fork()
        except OSError:  # no process to be had: synthesis does the work
            return
        if pid == 0:  # the copy: never returns
            try:
                gc.disable()  # a collection would copy every page of the program's heap
                workers.mark_forked()
                parent = self._owner
                for item in batch:
                    if os.getppid() != parent:  # the program is gone: nobody takes the rest
                        break
                    with contextlib.suppress(Exception):  # synthesis does it again, and raises there
                        _write_result(directory, item)
            finally:
                os._exit(0)  # no exit handlers, no flushing of the program's buffers
        self._waiting = []
        self._child = pid

    def take(self, key: object, inputs: tuple[object, ...]) -> dict[str, MadeFile] | None:
        """The files made for ``key``, when they were made from ``inputs`` (the same objects) and are complete;
        else None."""
        item = self._items.pop(key, None)
        if item is None or self._directory is None or os.getpid() != self._owner \
                or not same_objects(item.inputs, inputs):
            return None
        try:
            with open(os.path.join(self._directory, f"{item.number}.json"), encoding="utf-8") as file:
                record = json.load(file)
        except (OSError, ValueError):
            return None
        return {name: MadeFile(os.path.join(self._directory, f"{item.number}.{name}"), sha, size)
                for name, (sha, size) in record.items()}

    def stop(self) -> None:
        """End the process at work, if one is, and reap it."""
        if self._busy():
            assert self._child is not None
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._child, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self._child, 0)
        self._child = None

    def close(self) -> None:
        """Stop the process, forget the work and remove the files made (those taken are in the assembly)."""
        self.stop()
        self._waiting.clear()
        self._items.clear()
        if self._directory is not None and os.getpid() == self._owner:
            shutil.rmtree(self._directory, ignore_errors=True)
            self._directory = None
            atexit.unregister(self.close)

    @staticmethod
    def _may_fork() -> bool:
        try:
            return workers.worker_count() > 0
        except ConfigurationError:  # a wrong ATAKORA_WORKERS: synthesis says so, whatever the program's size
            return False

    def _busy(self) -> bool:
        """Whether the process forked is still at work (reaped once it is done)."""
        if self._child is None or os.getpid() != self._owner:
            return False
        with contextlib.suppress(ChildProcessError):
            if os.waitpid(self._child, os.WNOHANG) == (0, 0):
                return True
        self._child = None
        return False

    def _made_directory(self) -> str | None:
        """The directory for the files, in the system's temporary directory (never in the program's folders, which
        a static site may package); None when it cannot be made."""
        if self._directory is None:
            try:
                self._directory = tempfile.mkdtemp(prefix="atakora-ahead-")
            except OSError:
                return None
            atexit.register(self.close)
        return self._directory


def same_objects(now: tuple[object, ...], then: tuple[object, ...]) -> bool:
    """Whether two tuples hold the very same objects (equal ones may differ later: a list changes)."""
    return len(now) == len(then) and all(a is b for a, b in zip(now, then, strict=True))


def _write_result(directory: str, item: _Item) -> None:
    """Write ``item``'s files and, last, the record of their digests that says they are complete."""
    files = item.make()
    if files is None:
        return
    record: dict[str, tuple[str, int]] = {}
    for name, pieces in files.items():
        digest = hashlib.sha256()
        with open(os.path.join(directory, f"{item.number}.{name}"), "wb") as file:
            for piece in pieces:
                digest.update(piece)
                file.write(piece)
        record[name] = (digest.hexdigest(), sum(len(piece) for piece in pieces))
    partial = os.path.join(directory, f"{item.number}.json.part")
    with open(partial, "w", encoding="utf-8") as file:
        json.dump(record, file)
    os.replace(partial, os.path.join(directory, f"{item.number}.json"))
