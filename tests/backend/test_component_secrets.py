"""secrets=: one Key Vault per backend, secret-scoped grants to the component's identity, Key Vault references."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from atakora import App, ResourceGroupStack
from atakora.backend import Backend, define_backend
from atakora.components import CrudApi, FunctionsApp
from atakora.errors import AtakoraError
from atakora.testing import Template

VAULT = "Microsoft.KeyVault/vaults"
SITE = "Microsoft.Web/sites"
SECRETS_USER = "4633458b-17de-408a-b874-0445c86b69e6"


def _source(tmp_path: Path) -> Path:
    (tmp_path / "handlers.py").write_text("def charge(req):\n    pass\n\n\ndef refund(req):\n    pass\n")
    return tmp_path


def _synth(components: dict[str, Any], **config: Any) -> tuple[Backend[Any], Template]:
    stack = ResourceGroupStack(App(outdir="unused.out"), "Stack", resource_group_name="rg-test", location="eastus")
    backend = define_backend(components, **config)
    backend.add_to_stack(stack)
    return backend, Template.from_stack(stack)


def _payments(source: Path, **options: Any) -> Any:
    return FunctionsApp.define("Payments", source_directory=source, secrets=["STRIPE_KEY"],
                               functions={"charge": {"trigger": "http"}}, **options)


def _secret_grants(template: Template) -> list[dict[str, Any]]:
    return [r for r in template.role_assignments() if r["type"] == "Microsoft.Authorization/roleAssignments"
            and "/secrets/" in r.get("scope", "")]


def test_a_component_secret_creates_one_rbac_vault_with_soft_delete_and_purge_protection(tmp_path: Path) -> None:
    _, template = _synth({"users": CrudApi.define("UserApi", entity_name="User", schema={"id": "string"},
                                                  secrets=["MAIL_KEY"]),
                          "payments": _payments(_source(tmp_path))})
    template.resource_count_is(VAULT, 1)
    template.has_resource_properties(VAULT, {"enableRbacAuthorization": True, "enableSoftDelete": True,
                                             "enablePurgeProtection": True})


def test_the_identity_gets_secrets_user_on_exactly_its_own_secret(tmp_path: Path) -> None:
    _, template = _synth({"users": CrudApi.define("UserApi", entity_name="User", schema={"id": "string"}),
                          "payments": _payments(_source(tmp_path))})
    grants = _secret_grants(template)
    assert len(grants) == 1
    grant = grants[0]
    assert grant["scope"].endswith("/secrets/payments--STRIPE-KEY")
    assert SECRETS_USER in grant["properties"]["roleDefinitionId"]
    assert "'id-backend-dev-payments'" in grant["properties"]["principalId"]


def test_the_app_setting_is_a_key_vault_reference_resolved_with_the_component_identity(tmp_path: Path) -> None:
    _, template = _synth({"payments": _payments(_source(tmp_path))})
    site = template.find_resources(SITE)[0]
    settings = {s["name"]: s["value"] for s in site["properties"]["siteConfig"]["appSettings"]}
    assert settings["STRIPE_KEY"].startswith("[concat('@Microsoft.KeyVault(SecretUri='")
    assert settings["STRIPE_KEY"].endswith("'secrets/payments--STRIPE-KEY/)')]")
    assert "'id-backend-dev-payments'" in site["properties"]["keyVaultReferenceIdentity"]


def test_each_secret_is_written_only_when_its_securestring_parameter_is_given(tmp_path: Path) -> None:
    _, template = _synth({"payments": _payments(_source(tmp_path))})
    (secret,) = template.find_resources("Microsoft.KeyVault/vaults/secrets")
    vault, name = secret["name"].split("/")
    assert name == "payments--STRIPE-KEY"
    parameter_id = f"secret_{vault.replace('-', '_')}__payments__STRIPE_KEY"
    assert secret["properties"]["value"] == f"[parameters('{parameter_id}')]"
    assert secret["condition"] == f"[not(empty(parameters('{parameter_id}')))]"
    parameter = template.to_json()["parameters"][parameter_id]
    assert parameter["type"] == "securestring" and parameter["defaultValue"] == ""
    assert parameter["metadata"]["atakoraSecret"] == {
        "vault": secret["name"].split("/")[0], "secret": "payments--STRIPE-KEY", "component": "Payments",
        "name": "STRIPE_KEY", "apiVersion": secret["apiVersion"]}


def test_the_secret_grant_waits_for_the_secret_resource(tmp_path: Path) -> None:
    _, template = _synth({"payments": _payments(_source(tmp_path))})
    (grant,) = _secret_grants(template)
    assert "parameters('principalIds')['id-backend-dev-payments']" in grant["name"]  # named after the object id
    # It deploys in the role-assignment deployment, which waits for the secret.
    (deployment,) = template.find_resources("Microsoft.Resources/deployments")
    assert any("Microsoft.KeyVault/vaults/secrets" in d and "payments--STRIPE-KEY" in d for d in deployment["dependsOn"])


def test_a_shared_secret_is_one_resource_granted_to_each_identity(tmp_path: Path) -> None:
    _, template = _synth({"users": CrudApi.define("UserApi", entity_name="User", schema={"id": "string"}),
                          "orders": CrudApi.define("OrderApi", entity_name="Order", schema={"id": "string"})},
                         secrets=["SENTRY_DSN"])
    template.resource_count_is("Microsoft.KeyVault/vaults/secrets", 1)
    (parameter_id,) = template.to_json()["parameters"]
    assert parameter_id.startswith("secret_kv_") and parameter_id.endswith("__shared__SENTRY_DSN")


def test_backend_secrets_are_granted_to_every_component_identity(tmp_path: Path) -> None:
    _, template = _synth({"users": CrudApi.define("UserApi", entity_name="User", schema={"id": "string"}),
                          "orders": CrudApi.define("OrderApi", entity_name="Order", schema={"id": "string"})},
                         secrets=["SENTRY_DSN"])
    grants = _secret_grants(template)
    assert sorted(g["scope"].rsplit("/", 1)[1] for g in grants) == ["shared--SENTRY-DSN"] * 2
    site = template.find_resources(SITE)[0]
    assert "keyVaultReferenceIdentity" in site["properties"]


def test_two_components_with_secrets_get_separate_apps(tmp_path: Path) -> None:
    source = _source(tmp_path)
    _, template = _synth({"payments": _payments(source),
                          "refunds": FunctionsApp.define("Refunds", source_directory=source, secrets=["BANK_KEY"],
                                                         functions={"refund": {"trigger": "http"}})})
    sites = template.find_resources(SITE)
    assert len(sites) == 2
    assert len({s["properties"]["keyVaultReferenceIdentity"] for s in sites}) == 2


def test_an_isolated_backend_keeps_the_vault_private(tmp_path: Path) -> None:
    _, template = _synth({"payments": _payments(_source(tmp_path))}, networking="isolated")
    template.has_resource_properties(VAULT, {"publicNetworkAccess": "Disabled",
                                             "networkAcls": {"defaultAction": "Deny"}})
    endpoints = template.find_resources("Microsoft.Network/privateEndpoints")
    assert any("vault" in json.dumps(e) for e in endpoints)


@pytest.mark.parametrize("secrets", [["stripe-key"], "STRIPE_KEY", ["A", "a"]])
def test_bad_secret_names_are_errors_naming_the_field(tmp_path: Path, secrets: Any) -> None:
    with pytest.raises(AtakoraError, match="secret"):
        FunctionsApp.define("Payments", source_directory=_source(tmp_path), secrets=secrets)
