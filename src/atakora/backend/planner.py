"""The planner: a pure function from requirements to a sharing plan (design §4)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from ..errors import ResourceLimitError
from .config import BackendConfig, ResourceLimits
from .cosmos_sharing import place_shared_throughput
from .merge import same_value
from .plan import SharedResourcePlan, SharingPlan, plan_key
from .providers.base import BaseProvider, Compatibility, ProviderRegistry
from .requirements import ResourceRequirement

__all__ = ["SHARED_KEY", "PlanInput", "make_plan"]

SHARED_KEY = "shared"
"""The requirement key of the built-in components: one shared resource per type and compatible group."""

_LIMIT_TEXT = {
    "max_cosmos_accounts": "Cosmos DB accounts",
    "max_function_apps": "Function Apps",
    "max_storage_accounts": "Storage Accounts",
}


@dataclass(frozen=True)
class PlanInput:
    """Everything the planner needs; nothing in it is a construct."""

    backend_id: str
    environment: str
    components: Mapping[str, str]
    """component id → component type."""
    requirements: Sequence[ResourceRequirement]
    registry: ProviderRegistry
    limits: ResourceLimits
    name_for: Callable[[str, str | None], str]
    """``(resource_type, suffix) -> name`` from the naming convention."""
    config: BackendConfig | None = None
    """The backend's configuration, for providers whose names depend on it (an existing account)."""
    previous_placements: Mapping[str, str] | None = None
    """``type:key:component`` → plan key from the previous synth: components stay where they were."""
    stored_gb: Mapping[str, float] | None = None
    """component id → Cosmos DB data stored (the usage profile's ``stored_gb``), for Azure's minimum RU/s."""


def _compat_groups(provider: BaseProvider, members: list[ResourceRequirement]
                   ) -> list[tuple[Compatibility | None, list[ResourceRequirement], list[str]]]:
    """Split members by compatibility signature, then greedily by pairwise conflicts (sorted, stable)."""
    by_signature: dict[object, tuple[Compatibility | None, list[ResourceRequirement]]] = {}
    for req in members:
        compat = provider.compatibility(req)
        signature = compat.signature if compat else None
        if signature not in by_signature:
            by_signature[signature] = (compat, [])
        by_signature[signature][1].append(req)
    groups: list[tuple[Compatibility | None, list[ResourceRequirement], list[str]]] = []
    for compat, reqs in by_signature.values():
        # Greedy: each requirement joins the first sub-group whose exclusive values it agrees with.
        split: list[tuple[list[ResourceRequirement], list[str], dict[str, tuple[object, str]]]] = []
        for req in reqs:
            values = provider.exclusive_values(req)
            reasons: list[str] = []
            for bucket, _, seen in split:
                clash = next((f"{owner!r} and {req.component_id!r} disagree on {key}"
                              for key, value in values.items()
                              for held, owner in [seen.get(key, (value, ""))] if not same_value(held, value)), None)
                if clash is None:
                    bucket.append(req)
                    seen.update({k: (v, req.component_id) for k, v in values.items() if k not in seen})
                    break
                reasons.append(clash)
            else:
                split.append(([req], reasons, {k: (v, req.component_id) for k, v in values.items()}))
        base_label = compat.label if compat else ""
        for number, (bucket, reasons, _) in enumerate(split):
            group_compat = compat
            if number:
                label = f"{base_label}-{number + 1}" if base_label else f"g{number + 1}"
                group_compat = Compatibility(signature=(compat.signature if compat else None, number), label=label,
                                             reason="; ".join(reasons))
            groups.append((group_compat, bucket, reasons))
    # The group holding the first component (sorted) is the main one; the others follow.
    return sorted(groups, key=lambda g: min(r.component_id for r in g[1]))


def _keep_main_group(groups: list[tuple[Compatibility | None, list[ResourceRequirement], list[str]]],
                     previous: Mapping[str, str], base: str
                     ) -> list[tuple[Compatibility | None, list[ResourceRequirement], list[str]]]:
    """Keep the group that held the unlabeled resource on the previous synth first, so nobody moves."""
    if len(groups) < 2 or not previous:
        return groups

    def was_main(req: ResourceRequirement) -> bool:
        key = previous.get(f"{req.resource_type}:{req.requirement_key}:{req.component_id}")
        return key is not None and (key == base or (key.startswith(base + "#") and key[len(base) + 1:].isdigit()))

    main = next((i for i, (_, reqs, _) in enumerate(groups) if any(was_main(r) for r in reqs)), 0)
    return [groups[main], *groups[:main], *groups[main + 1:]]


