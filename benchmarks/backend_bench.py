"""Backend benchmark: plan + synth of backends with 10, 100 and 1,000 CrudApi components.

Each size runs in a fresh Python process (import, define, plan, provision, generate packages,
render, write), so the wall time is the whole process; peak memory is its maximum RSS.

    python benchmarks/backend_bench.py [--sizes 10 100 1000] [--repeat 3]
"""

from __future__ import annotations

from _runner import run_benchmark

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


def main() -> None:
    run_benchmark(__doc__ or "", CHILD, "components", [10, 100, 1000])


if __name__ == "__main__":
    main()
