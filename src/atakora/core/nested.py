"""Walking templates with inline nested deployments: their resources, flattened in one order."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

__all__ = ["flatten_resources", "nested_resource_count"]


def _nested(body: Any) -> list[Any]:
    """The resources of ``body``'s inline nested template (a ``Microsoft.Resources/deployments``), else none."""
    if not isinstance(body, dict) or str(body.get("type", "")).lower() != "microsoft.resources/deployments":
        return []
    template = (body.get("properties") or {}).get("template") if isinstance(body.get("properties"), dict) else None
    resources = template.get("resources") if isinstance(template, dict) else None
    return resources if isinstance(resources, list) else []


def flatten_resources(resources: list[Any], within: str = "") -> Iterator[tuple[Any, str]]:
    """Each resource and the nested deployment(s) it is in (``""``: the template itself), depth first: a
    deployment's inner resources right after it, in the order ``DeploymentUnit.resource_paths`` lists them."""
    for body in resources:
        yield body, within
        inner = _nested(body)
        if inner:
            name = str(body.get("name", ""))
            yield from flatten_resources(inner, f"{within}/{name}" if within else name)


def nested_resource_count(body: Any) -> int:
    """How many resources ``body``'s nested templates hold, at every depth."""
    return sum(1 for _ in flatten_resources(_nested(body)))
