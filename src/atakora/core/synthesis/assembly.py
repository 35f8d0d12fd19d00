"""The cloud assembly: what synthesis produces and writes."""

from __future__ import annotations

import json
from array import array
from collections import UserString
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

from ..._version import __version__

if TYPE_CHECKING:
    from ...rules import PreflightReport
    from ..construct import Construct
    from .writer import Staging

__all__ = ["SECRET_METADATA", "CloudAssembly", "ConstructPaths", "DeploymentUnit", "JsonFile", "StagedJsonFile",
           "TemplateIndex",
           "TextFile", "artifact_bytes"]

SCHEMAS = {
    "resourceGroup": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
    "subscription": "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#",
}


class JsonFile(Mapping[str, Any]):
    """A JSON artifact written as the very bytes it was serialized to once (a package's OpenAPI document).

    Rules read it as the parsed object, parsed on first access only: a large assembly holds these
    documents as bytes, not as millions of Python objects. ``source`` is the bytes or a function that
    reads them each time (from the package zip the assembly holds anyway). Read-only.
    """

    def __init__(self, source: bytes | Callable[[], bytes]) -> None:
        self._source = source

    @property
    def data(self) -> bytes:
        """The file's bytes."""
        return self._source if isinstance(self._source, bytes) else self._source()

    @cached_property
    def _parsed(self) -> dict[str, Any]:
        parsed: dict[str, Any] = json.loads(self.data)
        return parsed

    def __getitem__(self, key: str) -> Any:
        return self._parsed[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._parsed)

    def __len__(self) -> int:
        return len(self._parsed)


class StagedJsonFile(JsonFile):
    """A :class:`JsonFile` its producer wrote into the synthesis' staging directory itself (when it was made,
    its tokens checked): synthesis does not write it again."""


class TextFile(UserString):
    """A text artifact written already (diagram.mmd), read from its file when used: it acts as the ``str`` it
    holds (``str(file)``, ``file.splitlines()``, ``file == text``) without the assembly keeping the text."""

    def __init__(self, read: Callable[[], bytes]) -> None:
        self._read = read

    @property
    def data(self) -> str:  # type: ignore[override]
        """The text (read from the file each time)."""
        return self._read().decode("utf-8")


@dataclass(frozen=True)
class TemplateIndex:
    """What the manifest and rules read of a serialized template without parsing it again.

    ``types``, ``names`` and ``within`` describe each resource in the order of :func:`flatten_resources`
    (nested templates' resources right after their deployment); ``tops`` is the top-level resource holding
    each one (None: no nested resources, so the same index); ``starts`` are the top-level resources' lines in
    the bytes (see :func:`~atakora.core.synthesis.writer.dump_template_indexed`). Numbers are kept as arrays
    (8 bytes each, not an int object and a pointer).
    """

    starts: Sequence[int]
    types: list[str]
    names: list[str | None]
    """None: a resource of a nested template, whose name is read from its parsed body."""
    within: list[str]
    tops: Sequence[int] | None
    parameters: dict[str, dict[str, Any]]
    resource_count: int

    @classmethod
    def of(cls, template: Mapping[str, Any], starts: list[int]) -> TemplateIndex:
        """The index of ``template``, whose resources' lines start at ``starts``."""
        from ..nested import flatten_resources

        types: list[str] = []
        names: list[str | None] = []
        within: list[str] = []
        tops = array("l")
        resources = template.get("resources") or []
        for top, resource in enumerate(resources):
            kind = str(resource.get("type", "")) if isinstance(resource, dict) else ""
            if kind.lower() != "microsoft.resources/deployments":  # no nested template: no walk
                types.append(kind)
                names.append(str(resource.get("name", "")) if isinstance(resource, dict) else "")
                within.append("")
                tops.append(top)
                continue
            for body, where in flatten_resources([resource]):
                types.append(str(body.get("type", "")) if isinstance(body, dict) else "")
                # A nested template's names (role assignments': long guid() expressions) are read from the
                # parsed deployment when asked.
                names.append(None if where else str(body.get("name", "")) if isinstance(body, dict) else "")
                within.append(where)
                tops.append(top)
        params = template.get("parameters", {})
        return cls(starts=array("q", starts), types=types, names=names, within=within,
                   tops=tops if len(tops) != len(resources) else None,
                   parameters={name: _parameter_entry(p) for name, p in params.items()},
                   resource_count=len(resources))


