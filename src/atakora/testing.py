"""Assertions on synthesized templates, for users' own tests.

``Template.from_stack(stack)`` renders a stack without writing anything; the assertions use
partial matching: a dict in the expectation matches a dict that has at least those members.
``principal_headers``/``assert_isolated`` act as Entra ID callers and prove tenant and owner isolation.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ._identity_testing import Sender, assert_isolated, in_process, over_http, principal, principal_headers
from .core.assets import Asset
from .core.nested import flatten_resources
from .core.stack import Stack
from .core.synthesis import render_stack

__all__ = ["Sender", "Template", "assert_isolated", "in_process", "matches", "over_http", "principal",
           "principal_headers"]


def matches(actual: Any, expected: Any) -> bool:
    """True when ``actual`` contains ``expected``: dicts by subset, lists element-wise, else equality."""
    if isinstance(expected, Mapping):
        return isinstance(actual, Mapping) and all(k in actual and matches(actual[k], v) for k, v in expected.items())
    if isinstance(expected, list):
        return isinstance(actual, list) and len(actual) == len(expected) and all(
            matches(a, e) for a, e in zip(actual, expected))
    return bool(actual == expected)


class Template:
    """A synthesized ARM template (all parts of a stack, when it was split) with assertions."""

    def __init__(self, template: Mapping[str, Any]) -> None:
        self.template = dict(template)

    @classmethod
    def from_stack(cls, stack: Stack) -> Template:
        """Render ``stack`` (without writing) and wrap its template; prepare hooks (packages) run first."""
        app = stack.app
        while app.pending_prepare_hooks:
            app.pending_prepare_hooks.pop(0)()
        for construct in stack.node.find_all():
            if isinstance(construct, Asset):
                construct.make()  # a package builds as synthesis builds it, its errors raised here too
        units = render_stack(stack)
        merged = dict(units[0].template)
        merged["resources"] = [r for u in units for r in u.template["resources"]]
        merged["outputs"] = units[-1].template.get("outputs", {})
        return cls(merged)

    @classmethod
    def from_file(cls, path: str) -> Template:
        """Load a template written by synthesis."""
        with open(path, encoding="utf-8") as handle:
            return cls(json.load(handle))

    @property
    def resources(self) -> list[dict[str, Any]]:
        """Every resource object of the template."""
        return list(self.template.get("resources", []))

    def find_resources(self, resource_type: str, props: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        """Resources of ``resource_type`` (case-insensitive) whose ``properties`` contain ``props``, also those
        inside nested deployments' templates (such as the stack's role-assignment deployment)."""
        lowered = resource_type.lower()
        found = [r for r, _ in flatten_resources(self.resources) if r["type"].lower() == lowered]
        if props is not None:
            found = [r for r in found if matches(r.get("properties", {}), props)]
        return found

    def role_assignments(self) -> list[dict[str, Any]]:
        """Every role assignment (``roleAssignments`` and Cosmos DB ``sqlRoleAssignments``), at every depth, with
        a ``principalId`` that a nested deployment takes as a parameter replaced by the value passed in (for
        a managed identity: ``[reference(...).principalId]``)."""
        out: list[dict[str, Any]] = []
        self._collect_assignments(self.resources, {}, out)
        return out

    @staticmethod
    def _collect_assignments(resources: list[Any], passed: Mapping[str, Any], out: list[dict[str, Any]]) -> None:
        import copy
        import re

        for body in resources:
            kind = str(body.get("type", ""))
            if kind.endswith(("/roleAssignments", "/sqlRoleAssignments")):
                found = copy.deepcopy(body)
                principal = found.get("properties", {}).get("principalId")
                match = re.fullmatch(r"\[parameters\('([^']+)'\)(?:\['([^']+)'\])?\]", str(principal))
                if match and match.group(1) in passed:
                    value = passed[match.group(1)]
                    found["properties"]["principalId"] = value[match.group(2)] if match.group(2) else value
                out.append(found)
            template = (body.get("properties") or {}).get("template") if kind == "Microsoft.Resources/deployments" else None
            if isinstance(template, Mapping):
                values = {k: v.get("value") for k, v in (body["properties"].get("parameters") or {}).items()}
                Template._collect_assignments(list(template.get("resources", [])), values, out)

    def resource_count_is(self, resource_type: str, count: int) -> None:
        """Assert how many resources of ``resource_type`` there are."""
        actual = len(self.find_resources(resource_type))
        if actual != count:
            raise AssertionError(f"expected {count} {resource_type} resource(s), found {actual}")

    def has_resource_properties(self, resource_type: str, props: Mapping[str, Any]) -> None:
        """Assert that some resource of ``resource_type`` has ``properties`` containing ``props``."""
        if not self.find_resources(resource_type, props):
            candidates = [r.get("properties") for r in self.find_resources(resource_type)]
            raise AssertionError(f"no {resource_type} has properties matching {props!r}; candidates: {candidates!r}")

    def has_resource(self, resource_type: str, partial: Mapping[str, Any]) -> None:
        """Assert that some resource of ``resource_type`` contains ``partial`` (any top-level members)."""
        if not any(matches(r, partial) for r in self.find_resources(resource_type)):
            raise AssertionError(f"no {resource_type} matches {partial!r}")

    def has_output(self, name: str, partial: Mapping[str, Any] | None = None) -> None:
        """Assert that the template has output ``name`` (containing ``partial`` when given)."""
        outputs = self.template.get("outputs", {})
        if name not in outputs:
            raise AssertionError(f"no output {name!r}; outputs: {sorted(outputs)}")
        if partial is not None and not matches(outputs[name], partial):
            raise AssertionError(f"output {name!r} is {outputs[name]!r}")

    def to_json(self) -> dict[str, Any]:
        """The template as a plain dict."""
        return self.template
