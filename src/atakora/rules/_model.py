"""What rules see and say: a read-only view of the rendered assembly, violations and findings."""

from __future__ import annotations

import json
import os
import re
from array import array
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Literal

from ..core.nested import flatten_resources
from ..errors import ConfigurationError

if TYPE_CHECKING:
    from ..core.synthesis.assembly import DeploymentUnit

__all__ = ["AssemblyView", "Check", "Finding", "ParseCache", "ResourceView", "Rule", "Severity", "Suppression",
           "UnitView", "Violation", "parse_resource_ref"]

Severity = Literal["error", "warning"]


class ParseCache:
    """The few most recently parsed pieces of serialized templates, shared by the views of one assembly.

    Rules read resources one after another, so a small cache parses each at most a few times while the
    assembly never holds more than ``size`` parsed pieces (a large assembly's bodies do not fit in memory
    twice). ``key`` names a piece; ``load`` parses it. Resources of templates already written are read from
    their files by :meth:`read`, which keeps the ``files`` most recent ones open.
    """

    def __init__(self, size: int = 16, files: int = 4) -> None:
        self.size = size
        self.files = files
        self._entries: OrderedDict[tuple[int, int], Any] = OrderedDict()
        self._open: OrderedDict[int, BinaryIO] = OrderedDict()

    def get(self, key: tuple[int, int], load: Callable[[], Any]) -> Any:
        """The parsed piece ``key``, parsed by ``load`` unless it is one of the recent ones."""
        entries = self._entries
        found = entries.get(key, _MISSING)
        if found is _MISSING:
            found = entries[key] = load()
            if len(entries) > self.size:
                entries.popitem(last=False)
        else:
            entries.move_to_end(key)
        return found

    def read(self, key: int, path: Callable[[], str | Path], start: int, end: int) -> bytes:
        """Bytes ``start`` to ``end`` of the file ``key`` at ``path()`` (the ``files`` most recent stay open)."""
        opened = self._open
        file = opened.get(key)
        if file is None:
            file = opened[key] = open(path(), "rb", buffering=0)  # noqa: SIM115 (clear() closes it)
            if len(opened) > self.files:
                opened.popitem(last=False)[1].close()
        else:
            opened.move_to_end(key)
        file.seek(start)
        return file.read(end - start)

    def clear(self) -> None:
        """Forget every parsed piece and close the files."""
        self._entries.clear()
        while self._open:
            self._open.popitem()[1].close()


_MISSING = object()


def _line(unit: DeploymentUnit, top: int, cache: ParseCache) -> bytes:
    """The serialized top-level resource ``top`` of ``unit``: from the bytes it holds, else read from its file."""
    if unit.data is not None or unit.store is None:
        return unit.resource_data(top)
    starts, store = unit.index.starts, unit.store
    return cache.read(id(unit), lambda: os.path.join(store.path, unit.template_file), starts[top], starts[top + 1] - 2)


class _LazyMapping(Mapping[str, Any]):
    """A read-only mapping parsed when read (a template, or one resource of it, kept as bytes)."""

    __slots__ = ("_load",)

    def __init__(self, load: Callable[[], Any]) -> None:
        self._load = load

    def parsed(self) -> Any:
        """The parsed value (from the assembly's :class:`ParseCache`)."""
        return self._load()

    def __getitem__(self, key: str) -> Any:
        return self.parsed()[key]

    def get(self, key: str, default: Any = None) -> Any:
        """The member ``key``, else ``default``."""
        return self.parsed().get(key, default)

    def __contains__(self, key: object) -> bool:
        return key in self.parsed()

    def __iter__(self) -> Iterator[str]:
        return iter(self.parsed())

    def __len__(self) -> int:
        return len(self.parsed())


class _LazyBody(_LazyMapping):
    """Resource ``number`` of a unit view's serialized template, parsed when read; its type (and, outside nested
    templates, its name) are known without parsing."""

    __slots__ = ("_name", "number", "type", "view")

    def __init__(self, view: UnitView, number: int, type: str, name: str | None) -> None:
        self.view, self.number, self.type, self._name = view, number, type, name

    @property
    def name(self) -> str:
        """The resource's name: from the unit's index, else (a nested template's resource) its parsed body."""
        name = self._name
        return name if name is not None else str(self.parsed().get("name", ""))

    def parsed(self) -> Any:
        """The parsed body (from the assembly's :class:`ParseCache`)."""
        return self.view._body(self.number)

    def raw(self) -> bytes:
        """The serialized text that holds the body (its own line, or its nested deployment's)."""
        return self.view._raw(self.number)


