"""The runtime picks each component's own managed identity client id from its namespaced setting."""

from __future__ import annotations

import sys
import types
from typing import Any

import pytest

from atakora.runtime.credentials import client_id_setting, component_client_id, component_credential
from atakora.runtime.settings import load_store_settings

ENV = {
    "USER_API_COSMOS_ENDPOINT": "https://acct.documents.azure.com:443/", "USER_API_DATABASE_NAME": "user-db",
    "USER_API_CONTAINER_NAME": "user", "USER_API_AZURE_CLIENT_ID": "11111111-1111-1111-1111-111111111111",
    "ORDER_API_COSMOS_ENDPOINT": "https://acct.documents.azure.com:443/", "ORDER_API_DATABASE_NAME": "order-db",
    "ORDER_API_CONTAINER_NAME": "order", "ORDER_API_AZURE_CLIENT_ID": "22222222-2222-2222-2222-222222222222",
}


def test_each_component_store_uses_its_own_client_id() -> None:
    assert load_store_settings("USER_API", ENV).managed_identity_client_id == "11111111-1111-1111-1111-111111111111"
    assert load_store_settings("ORDER_API", ENV).managed_identity_client_id == "22222222-2222-2222-2222-222222222222"


def test_the_app_wide_client_id_is_only_a_fallback() -> None:
    env = {**ENV, "AZURE_CLIENT_ID": "33333333-3333-3333-3333-333333333333"}
    assert component_client_id("USER_API", env) == "11111111-1111-1111-1111-111111111111"
    assert component_client_id("OTHER", env) == "33333333-3333-3333-3333-333333333333"
    assert component_client_id("OTHER", {}) is None
    assert client_id_setting("USER_API") == "USER_API_AZURE_CLIENT_ID"


def test_the_component_credential_asks_for_the_component_identity(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[dict[str, Any]] = []

    class FakeCredential:
        def __init__(self, **kwargs: Any) -> None:
            seen.append(kwargs)

    fake = types.ModuleType("azure.identity")
    fake.DefaultAzureCredential = FakeCredential  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "azure.identity", fake)
    component_credential("ORDER_API", ENV)
    assert seen == [{"managed_identity_client_id": "22222222-2222-2222-2222-222222222222"}]
