"""The architecture diagram: backends, their components and the shared resources they use, as Mermaid.

One subgraph per stack and per backend; a node per component and per shared resource; edges from
each component to what it uses, labelled with the roles it holds there; split resources carry a
note with the reason; networking, monitoring, Front Door / Traffic Manager in front of backends and
references between stacks are shown too. The output is deterministic and uses only Mermaid's
flowchart syntax with escaped labels and ``[A-Za-z0-9_]`` ids.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..core.construct import Construct
from ..core.expressions import Expr
from ..core.grants import Grant
from ..core.resource import Resource
from ..core.stack import Stack

if TYPE_CHECKING:
    from ..core.synthesis import DeploymentUnit
    from .backend import Backend
    from .plan import SharedResourcePlan

__all__ = ["backend_diagram", "write_backend_diagram"]

_TYPE_LABELS = {"cosmos": "Cosmos DB account", "functions": "Function App", "storage": "Storage account",
                "monitoring": "Application Insights + Log Analytics", "staticsite": "Static Web App",
                "frontdoor": "Front Door profile", "servicebus": "Service Bus namespace", "keyvault": "Key Vault",
                "redis": "Azure Cache for Redis"}
_USES = {"functions": "runs in", "monitoring": "sends telemetry to", "staticsite": "is served by",
         "frontdoor": "is delivered by"}
# shape per shared resource type: (open, close) around the quoted label
_SHAPES = {"cosmos": ('[("', '")]'), "storage": ('[("', '")]'), "servicebus": ('[("', '")]'),
           "keyvault": ('[("', '")]'), "functions": ('{{"', '"}}'), "staticsite": ('{{"', '"}}'),
           "frontdoor": ('[/"', '"/]'), "monitoring": ('(["', '"])')}
_ARM_TYPES = {"monitoring": ("microsoft.insights/components", "microsoft.operationalinsights/workspaces")}
"""The resources of a plan entry that has no resource of its own name (monitoring is a pair)."""
_KINDS = {"microsoft.keyvault/vaults": "keyvault", "microsoft.cache/redis": "redis",
          "microsoft.servicebus/namespaces": "servicebus"}
"""Backend resources outside the plan that get a node of their own when something points at them (by kind)."""
_FRONT_TYPES = ("microsoft.network/trafficmanagerprofiles/", "microsoft.cdn/profiles/origingroups/origins")
_FRONT_LABELS = {"microsoft.network/trafficmanagerprofiles": "Traffic Manager profile",
                 "microsoft.cdn/profiles": "Front Door profile"}
_ESCAPES = {"#": "#35;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "&": "#amp;", "|": "#124;", "`": "#96;",
            "[": "#91;", "]": "#93;", "{": "#123;", "}": "#125;"}
_ESCAPE_TABLE = str.maketrans(_ESCAPES)
_SPECIAL = re.compile("[" + re.escape("".join(_ESCAPES)) + "]")
"""A character that needs an entity code."""
_UNSAFE = re.compile(r"[^A-Za-z0-9]+")
"""What a Mermaid id may not hold."""


def _text(value: str) -> str:
    """Label text safe inside Mermaid's double quotes (entity codes; whitespace folded)."""
    folded = " ".join(value.split())
    return folded.translate(_ESCAPE_TABLE) if _SPECIAL.search(folded) else folded


def _label(*lines: str) -> str:
    return "<br/>".join([_text(line) for line in lines if line])


class _Ids:
    """Deterministic, unique Mermaid ids made of ``[A-Za-z0-9_]`` from readable keys."""

    def __init__(self) -> None:
        self._owners: dict[str, str] = {}
        """Each id given → the prefix and key it was made for (one dict: the ids in use and what each stands for)."""

    def get(self, prefix: str, key: str) -> str:
        """The id of ``key`` among the ids of ``prefix``: the same for the same key, another for another key."""
        owner = f"{prefix}\0{key}"
        base = f"{prefix}_{_UNSAFE.sub('_', key).strip('_') or 'x'}"
        candidate, n = base, 2
        # The ids of a key's sequence are given in order and kept: a key met again finds its own before a free one.
        while self._owners.setdefault(candidate, owner) != owner:
            candidate, n = f"{base}_{n}", n + 1
        return candidate


