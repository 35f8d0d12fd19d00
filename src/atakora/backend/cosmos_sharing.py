"""Shared-throughput databases: provisioned containers that can share are pooled under database RU/s.

Azure bills provisioned RU/s per container or per database, not per account, so sharing an account
saves nothing until containers share throughput. Rules (Azure Cosmos DB service quotas and "Set
throughput on a database"): a shared-throughput database takes at most 25 containers; manual
throughput is at least 400 RU/s, in steps of 100. Placement:

- eligible: a component that asks for it (``shares_throughput``; CrudApi does unless
  ``dedicated_throughput=True`` or an explicit ``database_name``), provisioned, one database with
  one container with manual throughput;
- merge rule: a database gets ``cosmos_config.shared_throughput`` when set, else the largest
  throughput its containers asked for (the pool serves peaks that do not coincide), never below 400;
- stability: a container placed by an earlier synth stays in its database (``plan.json``), a
  component deployed before without a shared database keeps its own, and newcomers fill the first
  database with room, so adding a component never moves an existing container.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from .config import BackendConfig
from .requirements import CosmosRequirementConfig, FunctionsRequirementConfig, ResourceRequirement

__all__ = ["MAX_CONTAINERS_PER_SHARED_DATABASE", "MIN_SHARED_DATABASE_RUS", "SHARED_DATABASE_PREFIX",
           "place_shared_throughput"]

MAX_CONTAINERS_PER_SHARED_DATABASE = 25
MIN_SHARED_DATABASE_RUS = 400
SHARED_DATABASE_PREFIX = "shared-throughput"
PLACEMENT_PREFIX = "cosmos-database:"
"""Key prefix of a component's database in the previous plan's placements."""


def _eligible(req: ResourceRequirement) -> bool:
    config = req.config
    if req.resource_type != "cosmos" or not req.shares_throughput or not isinstance(config, CosmosRequirementConfig):
        return False
    if config.enable_serverless or len(config.databases) != 1:
        return False
    db = config.databases[0]
    return (db.throughput is None and db.autoscale_max_throughput is None and len(db.containers) == 1
            and db.containers[0].throughput is not None and db.containers[0].autoscale_max_throughput is None)


def place_shared_throughput(requirements: Sequence[ResourceRequirement], config: BackendConfig | None,
                            previous: Mapping[str, str]) -> tuple[list[ResourceRequirement], dict[str, str]]:
    """The requirements with eligible containers moved into shared databases, and component → database."""
    eligible = sorted((r for r in requirements if _eligible(r)), key=lambda r: r.component_id)
    if not eligible:
        return list(requirements), {}
    known = {key.rsplit(":", 1)[-1] for key in previous if not key.startswith(PLACEMENT_PREFIX)}
    databases: dict[str, list[ResourceRequirement]] = {}
    newcomers: list[ResourceRequirement] = []
    for req in eligible:
        was = previous.get(PLACEMENT_PREFIX + req.component_id)
        if was and was.startswith(SHARED_DATABASE_PREFIX):
            databases.setdefault(was, []).append(req)
        elif req.component_id not in known:
            newcomers.append(req)
        # else: deployed before with its own database; its data would not follow, so it stays there
    for req in newcomers:
        number = 1
        while len(databases.get(f"{SHARED_DATABASE_PREFIX}-{number}", [])) >= MAX_CONTAINERS_PER_SHARED_DATABASE:
            number += 1
        databases.setdefault(f"{SHARED_DATABASE_PREFIX}-{number}", []).append(req)
    budget = config.cosmos_config.shared_throughput if config is not None and config.cosmos_config else None
    placed: dict[str, str] = {}
    moved: dict[str, ResourceRequirement] = {}
    for name, members in databases.items():
        asked = max(m.config.databases[0].containers[0].throughput or 0 for m in members)
        throughput = budget or max(MIN_SHARED_DATABASE_RUS, -(-asked // 100) * 100)
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
    return out, placed
