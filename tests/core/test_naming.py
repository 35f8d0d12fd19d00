from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from atakora import App, ResourceGroupStack
from atakora.core import ArmResource
from atakora.core.naming import NAME_RULES, generate_name, validate_name
from atakora.errors import NamingError

GENERATABLE = sorted(t for t, rule in NAME_RULES.items() if not rule.guid)
parts = st.lists(st.text(min_size=0, max_size=40), min_size=1, max_size=5)


@settings(max_examples=300, deadline=None)
@given(resource_type=st.sampled_from(GENERATABLE), parts=parts, seed=st.text(max_size=10))
def test_generated_names_always_satisfy_the_rules_of_their_type(resource_type: str, parts: list[str],
                                                                seed: str) -> None:
    name = generate_name(resource_type, parts, seed=seed)
    assert validate_name(resource_type, name) is None, (resource_type, parts, name)


@given(resource_type=st.sampled_from(GENERATABLE), parts=parts)
def test_generated_names_are_deterministic(resource_type: str, parts: list[str]) -> None:
    assert generate_name(resource_type, parts, seed="s") == generate_name(resource_type, parts, seed="s")


def test_distinct_inputs_do_not_collide_for_globally_unique_types() -> None:
    names = {generate_name("Microsoft.Storage/storageAccounts", ["st", "shop", "prod", f"c{i}"], seed="b")
             for i in range(20000)}
    assert len(names) == 20000


def test_storage_names_are_lower_case_alphanumeric_with_a_stable_hash() -> None:
    name = generate_name("Microsoft.Storage/storageAccounts", ["st", "My-Backend", "prod"], seed="x")
    assert name.startswith("stmybackendprod") and len(name) == 21 and name.isalnum() and name.islower()


def test_long_names_are_shortened_with_a_hash_to_the_type_maximum() -> None:
    name = generate_name("Microsoft.KeyVault/vaults", ["kv", "a-very-long-backend-name", "production"])
    assert len(name) <= 24 and validate_name("Microsoft.KeyVault/vaults", name) is None


@pytest.mark.parametrize(("resource_type", "name", "message"), [
    ("Microsoft.Storage/storageAccounts", "Has-Upper", "lower-case letters and digits only"),
    ("Microsoft.Storage/storageAccounts", "ab", "has 2 characters"),
    ("Microsoft.DocumentDB/databaseAccounts", "-cosmos", "starts and ends with a letter or digit"),
    ("Microsoft.KeyVault/vaults", "kv--double", "contains '--'"),
    ("Microsoft.Web/sites", "x" * 61, "2-60"),
    ("Microsoft.Authorization/roleAssignments", "not-a-guid", "is not a GUID"),
])
def test_invalid_names_are_explained(resource_type: str, name: str, message: str) -> None:
    assert message in (validate_name(resource_type, name) or "")


def test_a_resource_with_an_invalid_name_fails_at_construction_with_its_path() -> None:
    stack = ResourceGroupStack(App(outdir="unused"), "S", resource_group_name="rg", location="eastus")
    with pytest.raises(NamingError, match=r"\[S/Bad\] 'Bad_Name' is not a valid Microsoft.Storage/storageAccounts"):
        ArmResource(stack, "Bad", type="Microsoft.Storage/storageAccounts", api_version="2025-08-01",
                    name="Bad_Name")


@settings(max_examples=200, deadline=None)
@given(parts=st.lists(st.text(max_size=20), min_size=1, max_size=4), length=st.integers(min_value=0, max_value=60))
def test_a_short_hash_is_the_prefix_of_the_base32_of_the_whole_digest(parts: list[str], length: int) -> None:
    import base64
    import hashlib

    from atakora.core.naming import short_hash

    digest = hashlib.sha256("\x1f".join(parts).encode()).digest()
    assert short_hash(*parts, length=length) == base64.b32encode(digest).decode().lower()[:length]
