"""CrudApi synthesis at scale, against the cost of writing its own output.

Two shapes, each size in fresh Python processes (whole process, warm bytecode cache):

- ``backends``: N CrudApis in backends of 20 components, one resource-group stack per backend;
- ``single``: one backend of N CrudApis in one stack.

Per size and shape it reports: the whole-process wall time into a fresh folder and over the previous assembly
(and their ratio; both without what the child does after synthesis: reading its peak, the re-dump baseline,
counting the resources), the in-process synthesis time (define, add to stacks, synth, write), the JSON re-dump
baseline (``json.load`` + ``json.dump`` of every JSON file of the assembly, in the same process) and the
synthesis / re-dump ratio, and the peak RSS of synthesis (read in the child before the baseline, whose own
loading of the largest file would otherwise count). It also reports the import time of ``atakora``,
``atakora.backend`` and ``atakora.components`` and whether that import pulls in modules synthesis never uses,
and the growth ratio between the largest and the smallest size, and how many processes synthesis forks
(``ATAKORA_WORKERS``). Best and median of ``--repeat`` runs: the machine is shared, so read the best.

    python benchmarks/crud_bench.py [--sizes 300 1000 3000] [--shapes backends single] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
from typing import Any

from _runner import run_child

IMPORT_CHILD = """
import json, sys, time
start = time.perf_counter()
import atakora, atakora.backend, atakora.components
elapsed = time.perf_counter() - start
from atakora.components import CrudApi
with_crud = time.perf_counter() - start
unused = sorted(m for m in ("atakora.runtime.crud", "azure.functions", "werkzeug", "asyncio", "http.server", "ssl",
                            "atakora.components.static_site_cdn", "atakora.components.message_queue")
                if m in sys.modules)
print(json.dumps({"import_s": elapsed, "crud_s": with_crud, "modules": len(sys.modules), "unused": unused}))
"""

SYNTH_CHILD = """
import json, os, sys, tempfile, time
start = time.perf_counter()
from atakora import App, ResourceGroupStack
from atakora.backend import define_backend
from atakora.components import CrudApi
from atakora.errors import AtakoraError
imported = time.perf_counter()

shape, count, outdir, per = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
schema = {"id": "string", "name": {"type": "string", "required": True}, "category": "string", "price": "number"}
app = App(outdir=outdir)
groups = [range(count)] if shape == "single" else [range(i, min(i + per, count)) for i in range(0, count, per)]
for number, members in enumerate(groups):
    components = {f"api_{i}": CrudApi.define(f"Api{i:05d}", entity_name=f"Entity{i:05d}", schema=schema,
                                             partition_key="/category" if i % 2 else "/id")
                  for i in members}
    backend = define_backend(components, environment="bench", location="eastus", monitoring=True,
                             backend_id=f"b{number:04d}")
    stack = ResourceGroupStack(app, f"Bench{number:04d}", resource_group_name=f"rg-bench-{number:04d}",
                               location="eastus")
    backend.add_to_stack(stack)
try:
    assembly = app.synth()
except AtakoraError as error:  # a size the shape cannot deploy (one template over ARM's limit): a result too
    print(json.dumps({"refused": str(error).splitlines()[0]}))
    raise SystemExit(0) from None
synthesized = time.perf_counter()
import resource
# Before the baseline's own memory; the largest of this process and the processes synthesis forked (each
# counts the pages it shares with this one).
synth_peak = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)) / 1024

# The baseline: load every JSON file of the assembly and dump it again with json.dump.
size = 0
with tempfile.TemporaryDirectory() as scratch:
    base = time.perf_counter()
    for root, _, names in os.walk(outdir):
        for name in names:
            if name.endswith(".json"):
                path = os.path.join(root, name)
                size += os.path.getsize(path)
                with open(path, encoding="utf-8") as f:
                    data = json.load(f)
                with open(os.path.join(scratch, name), "w", encoding="utf-8") as f:
                    json.dump(data, f)
    redump = time.perf_counter() - base
