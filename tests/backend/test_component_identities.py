"""Per-component user-assigned identities: each component's data roles go to its own identity only."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from atakora import App, ResourceGroupStack
from atakora.backend import Backend, define_backend
from atakora.components import CrudApi, FunctionsApp, MessageQueue
from atakora.testing import Template

IDENTITY = "Microsoft.ManagedIdentity/userAssignedIdentities"
SITE = "Microsoft.Web/sites"
_IDENTITY_REF = re.compile(r"userAssignedIdentities', '([^']+)'")


def _handlers(tmp_path: Path) -> Path:
    (tmp_path / "handlers.py").write_text("def process(msg):\n    pass\n\n\ndef notify(msg):\n    pass\n")
    return tmp_path


def _components(source: Path) -> dict[str, Any]:
    return {
        "users": CrudApi.define("UserApi", entity_name="User", schema={"id": "string", "name": "string"}),
        "catalog": CrudApi.define("CatalogApi", entity_name="Item", schema={"id": "string"},
                                  operations=["read", "list"]),
        "worker": FunctionsApp.define("Worker", source_directory=source,
                                      functions={"process": {"trigger": "queue", "queue_name": "jobs"}}),
        "mailer": FunctionsApp.define("Mailer", source_directory=source,
                                      functions={"notify": {"trigger": "queue", "queue_name": "mail"}}),
        "bus": MessageQueue.define("Bus", queues=["orders"]),
    }


def _synth(components: dict[str, Any], **config: Any) -> tuple[Backend[Any], Template]:
    app = App(outdir="unused.out")
    stack = ResourceGroupStack(app, "Stack", resource_group_name="rg-test", location="eastus")
    backend = define_backend(components, **config)
    backend.add_to_stack(stack)
    return backend, Template.from_stack(stack)


def _settings(template: Template) -> dict[str, Any]:
    site = template.find_resources(SITE)[0]
    return {s["name"]: s["value"] for s in site["properties"]["siteConfig"]["appSettings"]}


def _grants(template: Template) -> list[tuple[str, str, str]]:
    """(identity name, role definition, scope) of every role held by a user-assigned identity."""
    out = []
    for resource in template.role_assignments():
        found = _IDENTITY_REF.search(resource["properties"]["principalId"])
        if found is None:
            continue
        scope = resource["properties"].get("scope") or resource.get("scope", "")
        out.append((found.group(1), resource["properties"]["roleDefinitionId"], scope))
    return out


def _owner_of(template: Template) -> dict[str, str]:
    """Identity name → the one component whose tag it carries."""
    return {r["name"]: r["tags"]["atakora-components"] for r in template.find_resources(IDENTITY)}


def _asked_for(backend: Backend[Any]) -> dict[str, set[str]]:
    """Component id → the containers ('/dbs/d/colls/c') and queues ('/queues/q') its requirements list."""
    asked: dict[str, set[str]] = {}
    for entry in backend.plan().resources:
        for requirement in entry.requirements:
            names = asked.setdefault(requirement.component_id, set())
            config = requirement.config
            for db in getattr(config, "databases", ()):
                names.update(f"/dbs/{db.name}/colls/{c.name}" for c in db.containers)
            for queue in getattr(config, "queues", ()):
                names.add(f"/queues/{queue if isinstance(queue, str) else queue.name}")
    return asked


_TARGET = re.compile(r"(/dbs/[^'/]+/colls/[^'/]+)|(/queues/[^'/\]]+)")


def _target(scope: str) -> str:
    found = _TARGET.search(scope)
    assert found is not None, f"a grant wider than one container or queue: {scope}"
    return found.group(0)


def test_each_component_gets_its_own_identity_attached_to_the_shared_app(tmp_path: Path) -> None:
    _, template = _synth(_components(_handlers(tmp_path)))
    owners = _owner_of(template)
    assert sorted(owners.values()) == ["CatalogApi", "Mailer", "UserApi", "Worker"]
    site = template.find_resources(SITE)[0]
    assert site["identity"]["type"] == "SystemAssigned, UserAssigned"
    attached = sorted(_IDENTITY_REF.search(k).group(1) for k in site["identity"]["userAssignedIdentities"])  # type: ignore[union-attr]
    assert attached == sorted(owners)
    settings = _settings(template)
    for name, component in owners.items():
        prefix = {"UserApi": "USER_API", "CatalogApi": "CATALOG_API", "Worker": "WORKER", "Mailer": "MAILER"}[component]
        assert name in settings[f"{prefix}_AZURE_CLIENT_ID"] and settings[f"{prefix}_AZURE_CLIENT_ID"].endswith(
            ".clientId]")


def test_a_read_only_api_gets_the_cosmos_reader_role_and_others_the_contributor(tmp_path: Path) -> None:
    _, template = _synth(_components(_handlers(tmp_path)))
    owners = _owner_of(template)
    roles = {owners[identity]: role for identity, role, scope in _grants(template) if "/colls/" in scope}
    assert roles["CatalogApi"].endswith("/sqlRoleDefinitions/00000000-0000-0000-0000-000000000001')]")
    assert roles["UserApi"].endswith("/sqlRoleDefinitions/00000000-0000-0000-0000-000000000002')]")


def test_no_identity_holds_a_role_on_a_resource_another_component_asked_for(tmp_path: Path) -> None:
    backend, template = _synth(_components(_handlers(tmp_path)))
    owners = _owner_of(template)
    asked = _asked_for(backend)
    grants = _grants(template)
    assert len(grants) == 4  # two containers, two queues
    for identity, _role, scope in grants:
        owner, target = owners[identity], _target(scope)
        assert target in asked[owner], (owner, target)
        others = [c for c, names in asked.items() if c != owner and target in names]
        assert not others, f"{owner}'s identity holds a role on {target}, which {others} asked for"


def test_the_app_system_identity_keeps_only_host_storage_and_monitoring(tmp_path: Path) -> None:
    _, template = _synth(_components(_handlers(tmp_path)))
    checked = 0
    for resource in template.role_assignments():
        if "Microsoft.Web/sites" in resource["properties"]["principalId"]:
            checked += 1
            assert resource["type"] == "Microsoft.Authorization/roleAssignments"
            assert resource["scope"].startswith(("Microsoft.Storage/storageAccounts/", "Microsoft.Insights/"))
            assert "/queues/" not in resource["scope"]
    assert checked >= 3  # blob, queue and table data roles on host storage (and monitoring)


def test_shared_identity_mode_creates_one_identity_that_every_component_uses(tmp_path: Path) -> None:
    _, template = _synth(_components(_handlers(tmp_path)), identity="shared")
    template.resource_count_is(IDENTITY, 1)
    name = template.find_resources(IDENTITY)[0]["name"]
    settings = _settings(template)
    for prefix in ("USER_API", "CATALOG_API", "WORKER", "MAILER"):
        assert name in settings[f"{prefix}_AZURE_CLIENT_ID"]
    assert {identity for identity, _, _ in _grants(template)} == {name}


def test_an_unknown_identity_mode_is_an_error_naming_the_choices() -> None:
    from atakora.errors import ConfigurationError

    with pytest.raises(ConfigurationError, match="identity"):
        define_backend({"users": CrudApi.define("UserApi", entity_name="User", schema={"id": "string"})},
                       identity="per-app")


def test_the_plan_counts_identities_and_data_roles(tmp_path: Path) -> None:
    backend, _ = _synth(_components(_handlers(tmp_path)))
    access = backend.plan().to_json()["access"]
    assert access == {"mode": "per-component", "identities": 4, "roles": 4,
                      "components": {"CatalogApi": 1, "Mailer": 1, "UserApi": 1, "Worker": 1}}
    shared, _ = _synth(_components(_handlers(tmp_path)), identity="shared")
    assert shared.plan().to_json()["access"]["identities"] == 1


def test_the_owner_tracker_maps_every_resource_of_the_backend_to_the_components_it_serves(tmp_path: Path) -> None:
    backend, _ = _synth(_components(_handlers(tmp_path)))
    assert backend.owners is not None
    owners = backend.owners.owners
    identities = [r for r, _ in owners.values() if r.resource_type == IDENTITY]
    assert len(identities) == 4 and all(id(r) in owners for r in identities)
    assert all(len(owners[id(r)][1]) == 1 for r in identities)
    listed = backend.owners.by_stack()["Stack"]
    assert {listed[f"{IDENTITY} {r.resource_name}"] for r in identities} == {"CatalogApi", "Mailer", "UserApi",
                                                                              "Worker"}
