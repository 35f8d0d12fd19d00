"""Independent synthesis work (stacks to render, packages to build, artifacts, built-in rules) shared with forked
copies of this process, one per free CPU: the copies send their results back pickled; whatever a copy did not
deliver is done here."""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import struct
import sys
import threading
from collections.abc import Callable, Sequence
from typing import TypeVar

from ...errors import ConfigurationError

__all__ = ["WORKERS_VARIABLE", "share", "worker_count"]

T = TypeVar("T")
R = TypeVar("R")

WORKERS_VARIABLE = "ATAKORA_WORKERS"
"""The environment variable that sets how many processes synthesis forks besides its own (0: none)."""

_MOST_WORKERS = 3
"""Forked processes used by default at most: beyond that, reading their results back costs what they save."""


_forked = False
"""True in a forked process: it forks none of its own."""


def worker_count() -> int:
    """How many processes synthesis may fork besides this one.

    ``ATAKORA_WORKERS`` when set; else one per usable CPU beyond the first, at most three. None where forking
    is unsafe: outside Linux (macOS system libraries do not survive a fork, Windows has none) and while other
    threads run (a lock one of them holds would stay locked in the copy).
    """
    text = os.environ.get(WORKERS_VARIABLE)
    if text is not None:
        if not (text.strip().isascii() and text.strip().isdigit()):
            raise ConfigurationError(f"{WORKERS_VARIABLE}={text!r} is not a number of processes",
                                     field=WORKERS_VARIABLE,
                                     fix=f"set {WORKERS_VARIABLE} to a whole number: 0 synthesizes in this process "
                                         "alone, 1 or more forks that many processes; or unset it")
        wanted = int(text)
    else:
        wanted = min(len(os.sched_getaffinity(0)) - 1, _MOST_WORKERS) if hasattr(os, "sched_getaffinity") else 0
    if wanted <= 0 or sys.platform != "linux" or threading.active_count() > 1 or _forked:
        return 0
    return wanted


def mark_forked() -> None:
    """This process is a forked copy (of synthesis, or of work done ahead): it forks none of its own."""
    global _forked
    _forked = True


def share(function: Callable[[T], R], items: Sequence[T], *, worth_it: bool = True,
          portable: Callable[[R], R] | None = None) -> list[R]:
    """``[function(item) for item in items]``, with :func:`worker_count` forked processes helping when
    ``worth_it`` (forking costs some milliseconds): each process takes the next item not taken yet.

    ``function`` must leave in its result (or in files) every effect this process needs: a copy's other
    effects stay in the copy. ``portable`` turns a copy's result into one that pickles (and means the same
    here). Items a copy does not deliver (it failed, crashed or made a result that does not pickle) are done
    here again, so an error is raised as a run in this process alone raises it: the first item's first.
    """
    workers = min(worker_count(), len(items) - 1) if worth_it else 0
    tasks = _tasks(len(items)) if workers > 0 else None
    if tasks is None:
        return [function(item) for item in items]
    forked: list[tuple[int, int]] = []
    try:
        for _ in range(workers):
            child = _fork(function, items, tasks, portable)
            if child is None:  # no process to be had (memory, a limit on processes): fewer helpers
                break
            forked.append(child)
        results: dict[int, R] = {}
        taken: list[int] = []
        try:
            _take_tasks(function, items, tasks, results, taken)
        except Exception:
            # Leave the copies no further item, take what they did, and do here the earlier items they did
            # not deliver: the first of those to fail raises its error, else this one is the first.
            while os.read(tasks, _PIPE_SIZE):
                pass
            _collect_all(forked, results)
            for number in range(taken[-1]):
                if number not in results:
                    results[number] = function(items[number])
            raise
        _collect_all(forked, results)
        return [results[i] if i in results else function(item) for i, item in enumerate(items)]
    finally:
        os.close(tasks)
        _stop_all(forked)


_TASK = struct.Struct("=I")
"""An item's number as written into the pipe of tasks (4 bytes: a read of one is atomic)."""


_PIPE_SIZE = 65_536
"""What a Linux pipe holds unless the user's pipes use up their share (then a few pages)."""


def _tasks(count: int) -> int | None:
    """A pipe holding the number of every item, in order: each process reads the next one it does (None: the
    pipe cannot hold them all, so nobody could read them while they are written)."""
    import fcntl  # Linux only, like forking

    size = count * _TASK.size
    read, write = os.pipe()
    try:
        held = fcntl.fcntl(write, fcntl.F_GETPIPE_SZ)
        if held < size:
            with contextlib.suppress(OSError):
                held = fcntl.fcntl(write, fcntl.F_SETPIPE_SZ, size)
        if held < size:
            os.close(read)
            return None
        os.write(write, b"".join(_TASK.pack(i) for i in range(count)))
    finally:
        os.close(write)
    return read


def _take_tasks(function: Callable[[T], R], items: Sequence[T], tasks: int, results: dict[int, R],
                taken: list[int] | None = None) -> None:
    """Do the items whose numbers this process reads from ``tasks`` until none is left (``taken``: each
    number as it is read)."""
    while len(task := os.read(tasks, _TASK.size)) == _TASK.size:
        (number,) = _TASK.unpack(task)
        if taken is not None:
            taken.append(number)
        results[number] = function(items[number])


def _fork(function: Callable[[T], R], items: Sequence[T], tasks: int,
          portable: Callable[[R], R] | None) -> tuple[int, int] | None:
    """A forked process doing tasks, its results (by item number) pickled into the pipe returned (None: the
    system forks no more processes)."""
    read, write = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        return None
    if pid == 0:  # the copy: never returns
        mark_forked()
        code = 1
        try:
            os.close(read)
            results: dict[int, R] = {}
            with contextlib.suppress(Exception):  # the item it failed on is done again by the parent
                _take_tasks(function, items, tasks, results)
            if portable is not None:
                results = {number: portable(result) for number, result in results.items()}
            with open(write, "wb") as pipe:
                pipe.write(pickle.dumps(results, protocol=pickle.HIGHEST_PROTOCOL))
            code = 0
        finally:
            os._exit(code)  # no exit handlers, no flushing of buffers the parent flushes
    os.close(write)
    return pid, read


def _collect_all(forked: list[tuple[int, int]], results: dict[int, R]) -> None:
    """Add to ``results`` what each forked process sent, each reaped and its pipe closed."""
    while forked:
        pid, pipe = forked[0]
        results.update(_collect(pid, pipe))
        del forked[0]
        os.close(pipe)


def _collect(pid: int, pipe: int) -> dict[int, R]:
    """The results a forked process sent (none when it sent no readable ones); the process reaped."""
    with open(pipe, "rb", closefd=False) as reader:
        data = reader.read()
    _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        return {}
    try:
        results = pickle.loads(data)
    except Exception:  # noqa: BLE001 - a result that unpickles badly is computed again here
        return {}
    return results if isinstance(results, dict) else {}


def _stop_all(forked: list[tuple[int, int]]) -> None:
    for pid, pipe in forked:
        _stop(pid, pipe)
    forked.clear()


def _stop(pid: int, pipe: int) -> None:
    """End a forked process that may still run (after an error here) and reap it; close its pipe."""
    with contextlib.suppress(OSError):
        os.close(pipe)
    with contextlib.suppress(ChildProcessError, ProcessLookupError):
        if os.waitpid(pid, os.WNOHANG) == (0, 0):
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
