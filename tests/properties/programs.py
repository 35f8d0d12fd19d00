"""Random atakora programs, written the way careless and malicious users write them.

``programs()`` draws a program: an App, one to three stacks, backends over every component kind
(CrudApi, FunctionsApp, StaticSite, StaticSiteWithCdn, MessageQueue and a custom component), and
sometimes traditionally built components and typed resources, each field drawn either from values that make sense or
from odd ones (wrong types, unknown keywords, odd strings, huge numbers). ``run()`` builds and
synthesizes it (synthesis runs atakora's preflight rules) and classifies the outcome: a
program the entry points accept must synthesize, pass the preflight rules and create no resource
twice.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from atakora import App, AtakoraError, ResourceGroupStack
from atakora.backend import (
    ComponentDefinition,
    ResourceRequirement,
    StorageRequirementConfig,
    ValidationResult,
    define_backend,
)
from atakora.components import CrudApi, FunctionsApp, MessageQueue, StaticSite, StaticSiteWithCdn
from atakora.core.construct import Construct
from atakora.resources.documentdb import CosmosDbAccount
from atakora.resources.managedidentity import UserAssignedIdentity
from atakora.resources.operationalinsights import LogAnalyticsWorkspace
from atakora.resources.servicebus import ServiceBusNamespace
from atakora.resources.storage import StorageAccount
from atakora.rules import PreflightError

_ROOT = Path(tempfile.mkdtemp(prefix="atakora-random-programs-"))
SITE = _ROOT / "site"
SITE.mkdir()
(SITE / "index.html").write_text("<h1>hi</h1>")
(SITE / "404.html").write_text("<h1>missing</h1>")
(SITE / "dist").mkdir()
(SITE / "dist" / "index.html").write_text("<h1>built</h1>")
FUNCTIONS = _ROOT / "functions"
FUNCTIONS.mkdir()
(FUNCTIONS / "handlers.py").write_text(
    "def hello(req):\n    return 'hi'\n\ndef tick(timer):\n    pass\n\ndef orders(msg):\n    pass\n")

ODD_STRINGS = ["", " ", "x" * 300, "../..", "a b", "\x00", "Ünïcødé", "*/0 * * * * *", "mars", "UPPER", "-", "a@b",
               "1", "true", "null", "%s", "{}", "/", "a/b", "ĳ", "\n", "eastus ", "Microsoft.x", "${x}", "[concat()]"]


def odd() -> st.SearchStrategy[Any]:
    """Values no field should accept silently: wrong types, odd strings, extreme numbers."""
    scalar = st.one_of(
        st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
        st.sampled_from([0, -1, 2**31, 2**63, 10**12]), st.floats(allow_nan=True, allow_infinity=True),
        st.sampled_from(ODD_STRINGS), st.text(max_size=6), st.just(object()), st.just(b"bytes"))
    return st.one_of(scalar, st.lists(scalar, max_size=3), st.dictionaries(st.sampled_from(ODD_STRINGS), scalar,
                                                                            max_size=2))


def rarely(bad: st.SearchStrategy[Any], good: st.SearchStrategy[Any], one_in: int = 20) -> st.SearchStrategy[Any]:
    """``bad`` once in ``one_in`` draws, else ``good``."""
    # Hypothesis favours the ends of integer ranges; a seeded Random keeps "rarely" rare.
    return st.randoms(use_true_random=True).flatmap(lambda r: bad if r.random() < 1 / one_in else good)


def field_value(good: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Mostly a sensible value, sometimes (1 in 40) an odd one."""
    return rarely(odd(), good, 40)


def kwargs(fields: Mapping[str, st.SearchStrategy[Any]], required: Mapping[str, st.SearchStrategy[Any]] = {},
           unknown: Sequence[str] = ("bogus", "entityName", "prioirty", "tag")) -> st.SearchStrategy[dict[str, Any]]:
    """Required fields (sometimes left out), a subset of optional ones, and sometimes an unknown keyword."""
    @st.composite
    def draw(data: st.DrawFn) -> dict[str, Any]:
        out: dict[str, Any] = {}
        chance = data(st.randoms(use_true_random=True))
        for name, good in required.items():
            if chance.random() >= 1 / 30:
                out[name] = data(field_value(good))
        for name in data(st.lists(st.sampled_from(sorted(fields)), unique=True, max_size=len(fields))):
            out[name] = data(field_value(fields[name]))
        if chance.random() < 1 / 30:
            out[data(st.sampled_from(list(unknown)))] = data(odd())
        return out
    return draw()


