"""Fixtures of the core tests."""

from __future__ import annotations

import os

import pytest

from atakora.core.synthesis import workers


@pytest.fixture
def forked_pids(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The pids of the processes synthesis forks during the test, in order."""
    forked: list[int] = []
    fork = os.fork

    def counting_fork() -> int:
        pid = fork()
        if pid:
            forked.append(pid)
        return pid

    monkeypatch.setattr(workers.os, "fork", counting_fork)
    return forked
