"""The ``atakora dev`` HTTP server behaves like the Functions host on the wire."""

from __future__ import annotations

import http.client
import json
import socket
import threading
from collections.abc import Iterator

import pytest

from atakora.backend.cors import CorsPolicy
from atakora.cli.devhttp import make_server
from atakora.runtime import CrudSpec, LocalHost, SqliteStore, crud_blueprint


@pytest.fixture
def port() -> Iterator[int]:
    spec = CrudSpec("UserApi", "User", "users", {"name": "string"})
    store = SqliteStore()
    policy = CorsPolicy(("https://app.example.com",))
    server = make_server(LocalHost(crud_blueprint(spec, store_factory=lambda: store)), port=0, cors=lambda _: policy)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield int(server.server_address[1])
    server.shutdown()
    server.server_close()
    store.close()


def _raw(port: int, data: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(data)
        chunks = []
        while True:
            try:
                chunk = sock.recv(65536)
            except TimeoutError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks)


def test_keep_alive_requests_share_one_connection_and_location_ignores_the_host_header(port: int) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    body = json.dumps({"id": "ann", "name": "Ann"})
    connection.request("POST", "/api/users", body, {"Host": "evil.example", "Content-Type": "application/json"})
    created = connection.getresponse()
    created.read()
    assert created.status == 201
    assert created.headers["Location"] == f"http://127.0.0.1:{port}/api/users/ann"
    sock = connection.sock
    assert sock is not None and "Connection" not in created.headers
    for _ in range(3):
        connection.request("GET", "/API/Users/ann")
        read = connection.getresponse()
        assert (read.status, json.loads(read.read())["name"]) == (200, "Ann")
        assert connection.sock is sock
    connection.close()


def test_connection_close_and_http_1_0_end_the_connection(port: int) -> None:
    closing = _raw(port, b"GET /api/users/nobody HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert closing.startswith(b"HTTP/1.1 404") and b"Connection: close" in closing
    old = _raw(port, b"GET /api/users/nobody HTTP/1.0\r\n\r\n")
    assert b" 404 " in old.split(b"\r\n")[0] and b"Connection: close" in old


def test_invalid_content_length_answers_400_and_closes(port: int) -> None:
    answer = _raw(port, b"POST /api/users HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n{}GET /api/users HTTP/1.1\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 400")
    assert answer.count(b"HTTP/1.1") == 1


def test_chunked_bodies_are_read_and_the_connection_never_desynchronizes(port: int) -> None:
    body = b'{"id": "bob", "name": "Bob"}'
    request = (
        b"POST /api/users HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
        + f"{len(body):x}\r\n".encode() + body + b"\r\n0\r\n\r\n"
        + b"GET /api/users/bob HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    answer = _raw(port, request)
    assert answer.startswith(b"HTTP/1.1 201")
    # werkzeug closes the connection after a chunked request rather than guess where the next one starts
    assert answer.count(b"HTTP/1.1 200") == 1 or b"Connection: close" in answer.split(b"\r\n\r\n")[0]
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.request("GET", "/api/users/bob")
    assert json.loads(connection.getresponse().read())["name"] == "Bob"
    connection.close()


def test_content_length_with_chunked_is_refused(port: int) -> None:
    answer = _raw(port, b"POST /api/users HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 400")


def test_paths_are_utf8_and_an_encoded_slash_stays_in_the_segment(port: int) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.request("POST", "/api/users", json.dumps({"id": "åsa", "name": "Åsa"}))
    assert connection.getresponse().read() and True
    connection.request("GET", "/api/users/%C3%A5sa")
    found = connection.getresponse()
    found.read()
    assert found.status == 200
    connection.request("GET", "/api/users/a%2Fb")
    slashed = connection.getresponse()
    slashed.read()
    assert slashed.status == 404  # one segment "a%2Fb", not /users/a/b
    connection.request("GET", "/api/users/%FF")
    bad = connection.getresponse()
    bad.read()
    assert bad.status == 400
    connection.close()


def test_cors_preflight_and_headers_follow_the_policy(port: int) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.request("OPTIONS", "/api/users", headers={
        "Origin": "https://app.example.com", "Access-Control-Request-Method": "PUT",
        "Access-Control-Request-Headers": "if-match, content-type",
    })
    preflight = connection.getresponse()
    preflight.read()
    assert preflight.status == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == "https://app.example.com"
    assert preflight.headers["Access-Control-Allow-Methods"] == "PUT"
    assert preflight.headers["Access-Control-Allow-Headers"] == "if-match, content-type"
    connection.request("GET", "/api/users", headers={"Origin": "https://evil.example"})
    denied = connection.getresponse()
    denied.read()
    assert "Access-Control-Allow-Origin" not in denied.headers
    connection.request("GET", "/api/users", headers={"Origin": "https://app.example.com"})
    allowed = connection.getresponse()
    allowed.read()
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://app.example.com"
    assert "ETag" in allowed.headers["Access-Control-Expose-Headers"]
    connection.close()


def test_a_busy_port_raises_os_error() -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        with pytest.raises(OSError):
            make_server(LocalHost(), port=holder.getsockname()[1])


def test_closing_the_server_ends_open_keep_alive_connections() -> None:
    spec = CrudSpec("UserApi", "User", "users", {"name": "string"})
    store = SqliteStore()
    server = make_server(LocalHost(crud_blueprint(spec, store_factory=lambda: store)), port=0)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    with socket.create_connection(("127.0.0.1", server.server_address[1]), timeout=5) as sock:
        sock.sendall(b"GET /api/users/nobody HTTP/1.1\r\nHost: x\r\n\r\n")
        assert sock.recv(65536).startswith(b"HTTP/1.1 404")
        server.shutdown()
        server.server_close()
        assert sock.recv(65536) == b""  # shut down at once, not after the idle timeout
    store.close()