@dataclass(frozen=True, slots=True)
class ResourceView:
    """One resource of a rendered template, with where it came from."""

    unit: UnitView = field(repr=False, compare=False)
    index: int
    body: Mapping[str, Any] = field(repr=False, compare=False)
    within: str = ""
    """The nested deployment whose template holds it (``""``: the unit's template itself)."""

    @property
    def path(self) -> str:
        """The construct path that rendered it (empty when unknown), read from its unit when asked."""
        paths = self.unit.resource_paths
        return paths[self.index] if self.index < len(paths) else ""

    @property
    def type(self) -> str:
        """The ARM resource type, for example ``Microsoft.Web/sites``."""
        body = self.body
        return body.type if isinstance(body, _LazyBody) else str(body.get("type", ""))

    @property
    def name(self) -> str:
        """The ARM name as rendered (child resources: ``parent/child``; may be an expression)."""
        body = self.body
        return body.name if isinstance(body, _LazyBody) else str(body.get("name", ""))

    def might_contain(self, *texts: str) -> bool:
        """False when the body's JSON contains none of ``texts``: a quick test on the serialized template before
        reading the body (True promises nothing; always True for a body given as a mapping)."""
        body = self.body
        if not isinstance(body, _LazyBody):
            return True
        raw = body.raw()
        return any(text.encode() in raw for text in texts)

    @property
    def properties(self) -> Mapping[str, Any]:
        """``properties`` of the resource (empty when it has none)."""
        props = self.body.get("properties")
        return props if isinstance(props, Mapping) else {}

    @property
    def depends_on(self) -> list[str]:
        """The ``dependsOn`` entries as rendered."""
        return [str(d) for d in self.body.get("dependsOn", ())]

    @property
    def label(self) -> str:
        """How findings name the resource: its construct path, else type and name."""
        return self.path or f"{self.type} {self.name}"

    def app_settings(self) -> dict[str, Any]:
        """``siteConfig.appSettings`` of a site as a name → value dict (empty for other resources)."""
        site_config = self.properties.get("siteConfig")
        settings = site_config.get("appSettings", ()) if isinstance(site_config, Mapping) else ()
        return {str(s.get("name")): s.get("value") for s in settings if isinstance(s, Mapping)}


@dataclass(frozen=True)
class UnitView:
    """One deployment unit (a stack or one ``.partN`` of it): its template and manifest entry."""

    id: str
    stack: str
    template: Mapping[str, Any] = field(repr=False)
    manifest_entry: Mapping[str, Any] = field(repr=False)
    resource_paths: Sequence[str] = field(default=(), repr=False)
    source: DeploymentUnit | None = field(default=None, repr=False, compare=False)
    """The synthesized unit whose serialized template this view reads (None: ``template`` is the template)."""
    cache: ParseCache | None = field(default=None, repr=False, compare=False)
    """Where parsed pieces of ``source`` are kept for a while (shared by the units of one assembly)."""

    @classmethod
    def of_unit(cls, unit: DeploymentUnit, manifest_entry: Mapping[str, Any],
                cache: ParseCache | None = None) -> UnitView:
        """The view of a synthesized unit: its template and resources are parsed from the unit's bytes only
        when a rule reads them, through ``cache`` (default: a cache of its own); types and names come from the
        unit's index."""
        cache = cache if cache is not None else ParseCache()
        key = (id(unit), -1)
        return cls(id=unit.id, stack=unit.stack_path,
                   template=_LazyMapping(lambda: cache.get(key, lambda: json.loads(unit.template_data))),
                   manifest_entry=manifest_entry, resource_paths=unit.resource_paths, source=unit,
                   cache=cache)

    @cached_property
    def _resources(self) -> tuple[ResourceView, ...]:
        """The views of a given template's resources (a synthesized unit's are made when read)."""
        return tuple(ResourceView(self, i, body, within)
                     for i, (body, within) in enumerate(flatten_resources(list(self.template.get("resources", ())))))

    @property
    def resource_count(self) -> int:
        """How many resources the unit has (nested deployments' included)."""
        return len(self.source.index.types) if self.source is not None else len(self._resources)

    def resource_types(self) -> Sequence[str]:
        """Each resource's ARM type, in template order (a synthesized unit's from its index, without parsing)."""
        return self.source.index.types if self.source is not None else [r.type for r in self._resources]

    def resource(self, number: int) -> ResourceView:
        """Resource ``number`` in template order. A synthesized unit's view is made when asked and kept by no one:
        the views of every resource of a large program would not all fit in memory beside it."""
        unit = self.source
        if unit is None:
            return self._resources[number]
        index = unit.index
        return ResourceView(self, number, _LazyBody(self, number, index.types[number], index.names[number]),
                            index.within[number])

    @cached_property
    def _cache(self) -> ParseCache:
        return self.cache if self.cache is not None else ParseCache()

    def _line(self, top: int) -> bytes:
        unit = self.source
        assert unit is not None
        return _line(unit, top, self._cache)

    def _body(self, number: int) -> Any:
        """Resource ``number`` (in flattened order) of the source unit, parsed (kept for a while by the cache)."""
        unit = self.source
        assert unit is not None
        tops = unit.index.tops
        if tops is None:
            return self._cache.get((id(unit), number), lambda: json.loads(self._line(number)))
        top = tops[number]
        flat = self._cache.get((id(unit), top), lambda: [body for body, _ in
                                                         flatten_resources([json.loads(self._line(top))])])
        return flat[number - bisect_left(tops, top)]

    def _raw(self, number: int) -> bytes:
        """The serialized top-level resource that holds resource ``number``."""
        unit = self.source
        assert unit is not None
        tops = unit.index.tops
        return self._line(number if tops is None else tops[number])

    def release(self) -> None:
        """Drop the resource views of a given template (they refer to this view: a cycle that outlives a run
        while synthesis pauses the garbage collector)."""
        self.__dict__.pop("_resources", None)

    @property
    def resources(self) -> list[ResourceView]:
        """The unit's resources in template order, each nested deployment's resources right after it."""
        return [self.resource(i) for i in range(self.resource_count)]

    @property
    def assets(self) -> list[Mapping[str, Any]]:
        """The manifest entries of the assets deployed after this unit."""
        return list(self.manifest_entry.get("assets", ()))

    @property
    def steps(self) -> list[Mapping[str, Any]]:
        """The manifest entries of the deploy steps run after this unit."""
        return list(self.manifest_entry.get("steps", ()))