SCHEMA_TYPES = st.sampled_from(["string", "number", "boolean", "timestamp", "array", "object"])
SCHEMAS = st.dictionaries(st.sampled_from(["id", "name", "category", "email", "price", "tenantId"]),
                          st.one_of(SCHEMA_TYPES, st.fixed_dictionaries({"type": SCHEMA_TYPES},
                                                                        optional={"required": st.booleans()})),
                          min_size=1, max_size=4)
NAMES = st.sampled_from(["orders", "events", "a-b", "jobs"])

ENTRA = {"provider": "entra", "tenant_id": "11111111-1111-1111-1111-111111111111",
         "client_id": "22222222-2222-2222-2222-222222222222"}
COMMON = {"previous_ids": st.sampled_from([(), ["OldName"], ["A", "B"]]), "protect": st.booleans()}
SECRETS = st.sampled_from([(), ["API_KEY"], ["api-key"], ["PASSWORD", "TOKEN"]])
CRUD_REQUIRED = {"entity_name": st.sampled_from(["User", "AuditLog", "Item", "Product"]), "schema": SCHEMAS}
CRUD = {
    "partition_key": st.sampled_from(["/id", "/name", "/category", "/tenantId"]),
    "ttl": st.sampled_from([None, -1, 60, 86400]),
    "operations": st.lists(st.sampled_from(["create", "read", "update", "delete", "list"]), unique=True,
                           min_size=1),
    "enable_serverless": st.booleans(),
    "throughput": st.sampled_from([None, 400, 1000, 4000]),
    "autoscale": st.booleans(),
    "cache": st.one_of(st.none(), st.fixed_dictionaries({}, optional={"enabled": st.booleans(),
                                                                       "ttl": st.integers(1, 86400)})),
    "health_check": st.one_of(st.none(), st.fixed_dictionaries({}, optional={
        "path": st.sampled_from(["/health", "/ready"]), "timeout": st.integers(1, 60),
        "unhealthy_threshold": st.integers(2, 10)})),
    "database_name": st.sampled_from([None, "shopdb", "app-db"]),
    "container_name": st.sampled_from([None, "items", "things"]),
    "unique_keys": st.sampled_from([(), ["/name"], [["/tenantId", "/email"]]]),
    "indexing_policy": st.sampled_from([None, {"indexingMode": "consistent"},
                                        {"indexingMode": "consistent", "excludedPaths": [{"path": "/\"_etag\"/?"}]}]),
    "route_prefix": st.sampled_from([None, "items", "v1-users"]),
    "priority": st.integers(0, 100),
    "auth": st.sampled_from([None, "function", "anonymous", ENTRA, {"provider": "entra"}]),
    "tenant_claim": st.sampled_from([None, "tid"]),
    "owner_claim": st.sampled_from([None, "oid"]),
    "owner_field": st.sampled_from(["ownerId", "owner"]),
    "roles": st.sampled_from([None, {"delete": ["Admin"]}, {"delete": []}, {"read": ["Reader", "Admin"]}]),
    "cors": st.sampled_from([None, {"allowed_origins": ["https://a.example.com"]}, {"allowed_origins": ["*"]}]),
    "dedicated_throughput": st.booleans(),
    **COMMON,
    "secrets": SECRETS,
}
FUNCTION_SPECS = st.dictionaries(st.sampled_from(["hello", "tick", "orders"]), st.sampled_from([
    {"trigger": "http"}, {"trigger": "http", "methods": ["GET"], "route": "hello"},
    {"trigger": "timer", "schedule": "0 */5 * * * *"}, {"trigger": "queue", "queue_name": "orders"}]), max_size=3)
