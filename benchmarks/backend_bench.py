"""Backend benchmark: plan + synth of backends with 10, 100 and 1,000 CrudApi components.

Each size runs in a fresh Python process (import, define, plan, provision, generate packages,
render, write), so the wall time is the whole process; peak memory is its maximum RSS.

    python benchmarks/backend_bench.py [--sizes 10 100 1000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time

CHILD = """
import sys, json
from atakora import App, ResourceGroupStack
from atakora.backend import define_backend
from atakora.components import CrudApi

count, outdir = int(sys.argv[1]), sys.argv[2]
components = {
    f"api_{i}": CrudApi.define(f"Api{i:04d}", entity_name=f"Entity{i:04d}",
                               schema={"id": "string", "name": {"type": "string", "required": True},
                                       "category": "string", "price": "number"},
                               partition_key="/category" if i % 2 else "/id")
    for i in range(count)
}
backend = define_backend(components, environment="bench", location="eastus", monitoring=True)
app = App(outdir=outdir)
stack = ResourceGroupStack(app, "Bench", resource_group_name="rg-bench", location="eastus")
backend.add_to_stack(stack)
assembly = app.synth()
plan = backend.plan()
print(json.dumps({"units": len(assembly.units), "shared": plan.shared_resource_count,
                  "traditional": plan.traditional_resource_count,
                  "resources": sum(len(u.template["resources"]) for u in assembly.units)}))
"""


def run_once(count: int) -> tuple[float, float, str]:
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", CHILD, str(count), f"{tmp}/out"], check=True,
                              capture_output=True, text=True)
        elapsed = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        return elapsed, peak, done.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"{'components':>10} {'best wall s':>12} {'median wall s':>14} {'peak RSS MiB':>13}  result")
    for count in args.sizes:
        runs = sorted(run_once(count) for _ in range(args.repeat))
        best, median = runs[0][0], runs[len(runs) // 2][0]
        peak = max(r[1] for r in runs)
        print(f"{count:>10} {best:>12.3f} {median:>14.3f} {peak:>13.1f}  {runs[0][2]}")


if __name__ == "__main__":
    main()
