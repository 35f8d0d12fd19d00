"""Azure's minimum RU/s of a shared-throughput Cosmos DB database, and how it grows.

From "Azure Cosmos DB service quotas", Minimum throughput on shared throughput database
(https://learn.microsoft.com/azure/cosmos-db/concepts-limits#minimum-throughput-limits):

- manual: the largest of 400 RU/s, stored GB × 1 RU/s, the highest RU/s ever provisioned on the
  database / 100, and 400 + max(containers − 25, 0) × 100 RU/s;
- autoscale (maximum RU/s): the largest of 1000 RU/s, stored GB × 10 RU/s, the highest RU/s ever
  provisioned / 10, and 1000 + max(containers − 25, 0) × 1000 RU/s.

Manual throughput is set in steps of 100 RU/s and an autoscale maximum in steps of 1000, so the
minimum is rounded up to the next step. (The page's autoscale example for 30 containers says
5000 RU/s, which its own formula does not give; the formula, 6000, is followed.) A new shared database takes at most 25 containers that share
its throughput ("Set throughput on a database"); more only with dedicated throughput.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

__all__ = ["DOCS", "MAX_SHARED_CONTAINERS", "Mode", "SharedMinimum", "shared_database_minimum"]

DOCS = "https://learn.microsoft.com/azure/cosmos-db/concepts-limits#minimum-throughput-limits"
MAX_SHARED_CONTAINERS = 25

Mode = Literal["manual", "autoscale"]
_BASE = {"manual": 400, "autoscale": 1000}
_PER_GB = {"manual": 1, "autoscale": 10}
_EVER_DIVISOR = {"manual": 100, "autoscale": 10}
_STEP = {"manual": 100, "autoscale": 1000}


@dataclass(frozen=True)
class SharedMinimum:
    """The minimum RU/s (manual) or autoscale maximum RU/s of one shared database, and why."""

    rus: int
    arithmetic: str
    """The formula with the figures filled in, e.g. ``max(400, 600 GB × 1 RU/s, ...) = 600 RU/s``."""


def shared_database_minimum(mode: Mode, containers: int, stored_gb: float = 0.0,
                            highest_ever: int = 0) -> SharedMinimum:
    """Azure's minimum for a shared-throughput database with ``containers`` containers and ``stored_gb``."""
    base, per_gb, divisor, step = _BASE[mode], _PER_GB[mode], _EVER_DIVISOR[mode], _STEP[mode]
    terms = [base, math.ceil(stored_gb * per_gb), math.ceil(highest_ever / divisor),
             base + max(containers - MAX_SHARED_CONTAINERS, 0) * (step if mode == "manual" else base)]
    rus = -(-max(terms) // step) * step
    label = "RU/s" if mode == "manual" else "RU/s autoscale maximum"
    arithmetic = (f"max({base}, {stored_gb:g} GB × {per_gb} RU/s, highest {highest_ever:,} RU/s / {divisor}, "
                  f"{base} + max({containers} − 25, 0) × {step if mode == 'manual' else base})"
                  f"{' rounded up to a multiple of ' + str(step) if rus != max(terms) else ''} = {rus:,} {label}")
    return SharedMinimum(rus, arithmetic)
