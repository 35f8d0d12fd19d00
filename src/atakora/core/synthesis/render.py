"""Render a stack to ARM templates, split into several deployments when ARM limits require it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ...errors import SynthesisError
from ..expressions import render_value
from ..nested import nested_resource_count
from ..resource import Resource
from .assembly import SCHEMAS, ConstructPaths, DeploymentUnit
from .context import StackContext
from .limits import MAX_RESOURCES, MAX_TEMPLATE_BYTES, check_resource_size, check_template_limits
from .writer import compact_json

if TYPE_CHECKING:
    from ..construct import Construct
    from ..stack import Stack

__all__ = ["render_stack"]

# Room kept for parameters, variables and outputs when a stack is split by size.
_SIZE_BUDGET = MAX_TEMPLATE_BYTES - 256 * 1024


_StackContext = StackContext  # the name other modules import

_DEPLOYMENTS = "microsoft.resources/deployments"
"""The only type whose body can hold a nested template (see :mod:`atakora.core.nested`)."""


@dataclass
class _Rendered:
    resource: Resource | None
    """The construct rendered (None for a role-assignment deployment, which renders several)."""
    body: dict[str, Any]
    deps: list[Resource]
    ref: str = ""
    """The ``dependsOn`` entry of this item when it is no construct of its own."""
    inner: list[Construct | str] = field(default_factory=list)
    """The constructs of the resources of the body's nested template(s), flattened ("" when unknown)."""
    size: int = 0
    text: str = ""
    """The body's compact JSON (:func:`~atakora.core.synthesis.writer.compact_json`), its line in the template."""
    part: int = 0

    @property
    def path(self) -> str:
        """The construct path of the resource rendered ("" for a role-assignment deployment)."""
        return self.resource.node.path if self.resource is not None else ""


@dataclass
class _Part:
    members: list[_Rendered] = field(default_factory=list)
    size: int = 0


def _stack_resources(stack: Stack) -> list[Resource]:
    return [c for c in stack.node.find_all() if isinstance(c, Resource) and c.stack is stack]


def _topological(rendered: list[_Rendered], index: dict[int, _Rendered], stack: Stack) -> list[_Rendered]:
    order: list[_Rendered] = []
    state: dict[int, int] = {}
    local_deps: dict[int, list[_Rendered]] = {}
    for start in rendered:
        if id(start) in state:
            continue
        todo: list[tuple[_Rendered, int]] = [(start, 0)]
        state[id(start)] = 1
        while todo:
            item, i = todo.pop()
            local = local_deps.get(id(item))
            if local is None:
                local = local_deps[id(item)] = [index[id(d)] for d in item.deps
                                                if id(d) in index and index[id(d)] is not item]
            if i < len(local):
                todo.append((item, i + 1))
                dep = local[i]
                mark = state.get(id(dep))
                if mark == 1:
                    raise SynthesisError(
                        f"dependency cycle between {item.path or item.body.get('name')} and "
                        f"{dep.path or dep.body.get('name')}", path=stack.node.path,
                        fix="remove one of the references that make the resources depend on each other")
                if mark is None:
                    state[id(dep)] = 1
                    todo.append((dep, 0))
            else:
                state[id(item)] = 2
                order.append(item)
    return order


def _split(rendered: list[_Rendered]) -> list[_Part]:
    parts = [_Part()]
    for item in rendered:
        current = parts[-1]
        if current.members and (len(current.members) >= MAX_RESOURCES or current.size + item.size > _SIZE_BUDGET):
            current = _Part()
            parts.append(current)
        current.members.append(item)
        current.size += item.size
        item.part = len(parts) - 1
    return parts


def _render_items(stack: Stack, ctx: StackContext) -> tuple[list[_Rendered], dict[int, _Rendered]]:
    """Every resource of the stack rendered, and which item each resource is rendered in (by ``id``)."""
    rendered: list[_Rendered] = []
    index: dict[int, _Rendered] = {}
    grants: list[Resource] = []
    for resource in _stack_resources(stack):
        if resource.deploys_with_grants:
            grants.append(resource)
            continue
        body = ctx.render_resource(resource)
        kind = body.get("type")
        nested = nested_resource_count(body) if not isinstance(kind, str) or kind.lower() == _DEPLOYMENTS else 0
        item = _Rendered(resource, body, ctx.deps, inner=[""] * nested)
        rendered.append(item)
        index[id(resource)] = item
    if grants:
        from .grants import render_grant_deployments

        for deployment in render_grant_deployments(stack, ctx, grants):
            item = _Rendered(None, deployment.body, deployment.deps, ref=deployment.ref,
                             inner=list(deployment.members))
            rendered.append(item)
            for member in deployment.members:
                index[id(member)] = item
    return rendered, index