@dataclass
class _Graph:
    """Nodes per subgraph path, and edges, in insertion order. What is final is kept compressed: a backend's
    nodes once its view is drawn, and its edges (the text of a large program's diagram repeats its ids a lot)."""

    groups: dict[str, tuple[str, str]] = field(default_factory=dict)
    """group id → (title, parent group id or '')."""
    nodes: dict[str, list[str]] = field(default_factory=dict)
    """group id → node lines (those not sealed)."""
    sealed_nodes: dict[str, bytes] = field(default_factory=dict)
    """group id → its sealed node lines, compressed."""
    edges: dict[str, None] = field(default_factory=dict)
    """The edge lines since the last :meth:`seal`, each once (a dict keeps their order)."""
    sealed_edges: list[bytes] = field(default_factory=list)
    """The edge lines of each sealed run, compressed."""

    def group(self, group_id: str, title: str, parent: str = "") -> str:
        if group_id not in self.groups:
            self.groups[group_id] = (title, parent)
            self.nodes.setdefault(group_id, [])
        return group_id

    def node(self, group_id: str, line: str) -> None:
        self.nodes.setdefault(group_id, []).append(line)

    def edge(self, source: str, target: str, label: str = "", arrow: str = "-->") -> None:
        line = f'{source} {arrow}|"{label}"| {target}' if label else f"{source} {arrow} {target}"
        self.edges[line] = None

    def seal(self, group_id: str | None = None) -> None:
        """Compress the edges drawn since the last seal, and the node lines of ``group_id`` so far. Edges of
        different runs never repeat each other (a run is one backend's, and each of its edges ends at a node only
        it draws), so a run is checked for repeats only within itself."""
        if self.edges:
            self.sealed_edges.append(_pack("".join([f"  {line}\n" for line in self.edges])))
            self.edges.clear()
        if group_id is not None and self.nodes.get(group_id):
            self.sealed_nodes[group_id] = _pack("\n".join([*self._sealed_lines(group_id), *self.nodes[group_id]]))
            self.nodes[group_id] = []

    def _sealed_lines(self, group_id: str) -> list[str]:
        """The sealed node lines of ``group_id``, let go."""
        sealed = self.sealed_nodes.pop(group_id, None)
        return _unpack(sealed).split("\n") if sealed is not None else []

    def render(self) -> str:
        """The Mermaid text; rendering empties the graph."""
        pieces: list[str] = []
        self.write(pieces.append)
        return "".join(pieces)

    def write(self, put: Callable[[str], object]) -> None:
        """Hand the Mermaid text to ``put`` in pieces of a subgraph or a run of edges each (whole lines), letting
        each go once handed over; writing empties the graph."""
        put("flowchart LR\n")
        children: dict[str, list[str]] = {}
        for group_id, (_, parent) in self.groups.items():
            children.setdefault(parent, []).append(group_id)
        for group_id in children.get("", ()):
            self._emit(group_id, 1, children, put)
        self.seal()
        runs = self.sealed_edges
        runs.reverse()  # taken from the end, in order
        while runs:
            put(_unpack(runs.pop()))

    def _emit(self, group_id: str, depth: int, children: dict[str, list[str]], put: Callable[[str], object]) -> None:
        """Hand subgraph ``group_id`` (its nodes, then its subgraphs) to ``put``, indented ``depth`` levels."""
        pad = "  " * depth
        inner = pad + "  "
        lines = [f'{pad}subgraph {group_id}["{_label(self.groups[group_id][0])}"]\n']
        for node in (*self._sealed_lines(group_id), *self.nodes.pop(group_id, ())):
            lines += (inner, node, "\n")
        put("".join(lines))
        for child in children.get(group_id, ()):
            self._emit(child, depth + 1, children, put)
        put(f"{pad}end\n")


