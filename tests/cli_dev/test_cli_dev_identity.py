"""``atakora dev`` applies Entra ID, tenant isolation and roles locally; ``--as`` acts as one caller."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from atakora.cli.dev import DevServer, start_dev_server
from atakora.cli.main import app
from atakora.testing import assert_isolated, over_http, principal_headers

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "multi_tenant.py"
ACME, GLOBEX = "6f1c2f0e-8d3a-4c57-9b1e-2a7d5c9e4b10", "b2e4a7c9-1d3f-4e6a-8c0b-5f7e9a1c3d24"
OUTSIDER = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"


def _serve(tmp_path: Path, act_as: str | None = None) -> DevServer:
    server, _ = start_dev_server(EXAMPLE, host="127.0.0.1", port=0, data_dir=tmp_path / "dev", act_as=act_as)
    server.start()
    return server


@pytest.fixture
def served(tmp_path: Path) -> Iterator[DevServer]:
    server = _serve(tmp_path)
    yield server
    server.close()


def base(server: DevServer) -> str:
    return server.url.removesuffix("/api")


def test_a_request_without_a_principal_gets_401_locally(served: DevServer) -> None:
    send = over_http(base(served))
    status, body = send("GET", "/api/data", {}, None)
    assert (status, body["error"]) == (401, "unauthenticated")
    assert send("GET", "/api/data/health", {}, None)[0] == 200


def test_two_tenants_are_isolated_over_http(served: DevServer) -> None:
    send = over_http(base(served))
    acme = principal_headers(tid=ACME, oid="u1", roles=["Tenant.Admin"])
    globex = principal_headers(tid=GLOBEX, oid="u2", roles=["Tenant.Admin"])
    assert_isolated(send, "/api/data", {"name": "doc", "value": "v"}, owner=acme, other=globex,
                    partition_field="tenantId")
    assert_isolated(send, "/api/data", {"name": "doc", "value": "v"}, owner=globex, other=acme,
                    partition_field="tenantId")


def test_tenants_outside_the_allowed_list_and_missing_roles_are_refused(served: DevServer) -> None:
    send = over_http(base(served))
    assert send("GET", "/api/data", principal_headers(tid=OUTSIDER, oid="u"), None)[0] == 403
    member = principal_headers(tid=ACME, oid="u1")
    assert send("POST", "/api/data", member, {"id": "d1", "name": "n"})[0] == 201
    assert send("DELETE", "/api/data/d1", member, None)[0] == 403
    admin = principal_headers(tid=ACME, oid="u1", roles=["Tenant.Admin"])
    assert send("DELETE", "/api/data/d1", admin, None)[0] == 204


def test_dev_as_acts_as_the_given_caller_when_the_request_has_no_principal(tmp_path: Path) -> None:
    server = _serve(tmp_path, act_as=f"tid={ACME},oid=u1,roles=Tenant.Admin")
    try:
        send = over_http(base(server))
        status, created = send("POST", "/api/data", {}, {"id": "d1", "name": "n"})
        assert (status, created["tenantId"]) == (201, ACME)
        assert send("DELETE", "/api/data/d1", {}, None)[0] == 204
        # An explicit header still wins: another tenant does not see acme's items.
        send("POST", "/api/data", {}, {"id": "d2", "name": "n"})
        status, page = send("GET", "/api/data", principal_headers(tid=GLOBEX, oid="u2"), None)
        assert (status, page["items"]) == (200, [])
    finally:
        server.close()


def test_a_malformed_as_is_one_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["dev", str(EXAMPLE), "--port", "0", "--data-dir", str(tmp_path),
                                      "--as", "tid"])
    assert result.exit_code == 1
    assert "--as 'tid'" in result.output and "claim=value" in result.output


def test_the_route_listing_says_which_apis_need_a_principal(served: DevServer) -> None:
    from rich.console import Console

    from atakora.cli.dev import print_routes

    console = Console(record=True, width=200)
    print_routes(console, served, [])
    assert "Entra ID protects AuthApi, DataApi, TenantApi" in console.export_text()
