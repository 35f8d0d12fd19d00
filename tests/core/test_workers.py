"""Synthesis work shared with forked processes gives what this process alone gives, errors included."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from atakora.core.synthesis import workers
from atakora.core.synthesis.workers import WORKERS_VARIABLE, share, worker_count
from atakora.core.synthesis.writer import Staging
from atakora.errors import ConfigurationError

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="synthesis forks on Linux only")

PARENT = os.getpid()


@pytest.fixture
def two_workers(monkeypatch: pytest.MonkeyPatch, forked_pids: list[int]) -> list[int]:
    """Two forked processes allowed; the pids of those forked."""
    monkeypatch.setenv(WORKERS_VARIABLE, "2")
    return forked_pids


def square_and_pid(number: int) -> tuple[int, int]:
    time.sleep(0.02)  # long enough for every process to take some
    return number * number, os.getpid()


def test_shared_work_is_computed_in_forked_processes_and_returned_in_item_order(two_workers: list[int]) -> None:
    results = share(square_and_pid, list(range(9)))
    assert [square for square, _ in results] == [n * n for n in range(9)]
    pids = {pid for _, pid in results}
    assert len(two_workers) == 2 and pids == {PARENT, *two_workers}


def test_work_not_worth_forking_for_stays_in_this_process(two_workers: list[int]) -> None:
    assert share(square_and_pid, [1, 2, 3], worth_it=False) == [(1, PARENT), (4, PARENT), (9, PARENT)]
    assert share(square_and_pid, [1]) == [(1, PARENT)]
    assert two_workers == []


def fails_in_a_copy(number: int) -> tuple[int, int]:
    if os.getpid() != PARENT:
        raise MemoryError("only the copy runs out")
    return square_and_pid(number)


def test_items_a_forked_process_did_not_deliver_are_computed_here(two_workers: list[int]) -> None:
    assert share(fails_in_a_copy, list(range(9))) == [(n * n, PARENT) for n in range(9)]
    assert len(two_workers) == 2


def unpicklable(number: int) -> object:
    time.sleep(0.02)
    return (lambda: number) if os.getpid() != PARENT else number


def test_a_result_that_does_not_pickle_is_computed_here(two_workers: list[int]) -> None:
    assert share(unpicklable, [1, 2, 3]) == [1, 2, 3]


def refuses_odd(number: int) -> int:
    time.sleep(0.01)
    if number % 2:
        raise ValueError(f"{number} is odd")
    return number


def test_an_error_is_the_first_items_as_in_one_process(two_workers: list[int]) -> None:
    with pytest.raises(ValueError, match="^3 is odd$"):
        share(refuses_odd, [0, 2, 4, 6, 3, 5])
    with pytest.raises(ValueError, match="^1 is odd$"):
        share(refuses_odd, [0, 1, 2, 4, 6, 8])
    for pid in two_workers:  # every copy was reaped
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)


def test_no_process_is_forked_while_another_thread_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(WORKERS_VARIABLE, "2")
    assert worker_count() == 2
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert worker_count() == 0
    finally:
        stop.set()
        thread.join()


def test_zero_workers_keeps_synthesis_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(WORKERS_VARIABLE, "0")
    assert worker_count() == 0
    assert share(square_and_pid, [1, 2]) == [(1, PARENT), (4, PARENT)]


@pytest.mark.parametrize("text", ["two", "-1", "1.5", "", "²"])
def test_a_workers_variable_that_is_no_count_is_an_error_naming_it(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setenv(WORKERS_VARIABLE, text)
    with pytest.raises(ConfigurationError, match=f"{WORKERS_VARIABLE}=.* is not a number of processes") as caught:
        worker_count()
    assert "0 synthesizes in this process alone" in str(caught.value)


def test_more_items_than_a_pipe_holds_are_done_in_this_process_if_it_cannot_grow(
        two_workers: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    import fcntl

    def small_pipe(fd: int, command: int, *argument: int) -> int:
        if command == fcntl.F_SETPIPE_SZ:
            raise PermissionError("pipe-max-size")
        return 8192  # what a user over pipe-user-pages-soft gets

    monkeypatch.setattr(fcntl, "fcntl", small_pipe)
    assert share(abs, list(range(-3_000, 0))) == list(range(3_000, 0, -1))
    assert two_workers == []


def test_a_fork_the_system_refuses_leaves_the_work_to_this_process_and_no_pipe_open(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(WORKERS_VARIABLE, "2")

    def no_fork() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(workers.os, "fork", no_fork)
    before = len(os.listdir("/proc/self/fd"))
    assert share(square_and_pid, [1, 2, 3]) == [(1, PARENT), (4, PARENT), (9, PARENT)]
    assert len(os.listdir("/proc/self/fd")) == before


done_here: list[int] = []


def last_fails(number: int) -> int:
    time.sleep(0.02)
    if os.getpid() == PARENT:
        done_here.append(number)
    if number == 8:
        raise ValueError("8 fails")
    return number


def test_an_error_here_keeps_what_the_copies_did_and_is_raised_once_they_stop(two_workers: list[int]) -> None:
    done_here.clear()
    with pytest.raises(ValueError, match="^8 fails$"):
        share(last_fails, list(range(9)))
    assert len(done_here) < 9  # not every item done again here
    for pid in two_workers:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)


def test_synthesis_in_one_process_needs_nothing_that_only_linux_has() -> None:
    script = ("import sys; sys.modules['fcntl'] = None; import atakora.core.synthesis.synthesizer; "
              "from atakora.core.synthesis.workers import share; print(share(abs, [-1, -2]))")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False,
                          env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path), WORKERS_VARIABLE: "0"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[1, 2]"


def test_a_forked_process_cannot_remove_the_staging_directory_it_writes_into(tmp_path: Path) -> None:
    staging = Staging(tmp_path / "out")
    pid = os.fork()
    if pid == 0:
        staging.discard()
        os._exit(0)
    os.waitpid(pid, 0)
    assert staging.path.is_dir()
    staging.discard()
    assert not staging.path.exists()


def workers_here(_: int) -> tuple[int, int]:
    time.sleep(0.02)
    return worker_count(), os.getpid()


def test_a_forked_process_forks_none_of_its_own(two_workers: list[int]) -> None:
    counts = {pid: count for count, pid in share(workers_here, list(range(9)))}
    assert counts[PARENT] == 2 and len(counts) == 3
    assert all(count == 0 for pid, count in counts.items() if pid != PARENT)