def _pack(text: str) -> bytes:
    return zlib.compress(text.encode(), 1)


def _unpack(packed: bytes) -> str:
    return zlib.decompress(packed).decode()


def _resources(scope: Construct) -> Iterator[Resource]:
    return (c for c in scope.node.find_all() if isinstance(c, Resource))


class _Tree:
    """One depth-first walk of the whole construct tree: its stacks, and the resources under any of ``scopes``."""

    def __init__(self, root: Construct, scopes: Iterable[Construct]) -> None:
        wanted = {id(scope) for scope in scopes}
        self.resources: list[Resource] = []
        self.stacks: list[Stack] = []
        self._start: dict[int, int] = {}
        for construct in root.node.find_all():
            if id(construct) in wanted:
                self._start[id(construct)] = len(self.resources)
            if isinstance(construct, Resource):
                self.resources.append(construct)
            elif isinstance(construct, Stack):
                self.stacks.append(construct)

    def resources_of(self, scope: Construct) -> list[Resource]:
        """The resources in ``scope``'s subtree, depth first: a run of the walk's resources."""
        start = self._start.get(id(scope))
        if start is None:  # not in this tree
            return list(_resources(scope))
        path = scope.node.path
        resources, end, prefix = self.resources, start, f"{path}/" if path else ""
        while end < len(resources) and (resources[end] is scope or resources[end].node.path.startswith(prefix)):
            end += 1
        return resources[start:end]

    def fronts(self, stacks: Sequence[Stack]) -> list[tuple[Stack, Resource]]:
        """Traffic Manager endpoints and Front Door origins by stack (with each stack that holds them), in order."""
        by_stack: dict[int, list[Resource]] = {}
        for resource in self.resources:
            if resource.resource_type.lower().startswith(_FRONT_TYPES):
                for holder in resource.node.scopes:
                    if isinstance(holder, Stack):
                        by_stack.setdefault(id(holder), []).append(resource)
        return [(stack, r) for stack in stacks for r in by_stack.get(id(stack), ())]


def _top(resource: Resource) -> Resource:
    while resource.parent is not None:
        resource = resource.parent
    return resource


