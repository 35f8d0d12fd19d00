"""Synthesis benchmark: stacks of 100, 1,000 and 10,000 plain resources.

Each size runs in a fresh Python process (import, build, render, write), so the wall time is the
whole process; peak memory is the child's maximum resident set size.

    python benchmarks/synth_bench.py [--sizes 100 1000 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time

CHILD = """
import sys
from atakora import App, ResourceGroupStack
from atakora.core import ArmResource

count, outdir = int(sys.argv[1]), sys.argv[2]
app = App(outdir=outdir)
stack = ResourceGroupStack(app, "Bench", resource_group_name="rg-bench", location="eastus", tags={"env": "bench"})
for i in range(count):
    ArmResource(stack, f"Account{i}", type="Microsoft.Storage/storageAccounts", api_version="2025-08-01",
                name=f"stbench{i:08d}", sku={"name": "Standard_LRS"}, kind="StorageV2",
                properties={"minimumTlsVersion": "TLS1_2", "supportsHttpsTrafficOnly": True,
                            "allowBlobPublicAccess": False})
assembly = app.synth()
print(len(assembly.units))
"""


def run_once(count: int) -> tuple[float, float, int]:
    with tempfile.TemporaryDirectory() as tmp:
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", CHILD, str(count), f"{tmp}/out"], check=True,
                              capture_output=True, text=True)
        elapsed = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        return elapsed, max(peak, before) / 1024, int(done.stdout.strip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"{'resources':>10} {'best wall s':>12} {'median wall s':>14} {'peak RSS MiB':>13} {'deployments':>12}")
    for count in args.sizes:
        runs = sorted(run_once(count) for _ in range(args.repeat))
        best, median = runs[0][0], runs[len(runs) // 2][0]
        peak = max(r[1] for r in runs)
        print(f"{count:>10} {best:>12.3f} {median:>14.3f} {peak:>13.1f} {runs[0][2]:>12}")


if __name__ == "__main__":
    main()
