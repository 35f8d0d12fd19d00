"""ARM what-if results as :class:`ResourceChange` objects, without the noise.

What-if compares the template with the resource as Azure returns it, so it reports read-only and
defaulted properties atakora never sets (``provisioningState``, generated ids, endpoints) as deleted,
and values known only during deployment (``reference()``) as changed. This module keeps only the
paths the template sets, drops those two kinds of noise, and classifies what is left with the rules
table, in the same format as ``atakora diff``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from .changes import MASK, PropertyChange, ResourceChange, classify_update, is_secret_path, mask_value
from .rules import data_rule

__all__ = ["parse_resource_id", "quiet_what_if"]

_SKIPPED = {"NoChange", "Ignore"}
_NOISE_TYPES = {"NoEffect", "Delete"}
"""``NoEffect``: ARM ignores the value; ``Delete`` of a property: Azure has it, the template does not set it."""


def parse_resource_id(resource_id: str) -> tuple[str, str]:
    """``(type, name)`` of an ARM id (``/subscriptions/s/resourceGroups/g/providers/NS/t1/n1/t2/n2``)."""
    parts = [p for p in resource_id.split("/") if p]
    lowered = [p.lower() for p in parts]
    if "providers" not in lowered:
        if len(parts) >= 4 and lowered[2] == "resourcegroups":
            return "Microsoft.Resources/resourceGroups", parts[3]
        return "", resource_id
    start = len(lowered) - 1 - lowered[::-1].index("providers")
    rest = parts[start + 1:]
    if len(rest) < 3:
        return "", resource_id
    namespace, pairs = rest[0], rest[1:]
    types, names = pairs[0::2], pairs[1::2]
    return "/".join([namespace, *types]), "/".join(names)


def _leaves(delta: Sequence[Mapping[str, Any]], prefix: str = "") -> Iterator[tuple[str, str, Any, Any]]:
    """``(path, propertyChangeType, before, after)`` of every leaf of a what-if delta (arrays by index)."""
    for change in delta:
        path = str(change.get("path", ""))
        full = (f"{prefix}[{path}]" if path.isdigit() else f"{prefix}.{path}") if prefix else path
        children = change.get("children") or []
        if children:
            yield from _leaves(children, full)
        else:
            yield full, str(change.get("propertyChangeType", "")), change.get("before"), change.get("after")


def _set_by_template(path: str, template_paths: set[str]) -> bool:
    """Whether the template sets ``path`` (or something below or above it)."""
    return any(p == path or p.startswith((path + ".", path + "[")) or path.startswith((p + ".", p + "["))
               for p in template_paths)


def _paths(value: Any, path: str = "") -> Iterator[str]:
    if isinstance(value, Mapping) and value:
        for key, item in value.items():
            yield from _paths(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list) and value:
        for index, item in enumerate(value):
            yield from _paths(item, f"{path}[{index}]")
    else:
        yield path


def _is_expression(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("[") and value.endswith("]")


_INDEX = re.compile(r"\[(\d+)\]")


def _named(path: str, template: Mapping[str, Any] | None) -> str:
    """``a.list[1].value`` as ``a.list[name=N].value`` when the template's item 1 of ``a.list`` is named N."""
    if template is None:
        return path
    out, rest = "", path
    node: Any = template
    while True:
        match = _INDEX.search(rest)
        if match is None:
            return out + rest
        head = rest[:match.start()]
        for key in (k for k in head.split(".") if k):
            node = node.get(key) if isinstance(node, Mapping) else None
        index = int(match.group(1))
        item = node[index] if isinstance(node, list) and index < len(node) else None
        name = item.get("name") if isinstance(item, Mapping) else None
        out += head + (f"[name={name}]" if isinstance(name, str) else match.group(0))
        node, rest = item, rest[match.end():]


def _properties(delta: Sequence[Mapping[str, Any]], template: Mapping[str, Any] | None) -> list[PropertyChange]:
    template_paths = set(_paths({k: v for k, v in (template or {}).items() if k not in ("dependsOn", "apiVersion")}))
    kept = []
    for path, kind, before, after in _leaves(delta):
        if kind in _NOISE_TYPES or _is_expression(after):
            continue
        if template is not None and not _set_by_template(path, template_paths):
            continue
        path = _named(path, template)
        if is_secret_path(path):
            before, after = (MASK if before is not None else None), (MASK if after is not None else None)
        kept.append(PropertyChange(path, mask_value(before), mask_value(after)))
    return kept


def quiet_what_if(stack: str, changes: Sequence[Mapping[str, Any]], *,
                  template_resources: Sequence[Mapping[str, Any]] = (),
                  owners: Mapping[tuple[str, str], str] | None = None) -> list[ResourceChange]:
    """ARM ``WhatIfChange`` objects of one stack as changes, noise removed.

    ``template_resources`` (the stack's template) tells which paths atakora sets; ``owners`` maps
    ``(lower-case type, name)`` to the component that made a resource.
    """
    by_key = {(str(r.get("type", "")).lower(), str(r.get("name", ""))): r for r in template_resources}
    out: list[ResourceChange] = []
    for change in changes:
        kind = str(change.get("changeType", ""))
        if kind in _SKIPPED:
            continue
        rtype, name = parse_resource_id(str(change.get("resourceId", "")))
        key = (rtype.lower(), name)
        component = (owners or {}).get(key, "")
        if kind == "Create":
            out.append(ResourceChange(stack, component, rtype, name, "create"))
        elif kind == "Delete":
            data = data_rule(rtype)
            reason = f"deleting it deletes {data.what} ({data.doc})" if data else "not in the template"
            out.append(ResourceChange(stack, component, rtype, name, "delete", data is not None, reason))
        elif kind == "Unsupported":
            out.append(ResourceChange(stack, component, rtype, name, "update", False,
                                      f"what-if cannot predict it: {change.get('unsupportedReason') or 'no reason'}"))
        else:
            props = _properties(change.get("delta") or [], by_key.get(key))
            if kind == "Modify" and not props:
                continue
            action, loses, reason = classify_update(rtype, props)
            out.append(ResourceChange(stack, component, rtype, name, action, loses, reason, tuple(props)))
    return out