def _referenced(value: Any) -> Iterator[Resource]:
    """Resources an (ARM-expression-holding) property value refers to."""
    if isinstance(value, Expr):
        yield from value.resources()
    elif isinstance(value, Resource):
        yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _referenced(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _referenced(item)


def _split_note(entry: SharedResourcePlan, plan_warnings: Sequence[str]) -> str | None:
    """Why this resource is not the first of its type and key: the split's warning."""
    if not entry.group and not entry.bucket:
        return None
    base = f"{entry.resource_type}:{entry.requirement_key}"
    reasons = [*entry.warnings, *(w for w in plan_warnings if w.startswith(base + ":")
                                  or (entry.group and entry.group in w))]
    return f"split: {reasons[0]}" if reasons else f"split: resource {entry.bucket + 1} of {base}"


def _node_of(node_by_path: dict[str, str], construct: Construct | None) -> str | None:
    """The node of ``construct`` or of the nearest construct above it in ``node_by_path``."""
    while construct is not None:
        node = node_by_path.get(construct.node.path)
        if node is not None:
            return node
        construct = construct.node.scope
    return None


class _BackendView:
    """Maps the constructs of one backend to the diagram nodes of its shared resources."""

    def __init__(self, graph: _Graph, ids: _Ids, backend: Backend[Any], group_id: str, stack_group: str,
                 resources: list[Resource]) -> None:
        self.graph, self.ids, self.backend, self.group_id, self.stack_group = graph, ids, backend, group_id, stack_group
        self.plan = backend.plan()
        assert backend.scope is not None
        self.scope = backend.scope
        self.component_nodes = {cid: ids.get("c", f"{self.scope.node.path}/{cid}")
                                for cid in self.plan.components}
        self.node_by_path: dict[str, str] = {}
        self.entry_by_node: dict[str, SharedResourcePlan] = {}
        self.resources = resources
        names = {entry.name: entry for entry in self.plan.resources}
        self.main_resource: dict[str, Resource] = {}
        for resource in self.resources:
            entry = names.get(resource.resource_name) if isinstance(resource.resource_name, str) else None
            if entry is not None and resource.parent is None and entry.key not in self.main_resource:
                self.main_resource[entry.key] = resource
        for entry in self.plan.resources:
            node = ids.get("r", f"{self.scope.node.path}/{entry.key}")
            self.entry_by_node[node] = entry
            found = self.main_resource.get(entry.key)
            if found is not None:
                self.node_by_path[found.node.path] = node
            elif entry.resource_type in _ARM_TYPES:  # an entry of several resources, none named like it
                for resource in self.resources:
                    if resource.parent is None and resource.resource_type.lower() in _ARM_TYPES[entry.resource_type]:
                        self.node_by_path.setdefault(resource.node.path, node)
        self.main_by_node = {node: self.main_resource.get(entry.key) for node, entry in self.entry_by_node.items()}
        """The node of each entry → the resource named like the entry (None for a pair such as monitoring)."""

    def node_of(self, construct: Construct | None) -> str | None:
        """The node of the shared resource (or network part) that holds ``construct``."""
        return _node_of(self.node_by_path, construct)

    def target_node(self, resource: Resource | None) -> str | None:
        """The node of ``resource``; a resource of the backend outside the plan (its Key Vault) gets its own."""
        node = self.node_of(resource)
        if node is not None or resource is None:
            return node
        top = _top(resource)
        if (top.resource_type.lower() not in _KINDS or not isinstance(top.resource_name, str)
                or not top.node.path.startswith(self.scope.node.path + "/")):
            return None
        node = self.node_by_path[top.node.path] = self.ids.get("r", top.node.path)
        kind = _KINDS[top.resource_type.lower()]
        opening, closing = _SHAPES.get(kind, ('["', '"]'))
        self.graph.node(self.group_id, f"{node}{opening}{_label(top.resource_name, _TYPE_LABELS.get(kind, kind))}{closing}")
        return node

    def draw(self) -> None:
        graph = self.graph
        identities: dict[str, str] = {}
        for resource in self.resources:
            for cid in getattr(resource, "component_ids", ()):
                if isinstance(resource.resource_name, str):
                    identities.setdefault(cid, resource.resource_name)
        for cid, ctype in self.plan.components.items():
            identity = f"identity {identities[cid]}" if cid in identities else ""
            graph.node(self.group_id, f'{self.component_nodes[cid]}["{_label(cid, ctype, identity)}"]')
        for node, entry in self.entry_by_node.items():
            opening, closing = _SHAPES.get(entry.resource_type, ('["', '"]'))
            graph.node(self.group_id, f"{node}{opening}{_label(entry.name, _TYPE_LABELS.get(entry.resource_type, entry.resource_type))}{closing}")
            note = _split_note(entry, self.plan.warnings)
            if note:
                note_id = self.ids.get("n", f"{self.scope.node.path}/{entry.key}")
                graph.node(self.group_id, f'{note_id}>"{_label(note)}"]')
                graph.edge(note_id, node, arrow="-.-")
        self._draw_network()
        self._draw_grants()

    def _vnet_node(self, subnet: Resource | None) -> str | None:
        """The node of the VNet holding ``subnet``: the backend's own, or the program's (drawn in its stack)."""
        if subnet is None:
            return None
        vnet = _top(subnet)
        node = self.node_of(vnet)
        if node is None:
            node = self.ids.get("v", vnet.node.path)
            name = vnet.resource_name if isinstance(vnet.resource_name, str) else vnet.node.id
            inside = vnet.node.path.startswith(self.scope.node.path + "/")
            self.graph.node(self.group_id if inside else self.stack_group,
                            f'{node}[["{_label(name, "Virtual network")}"]]')
            self.node_by_path[vnet.node.path] = node
        return node

    def _draw_network(self) -> None:
        graph = self.graph
        for resource in self.resources:
            if resource.resource_type.lower() != "microsoft.network/privateendpoints":
                continue
            node = self.ids.get("p", resource.node.path)
            name = resource.resource_name if isinstance(resource.resource_name, str) else resource.node.id
            graph.node(self.group_id, f'{node}(["{_label(name, "Private endpoint")}"])')
            subnet = getattr(resource, "subnet", None)  # the subnet resource, or an expression of its id
            subnets = [subnet] if isinstance(subnet, Resource) else list(_referenced(subnet))
            vnet = self._vnet_node(subnets[0] if subnets else None)
            if vnet is not None:
                graph.edge(vnet, node, "in subnet", arrow="---")
            target = self.target_node(getattr(resource, "target", None))
            if target is not None:
                graph.edge(node, target, "private link", arrow="-.->")
        for resource in self.resources:  # VNet integration of the Function Apps
            subnet_id = getattr(resource, "virtual_network_subnet_id", None)
            subnets = list(_referenced(subnet_id)) if subnet_id is not None else []
            if not subnets:
                continue
            source = self.node_of(resource)
            vnet = self._vnet_node(subnets[0])
            if source is not None and vnet is not None:
                graph.edge(source, vnet, "VNet integration")

    def _grant_sources(self, resource: Resource, grant: Grant, owned: dict[int, tuple[Resource, list[str]]],
                       ) -> list[str]:
        """Component nodes whose identity holds the grant (of those that asked for ``resource``, by ``owned``),
        else the node of the principal's resource."""
        users = [c for c in getattr(grant.principal, "component_ids", ()) if c in self.component_nodes]
        if users:
            owners = owned.get(id(resource))
            asked = [c for c in users if owners is None or c in owners[1]]
            return [self.component_nodes[c] for c in sorted(asked or users)]
        node = self.node_of(grant.principal)
        return [node] if node is not None else []

    def _draw_grants(self) -> None:
        tracker = getattr(self.backend, "owners", None)
        owned = tracker.owners if tracker is not None else {}  # made for this backend's drawing only
        roles: dict[tuple[str, str], list[str]] = {}
        for resource in self.resources:
            grant: Grant | None = getattr(resource, "grant", None)
            target = self.target_node(grant.target) if grant is not None else None
            if grant is None or target is None:
                continue
            label = grant.role
            main = self.main_by_node.get(target)
            if grant.within:
                label = f"{label} on {grant.within}"
            elif grant.target is not main and grant.target is not None and isinstance(grant.target.resource_name, str):
                label = f"{label} on {grant.target.resource_name}"
            for source in self._grant_sources(resource, grant, owned):
                found = roles.setdefault((source, target), [])
                if source != target and label not in found:
                    found.append(label)
        component_nodes, edge = self.component_nodes, self.graph.edge
        for node, entry in self.entry_by_node.items():
            uses = _USES.get(entry.resource_type, "uses")
            for member in entry.members:
                user = component_nodes.get(member)
                if user is not None and not roles.get((user, node)):
                    edge(user, node, uses)
        for (source, target), labels in roles.items():
            if labels:
                self.graph.edge(source, target, _label(*labels))


def _front_edges(graph: _Graph, ids: _Ids, fronts: Sequence[tuple[Stack, Resource]],
                 located: Sequence[dict[str, str]], stack_groups: dict[str, str]) -> None:
    """Traffic Manager endpoints and Front Door origins that send traffic to a backend or another profile
    (``located``: each backend's nodes by construct path)."""
    profiles: dict[str, str] = {}

    def node_of(resource: Resource) -> str | None:
        found = next((n for nodes in located if (n := _node_of(nodes, resource)) is not None), None)
        return found if found is not None else profiles.get(_top(resource).node.path)

    for stack, resource in fronts:
        profile = _top(resource)
        if node_of(profile) is None:
            node = profiles[profile.node.path] = ids.get("f", profile.node.path)
            name = profile.resource_name if isinstance(profile.resource_name, str) else profile.node.id
            title = _FRONT_LABELS.get(profile.resource_type.lower(), profile.resource_type)
            graph.node(stack_groups[stack.node.path], f'{node}[/"{_label(name, title)}"/]')
    for _, resource in fronts:
        source = node_of(resource)
        refs = [*_referenced(resource.render_properties()), *_referenced(vars(resource).get("target_resource"))]
        for ref in refs:
            target = node_of(ref)
            if source is not None and target is not None and source != target:
                graph.edge(source, target, "routes to")


def _stack_title(stack: Stack) -> str:
    where = ", ".join(p for p in (getattr(stack, "resource_group_name", None), stack.location) if p)
    return f"stack {stack.node.path} ({where})"


def backend_diagram(backends: Iterable[Backend[Any]], units: Sequence[DeploymentUnit] = ()) -> str:
    """A Mermaid flowchart of every backend added to a stack; ``units`` adds references between stacks."""
    graph = _Graph()
    _draw(graph, backends, units)  # what only drawing needs (ids, views, the tree walk) is gone before the text
    return graph.render()


def write_backend_diagram(put: Callable[[str], object], backends: Iterable[Backend[Any]],
                          units: Sequence[DeploymentUnit] = ()) -> None:
    """:func:`backend_diagram`'s text handed to ``put`` in pieces of whole lines (the text never exists whole)."""
    graph = _Graph()
    _draw(graph, backends, units)
    graph.write(put)


def _draw(graph: _Graph, backends: Iterable[Backend[Any]], units: Sequence[DeploymentUnit]) -> None:
    ids = _Ids()
    drawn: list[tuple[Backend[Any], Construct, str, str]] = []  # each backend's scope, its group and its stack's
    stack_groups: dict[str, str] = {}
    stacks: list[Stack] = []
    placed = [(b, b.scope) for b in backends if b.scope is not None]
    tree = _Tree(placed[0][1].node.root, [scope for _, scope in placed]) if placed else None
    for backend, scope in placed:
        assert tree is not None
        stack = scope.node.find_ancestor(Stack)
        assert stack is not None
        if stack.node.path not in stack_groups:
            stacks.append(stack)
            stack_groups[stack.node.path] = graph.group(ids.get("s", stack.node.path), _stack_title(stack))
        group = graph.group(ids.get("b", scope.node.path),
                            f"backend {backend.backend_id} ({backend.config.environment})",
                            stack_groups[stack.node.path])
        drawn.append((backend, scope, group, stack_groups[stack.node.path]))
    located: list[dict[str, str]] = []  # where each backend's nodes are: all the edges drawn last need of a view
    for backend, where, group, stack_group in drawn:  # one view at a time, let go once drawn
        assert tree is not None
        view = _BackendView(graph, ids, backend, group, stack_group, tree.resources_of(where))
        view.draw()
        graph.seal(group)
        located.append(view.node_by_path)
    if stacks:
        assert tree is not None
        others = [s for s in tree.stacks if s.node.path not in stack_groups]
        for stack in others:
            stack_groups[stack.node.path] = graph.group(ids.get("s", stack.node.path), _stack_title(stack))
        _front_edges(graph, ids, tree.fronts([*stacks, *others]), located, stack_groups)
        for stack in others:  # stacks without a backend appear only when something is drawn in them
            if not graph.nodes[stack_groups[stack.node.path]]:
                del graph.groups[stack_groups[stack.node.path]]
    unit_stacks = {u.id: u.stack_path for u in units}
    for unit in units:
        for dep in unit.dependencies:
            source, target = stack_groups.get(unit.stack_path), stack_groups.get(unit_stacks.get(dep, ""))
            if source and target and source != target:
                graph.edge(source, target, "references", arrow="-.->")