resources = sum(len(u.template["resources"]) for u in assembly.units)  # parses every template again
# What this process did after synthesis (its peak, the baseline, the count above) is no part of the program.
after = time.perf_counter() - synthesized
print(json.dumps({"import_s": imported - start, "synth_s": synthesized - imported, "redump_s": redump,
                  "after_s": after, "json_mb": size / 1e6, "units": len(assembly.units), "synth_peak_mib": synth_peak,
                  "resources": resources}))
"""


def _fmt(values: list[float]) -> str:
    return f"{min(values):7.3f} {statistics.median(values):7.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[300, 1000, 3000])
    parser.add_argument("--shapes", nargs="+", choices=["backends", "single"], default=["backends", "single"])
    parser.add_argument("--per-backend", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-over", action="store_true", help="skip the run over a previous assembly")
    args = parser.parse_args()

    run_child(IMPORT_CHILD)  # warm the bytecode cache
    imports = [run_child(IMPORT_CHILD) for _ in range(max(args.repeat, 5))]
    details = [json.loads(r.stdout) for r in imports]
    print(f"import atakora, atakora.backend, atakora.components (best median s): "
          f"{_fmt([d['import_s'] for d in details])} in-process ({_fmt([d['crud_s'] for d in details])} with CrudApi), "
          f"{_fmt([r.wall for r in imports])} whole process; "
          f"{details[0]['modules']} modules; unused by synthesis: {', '.join(details[0]['unused']) or 'none'}")

    from atakora.core.synthesis.workers import worker_count

    print(f"synthesis forks {worker_count()} process(es) besides its own (ATAKORA_WORKERS="
          f"{os.environ.get('ATAKORA_WORKERS', 'unset')}); peak MiB is the largest of them")
    print(f"{'shape':>8} {'N':>6} {'fresh wall':>15} {'over wall':>15} {'over/fresh':>10} {'synth':>15} "
          f"{'re-dump':>15} {'synth/redump':>12} {'peak MiB':>8} {'JSON MB':>7} {'units':>5} {'resources':>9}")
    print(f"{'':>8} {'':>6} {'best  median':>15} {'best  median':>15} {'median':>10} {'best  median':>15} "
          f"{'best  median':>15} {'median':>12}")
    for shape in args.shapes:
        fresh_best: dict[int, float] = {}
        for count in args.sizes:
            fresh, over, synth, redump, ratio, peak = [], [], [], [], [], 0.0
            info: dict[str, Any] = {}
            for attempt in range(args.repeat + 1):
                with tempfile.TemporaryDirectory() as tmp:
                    argv = (shape, str(count), f"{tmp}/out", str(args.per_backend))
                    first = run_child(SYNTH_CHILD, *argv)
                    info = json.loads(first.stdout)
                    if "refused" in info:
                        break
                    second = None if args.no_over else run_child(SYNTH_CHILD, *argv)
                if attempt == 0:
                    continue  # warm-up: bytecode cache and page cache
                fresh.append(first.wall - info["after_s"])
                synth.append(info["synth_s"])
                redump.append(info["redump_s"])
                ratio.append(info["synth_s"] / info["redump_s"])
                peak = max(peak, info["synth_peak_mib"])
                if second is not None:
                    second_info = json.loads(second.stdout)
                    over.append(second.wall - second_info["after_s"])
                    peak = max(peak, second_info["synth_peak_mib"])
            if "refused" in info:
                print(f"{shape:>8} {count:>6} refused: {info['refused']}")
                continue
            fresh_best[count] = min(fresh)
            over_text = _fmt(over) if over else f"{'-':>15}"
            over_ratio = f"{statistics.median(over) / statistics.median(fresh):10.2f}" if over else f"{'-':>10}"
            print(f"{shape:>8} {count:>6} {_fmt(fresh)} {over_text} {over_ratio} {_fmt(synth)} {_fmt(redump)} "
                  f"{statistics.median(ratio):12.2f} {peak:8.1f} {info['json_mb']:7.1f} {info['units']:5.0f} "
                  f"{info['resources']:9.0f}")
        if len(fresh_best) > 1:
            small, large = min(fresh_best), max(fresh_best)
            print(f"{shape:>8} growth t({large})/t({small}) = {fresh_best[large] / fresh_best[small]:.2f} "
                  f"for {large / small:.1f}x the components (best fresh wall)")


if __name__ == "__main__":
    main()
