"""Synthesis benchmark: stacks of 100, 1,000 and 10,000 plain resources.

Each size runs in a fresh Python process (import, build, render, write), so the wall time is the
whole process; peak memory is the child's maximum resident set size.

    python benchmarks/synth_bench.py [--sizes 100 1000 10000] [--repeat 3]
"""

from __future__ import annotations

from _runner import run_benchmark

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


def main() -> None:
    run_benchmark(__doc__ or "", CHILD, "resources", [100, 1000, 10000])


if __name__ == "__main__":
    main()
