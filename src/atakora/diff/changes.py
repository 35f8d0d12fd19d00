"""Property-level diff of two assemblies: resources created, updated, replaced and deleted, with JSON paths.

Resources are matched per stack by type and name (a resource's identity in ARM). Each change gets an
action and, from the rules table (:mod:`atakora.diff.rules`), whether it loses data and why. Values
that look secret (``securestring`` parameters, keys, passwords, connection strings) are masked.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from .rules import data_rule, immutable_rule, rename_rule

__all__ = ["MASK", "Action", "PropertyChange", "ResourceChange", "classify_update", "diff_resources", "is_secret_path",
           "mask_value"]

Action = Literal["create", "update", "replace", "delete"]
MASK = "(secret)"
_ACTIONS: tuple[Action, ...] = ("delete", "replace", "update", "create")
_SECRET_NAME = re.compile(r"(password|secret|connectionstring|accountkey|primarykey|secondarykey|sastoken|"
                          r"(^|[^a-z])key$|token$|credential)", re.IGNORECASE)
_SECRET_VALUE = re.compile(r"(AccountKey=|SharedAccessKey=|sig=|listKeys\(|listSecrets\(|"
                           r"listConnectionStrings\()", re.IGNORECASE)
_IGNORED = ("dependsOn", "apiVersion", "comments")
"""Template keys that are no property of the resource in Azure."""


@dataclass(frozen=True)
class PropertyChange:
    """One JSON path of a resource that changes (``None`` before: added; ``None`` after: removed)."""

    path: str
    before: Any
    after: Any

    def to_json(self) -> dict[str, Any]:
        """``{"path", "before", "after"}``."""
        return {"path": self.path, "before": self.before, "after": self.after}


@dataclass(frozen=True)
class ResourceChange:
    """What happens to one resource, and whether it loses data."""

    stack: str
    component: str
    type: str
    name: str
    action: Action
    data_loss: bool = False
    reason: str = ""
    properties: tuple[PropertyChange, ...] = field(default=())
    renamed_to: str = ""
    """For a delete: the new name of the same resource (a new, separate resource in Azure)."""

    def to_json(self) -> dict[str, Any]:
        """The change as ``atakora diff --json`` prints it."""
        return {"stack": self.stack, "component": self.component, "type": self.type, "name": self.name,
                "action": self.action, "data_loss": self.data_loss, "reason": self.reason,
                "properties": [p.to_json() for p in self.properties]}

    @property
    def label(self) -> str:
        """``type name``."""
        return f"{self.type} {self.name}"


def is_secret_path(path: str) -> bool:
    """Whether the last name in ``path`` (or an app setting's name) looks like it holds a secret."""
    parts = [p for p in re.split(r"[.\[\]]", path) if p]
    if not parts:
        return False
    if parts[-1] == "value" and len(parts) > 1 and parts[-2].startswith("name="):
        return bool(_SECRET_NAME.search(parts[-2][5:].replace("__", ".").split(".")[-1]))
    return bool(_SECRET_NAME.search(parts[-1]))


def mask_value(value: Any, *, secure_parameters: Sequence[str] = ()) -> Any:
    """``value`` with secret-looking parts replaced by :data:`MASK` (nested objects and arrays too)."""
    if isinstance(value, Mapping):
        if _is_secret_setting(value):
            return {**value, "value": MASK}
        return {k: MASK if _SECRET_NAME.search(str(k)) and not isinstance(v, (Mapping, list, bool))
                else mask_value(v, secure_parameters=secure_parameters) for k, v in value.items()}
    if isinstance(value, list):
        return [mask_value(v, secure_parameters=secure_parameters) for v in value]
    if isinstance(value, str) and (_SECRET_VALUE.search(value)
                                   or any(f"parameters('{p}')" in value for p in secure_parameters)):
        return MASK
    return value


def _is_secret_setting(value: Mapping[str, Any]) -> bool:
    """An app setting ``{"name": "DB_PASSWORD", "value": ...}`` whose name looks secret."""
    name = value.get("name")
    return set(value) <= {"name", "value", "slotSetting"} and isinstance(name, str) and "value" in value \
        and bool(_SECRET_NAME.search(name.replace("__", ".").split(".")[-1]))


def _flatten(value: Any, path: str) -> Iterator[tuple[str, Any]]:
    """Leaf values by JSON path (``a.b[0].c``); arrays of named objects are keyed by name (``a[name=x]``)."""
    if isinstance(value, Mapping) and value:
        for key, item in value.items():
            yield from _flatten(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list) and value and all(isinstance(v, Mapping) and isinstance(v.get("name"), str)
                                                    for v in value) and len({v["name"] for v in value}) == len(value):
        for item in value:
            yield from _flatten({k: v for k, v in item.items() if k != "name"}, f"{path}[name={item['name']}]")
    else:
        yield path, value


def property_changes(before: Mapping[str, Any], after: Mapping[str, Any], *,
                     secure_parameters: Sequence[str] = ()) -> list[PropertyChange]:
    """The paths whose value differs between two resource bodies (masked), in ``after``'s order."""
    old = dict(_flatten({k: v for k, v in before.items() if k not in _IGNORED}, ""))
    new = dict(_flatten({k: v for k, v in after.items() if k not in _IGNORED}, ""))
    paths = [p for p in new if old.get(p, _MISSING) != new[p]] + [p for p in old if p not in new]
    changes = []
    for path in paths:
        was, now = old.get(path), new.get(path)
        if is_secret_path(path):
            was, now = (MASK if was is not None else None), (MASK if now is not None else None)
        else:
            was = mask_value(was, secure_parameters=secure_parameters)
            now = mask_value(now, secure_parameters=secure_parameters)
        changes.append(PropertyChange(path, was, now))
    return changes


_MISSING = object()


def _key(resource: Mapping[str, Any]) -> tuple[str, str]:
    return str(resource.get("type", "")).lower(), str(resource.get("name", ""))


def classify_update(resource_type: str, properties: Sequence[PropertyChange]) -> tuple[Action, bool, str]:
    """``update``, or ``replace`` (with data loss and why) when a property the rules call immutable changes."""
    for change in properties:
        rule = immutable_rule(resource_type, change.path)
        if rule is not None:
            data = data_rule(resource_type)
            loses = rule.data_loss and data is not None
            tail = f"; replacing it deletes {data.what}" if loses and data is not None else ""
            return "replace", loses, f"{change.path}: {rule.reason}{tail} ({rule.doc})"
    return "update", False, ""


def _removed(stack: str, component: str, resource: Mapping[str, Any], renamed_to: str | None) -> ResourceChange:
    rtype, name = str(resource.get("type", "")), str(resource.get("name", ""))
    data = data_rule(rtype)
    rename = rename_rule(rtype)
    if data is not None:
        reason = f"deleting it deletes {data.what} ({data.doc})"
    elif rename is not None and renamed_to is not None:
        reason = f"renamed to {renamed_to}: {rename.reason} ({rename.doc})"
    else:
        reason = "no longer in the program"
    if renamed_to is not None and data is not None:
        reason = f"renamed to {renamed_to}, which is a new, empty resource: {reason}"
    return ResourceChange(stack, component, rtype, name, "delete", data is not None, reason,
                          renamed_to=renamed_to or "")


def diff_resources(stack: str, before: Sequence[Mapping[str, Any]], after: Sequence[Mapping[str, Any]], *,
                   components_before: Mapping[tuple[str, str], str] | None = None,
                   components_after: Mapping[tuple[str, str], str] | None = None,
                   secure_parameters: Sequence[str] = ()) -> list[ResourceChange]:
    """The changes of one stack from the resources ``before`` to ``after`` (template resource objects).

    ``components_*`` map ``(lower-case type, name)`` to the component that made a resource. A removed
    resource whose type has exactly one added resource is reported as renamed to it.
    """
    owners_before, owners_after = components_before or {}, components_after or {}
    old = {_key(r): r for r in before}
    new = {_key(r): r for r in after}
    added = [k for k in new if k not in old]
    removed = [k for k in old if k not in new]
    out: list[ResourceChange] = []
    for key, resource in new.items():
        if key in old and old[key] != resource:
            rtype, name = str(resource.get("type", "")), str(resource.get("name", ""))
            props = property_changes(old[key], resource, secure_parameters=secure_parameters)
            if not props:
                continue
            action, loses, reason = classify_update(rtype, props)
            out.append(ResourceChange(stack, owners_after.get(key, owners_before.get(key, "")), rtype, name,
                                      action, loses, reason, tuple(props)))
    for key in removed:
        candidates = [k for k in added if k[0] == key[0] and k[1].count("/") == key[1].count("/")]
        renamed_to = str(new[candidates[0]].get("name")) if len(candidates) == 1 else None
        out.append(_removed(stack, owners_before.get(key, ""), old[key], renamed_to))
    for key in added:
        resource = new[key]
        out.append(ResourceChange(stack, owners_after.get(key, ""), str(resource.get("type", "")),
                                  str(resource.get("name", "")), "create"))
    return sorted(out, key=lambda c: (c.component, _ACTIONS.index(c.action)))
