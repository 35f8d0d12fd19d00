"""Count what random programs give: ok, clear AtakoraError, poor message, raw exception, accepted-invalid.

    PYTHONPATH=src:. python benchmarks/random_programs.py [N]

Runs N (default 2000) programs from ``tests/properties/programs.py`` (generation only, no
shrinking, fixed seed) and prints the counts (and how many clear errors only say "change it as the message says") and the
most frequent distinct problems.
"""

from __future__ import annotations

import collections
import re
import sys

from hypothesis import HealthCheck, Phase, given, seed, settings

from tests.properties.programs import Program, programs, run


def main(count: int) -> None:
    """Run ``count`` programs and print the tally."""
    kinds: collections.Counter[str] = collections.Counter()
    problems: collections.Counter[str] = collections.Counter()

    @seed(14)
    @settings(max_examples=count, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(programs())
    def one(program: Program) -> None:
        outcome = run(program)
        kinds[outcome.kind] += 1
        if outcome.kind == "error" and re.search(r"Fix: .*as (the message|each error) says", outcome.detail):
            kinds["error with a generic fix"] += 1
        if outcome.kind not in ("ok", "error"):
            text = re.sub(r"'[^']*'|\d+", "_", outcome.detail.splitlines()[0])[:110]
            problems[f"{outcome.kind}: {text}"] += 1

    one()
    print(dict(kinds))
    for text, n in problems.most_common(60):
        print(f"{n:5} {text}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