class ConstructPaths(Sequence[str]):
    """Construct paths read from the constructs when asked ("" where a resource has none): a unit keeps a
    pointer per resource, not its path's text."""

    __slots__ = ("_items",)

    def __init__(self, items: Sequence[Construct | str]) -> None:
        self._items = items

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [_path_of(item) for item in self._items[index]]
        return _path_of(self._items[index])

    def __len__(self) -> int:
        return len(self._items)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]


def _path_of(item: Construct | str) -> str:
    return item if isinstance(item, str) else item.node.path


@dataclass
class DeploymentUnit:
    """One ARM deployment: a stack, or one part of a stack too large for a single template.

    The unit holds its template as the bytes written (``template_data``, serialized once), or, once they are
    in the assembly's staging directory, only where they are; ``template`` parses them on first access.
    """

    id: str
    stack_path: str
    scope: str
    location: str
    resource_group: str | None
    subscription_id: str | None
    index: TemplateIndex = field(repr=False)
    dependencies: list[str] = field(default_factory=list)
    assets: list[dict[str, Any]] = field(default_factory=list)
    steps: list[dict[str, Any]] = field(default_factory=list)
    """The deploy steps run after this unit (and its assets), see :class:`~atakora.core.steps.DeployStep`."""
    resource_paths: Sequence[str] = field(default=(), repr=False)
    """The construct path of each resource of ``template``, nested templates' resources flattened (the order
    of :func:`flatten_resources`; "" where unknown); not written."""
    data: bytes | None = field(default=None, repr=False)
    """The template file's bytes while the unit holds them (None: written to ``store``)."""
    store: Staging | None = field(default=None, repr=False, compare=False)
    """Where the template file is once written (None: nowhere yet)."""

    @classmethod
    def of_template(cls, template: dict[str, Any], lines: list[str] | None = None, **fields: Any) -> DeploymentUnit:
        """A unit of ``template``, serialized here once (``lines``: its resources' compact JSON when known;
        ``fields``: the other fields)."""
        from .writer import dump_template_indexed

        data, starts = dump_template_indexed(template, lines)
        return cls(data=data, index=TemplateIndex.of(template, starts), **fields)

    @property
    def template_data(self) -> bytes:
        """The template file's bytes (:func:`~atakora.core.synthesis.writer.dump_template`)."""
        if self.data is not None:
            return self.data
        assert self.store is not None, "a unit holds its template or knows where it is written"
        return self.store.read(self.template_file)

    def stage(self, store: Staging) -> None:
        """Write the template file into ``store`` and stop holding its bytes."""
        store.add(self.template_file, self.template_data)
        self.store, self.data = store, None

    @cached_property
    def template(self) -> dict[str, Any]:
        """The ARM template, parsed from ``template_data`` on first access."""
        parsed: dict[str, Any] = json.loads(self.template_data)
        return parsed

    def resource_data(self, top: int) -> bytes:
        """The serialized top-level resource number ``top`` of the template."""
        starts = self.index.starts
        return self.template_data[starts[top]:starts[top + 1] - 2]

    @property
    def template_file(self) -> str:
        """The template's file name in the assembly."""
        return f"{self.id}.json"

    def manifest_entry(self) -> dict[str, Any]:
        """How the manifest describes this unit."""
        return {
            "id": self.id,
            "stack": self.stack_path,
            "scope": self.scope,
            "resourceGroup": self.resource_group,
            "subscriptionId": self.subscription_id,
            "location": self.location,
            "templateFile": self.template_file,
            "resourceCount": self.index.resource_count,
            "parameters": {name: dict(entry) for name, entry in self.index.parameters.items()},
            "dependencies": list(self.dependencies),
            "assets": list(self.assets),
            **({"steps": list(self.steps)} if self.steps else {}),
        }