FUNCTIONS_APP = {
    "runtime": st.sampled_from(["python", "node", "dotnet-isolated", "java", "powershell"]),
    "version": st.sampled_from([None, "3.11", "3.12", "20", "8.0", "17", "7.4"]),
    "functions": FUNCTION_SPECS,
    "source_directory": st.sampled_from([None, str(FUNCTIONS), FUNCTIONS]),
    "environment_variables": st.dictionaries(st.sampled_from(["FEATURE_X", "LOG_LEVEL"]), st.sampled_from(["1", "debug"]),
                                             max_size=2),
    "sku": st.sampled_from(["FC1", "EP1", "B1", "S1", "P1v3"]),
    "always_on": st.booleans(),
    "extensions": st.sampled_from([(), ["Microsoft.Azure.WebJobs.Extensions.Storage@5.3.0"]]),
    "priority": st.integers(0, 100),
    **COMMON,
    "secrets": SECRETS,
}
SITE_FIELDS = {
    "build_command": st.sampled_from([None, "npm run build"]),
    "output_directory": st.sampled_from([None, "dist"]),
    "index_document": st.sampled_from(["index.html"]),
    "error_document": st.sampled_from([None, "404.html"]),
    "enable_spa_mode": st.booleans(),
    "sku": st.sampled_from(["Free", "Standard"]),
    "headers": st.dictionaries(st.sampled_from(["X-Frame-Options", "Cache-Control"]), st.sampled_from(["DENY", "no-store"]),
                               max_size=2),
    "priority": st.integers(0, 100),
    **COMMON,
}
STATIC_SITE_REQUIRED = {"source_directory": st.sampled_from([str(SITE), SITE])}
CDN = {
    **SITE_FIELDS, **STATIC_SITE_REQUIRED,
    "custom_domain": st.sampled_from([None, "app.example.com", "www.example.org"]),
    "dns_zone_name": st.sampled_from([None, "example.com"]),
    "create_dns_zone": st.booleans(),
    "enable_compression": st.booleans(),
    "cache_max_age": st.sampled_from([0, 60, 3600]),
    "cors": st.sampled_from([None, {"allowed_origins": ["https://example.com"]}]),
    "front_door_tier": st.sampled_from(["Standard", "Premium"]),
}
QUEUE_REQUIRED = {
    "queues": st.lists(st.one_of(NAMES, st.fixed_dictionaries({"name": NAMES}, optional={
        "max_delivery_count": st.integers(1, 100), "lock_duration": st.sampled_from(["PT1M", "PT30S"]),
        "requires_session": st.booleans()})), min_size=1, max_size=3)}
QUEUE = {
    "topics": st.lists(st.one_of(NAMES, st.fixed_dictionaries({"name": NAMES}, optional={
        "subscriptions": st.lists(st.sampled_from(["audit", "mail"]), unique=True, max_size=2)})), max_size=2),
    "sku": st.sampled_from(["Basic", "Standard", "Premium"]),
    "priority": st.integers(0, 100),
    **COMMON,
}
CUSTOM = {"containers": st.lists(st.sampled_from(["uploads", "logs", "a-b"]), max_size=2),
          "queues": st.lists(NAMES, max_size=2), "priority": st.integers(0, 100)}

TYPED: dict[str, type[Any]] = {cls.__name__: cls for cls in (StorageAccount, LogAnalyticsWorkspace, UserAssignedIdentity,
                                                             ServiceBusNamespace, CosmosDbAccount)}
"""Typed resources built directly (their defaults pass the preflight rules; Key Vault and Redis need an endpoint)."""


@st.composite
def typed_resource(draw: st.DrawFn) -> Step:
    """A typed resource with a good name and its defaults, sometimes one odd field or an unknown keyword."""
    import inspect

    kind = draw(st.sampled_from(sorted(TYPED)))
    options = [n for n in inspect.signature(TYPED[kind].__init__).parameters if n not in ("self", "scope", "id")]
    found: dict[str, Any] = {"name": draw(rarely(odd(), st.sampled_from(["propa0001", "propb0002"])))}
    roll = draw(st.integers(0, 9))
    if roll == 0:
        found[draw(st.sampled_from(options))] = draw(odd())
    elif roll == 1:
        found[draw(st.sampled_from(["bogus", "skuu", "Name", "location_name"]))] = draw(odd())
    return Step(f"typed:{kind}", draw(rarely(st.one_of(ODD_IDS, odd()), st.sampled_from(["Res", "Res2"]))), found)


COMPONENT_IDS = st.sampled_from(["UserApi", "Orders", "Site", "Web", "Jobs", "Custom", "A", "B", "Web-2", "web2"])
ODD_IDS = st.sampled_from(["", "a/b", "x" * 300, "with space", "Ünï", "-"])


