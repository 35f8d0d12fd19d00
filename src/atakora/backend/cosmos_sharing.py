"""Shared-throughput databases: provisioned containers that can share are pooled under database RU/s.

Azure bills provisioned RU/s per container or per database, not per account, so sharing an account
saves nothing until containers share throughput. Azure's rules (``atakora.rules.cosmos_throughput``):
a new shared-throughput database takes at most 25 sharing containers; manual throughput is set in
steps of 100 and is at least max(400, stored GB × 1, highest RU/s ever provisioned / 100,
400 + max(containers − 25, 0) × 100); an autoscale maximum in steps of 1000, at least max(1000,
stored GB × 10, highest / 10, 1000 + max(containers − 25, 0) × 1000). The merge rule:

- eligible: a component that asks for it (``shares_throughput``; CrudApi does unless
  ``dedicated_throughput=True`` or an explicit ``database_name``), provisioned, one database with
  one container with manual throughput or an autoscale maximum; manual containers pool in
  ``shared-throughput-N``, autoscale ones in ``shared-autoscale-N`` (a template cannot switch a
  database between the two);
- order: candidates are taken by priority (highest first), then component id, so the
  highest-priority newcomers take the free places of the existing databases first;
- throughput: without a backend budget, the largest throughput (or autoscale maximum) its members
  asked for, rounded up to the step (the pool serves peaks that do not coincide); with
  ``cosmos_config.shared_throughput`` (manual) or ``shared_autoscale_max_throughput`` (autoscale), the
  budget;
- priority against the budget: a newcomer that asks for more than the budget and whose priority is
  higher than every other candidate's of its mode keeps its own throughput (its own database, what it
  asked, as with ``dedicated_throughput=True``) with a warning; any other member is capped by the
  budget, with a warning that names it;
- minimum: stored GB comes from the usage profile (``--usage`` of synth, plan, validate, diff and
  deploy; default 1 GB per API) and the highest RU/s ever given from the previous ``plan.json``. A
  derived throughput below Azure's minimum is raised to it, with a warning; a budget below it is an
  error (the budget is what the user chose to pay; raising it silently would change the bill);
- stability: a container placed by an earlier synth stays in its database (``plan.json``), a
  component deployed before without a shared database keeps its own, so adding a component (or
  changing a priority or mode) never moves an existing container: Azure cannot move a container
  between dedicated and shared throughput without copying its data.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from ..errors import ConfigurationError
from ..rules.cosmos_throughput import DOCS as MINIMUM_DOCS
from ..rules.cosmos_throughput import MAX_SHARED_CONTAINERS, Mode, shared_database_minimum
from .config import BackendConfig
from .requirements import CosmosRequirementConfig, FunctionsRequirementConfig, ResourceRequirement

__all__ = ["AUTOSCALE_DATABASE_PREFIX", "HIGHEST_PREFIX", "MAX_CONTAINERS_PER_SHARED_DATABASE",
           "MIN_SHARED_DATABASE_RUS", "PLACEMENT_PREFIX", "SHARED_DATABASE_PREFIX", "SharedThroughput",
           "place_shared_throughput"]

MAX_CONTAINERS_PER_SHARED_DATABASE = MAX_SHARED_CONTAINERS
MIN_SHARED_DATABASE_RUS = 400
SHARED_DATABASE_PREFIX = "shared-throughput"
AUTOSCALE_DATABASE_PREFIX = "shared-autoscale"
PLACEMENT_PREFIX = "cosmos-database:"
"""Key prefix of a component's database in the previous plan's placements."""
HIGHEST_PREFIX = "cosmos-highest-rus:"
"""Key prefix of a shared database's highest RU/s so far in the previous plan's placements."""

_PREFIX: dict[Mode, str] = {"manual": SHARED_DATABASE_PREFIX, "autoscale": AUTOSCALE_DATABASE_PREFIX}
_STEP: dict[Mode, int] = {"manual": 100, "autoscale": 1000}
_FLOOR: dict[Mode, int] = {"manual": MIN_SHARED_DATABASE_RUS, "autoscale": 1000}
_BUDGET_FIELD: dict[Mode, str] = {"manual": "shared_throughput", "autoscale": "shared_autoscale_max_throughput"}


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
    if db.throughput is not None or db.autoscale_max_throughput is not None or len(db.containers) != 1:
        return False
    container = db.containers[0]
    return (container.throughput is None) != (container.autoscale_max_throughput is None)


def _mode(req: ResourceRequirement) -> Mode:
    return "autoscale" if req.config.databases[0].containers[0].autoscale_max_throughput else "manual"


def _asked(req: ResourceRequirement) -> int:
    container = req.config.databases[0].containers[0]
    return int(container.throughput or container.autoscale_max_throughput or 0)


def _database_mode(name: str) -> Mode:
    return "autoscale" if name.startswith(AUTOSCALE_DATABASE_PREFIX) else "manual"


def _budget(config: BackendConfig | None, mode: Mode) -> int | None:
    cosmos = config.cosmos_config if config is not None else None
    value = getattr(cosmos, _BUDGET_FIELD[mode], None) if cosmos is not None else None
    return int(value) if value is not None else None


def place_shared_throughput(requirements: Sequence[ResourceRequirement], config: BackendConfig | None,
                            previous: Mapping[str, str], stored_gb: Mapping[str, float] | None = None
                            ) -> SharedThroughput:
    """The requirements with eligible containers moved into shared databases (see the module's rule)."""
    eligible = sorted((r for r in requirements if _eligible(r)), key=lambda r: (-r.priority, r.component_id))
    if not eligible:
        return SharedThroughput(list(requirements), {})
    stored = stored_gb or {}
    known = {key.rsplit(":", 1)[-1] for key in previous
             if not key.startswith((PLACEMENT_PREFIX, HIGHEST_PREFIX))}
    warnings: list[str] = []
    databases: dict[str, list[ResourceRequirement]] = {}
    newcomers: list[ResourceRequirement] = []
    for req in eligible:
        was = previous.get(PLACEMENT_PREFIX + req.component_id)
        if was and was.startswith((SHARED_DATABASE_PREFIX, AUTOSCALE_DATABASE_PREFIX)):
            databases.setdefault(was, []).append(req)
            if _database_mode(was) != _mode(req):
                warnings.append(
                    f"cosmos: {req.component_id!r} asks for {_mode(req)} throughput, but its container shares "
                    f"{_database_mode(was)} database {was}, where it stays: a template cannot switch a database "
                    "between manual and autoscale (do it in the portal or with the Azure CLI)")
            continue
        if req.component_id in known:
            continue  # deployed before with its own database; its data would not follow, so it stays there
        mode, budget = _mode(req), _budget(config, _mode(req))
        others = max((r.priority for r in eligible if r is not req and _mode(r) == mode), default=None)
        if budget is not None and _asked(req) > budget and others is not None and req.priority > others:
            warnings.append(
                f"cosmos: {req.component_id!r} asks for {_asked(req)} RU/s, more than the shared budget "
                f"cosmos_config.{_BUDGET_FIELD[mode]}={budget}, and its priority {req.priority} is higher than every "
                f"other sharing component's ({others}): it keeps its own {_asked(req)} RU/s instead of sharing")
            continue
        newcomers.append(req)
    for req in newcomers:
        prefix, number = _PREFIX[_mode(req)], 1
        while len(databases.get(f"{prefix}-{number}", [])) >= MAX_CONTAINERS_PER_SHARED_DATABASE:
            number += 1
        databases.setdefault(f"{prefix}-{number}", []).append(req)
    placed: dict[str, str] = {}
    moved: dict[str, ResourceRequirement] = {}
    highest: dict[str, int] = {}
    for name, members in sorted(databases.items()):
        members.sort(key=lambda r: r.component_id)
        mode = _database_mode(name)
        rus = _database_throughput(name, mode, members, _budget(config, mode), stored, previous, warnings)
        highest[name] = max(rus, int(previous.get(HIGHEST_PREFIX + name, "0") or 0))
        for req in members:
            db = req.config.databases[0]
            container = replace(db.containers[0], throughput=None, autoscale_max_throughput=None)
            new_db = replace(db, name=name, containers=(container,),
                             throughput=rus if mode == "manual" else None,
                             autoscale_max_throughput=rus if mode == "autoscale" else None)
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


def _database_throughput(name: str, mode: Mode, members: list[ResourceRequirement], budget: int | None,
                         stored: Mapping[str, float], previous: Mapping[str, str], warnings: list[str]) -> int:
    """The merge rule's RU/s (or autoscale maximum) for one shared database, at least Azure's minimum."""
    ids = ", ".join(repr(m.component_id) for m in members)
    gb = sum(stored.get(m.component_id, 0.0) for m in members)
    ever = int(previous.get(HIGHEST_PREFIX + name, "0") or 0)
    minimum = shared_database_minimum(mode, len(members), gb, ever)
    what = "RU/s" if mode == "manual" else "RU/s autoscale maximum"
    if budget is not None:
        setting = _BUDGET_FIELD[mode]
        if budget < minimum.rus:
            raise ConfigurationError(
                f"cosmos_config.{setting} is {budget} {what}, but Azure requires at least {minimum.rus} {what} for shared "
                f"database {name} ({len(members)} containers of {ids}; {minimum.arithmetic}; see {MINIMUM_DOCS})",
                field=f"cosmos_config.{setting}", path=name,
                fix=f"set cosmos_config={{'{setting}': {minimum.rus}}} or more, or check stored_gb in the usage "
                    "profile (--usage usage.toml)")
        for m in members:
            if _asked(m) > budget:
                warnings.append(
                    f"cosmos: {m.component_id!r} asks for {_asked(m)} {what}, but shares {name} at the budget "
                    f"cosmos_config.{setting}={budget}; give it dedicated_throughput=True (or, before its first "
                    "deployment, a priority higher than the other components') to keep its own throughput")
        return budget
    step = _STEP[mode]
    asked = max(_FLOOR[mode], -(-max(_asked(m) for m in members) // step) * step)
    if asked < minimum.rus:
        warnings.append(f"cosmos: shared database {name} ({ids}) raised from {asked} to {minimum.rus} {what}, "
                        f"Azure's minimum: {minimum.arithmetic}")
        return minimum.rus
    return asked