SECRET_METADATA = "atakoraSecret"
"""The parameter metadata key naming the Key Vault secret a ``securestring`` parameter creates; the
manifest repeats it as the parameter's ``secret`` so that ``atakora deploy`` can tell which values it needs."""


def _parameter_entry(parameter: dict[str, Any]) -> dict[str, Any]:
    entry: dict[str, Any] = {"type": parameter["type"], "required": "defaultValue" not in parameter}
    secret = (parameter.get("metadata") or {}).get(SECRET_METADATA)
    if secret is not None:
        entry["secret"] = secret
    return entry


def artifact_bytes(content: Any) -> bytes:
    """How an artifact is written: a :class:`JsonFile`'s bytes, text as UTF-8, anything else as readable JSON."""
    from .writer import dump_json

    if isinstance(content, JsonFile):
        return content.data
    if isinstance(content, TextFile):
        return content.data.encode("utf-8")
    return content.encode("utf-8") if isinstance(content, str) else dump_json(content)


@dataclass
class CloudAssembly:
    """The synthesized output: deployment units in deploy order, plus extra artifacts."""

    outdir: Path
    units: list[DeploymentUnit]
    artifacts: dict[str, Any]
    assets: Mapping[str, bytes] = field(default_factory=dict, repr=False)
    """Asset files by their path in the assembly (``assets/<sha256>.zip``), read when asked for."""
    preflight: PreflightReport | None = field(default=None, repr=False)
    """The findings of the preflight rules (warnings and suppressions; errors stop synthesis)."""
    staged: Staging | None = field(default=None, repr=False, compare=False)
    """Where the files already are, not yet in ``outdir`` (synthesis in a CLI session): :meth:`write` swaps
    them in, :meth:`discard` removes them."""

    def files(self) -> dict[str, bytes]:
        """Every file of the assembly: manifest, templates, artifacts (plan.json) and assets."""
        return dict(self.iter_files())

    def iter_files(self) -> Iterator[tuple[str, bytes]]:
        """The files of :meth:`files`, each serialized only when asked for (writing keeps one at a time)."""
        from .writer import dump_json

        yield "manifest.json", dump_json(self.manifest)
        for unit in self.units:
            yield unit.template_file, unit.template_data
        for name, content in self.artifacts.items():
            yield name, artifact_bytes(content)
        yield from self.assets.items()

    def write(self) -> None:
        """Write the assembly to ``outdir`` atomically (the previous one stays intact on failure)."""
        from .writer import write_atomically

        staged = self.staged
        if staged is not None and not staged.committed and staged.outdir == self.outdir.resolve():
            staged.commit()  # written already, file by file, as synthesis produced it
            return
        write_atomically(self.outdir, self.iter_files())

    def discard(self) -> None:
        """Remove the files staged for ``outdir`` and not written there (nothing otherwise)."""
        if self.staged is not None:
            self.staged.discard()

    @property
    def manifest(self) -> dict[str, Any]:
        """The manifest: version, deployment units in order, and artifact names."""
        manifest: dict[str, Any] = {
            "version": "1.0",
            "atakora": __version__,
            "deployOrder": [u.id for u in self.units],
            "stacks": [u.manifest_entry() for u in self.units],
            "artifacts": sorted(self.artifacts),
        }
        if self.preflight is not None and self.preflight.suppressed:
            manifest["suppressions"] = self.preflight.manifest_entry()
        return manifest

    def unit(self, unit_id: str) -> DeploymentUnit:
        """The deployment unit with this id (a stack's artifact id)."""
        for u in self.units:
            if u.id == unit_id:
                return u
        known = ", ".join(u.id for u in self.units)
        raise KeyError(f"no stack {unit_id!r} in the assembly (stacks: {known})")

    def template(self, unit_id: str) -> dict[str, Any]:
        """The ARM template of one deployment unit."""
        return self.unit(unit_id).template

    @staticmethod
    def load_manifest(outdir: str | Path) -> dict[str, Any]:
        """Read ``manifest.json`` of a written assembly."""
        data: dict[str, Any] = json.loads((Path(outdir) / "manifest.json").read_text())
        return data
