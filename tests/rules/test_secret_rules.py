"""AZ-SEC-001: credentials written as literal app settings are errors whose fix is secrets=."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from atakora.rules import AssemblyView
from atakora.rules.secrets import SECRET_PATTERNS, literal_secret_settings, secret_kind

from .conftest import findings, template


def _site(**settings: str) -> dict[str, Any]:
    return {"type": "Microsoft.Web/sites", "name": "func-x",
            "properties": {"siteConfig": {"appSettings": [{"name": n, "value": v} for n, v in settings.items()]}}}


@pytest.mark.parametrize("value", [
    "DefaultEndpointsProtocol=https;AccountName=st1;AccountKey=abcdEFGH1234abcdEFGH1234==;EndpointSuffix=core.windows.net",
    "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey=abcdefgh12345678",
    "Server=db;User Id=app;Password=hunter2;",
    "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
    "AKIAIOSFODNN7EXAMPLE",
    "https://st1.blob.core.windows.net/c?sv=2022-11-02&se=2030-01-01&sig=abcdEFGH1234abcdEFGH1234%3D",
])
def test_a_literal_credential_in_an_app_setting_is_an_error_without_echoing_it(value: str) -> None:
    found = findings(literal_secret_settings, AssemblyView.from_templates({"S": template(_site(CONN=value))}))
    assert [f.rule_id for f in found] == ["AZ-SEC-001"]
    assert "use secrets=['CONN']" in found[0].fix
    assert value not in found[0].message and value not in found[0].fix


@pytest.mark.parametrize("value", [
    "[reference(resourceId('Microsoft.Storage/storageAccounts', 'st1'), '2023-05-01').primaryEndpoints.blob]",
    "@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/x/)", "cosmos", "https://api.example.com",
    "AccountName=st1",
])
def test_expressions_references_and_plain_values_pass(value: str) -> None:
    assert not findings(literal_secret_settings, AssemblyView.from_templates({"S": template(_site(V=value))}))


def test_a_functions_app_with_a_key_in_its_environment_stops_synthesis(tmp_path: Path) -> None:
    from atakora import App, ResourceGroupStack
    from atakora.backend import define_backend
    from atakora.components import FunctionsApp
    from atakora.rules import PreflightError

    backend = define_backend({"jobs": FunctionsApp.define("Jobs", environment_variables={
        "STRIPE_KEY": "sk_live_4eC39HqLyjWDarjtT1zdp7dc"})})
    app = App(outdir=str(tmp_path / "out"))
    backend.add_to_stack(ResourceGroupStack(app, "S", resource_group_name="rg", location="eastus"))
    with pytest.raises(PreflightError, match="AZ-SEC-001") as raised:
        app.synth()
    assert "sk_live_4eC39HqLyjWDarjtT1zdp7dc" not in str(raised.value)


_KEYWORDS = st.sampled_from(["AccountKey", "SharedAccessKey", "password", "pwd", "sig", "sk_live", "rk_test",
                             "AKIA", "ghp", "xoxb", "-----BEGIN RSA PRIVATE KEY-----", "name"])
_CREDENTIAL_LIKE = st.tuples(
    st.sampled_from(["", " ", ";", "?", "&", "x", "https://h/p?a=1&"]),
    st.tuples(_KEYWORDS, st.booleans()).map(lambda k: k[0].upper() if k[1] else k[0]),
    st.sampled_from(["=", " = ", "_", "-", ""]),
    st.text(alphabet="ABCDEFGHIJKLMNOP0123456789abcdef%=+/-_;&? ", max_size=40),
).map("".join)


@settings(max_examples=400, deadline=None)
@given(_CREDENTIAL_LIKE)
def test_the_quick_test_of_every_pattern_at_once_finds_what_the_patterns_find_one_by_one(value: str) -> None:
    one_by_one = next((kind for kind, pattern in SECRET_PATTERNS if pattern.search(value)), None)
    assert secret_kind(value) == one_by_one