class Uploads:
    """A custom component (not a construct): asks for storage containers and queues."""

    component_type = "Uploads"

    def __init__(self, component_id: str, config: Mapping[str, Any]) -> None:
        self.component_id = component_id
        self.config = config

    def get_requirements(self) -> Sequence[ResourceRequirement]:
        return [ResourceRequirement("storage", "shared", StorageRequirementConfig(
            containers=tuple(self.config.get("containers", ())), queues=tuple(self.config.get("queues", ()))),
            self.config.get("priority", 10), component_id=self.component_id)]

    def initialize(self, resources: Mapping[str, Any], scope: Construct) -> None:
        """Nothing of its own to build."""

    def validate_resources(self, resources: Mapping[str, Any]) -> ValidationResult:
        return ValidationResult.of()

    def get_outputs(self) -> Mapping[str, Any]:
        return {}


def _custom(component_id: str, **config: Any) -> ComponentDefinition[Uploads]:
    return ComponentDefinition(component_id, "Uploads", config,
                               lambda scope, cid, cfg, resources: Uploads(cid, cfg))


KINDS: dict[str, tuple[Callable[..., Any], Mapping[str, Any], Mapping[str, Any]]] = {
    "CrudApi": (CrudApi, CRUD, CRUD_REQUIRED),
    "FunctionsApp": (FunctionsApp, FUNCTIONS_APP, {}),
    "StaticSite": (StaticSite, SITE_FIELDS, STATIC_SITE_REQUIRED),
    "StaticSiteWithCdn": (StaticSiteWithCdn, CDN, {}),
    "MessageQueue": (MessageQueue, QUEUE, QUEUE_REQUIRED),
    "custom": (_custom, CUSTOM, {}),
}

REGIONS = st.sampled_from(["eastus", "westeurope", "northeurope"])
TAGS = rarely(st.dictionaries(st.sampled_from(["team", "owner", "Team", "cost-center", "environment", "microsoftx",
                                               "microsoft.x", "azure-x"]), st.sampled_from(["core", "a", ""]),
                               min_size=1, max_size=3),
              st.dictionaries(st.sampled_from(["team", "owner", "cost-center"]), st.sampled_from(["core", "a", ""]),
                              max_size=2), 6)
BACKEND = {
    "environment": st.sampled_from(["dev", "prod", "test-1"]),
    "location": REGIONS,
    "backend_id": st.sampled_from([None, "shop", "api-2"]),
    "monitoring": st.one_of(st.booleans(), st.fixed_dictionaries({}, optional={
        "retention_days": st.sampled_from([30, 90]), "sampling_percentage": st.sampled_from([50, 100])})),
    "networking": st.sampled_from(["public", "isolated", {"mode": "isolated", "private_endpoints": False}]),
    "tags": TAGS,
    "limits": st.sampled_from([{}, {"max_cosmos_accounts": 1}, {"max_function_apps": 2}]),
    "auto_scale": st.sampled_from([None, False, {"max_throughput": 4000}]),
    "cosmos_config": st.sampled_from([None, {"consistency_level": "Session"},
                                      {"failover_policies": [{"location_name": "eastus", "priority": 0},
                                                             {"location_name": "westus", "priority": 1}]}]),
    "naming": rarely(st.sampled_from([lambda a: a, lambda a, b, c: 1 // 0]), st.sampled_from([
        None, lambda resource_type, backend_id, suffix: f"{backend_id}-{suffix or 'x'}"]), 6),
    "auth": st.sampled_from(["function", "anonymous", ENTRA, {**ENTRA, "excluded_paths": ["/health"]}]),
    "cors": st.sampled_from([None, {"allowed_origins": ["https://app.example.com"], "support_credentials": True}]),
    "enforce_https": st.booleans(),
    "use_managed_identity": rarely(st.just(False), st.just(True), 10),
    "identity": st.sampled_from(["per-component", "shared"]),
    "providers": st.just(()),
    "rules": st.just(()),
    "secrets": SECRETS,
}
STACK = {"location": REGIONS, "tags": TAGS,
         "subscription_id": st.sampled_from([None, "00000000-0000-0000-0000-000000000000", "not-a-guid"])}
STACK_REQUIRED = {"resource_group_name": st.sampled_from(["rg-app", "rg-shop", "rg.data_1"]),
                  "location": REGIONS}


@dataclass
class Step:
    """One call of the program: what it calls and with which keyword arguments."""

    kind: str
    id: Any
    kwargs: dict[str, Any]

    def __repr__(self) -> str:
        return f"{self.kind}({self.id!r}, **{self.kwargs!r})"