def _buckets(provider: BaseProvider, members: list[ResourceRequirement], limit: int | None,
             previous: Mapping[str, str], label: str) -> list[list[ResourceRequirement]]:
    """Capacity buckets: members keep the bucket they had on the previous synth; others fill first-fit."""
    if limit is None:
        return [members]
    first = members[0]
    index_of = {plan_key(first.resource_type, first.requirement_key, label, i): i
                for i in range(len(members))} if previous else {}
    buckets: list[list[ResourceRequirement]] = []
    used: list[int] = []

    def place(req: ResourceRequirement, index: int, units: int) -> None:
        while len(buckets) <= index:
            buckets.append([])
            used.append(0)
        buckets[index].append(req)
        used[index] += units

    pending: list[ResourceRequirement] = [] if previous else list(members)  # no previous synth: all first-fit
    for req in members if previous else ():
        was = previous.get(f"{req.resource_type}:{req.requirement_key}:{req.component_id}")
        index = index_of.get(was) if was else None
        if index is not None:
            place(req, index, provider.capacity_units(req))
        else:
            pending.append(req)
    for req in pending:
        units = provider.capacity_units(req)
        index = next((i for i, u in enumerate(used) if u + units <= limit), len(buckets))
        place(req, index, units)
    return buckets  # empty buckets keep later indices (and so names) stable


def make_plan(data: PlanInput) -> SharingPlan:
    """Group requirements by type and key, split hard incompatibilities and capacity, merge, name.

    The order in which components were defined never changes the result.
    """
    previous = data.previous_placements or {}
    shared = place_shared_throughput(data.requirements, data.config, previous, data.stored_gb)
    requirements, database_placements = shared.requirements, shared.placements
    grouped: dict[tuple[str, str], list[ResourceRequirement]] = defaultdict(list)
    for req in sorted(requirements, key=lambda r: (r.resource_type, r.requirement_key, r.component_id)):
        grouped[(req.resource_type, req.requirement_key)].append(req)
    entries: list[SharedResourcePlan] = []
    warnings: list[str] = list(shared.warnings)
    for (resource_type, requirement_key), members in grouped.items():
        provider = data.registry.for_requirement(members[0])
        compat_groups = _keep_main_group(_compat_groups(provider, members), previous,
                                         f"{resource_type}:{requirement_key}")
        if len(compat_groups) > 1:
            described = "; ".join(
                f"{', '.join(repr(r.component_id) for r in reqs)}: {c.reason if c else 'no stated need'}"
                for c, reqs, _ in compat_groups)
            warnings.append(
                f"{resource_type}:{requirement_key}: requirements cannot share one resource ({described}); "
                f"creating {len(compat_groups)} resources")
        limit = provider.capacity_limit(data.limits)
        for number, (compat, reqs, _) in enumerate(compat_groups):
            label = compat.label if (compat and number > 0) else ""

            buckets = _buckets(provider, reqs, limit, previous, label)
            if len(buckets) > 1:
                warnings.append(
                    f"{resource_type}:{requirement_key}{' (' + label + ')' if label else ''}: the members need more "
                    f"than one resource holds ({limit}); split into {len(buckets)} resources")
            for index, bucket in enumerate(buckets):
                if not bucket:
                    continue
                report = provider.merge_with_report(bucket)
                suffix_parts = [p for p in (_key_suffix(requirement_key),
                                            label, str(index + 1) if index else "") if p]
                suffix = "-".join(suffix_parts) or None
                entry = SharedResourcePlan(
                    resource_type=resource_type, requirement_key=requirement_key,
                    name=provider.resource_name(data.name_for(resource_type, suffix), data.config),
                    provider_id=provider.provider_id, members=sorted({r.component_id for r in bucket}),
                    config=report.requirement.config, priority=report.requirement.priority,
                    strategies=report.strategies, warnings=list(report.warnings), group=label, bucket=index,
                    name_suffix=suffix, requirements=list(bucket), merged=report.requirement)
                warnings.extend(report.warnings)
                entries.append(entry)
    _check_limits(entries, data)
    traditional = len({(r.component_id, r.resource_type, r.requirement_key) for r in data.requirements})
    return SharingPlan(backend_id=data.backend_id, environment=data.environment,
                       components=dict(sorted(data.components.items())), resources=entries, warnings=warnings,
                       traditional_resource_count=traditional, database_placements=database_placements,
                       shared_throughput_highest=shared.highest,
                       unshared_requirements={r.component_id: r for r in data.requirements
                                              if r.resource_type == "cosmos" and r.component_id in database_placements})


def _key_suffix(requirement_key: str) -> str:
    """Names carry the requirement key unless it is the default 'shared' (stable when keys are added)."""
    return "" if requirement_key == SHARED_KEY else requirement_key


def _check_limits(entries: list[SharedResourcePlan], data: PlanInput) -> None:
    counts: dict[str, list[SharedResourcePlan]] = defaultdict(list)
    for entry in entries:
        provider = data.registry.for_requirement(entry.requirements[0])
        provider.check_limits(entry.merged_requirement, data.limits, data.config)
        if provider.limit_field:
            counts[provider.limit_field].append(entry)
    for field_name, found in counts.items():
        limit = getattr(data.limits, field_name, None)
        if limit is not None and len(found) > limit:
            what = _LIMIT_TEXT.get(field_name, field_name.removeprefix("max_").replace("_", " "))
            why = "; ".join(f"{e.name}: {', '.join(e.members)}" for e in found)
            raise ResourceLimitError(
                f"Maximum {what} exceeded (backend {data.backend_id!r} needs {len(found)}: {why})",
                limit_name=field_name, limit=limit, requested=len(found),
                solutions=[f"Increase {field_name} in backend config", "Split components across multiple backends",
                           "Request Azure quota increase"],
            )
