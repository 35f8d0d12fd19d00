"""Parsing the X-MS-CLIENT-PRINCIPAL header that App Service Authentication passes to the app."""

from __future__ import annotations

import base64
import json

import pytest

from atakora.runtime.identity import (
    ROLE_URI,
    PrincipalError,
    encode_principal,
    parse_identity_spec,
    parse_principal,
    principal_from_headers,
)

TENANT_URI = "http://schemas.microsoft.com/identity/claims/tenantid"
OID_URI = "http://schemas.microsoft.com/identity/claims/objectidentifier"


def _header(document: object) -> str:
    return base64.b64encode(json.dumps(document).encode()).decode()


def test_claims_are_found_by_jwt_name_or_uri_form() -> None:
    header = _header({"auth_typ": "aad", "claims": [{"typ": TENANT_URI, "val": "t-1"}, {"typ": "oid", "val": "u-1"}],
                      "name_typ": "name", "role_typ": ROLE_URI})
    principal = parse_principal(header)
    assert principal.auth_type == "aad"
    assert principal.tenant_id == principal.claim("tid") == principal.claim(TENANT_URI) == "t-1"
    assert principal.object_id == principal.claim(OID_URI) == "u-1"


def test_roles_are_claims_of_the_role_type() -> None:
    header = _header({"auth_typ": "aad", "claims": [{"typ": ROLE_URI, "val": "Admin"}, {"typ": "roles", "val": "Ed"},
                                                    {"typ": "other", "val": "x"}], "role_typ": ROLE_URI})
    assert parse_principal(header).roles == ["Admin", "Ed"]
    custom = _header({"auth_typ": "aad", "claims": [{"typ": "app_role", "val": "Reader"}], "role_typ": "app_role"})
    assert parse_principal(custom).roles == ["Reader"]


def test_encoded_principal_round_trips() -> None:
    principal = parse_principal(encode_principal({"tid": "a", "oid": "u"}, roles=["Admin", "Editor"]))
    assert (principal.tenant_id, principal.object_id, principal.roles) == ("a", "u", ["Admin", "Editor"])


@pytest.mark.parametrize("value", [
    "", "not base64!", base64.b64encode(b"not json").decode(), _header([1, 2]), _header({"auth_typ": "aad"}),
    _header({"claims": [{"typ": 1, "val": "x"}]}), _header({"claims": [{"typ": "tid", "val": None}]}),
    _header({"claims": [], "role_typ": 5}), "A" * 70000,
])
def test_malformed_headers_raise_principal_error(value: str) -> None:
    with pytest.raises(PrincipalError):
        parse_principal(value)


def test_header_names_are_case_insensitive_and_absent_is_none() -> None:
    assert principal_from_headers({"x-ms-client-principal": encode_principal({"tid": "a"})}) is not None
    assert principal_from_headers({"Accept": "*/*"}) is None


def test_dev_identity_spec_parses_claims_and_roles() -> None:
    assert parse_identity_spec("tid=tenant-a, oid=u1,roles=Admin+Editor") == {
        "tid": ["tenant-a"], "oid": ["u1"], "roles": ["Admin", "Editor"]}
    with pytest.raises(ValueError, match="claim=value"):
        parse_identity_spec("tid")