@dataclass(frozen=True)
class AssemblyView:
    """The rendered assembly that rules check: units in deploy order, manifest and artifacts (plan.json)."""

    units: tuple[UnitView, ...]
    manifest: Mapping[str, Any] = field(repr=False)
    artifacts: Mapping[str, Any] = field(default_factory=dict, repr=False)
    project_id: str | None = None
    """The project id that globally unique names include (None: the program has none)."""

    @classmethod
    def from_templates(cls, templates: Mapping[str, Mapping[str, Any]], *,
                       assets: Mapping[str, Iterable[Mapping[str, Any]]] | None = None,
                       artifacts: Mapping[str, Any] | None = None, project_id: str | None = "test",
                       steps: Mapping[str, Iterable[Mapping[str, Any]]] | None = None) -> AssemblyView:
        """An assembly of hand-written templates by unit id, in deploy order (for testing rules).

        ``assets`` and ``steps`` give the manifest's asset and deploy step entries per unit id.
        """
        def entry(unit_id: str) -> dict[str, Any]:
            found: dict[str, Any] = {"id": unit_id, "assets": list((assets or {}).get(unit_id, ()))}
            if (steps or {}).get(unit_id):
                found["steps"] = list((steps or {})[unit_id])
            return found

        units = tuple(UnitView(id=unit_id, stack=unit_id.split(".part")[0], template=template,
                               manifest_entry=entry(unit_id))
                      for unit_id, template in templates.items())
        return cls(units=units, manifest={"stacks": [dict(u.manifest_entry) for u in units]},
                   artifacts=dict(artifacts or {}), project_id=project_id)

    def resources(self, *types: str) -> Iterator[ResourceView]:
        """Every resource of every unit, or only those of the given types (case-insensitive)."""
        if not types:
            return (unit.resource(i) for unit in self.units for i in range(unit.resource_count))
        wanted = {t.lower() for t in types}
        by_type = self._by_type
        if len(wanted) == 1:
            return map(self._resource, by_type.get(next(iter(wanted)), ()))
        return map(self._resource, sorted(chain.from_iterable(by_type.get(w, ()) for w in wanted)))

    def find(self, resource_type: str, name: str) -> ResourceView | None:
        """The resource with this type and rendered name, if the assembly has one (the first one)."""
        lowered = resource_type.lower()
        by_name = self._by_name.get(lowered)
        if by_name is None:  # each type's names are read when that type is first looked up
            by_name = self._by_name[lowered] = {}
            for number in self._by_type.get(lowered, ()):
                by_name.setdefault(self._resource(number).name, number)
        found = by_name.get(name)
        return self._resource(found) if found is not None else None

    # Resources are numbered across the assembly (unit by unit, in template order); the indexes below keep
    # those numbers, and a resource's view is made when a rule reads it.

    @cached_property
    def _firsts(self) -> list[int]:
        """The number of each unit's first resource."""
        firsts, number = [], 0
        for unit in self.units:
            firsts.append(number)
            number += unit.resource_count
        return firsts

    def _resource(self, number: int) -> ResourceView:
        position = bisect_right(self._firsts, number) - 1
        return self.units[position].resource(number - self._firsts[position])

    @cached_property
    def _by_type(self) -> dict[str, array[int]]:
        # Built once: rules look resources up by type and name, so a scan per lookup would be quadratic.
        by_type: dict[str, array[int]] = {}
        number = 0
        for unit in self.units:
            for kind in unit.resource_types():
                found = by_type.get(lowered := kind.lower())
                if found is None:
                    found = by_type[lowered] = array("q")
                found.append(number)
                number += 1
        return by_type

    @cached_property
    def _by_name(self) -> dict[str, dict[str, int]]:
        """Resources by rendered name, for each type looked up so far."""
        return {}

    def steps(self, kind: str) -> list[Mapping[str, Any]]:
        """The deploy steps of ``kind`` of every unit (manifest entries)."""
        return [s for unit in self.units for s in unit.steps if s.get("kind") == kind]

    @property
    def plans(self) -> list[Mapping[str, Any]]:
        """The sharing plans of plan.json (empty without backends)."""
        plan = self.artifacts.get("plan.json")
        return list(plan.get("backends", ())) if isinstance(plan, Mapping) else []


