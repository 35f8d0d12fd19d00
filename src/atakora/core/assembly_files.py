"""Reading the JSON files of an assembly written earlier, checked against their shape.

``diff`` compares with the previous manifest, templates and ``components.json``; synthesis keeps
Cosmos placements from the previous ``plan.json``. A file that is truncated, not JSON or of the
wrong shape is an ``AssemblyFileError`` naming the file and what is wrong, never a crash and never
silently read as "nothing was there".
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any, NotRequired

from typing_extensions import TypedDict

from ..errors import AssemblyFileError

__all__ = ["ManifestFile", "OwnersFile", "PlanFile", "TemplateFile", "read_assembly_json"]


class _Resource(TypedDict):
    type: str
    name: str


class TemplateFile(TypedDict):
    """An ARM template as atakora writes it (the parts diff reads)."""

    resources: NotRequired[list[_Resource]]
    parameters: NotRequired[dict[str, dict[str, Any]]]


class _ManifestStack(TypedDict):
    id: str
    templateFile: str
    stack: NotRequired[str]


class ManifestFile(TypedDict):
    """``manifest.json`` (the parts diff reads)."""

    stacks: list[_ManifestStack]


class OwnersFile(TypedDict):
    """``components.json``: the component(s) of each resource, by stack, and the protected components."""

    stacks: NotRequired[dict[str, dict[str, str]]]
    protected: NotRequired[list[str]]


class _PlanResource(TypedDict):
    key: str
    type: str
    requirementKey: str
    members: NotRequired[list[str]]


class _PlanBackend(TypedDict):
    backendId: str
    environment: str
    resources: NotRequired[list[_PlanResource]]
    databasePlacements: NotRequired[dict[str, str]]


class PlanFile(TypedDict):
    """``plan.json`` (the parts synthesis reads back: placements)."""

    backends: list[_PlanBackend]


@functools.cache
def _adapter(shape: Any) -> Any:
    from pydantic import TypeAdapter

    return TypeAdapter(shape)


def read_assembly_json(file: Path, shape: Any) -> Any:
    """The JSON document in ``file``, checked to have ``shape`` (a TypedDict above); unknown keys are kept."""
    from pydantic import ValidationError

    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except OSError as error:
        raise AssemblyFileError(file, f"it cannot be read ({error.strerror or error})") from None
    except ValueError as error:
        raise AssemblyFileError(file, f"it is not valid JSON ({error})") from None
    try:
        _adapter(shape).validate_python(data, strict=True)
    except ValidationError as error:
        item = error.errors(include_url=False)[0]
        where = ".".join(str(p) for p in item["loc"]) or "the document"
        raise AssemblyFileError(file, f"{where}: {item['msg'][0].lower()}{item['msg'][1:]}") from None
    return data
