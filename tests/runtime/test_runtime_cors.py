"""CORS answered by the generated code: the OPTIONS function and the headers of every answer."""

from __future__ import annotations

from typing import Any

from conftest import decode

from atakora.runtime import CrudSpec, LocalHost, SqliteStore, crud_blueprint
from atakora.runtime.cors import CorsRules, cors_blueprint
from atakora.runtime.openapi import openapi_blueprint

RULES: dict[str, Any] = {"allowed_origins": ("https://app.example.com", "https://*.example.org"),
                         "allowed_methods": ("GET", "PUT"), "max_age": 3600, "support_credentials": True}
ORIGIN = {"Origin": "https://app.example.com"}


def _host() -> LocalHost:
    spec = CrudSpec("UserApi", "User", "users", {"name": "string"}, cors=RULES)
    store = SqliteStore()
    return LocalHost(crud_blueprint(spec, store_factory=lambda: store), cors_blueprint(RULES),
                     openapi_blueprint({"openapi": "3.1.0"}, cors=RULES))


def _preflight(host: LocalHost, path: str, origin: str, method: str) -> dict[str, str]:
    response = decode(host.request("OPTIONS", path, headers={"Origin": origin, "Access-Control-Request-Method": method,
                                                             "Access-Control-Request-Headers": "if-match"}))
    assert response.status == 204
    return response.headers


def test_the_options_function_answers_every_route_with_exactly_the_methods_and_max_age() -> None:
    host = _host()
    for path in ("/api/users", "/api/users/ann", "/api/openapi.json", "/api/users/health", "/api/anything/deeper"):
        headers = _preflight(host, path, "https://app.example.com", "PUT")
        assert headers["Access-Control-Allow-Origin"] == "https://app.example.com"
        assert headers["Access-Control-Allow-Methods"] == "GET, PUT"
        assert headers["Access-Control-Max-Age"] == "3600"
        assert headers["Access-Control-Allow-Headers"] == "if-match"
        assert headers["Access-Control-Allow-Credentials"] == "true"


def test_preflights_of_other_origins_or_methods_get_no_cors_headers() -> None:
    host = _host()
    assert "Access-Control-Allow-Origin" not in _preflight(host, "/api/users", "https://evil.example.com", "GET")
    assert "Access-Control-Allow-Origin" not in _preflight(host, "/api/users", "https://app.example.com", "DELETE")
    assert _preflight(host, "/api/users", "https://a.b.example.org", "GET")["Access-Control-Allow-Origin"] == \
        "https://a.b.example.org"


def test_answers_carry_the_origin_for_allowed_methods_only() -> None:
    host = _host()
    created = decode(host.request("PUT", "/api/users/ann", json={"name": "A"}, headers=ORIGIN))
    assert created.status == 404 and created.headers["Access-Control-Allow-Origin"] == "https://app.example.com"
    assert "ETag" in created.headers["Access-Control-Expose-Headers"]
    posted = decode(host.request("POST", "/api/users", json={"name": "A"}, headers=ORIGIN))
    assert posted.status == 201 and "Access-Control-Allow-Origin" not in posted.headers
    for path in ("/api/users", "/api/users/health", "/api/openapi.json"):
        answer = decode(host.request("GET", path, headers=ORIGIN))
        assert answer.headers["Access-Control-Allow-Origin"] == "https://app.example.com", path
    assert "Access-Control-Allow-Origin" not in decode(host.request("GET", "/api/users")).headers


def test_a_wildcard_origin_without_credentials_answers_star() -> None:
    rules = CorsRules(("*",), ("GET",), 60)
    assert rules.preflight_headers("https://x.test", "GET", None)["Access-Control-Allow-Origin"] == "*"
    assert rules.response_headers("https://x.test", "GET")["Access-Control-Allow-Origin"] == "*"
