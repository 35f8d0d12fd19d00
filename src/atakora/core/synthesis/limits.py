"""Azure Resource Manager template limits, checked before anything is written."""

from __future__ import annotations

import json
from typing import Any

from ...errors import TemplateLimitError

__all__ = ["MAX_OUTPUTS", "MAX_PARAMETERS", "MAX_RESOURCES", "MAX_RESOURCE_BYTES", "MAX_TEMPLATE_BYTES", "MAX_VARIABLES",
           "check_resource_size", "check_template_limits"]

MAX_RESOURCES = 800
MAX_PARAMETERS = 256
MAX_VARIABLES = 256
MAX_OUTPUTS = 64
MAX_TEMPLATE_BYTES = 4 * 1024 * 1024
MAX_RESOURCE_BYTES = 1024 * 1024
"""One resource definition (https://learn.microsoft.com/azure/azure-resource-manager/templates/best-practices)."""


def check_template_limits(template: dict[str, Any], stack_path: str, *, size: int | None = None) -> None:
    """Raise TemplateLimitError naming the stack and the figure when a template breaks an ARM limit.

    ``size`` is the compact JSON size when the caller already knows it (default: measured here).
    """
    counted = (
        ("parameters", MAX_PARAMETERS, "merge parameters into object parameters, or move some into another stack"),
        ("variables", MAX_VARIABLES, "merge variables into object variables, or move some into another stack"),
        ("outputs", MAX_OUTPUTS, "return an object output instead of many, or move some into another stack"),
        ("resources", MAX_RESOURCES, "move resources into another stack"),
    )
    for member, limit, fix in counted:
        actual = len(template.get(member, ()))
        if actual > limit:
            raise TemplateLimitError(f"the template has too many {member}", stack=stack_path,
                                     limit_name=member, limit=limit, actual=actual, fix=fix)
    if size is None:
        size = len(json.dumps(template, separators=(",", ":")).encode())
    if size > MAX_TEMPLATE_BYTES:
        raise TemplateLimitError("the template is larger than ARM accepts", stack=stack_path,
                                 limit_name="template size in bytes", limit=MAX_TEMPLATE_BYTES, actual=size,
                                 fix="split the resources across several stacks, or shorten large inline values")


def check_resource_size(size: int, resource: str, stack_path: str) -> None:
    """Raise TemplateLimitError when one resource definition is larger than ARM accepts (1 MB)."""
    if size > MAX_RESOURCE_BYTES:
        raise TemplateLimitError(f"the resource definition of {resource} is larger than ARM accepts", stack=stack_path,
                                 limit_name="resource definition size in bytes", limit=MAX_RESOURCE_BYTES,
                                 actual=size, fix="shorten large inline values, or split the resource's content")
