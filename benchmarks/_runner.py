"""Shared benchmark driver: each run is a fresh Python process; wall time and that process's peak RSS."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass

__all__ = ["ChildRun", "run_benchmark", "run_child"]


@dataclass
class ChildRun:
    """One child process: its wall time (s), peak resident set (MiB) and what it printed."""

    wall: float
    peak_mib: float
    stdout: str


def run_child(child: str, *args: str) -> ChildRun:
    """Run ``python -c child *args`` in a fresh process; fail loudly when it fails."""
    with tempfile.TemporaryFile("w+") as out:
        start = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-c", child, *args], stdout=out)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        if code:
            raise SystemExit(f"the benchmark child failed with exit code {code}")
        out.seek(0)
        return ChildRun(elapsed, usage.ru_maxrss / 1024, out.read().strip())


def _run_once(child: str, count: int) -> tuple[float, float, str]:
    with tempfile.TemporaryDirectory() as tmp:
        run = run_child(child, str(count), f"{tmp}/out")
        return run.wall, run.peak_mib, run.stdout


def run_benchmark(description: str, child: str, unit: str, default_sizes: list[int]) -> None:
    """Parse ``--sizes``/``--repeat``, run ``child`` (argv: count, outdir) per size and print a table."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--sizes", type=int, nargs="+", default=default_sizes)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"{unit:>10} {'best wall s':>12} {'median wall s':>14} {'peak RSS MiB':>13}  result")
    for count in args.sizes:
        runs = sorted(_run_once(child, count) for _ in range(args.repeat))
        best, median = runs[0][0], runs[len(runs) // 2][0]
        peak = max(r[1] for r in runs)
        print(f"{count:>10} {best:>12.3f} {median:>14.3f} {peak:>13.1f}  {runs[0][2]}")
