"""Reading the JSON files of an assembly written earlier, checked against their shape.

``diff`` compares with the previous manifest, templates and ``components.json``; synthesis keeps
Cosmos placements from the previous ``plan.json``. A file that is truncated, not JSON or of the
wrong shape is an ``AssemblyFileError`` naming the file and what is wrong, never a crash and never
silently read as "nothing was there".
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NotRequired

from typing_extensions import TypedDict

from ..arguments import strict_test
from ..errors import AssemblyFileError

__all__ = ["ManifestFile", "OwnersFile", "PlanBackend", "TemplateFile", "read_assembly_items", "read_assembly_json"]


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


class PlanBackend(TypedDict):
    """One backend of ``plan.json`` (the parts synthesis reads back: placements)."""

    backendId: str
    environment: str
    resources: NotRequired[list[_PlanResource]]
    databasePlacements: NotRequired[dict[str, str]]


@functools.cache
def _quick_test(shape: Any) -> Callable[[Any], bool]:
    """The quick yes of the common case (strict validation's own test); pydantic checks and describes the rest."""
    return strict_test(shape) or (lambda data: False)


@functools.cache
def _adapter(shape: Any) -> Any:
    from pydantic import TypeAdapter

    return TypeAdapter(shape)


def read_assembly_json(file: Path, shape: Any) -> Any:
    """The JSON document in ``file``, checked to have ``shape`` (a TypedDict above); unknown keys are kept."""
    text = _text(file)
    try:
        data = json.loads(text)
    except ValueError as error:
        raise _not_json(file, error) from None
    _check(file, shape, data, ())
    return data


def read_assembly_items(file: Path, member: str, shape: Any) -> Iterator[Any]:
    """The items of the array ``member`` of the JSON object in ``file``, parsed one at a time and each checked
    to have ``shape`` (the rest of the document is checked to be JSON and skipped). A large ``plan.json`` parsed
    whole would take many times its size in memory; one backend at a time takes little more than its text."""
    text = _text(file)
    decoder = json.JSONDecoder()

    def skip(position: int) -> int:
        while text.startswith(_BLANKS, position):
            position += 1
        return position

    def expect(position: int, mark: str) -> int:
        if text.startswith(mark, position):
            return skip(position + 1)
        raise _not_json(file, ValueError(f"expected {mark!r} at character {position}"))

    found = False
    try:
        position = skip(0)
        if not text.startswith("{", position):
            decoder.raw_decode(text, position)  # JSON at all?
            raise AssemblyFileError(file, "the document: input should be a valid dictionary")
        position = expect(position, "{")
        more = not text.startswith("}", position)
        position = position if more else skip(position + 1)
        while more:
            key, position = decoder.raw_decode(text, position)
            position = expect(skip(position), ":")
            if key == member and text.startswith("[", position):
                found, position, index = True, skip(position + 1), 0
                items = not text.startswith("]", position)
                position = position if items else skip(position + 1)
                while items:
                    item, position = decoder.raw_decode(text, position)
                    _check(file, shape, item, (member, index))
                    yield item
                    index, position = index + 1, skip(position)
                    items = text.startswith(",", position)
                    position = skip(position + 1) if items else expect(position, "]")
            else:
                _, position = decoder.raw_decode(text, position)
                if key == member:
                    raise AssemblyFileError(file, f"{member}: input should be a valid list")
            position = skip(position)
            more = text.startswith(",", position)
            position = skip(position + 1) if more else expect(position, "}")
    except ValueError as error:
        raise _not_json(file, error) from None
    if position != len(text):
        raise _not_json(file, ValueError(f"extra data at character {position}"))
    if not found:
        raise AssemblyFileError(file, f"{member}: field required")


_BLANKS = (" ", "\t", "\n", "\r")
"""JSON's whitespace."""


def _text(file: Path) -> str:
    try:
        return file.read_text(encoding="utf-8")
    except OSError as error:
        raise AssemblyFileError(file, f"it cannot be read ({error.strerror or error})") from None
    except ValueError as error:  # not UTF-8
        raise _not_json(file, error) from None


def _not_json(file: Path, error: ValueError) -> AssemblyFileError:
    return AssemblyFileError(file, f"it is not valid JSON ({error})")


def _check(file: Path, shape: Any, data: Any, within: tuple[str | int, ...]) -> None:
    if _quick_test(shape)(data):
        return
    from pydantic import ValidationError

    try:
        _adapter(shape).validate_python(data, strict=True)
    except ValidationError as error:
        item = error.errors(include_url=False)[0]
        where = ".".join(str(p) for p in (*within, *item["loc"])) or "the document"
        raise AssemblyFileError(file, f"{where}: {item['msg'][0].lower()}{item['msg'][1:]}") from None