@dataclass(frozen=True)
class Violation:
    """What a check reports: the resource (or unit), what Azure will do, and the fix."""

    resource: ResourceView | UnitView
    problem: str
    fix: str


Check = Callable[[AssemblyView], Iterable[Violation]]


@dataclass(frozen=True)
class Rule:
    """A preflight rule: an id such as ``AZ-COSMOS-001``, a severity, a one-line title, the Azure
    documentation it rests on, and a pure check over the assembly."""

    id: str
    severity: Severity
    title: str
    docs: str
    check: Check = field(repr=False, compare=False)

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[A-Z][A-Z0-9]*(-[A-Z0-9]+)+", self.id):
            raise ConfigurationError(f"rule id {self.id!r} is not of the form AREA-NAME-NNN", field="id",
                                     fix="use capital letters, digits and dashes, for example ACME-TAGS-001")
        if self.severity not in ("error", "warning"):
            raise ConfigurationError(f"rule {self.id} has severity {self.severity!r}", field="severity",
                                     fix="use 'error' or 'warning'")
        if not self.title.strip():
            raise ConfigurationError(f"rule {self.id} has no title", field="title", fix="say in one line what it checks")


@dataclass(frozen=True)
class Finding:
    """One violation of one rule on one resource, as reported to the user."""

    rule_id: str
    severity: Severity
    stack: str
    resource: str
    message: str
    fix: str
    docs: str
    suppressed_reason: str | None = None

    def __str__(self) -> str:
        return f"{self.rule_id} [{self.stack}] {self.resource}: {self.message}\n    Fix: {self.fix}\n    Docs: {self.docs}"

    def to_json(self) -> dict[str, Any]:
        """The finding as JSON (``atakora validate --json``)."""
        data: dict[str, Any] = {"rule": self.rule_id, "severity": self.severity, "stack": self.stack,
                                "resource": self.resource, "message": self.message, "fix": self.fix,
                                "docs": self.docs}
        if self.suppressed_reason is not None:
            data["suppressed"] = self.suppressed_reason
        return data


@dataclass(frozen=True)
class Suppression:
    """Silence one rule on one resource, for a written reason (recorded in manifest.json).

    ``resource`` is the construct path (``MyStack/Backend/Cosmos``) or the rendered ARM name.
    """

    rule_id: str
    resource: str
    reason: str

    def __post_init__(self) -> None:
        if len(self.reason.strip()) < 10:
            raise ConfigurationError(f"suppressing {self.rule_id} on {self.resource} needs a written reason "
                                     f"(got {self.reason!r})", field="reason",
                                     fix="say in a sentence why the rule does not apply to this resource")

    def matches(self, rule_id: str, resource: ResourceView | UnitView) -> bool:
        """Whether this suppression covers ``rule_id`` on ``resource``."""
        if rule_id != self.rule_id:
            return False
        if isinstance(resource, UnitView):
            return self.resource in (resource.id, resource.stack)
        return self.resource in (resource.path, resource.name)


_REF = re.compile(r"^\[resourceId\('([^']+)'((?:,\s*'[^']*')+)\)\]$")


def parse_resource_ref(reference: str) -> tuple[str, str] | None:
    """``(type, name)`` of a ``dependsOn`` entry ``[resourceId('T', 'a', 'b')]`` with literal names."""
    match = _REF.match(reference)
    if match is None:
        return None
    names = re.findall(r"'([^']*)'", match.group(2))
    return match.group(1), "/".join(names)
