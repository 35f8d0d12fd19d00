"""Assemblies as diffable states: every stack's template and which component made each resource."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.assembly_files import ManifestFile, OwnersFile, TemplateFile, read_assembly_json
from ..core.nested import flatten_resources
from ..core.synthesis import CloudAssembly
from ..errors import AssemblyFileError
from .changes import ResourceChange, diff_resources

__all__ = ["OWNERS_FILE", "AssemblyState", "StackState", "diff_states", "load_state", "state_of"]

OWNERS_FILE = "components.json"
_SECURE = {"securestring", "secureobject"}


@dataclass(frozen=True)
class StackState:
    """One deployment unit: its id, stack path, template and resource owners (``(lower type, name)`` → ids)."""

    id: str
    stack: str
    template: Mapping[str, Any]
    owners: Mapping[tuple[str, str], str] = field(default_factory=dict)

    @property
    def resources(self) -> list[Mapping[str, Any]]:
        """The template's resources, and those of its nested deployments (the role-assignment deployment's)."""
        return [r for r, _ in flatten_resources(list(self.template.get("resources") or []))]

    @property
    def secure_parameters(self) -> list[str]:
        """Names of ``securestring``/``secureobject`` parameters (their values are masked)."""
        params = self.template.get("parameters") or {}
        return [n for n, p in params.items() if str(p.get("type", "")).lower() in _SECURE]

    def owner_map(self) -> dict[tuple[str, str], str]:
        """The owner of every resource, by ``(lower-case type, name)``."""
        by_key = {_key(r): r for r in self.resources}
        return {key: _owner_of(key[0], key[1], self.owners, by_key) for key in by_key}

    def owner(self, resource: Mapping[str, Any]) -> str:
        """The component(s) that made ``resource`` (recorded, else its tag or its parent's)."""
        return self.owner_map().get(_key(resource), "")


@dataclass(frozen=True)
class AssemblyState:
    """Every stack of an assembly, in deploy order, and the components marked ``protect``."""

    stacks: tuple[StackState, ...]
    protected: frozenset[str] = frozenset()


def _owner_of(rtype: str, name: str, owners: Mapping[tuple[str, str], str],
              by_key: Mapping[tuple[str, str], Mapping[str, Any]]) -> str:
    key = (rtype.lower(), name)
    if key in owners:
        return owners[key]
    resource = by_key.get(key) or {}
    tag = (resource.get("tags") or {}).get("atakora-components") if isinstance(resource.get("tags"), Mapping) else None
    if isinstance(tag, str):
        return tag
    parts, segments = rtype.split("/"), name.split("/")
    while len(parts) > 2 and len(segments) > 1 and not name.startswith("["):
        parts, segments = parts[:-1], segments[:-1]
        parent = ("/".join(parts).lower(), "/".join(segments))
        if parent in owners:
            return owners[parent]
        if parent in by_key:
            return _owner_of("/".join(parts), "/".join(segments), owners, by_key)
    return ""


def _owners(data: Mapping[str, Any], stack: str) -> dict[tuple[str, str], str]:
    stacks = data.get("stacks") if isinstance(data, Mapping) else None
    found = stacks.get(stack) if isinstance(stacks, Mapping) else None
    out: dict[tuple[str, str], str] = {}
    for key, value in (found or {}).items():
        rtype, _, name = str(key).partition(" ")
        out[(rtype.lower(), name)] = str(value)
    return out


def _protected(data: Mapping[str, Any]) -> frozenset[str]:
    return frozenset(str(c) for c in (data.get("protected") or [])) if isinstance(data, Mapping) else frozenset()


def state_of(assembly: CloudAssembly) -> AssemblyState:
    """The state of an assembly synthesized in memory."""
    owners = assembly.artifacts.get(OWNERS_FILE) or {}
    return AssemblyState(tuple(StackState(u.id, u.stack_path, u.template, _owners(owners, u.stack_path))
                               for u in assembly.units), _protected(owners))


def load_state(directory: Path) -> AssemblyState | None:
    """The state of an assembly written to ``directory`` (None when it holds none).

    A manifest, template or ``components.json`` that is unreadable or of the wrong shape, or a
    template the manifest lists that is missing, is an ``AssemblyFileError``.
    """
    manifest_file = directory / "manifest.json"
    if not manifest_file.is_file():
        return None
    manifest = read_assembly_json(manifest_file, ManifestFile)
    owners_file = directory / OWNERS_FILE
    owners = read_assembly_json(owners_file, OwnersFile) if owners_file.is_file() else {}
    stacks = []
    for entry in manifest["stacks"]:
        template_file = directory / entry["templateFile"]
        if not template_file.is_file():
            raise AssemblyFileError(manifest_file, f"it lists template {entry['templateFile']!r}, which is missing")
        template = read_assembly_json(template_file, TemplateFile)
        stack = entry.get("stack", entry["id"])
        stacks.append(StackState(entry["id"], stack, template, _owners(owners, stack)))
    return AssemblyState(tuple(stacks), _protected(owners))


def diff_states(before: AssemblyState | None, after: AssemblyState) -> list[ResourceChange]:
    """Every change from ``before`` (None: nothing deployed) to ``after``, stack by stack in deploy order.

    A resource moving between the parts of one split stack is no change; a stack that is gone has all
    its resources deleted.
    """
    old = {s.id: s for s in (before.stacks if before else ())}
    changes: list[ResourceChange] = []
    seen: set[str] = set()
    groups: dict[str, tuple[list[StackState], list[StackState]]] = {}
    for state in after.stacks:
        groups.setdefault(state.stack, ([], []))[1].append(state)
    for state in old.values():
        groups.setdefault(state.stack, ([], []))[0].append(state)
    for stack, (was, now) in groups.items():
        seen.update(s.id for s in was)
        before_resources = [r for s in was for r in s.resources]
        after_resources = [r for s in now for r in s.resources]
        owners_before = {k: v for s in was for k, v in s.owner_map().items()}
        owners_after = {k: v for s in now for k, v in s.owner_map().items()}
        secure = sorted({p for s in (*was, *now) for p in s.secure_parameters})
        changes.extend(diff_resources(stack, before_resources, after_resources, components_before=owners_before,
                                      components_after=owners_after, secure_parameters=secure))
    return changes


def _key(resource: Mapping[str, Any]) -> tuple[str, str]:
    return str(resource.get("type", "")).lower(), str(resource.get("name", ""))