def render_stack(stack: Stack) -> list[DeploymentUnit]:
    """The deployment units of one stack: one, or several in order when ARM limits require a split."""
    ctx = StackContext(stack)
    rendered, index = _render_items(stack, ctx)
    total = 0
    for item in rendered:
        item.text = text = compact_json(item.body)
        item.size = len(text) if text.isascii() else len(text.encode())
        check_resource_size(item.size, item.path or str(item.body.get("name")), stack.node.path)
        total += item.size
    needs_split = len(rendered) > MAX_RESOURCES or total > _SIZE_BUDGET
    if needs_split:
        parts = _split(_topological(rendered, index, stack))
    else:
        parts = [_Part(members=rendered)]

    ctx.deps = []
    header = _header(stack, ctx)
    header_stacks = {d.stack.artifact_id for d in ctx.deps if d.stack is not stack}
    ctx.deps = []
    outputs = _outputs(stack, ctx)
    output_stacks = {d.stack.artifact_id for d in ctx.deps if d.stack is not stack}
    units: list[DeploymentUnit] = []
    base_id = stack.artifact_id
    for number, part in enumerate(parts):
        unit_id = base_id if number == 0 else f"{base_id}.part{number + 1}"
        stack_deps: list[str] = []
        resources: list[dict[str, Any]] = []
        paths: list[Construct | str] = []
        for item in part.members:
            depends: list[str] = []
            seen: set[int] = set()
            for dep in item.deps:
                target = index.get(id(dep))
                if target is item:
                    continue
                key = id(target) if target is not None else id(dep)
                if key in seen:
                    continue
                seen.add(key)
                if target is None:
                    stack_deps.append(dep.stack.artifact_id)
                elif target.part == item.part or not needs_split:
                    depends.append(target.ref or "[" + ctx.resource_id_call(dep) + "]")
                elif target.part < item.part:
                    stack_deps.append(base_id if target.part == 0 else f"{base_id}.part{target.part + 1}")
            body = item.body
            if depends:
                appended = "dependsOn" not in body and item.text != "{}"
                body["dependsOn"] = depends
                # The line gains the member the body gains: at its end, unless the body had one already.
                item.text = (item.text[:-1] + ',"dependsOn":' + compact_json(depends) + "}" if appended
                             else compact_json(body))
            resources.append(body)
            paths.append(item.resource if item.resource is not None else "")
            paths.extend(item.inner)
        template: dict[str, Any] = {**header, "resources": resources}
        stack_deps.extend(header_stacks)
        if number == len(parts) - 1:
            template["outputs"] = outputs
            stack_deps.extend(output_stacks)
        if number > 0:
            stack_deps.append(base_id if number == 1 else f"{base_id}.part{number}")
        for dep_stack in stack.stack_dependencies:
            stack_deps.append(dep_stack.artifact_id)
        # Serialized once: the size checked is the size of the file written.
        unit = DeploymentUnit.of_template(
            template, [item.text for item in part.members],
            id=unit_id,
            stack_path=stack.node.path,
            scope=stack.TARGET_SCOPE,
            location=stack.location,
            resource_group=getattr(stack, "resource_group_name", None),
            subscription_id=stack.subscription_id,
            dependencies=sorted(set(stack_deps) - {unit_id}),
            resource_paths=ConstructPaths(paths),
        )
        check_template_limits(template, stack.node.path, size=len(unit.template_data))
        units.append(unit)
    return units


def _header(stack: Stack, ctx: StackContext) -> dict[str, Any]:
    parameters: dict[str, Any] = {}
    for name, p in stack.parameters.items():
        entry: dict[str, Any] = {"type": p.type}
        if p.default is not None:
            entry["defaultValue"] = render_value(p.default, ctx)
        if p.allowed_values is not None:
            entry["allowedValues"] = p.allowed_values
        if p.description or p.metadata:
            entry["metadata"] = {**({"description": p.description} if p.description else {}), **p.metadata}
        parameters[name] = entry
    variables = {name: render_value(v.definition, ctx) for name, v in stack.variables.items()}
    header: dict[str, Any] = {"$schema": SCHEMAS[stack.TARGET_SCOPE], "contentVersion": "1.0.0.0"}
    header["metadata"] = {"_generator": {"name": "atakora", "stack": stack.node.path}}
    header["parameters"] = parameters
    header["variables"] = variables
    return header


def _outputs(stack: Stack, ctx: StackContext) -> dict[str, Any]:
    return {name: {"type": o.type, "value": render_value(o.value, ctx)} for name, o in stack.outputs.items()}