@dataclass
class Program:
    """Stacks, each with its backends (lists of component steps) and its traditional components."""

    stacks: list[tuple[Step, list[tuple[dict[str, Any], list[Step]]], list[Step]]] = field(default_factory=list)


@st.composite
def steps(draw: st.DrawFn) -> Step:
    """One component call."""
    kind = draw(st.sampled_from(sorted(KINDS)))
    _, fields, required = KINDS[kind]
    component_id = draw(rarely(st.one_of(ODD_IDS, odd()), COMPONENT_IDS))
    return Step(kind, component_id, draw(kwargs(fields, required)))


@st.composite
def programs(draw: st.DrawFn) -> Program:
    """A whole program."""
    program = Program()
    for n in range(draw(st.integers(1, 3))):
        stack_id = draw(rarely(st.one_of(ODD_IDS, odd()), st.just(f"Stack{n}")))
        stack = Step("ResourceGroupStack", stack_id, draw(kwargs(STACK, STACK_REQUIRED)))
        backends = [(draw(kwargs(BACKEND, unknown=("bogus", "enviroment", "region"))),
                     draw(st.lists(steps(), min_size=1, max_size=4))) for _ in range(draw(st.integers(0, 2)))]
        traditional = draw(st.lists(st.one_of(steps(), typed_resource()), max_size=2))
        program.stacks.append((stack, backends, traditional))
    return program


@dataclass
class Outcome:
    """What running a program gave: ``kind`` is 'ok', 'error' (a good AtakoraError), 'poor', 'raw' or 'invalid'."""

    kind: str
    detail: str = ""


def build(program: Program, outdir: Path) -> App:
    """Run the program's calls and synthesize it into ``outdir``."""
    app = App(outdir=outdir)
    for stack_step, backends, traditional in program.stacks:
        stack = ResourceGroupStack(app, stack_step.id, **stack_step.kwargs)
        for fields, members in backends:
            definitions = {f"c{i}": KINDS[m.kind][0].define(m.id, **m.kwargs) if m.kind != "custom"
                           else _custom(m.id, **m.kwargs) for i, m in enumerate(members)}
            define_backend(definitions, **fields).add_to_stack(stack)
        for step in traditional:
            if step.kind.startswith("typed:"):
                TYPED[step.kind.removeprefix("typed:")](stack, step.id, **step.kwargs)
            elif step.kind != "custom":
                KINDS[step.kind][0](stack, step.id, **step.kwargs)
    app.synth()
    return app


def duplicate_resources(app: App) -> list[str]:
    """Resources that two places of one deployment scope would both create (same type and literal name)."""
    assert app.assembly is not None
    seen: dict[tuple[str, str, str], str] = {}
    problems = []
    for unit in app.assembly.units:
        scope = (unit.resource_group or unit.scope).lower()
        for resource in _resources(unit.template.get("resources", [])):
            name = resource.get("name")
            if not isinstance(name, str) or name.startswith("["):
                continue
            key = (scope, str(resource.get("type", "")).lower(), name.lower())
            where = seen.setdefault(key, unit.id)
            if where != unit.id or key in {k for k in problems}:
                problems.append(f"{key[1]} {key[2]!r} in {where} and {unit.id}")
    return problems


def _resources(resources: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    items = resources.values() if isinstance(resources, Mapping) else resources
    for resource in items:
        out.append(resource)
        if resource.get("type") == "Microsoft.Resources/deployments":
            out.extend(_resources(resource.get("properties", {}).get("template", {}).get("resources", [])))
    return out


def run(program: Program) -> Outcome:
    """Build and synthesize ``program``; classify what happened."""
    with tempfile.TemporaryDirectory() as tmp:
        try:
            app = build(program, Path(tmp) / "out")
        except PreflightError as error:
            return Outcome("invalid", f"accepted, then stopped by preflight: {error}")
        except AtakoraError as error:
            fld = getattr(error, "field", "")
            if not fld or not error.fix:
                return Outcome("poor", f"{type(error).__name__} without {'field' if not fld else 'fix'}: {error}")
            return Outcome("error", str(error))
        except Exception as error:  # noqa: BLE001 - counting the ones that escape is the point
            return Outcome("raw", f"{type(error).__name__}: {error}")
        problems = duplicate_resources(app)
        json.dumps(app.assembly.manifest if app.assembly else {})
        return Outcome("invalid", "; ".join(problems)) if problems else Outcome("ok")
