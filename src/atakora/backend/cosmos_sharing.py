"""Shared-throughput databases: provisioned containers that can share are pooled under database RU/s.

Azure bills provisioned RU/s per container or per database, not per account, so sharing an account
saves nothing until containers share throughput. Azure's rules (``atakora.rules.cosmos_throughput``):
a new shared-throughput database takes at most 25 sharing containers; manual throughput is set in
steps of 100 and is at least max(400, stored GB × 1, highest RU/s ever provisioned / 100,
400 + max(containers − 25, 0) × 100). The merge rule:

- eligible: a component that asks for it (``shares_throughput``; CrudApi does unless
  ``dedicated_throughput=True`` or an explicit ``database_name``), provisioned, one database with
  one container with manual throughput;
- order: candidates are taken by priority (highest first), then component id, so the
  highest-priority newcomers take the free places of the existing databases first;
- throughput: without a backend budget, the largest throughput its members asked for, rounded up
  to 100 (the pool serves peaks that do not coincide); with ``cosmos_config.shared_throughput``,
  the budget;
- priority against the budget: a newcomer that asks for more than the budget and whose priority is
  higher than every other candidate's keeps its own throughput (its own database, what it asked,
  as with ``dedicated_throughput=True``) with a warning; any other member is capped by the budget,
  with a warning that names it;
- minimum: stored GB comes from the usage profile (``atakora plan/synth --usage``, default 1 GB per
  API) and the highest RU/s ever provisioned from the previous ``plan.json``. A derived throughput
  below Azure's minimum is raised to it, with a warning; a budget below it is an error (the budget
  is what the user chose to pay; raising it silently would change the bill);
- stability: a container placed by an earlier synth stays in its database (``plan.json``), a
  component deployed before without a shared database keeps its own, so adding a component (or
  changing a priority) never moves an existing container: Azure cannot move a container between
  dedicated and shared throughput without copying its data.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from ..errors import ConfigurationError
from ..rules.cosmos_throughput import DOCS as MINIMUM_DOCS
from ..rules.cosmos_throughput import MAX_SHARED_CONTAINERS, shared_database_minimum
from .config import BackendConfig
from .requirements import CosmosRequirementConfig, FunctionsRequirementConfig, ResourceRequirement

__all__ = ["HIGHEST_PREFIX", "MAX_CONTAINERS_PER_SHARED_DATABASE", "MIN_SHARED_DATABASE_RUS", "PLACEMENT_PREFIX",
           "SHARED_DATABASE_PREFIX", "SharedThroughput", "place_shared_throughput"]

MAX_CONTAINERS_PER_SHARED_DATABASE = MAX_SHARED_CONTAINERS
MIN_SHARED_DATABASE_RUS = 400
SHARED_DATABASE_PREFIX = "shared-throughput"
PLACEMENT_PREFIX = "cosmos-database:"
"""Key prefix of a component's database in the previous plan's placements."""
HIGHEST_PREFIX = "cosmos-highest-rus:"
"""Key prefix of a shared database's highest RU/s so far in the previous plan's placements."""


@dataclass
class SharedThroughput:
    """The requirements after placement, component → shared database, and what the rule decided."""

    requirements: list[ResourceRequirement]
    placements: dict[str, str]
    warnings: list[str] = field(default_factory=list)
    highest: dict[str, int] = field(default_factory=dict)
    """Shared database → the highest RU/s it was ever given (written to ``plan.json``)."""


def _eligible(req: ResourceRequirement) -> bool:
    config = req.config
    if req.resource_type != "cosmos" or not req.shares_throughput or not isinstance(config, CosmosRequirementConfig):
        return False
    if config.enable_serverless or len(config.databases) != 1:
        return False
    db = config.databases[0]
    return (db.throughput is None and db.autoscale_max_throughput is None and len(db.containers) == 1
            and db.containers[0].throughput is not None and db.containers[0].autoscale_max_throughput is None)


def _asked(req: ResourceRequirement) -> int:
    return int(req.config.databases[0].containers[0].throughput or 0)


def place_shared_throughput(requirements: Sequence[ResourceRequirement], config: BackendConfig | None,
                            previous: Mapping[str, str], stored_gb: Mapping[str, float] | None = None
                            ) -> SharedThroughput:
    """The requirements with eligible containers moved into shared databases (see the module's rule)."""
    eligible = sorted((r for r in requirements if _eligible(r)), key=lambda r: (-r.priority, r.component_id))
    if not eligible:
        return SharedThroughput(list(requirements), {})
    stored = stored_gb or {}
    budget = config.cosmos_config.shared_throughput if config is not None and config.cosmos_config else None
    known = {key.rsplit(":", 1)[-1] for key in previous
             if not key.startswith((PLACEMENT_PREFIX, HIGHEST_PREFIX))}
    warnings: list[str] = []
    databases: dict[str, list[ResourceRequirement]] = {}
    newcomers: list[ResourceRequirement] = []
    for req in eligible:
        was = previous.get(PLACEMENT_PREFIX + req.component_id)
        if was and was.startswith(SHARED_DATABASE_PREFIX):
            databases.setdefault(was, []).append(req)
        elif req.component_id not in known:
            others = max((r.priority for r in eligible if r is not req), default=None)
            if budget is not None and _asked(req) > budget and others is not None and req.priority > others:
                warnings.append(
                    f"cosmos: {req.component_id!r} asks for {_asked(req)} RU/s, more than the shared budget "
                    f"cosmos_config.shared_throughput={budget}, and its priority {req.priority} is higher than every "
                    f"other sharing component's ({others}): it keeps its own {_asked(req)} RU/s instead of sharing")
                continue
            newcomers.append(req)
        # else: deployed before with its own database; its data would not follow, so it stays there
    for req in newcomers:
        number = 1
        while len(databases.get(f"{SHARED_DATABASE_PREFIX}-{number}", [])) >= MAX_CONTAINERS_PER_SHARED_DATABASE:
            number += 1
        databases.setdefault(f"{SHARED_DATABASE_PREFIX}-{number}", []).append(req)
    placed: dict[str, str] = {}
    moved: dict[str, ResourceRequirement] = {}
    highest: dict[str, int] = {}
    for name, members in sorted(databases.items()):
        members.sort(key=lambda r: r.component_id)
        throughput = _database_throughput(name, members, budget, stored, previous, warnings)
        highest[name] = max(throughput, int(previous.get(HIGHEST_PREFIX + name, "0") or 0))
        for req in members:
            db = req.config.databases[0]
            container = replace(db.containers[0], throughput=None)
            new_db = replace(db, name=name, containers=(container,), throughput=throughput)
            moved[req.component_id] = replace(req, config=replace(req.config, databases=(new_db,)))
            placed[req.component_id] = name
    old_names = {r.component_id: r.config.databases[0].name for r in eligible if r.component_id in placed}
    out: list[ResourceRequirement] = []
    for req in requirements:
        if req.resource_type == "cosmos" and req.component_id in moved and _eligible(req):
            out.append(moved[req.component_id])
        elif (req.resource_type == "functions" and req.component_id in placed
              and isinstance(req.config, FunctionsRequirementConfig)):
            old, new = old_names[req.component_id], placed[req.component_id]
            settings = {k: (new if k.endswith("_DATABASE_NAME") and v == old else v)
                        for k, v in req.config.environment_variables.items()}
            out.append(replace(req, config=replace(req.config, environment_variables=settings)))
        else:
            out.append(req)
    return SharedThroughput(out, placed, warnings, highest)


def _database_throughput(name: str, members: list[ResourceRequirement], budget: int | None,
                         stored: Mapping[str, float], previous: Mapping[str, str], warnings: list[str]) -> int:
    """The merge rule's RU/s for one shared database, at least Azure's minimum."""
    ids = ", ".join(repr(m.component_id) for m in members)
    gb = sum(stored.get(m.component_id, 0.0) for m in members)
    ever = int(previous.get(HIGHEST_PREFIX + name, "0") or 0)
    minimum = shared_database_minimum("manual", len(members), gb, ever)
    if budget is not None:
        if budget < minimum.rus:
            raise ConfigurationError(
                f"cosmos_config.shared_throughput is {budget} RU/s, but Azure requires at least {minimum.rus} RU/s "
                f"for shared database {name} ({len(members)} containers of {ids}; {minimum.arithmetic}; "
                f"see {MINIMUM_DOCS})", field="cosmos_config.shared_throughput", path=name,
                fix=f"set cosmos_config={{'shared_throughput': {minimum.rus}}} or more, or check stored_gb in the "
                    "usage profile (--usage usage.toml)")
        for m in members:
            if _asked(m) > budget:
                warnings.append(
                    f"cosmos: {m.component_id!r} asks for {_asked(m)} RU/s, but shares {name} at the budget "
                    f"cosmos_config.shared_throughput={budget}; give it dedicated_throughput=True (or, before its "
                    "first deployment, a priority higher than the other components') to keep its own throughput")
        return budget
    asked = max(MIN_SHARED_DATABASE_RUS, -(-max(_asked(m) for m in members) // 100) * 100)
    if asked < minimum.rus:
        warnings.append(f"cosmos: shared database {name} ({ids}) raised from {asked} to {minimum.rus} RU/s, "
                        f"Azure's minimum: {minimum.arithmetic}")
        return minimum.rus
    return asked
