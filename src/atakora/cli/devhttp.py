"""The HTTP side of ``atakora dev``: a :class:`LocalHost` served by werkzeug's threaded WSGI server.

HTTP parsing, keep-alive and chunked request bodies are werkzeug's; this module adds what the
Functions host does and werkzeug does not: a request body is either ``Content-Length`` (ASCII
digits) or chunked, never both (400 and the connection closed); bodies over
:data:`MAX_REQUEST_BYTES` answer 413; the path is decoded as UTF-8 from the raw request target
(``%2F`` stays encoded, matching is case-insensitive, see :mod:`atakora.runtime.local_host`); the
request URL the functions see (and so ``Location``) is built from the server's own address, never
from the client's ``Host`` header; CORS preflights and headers follow the Function App's CORS
settings.  Sockets use ``TCP_NODELAY``, a listen backlog of :data:`LISTEN_BACKLOG` and an idle
timeout of :data:`SOCKET_TIMEOUT` seconds.

Keep-alive: werkzeug's own response writer sends ``Connection: close`` on every response (it cannot
tell where the next request starts after an application that leaves part of a body unread).  This
application always reads the whole body (or answers with ``Connection: close``) and always sends
``Content-Length``, so :meth:`_Handler.run_wsgi` writes the response with http.server's own
methods and keeps the connection for the next request, as the Functions host does.  Connections
are served by reused worker threads (a new thread only when every worker is busy), not a new
thread per connection.
"""

from __future__ import annotations

import logging
import queue
import re
import socket
import threading
import time
from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler

from ..backend.cors import CorsPolicy
from ..runtime.local_host import LocalHost

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

logger = logging.getLogger(__name__)

MAX_REQUEST_BYTES = 100 * 1024 * 1024
"""The Functions host refuses HTTP requests over 100 MB."""
LISTEN_BACKLOG = 1024
SOCKET_TIMEOUT = 30.0
IDLE_WORKERS = 32
"""Worker threads kept waiting for connections; more are started while all are busy."""
_DIGITS = re.compile(r"[0-9]{1,15}")
_EXPOSED = "ETag, Location, Retry-After"
CorsLookup = Callable[[str], "CorsPolicy | None"]


class _Handler(WSGIRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    timeout = SOCKET_TIMEOUT
    wbufsize = 1 << 16  # status line, headers and body leave in one write

    def run_wsgi(self) -> None:
        """One request: werkzeug's environment, the application, then the response on a connection
        that stays open unless the request or the response says ``Connection: close``."""
        environ = self.environ = self.make_environ()  # 'Expect: 100-continue' was answered by parse_request
        started: list[Any] = []
        chunks: list[bytes] = []

        def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[[bytes], Any]:
            started[:] = [status, headers]
            return chunks.append

        try:
            chunks.extend(self.server.app(environ, start_response))
            body = b"".join(chunks)
            status, headers = started
        except Exception:  # the application answers its own errors; this is a last resort
            logger.exception("the dev server application failed")
            body = b"internal server error"
            status, headers = "500 Internal Server Error", [("Content-Type", "text/plain; charset=utf-8"),
                                                             ("Content-Length", str(len(body))),
                                                             ("Connection", "close")]
        code, _, phrase = status.partition(" ")
        self.send_response(int(code), phrase)
        for name, value in headers:
            self.send_header(name, value)  # 'Connection: close' also sets close_connection
        if self.close_connection and not any(name.lower() == "connection" for name, _ in headers):
            self.send_header("Connection", "close")
        self.end_headers()
        if environ["REQUEST_METHOD"] != "HEAD":
            self.wfile.write(body)
        self.wfile.flush()

    def handle_expect_100(self) -> bool:
        """Answer ``Expect: 100-continue`` at once (the writer is buffered)."""
        answered = super().handle_expect_100()
        self.wfile.flush()
        return answered

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        if logger.isEnabledFor(logging.INFO):
            logger.info("%s %s %s", self.command, self.path, code)

    def log_error(self, format: str, *args: Any) -> None:
        logger.debug("%s - " + format, self.address_string(), *args)

    def date_time_string(self, timestamp: float | None = None) -> str:
        """The ``Date`` header, formatted once per second."""
        if timestamp is not None:
            return super().date_time_string(timestamp)
        second = int(time.time())
        cached = _DATE_CACHE
        if cached[0] != second:
            cached[:] = [second, super().date_time_string(second)]
        return str(cached[1])


_DATE_CACHE: list[Any] = [0, ""]


class _Server(BaseWSGIServer):
    """werkzeug's server whose connections are served by reused worker threads: an accepted connection
    goes to an idle worker, or to a new one when all are busy; workers idle beyond :data:`IDLE_WORKERS`
    end.  Closing the server shuts the open connections down."""

    request_queue_size = LISTEN_BACKLOG
    multithread = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._connections: queue.SimpleQueue[tuple[Any, Any] | None] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._idle = 0
        self._open: set[Any] = set()
        self._closed = False
        super().__init__(*args, **kwargs)  # closes the socket it opened itself, which calls server_close

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._lock:
            self._open.add(request)
            start = self._idle == 0
            if not start:
                self._idle -= 1
        if start:
            threading.Thread(target=self._serve, args=(request, client_address), daemon=True,
                             name="atakora-dev-worker").start()
        else:
            self._connections.put((request, client_address))

    def _serve(self, request: Any, client_address: Any) -> None:
        item: tuple[Any, Any] | None = (request, client_address)
        while item is not None:
            request, client_address = item
            try:
                self.finish_request(request, client_address)
            except Exception:  # noqa: BLE001 - socketserver's own reporting, as in ThreadingMixIn
                self.handle_error(request, client_address)
            finally:
                with self._lock:
                    self._open.discard(request)
                self.shutdown_request(request)
            with self._lock:
                if self._closed or self._idle >= IDLE_WORKERS:
                    return
                self._idle += 1
            item = self._connections.get()

    def server_close(self) -> None:
        """Close the listening socket, stop idle workers and shut open connections down."""
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, 0
            connections = list(self._open)
        for _ in range(idle):
            self._connections.put(None)
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        super().server_close()


class DevApplication:
    """The WSGI application: one request in, one :meth:`LocalHost.dispatch` call, one response out."""

    def __init__(self, host: LocalHost, cors: CorsLookup | None = None) -> None:
        self.host = host
        self.cors = cors
        self.base_url = host.base_url

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        method = str(environ["REQUEST_METHOD"]).upper()
        try:
            target = _raw_target(environ)
        except UnicodeError:
            return _plain(start_response, 400, b"the request target is not valid UTF-8", close=True)
        headers = _headers(environ)
        body, problem = _read_body(environ)
        if problem is not None:
            status, message = problem
            return _plain(start_response, status, message.encode(), close=True)
        path = target.split("?", 1)[0]
        policy = self.cors(path) if self.cors is not None else None
        origin = headers.get("Origin")
        if method == "OPTIONS" and origin and "Access-Control-Request-Method" in headers and policy is not None:
            return self._preflight(start_response, policy, origin, headers)
        response = self.host.dispatch(method, target, headers=headers, body=body, base_url=self.base_url)
        payload = response.get_body() or b""
        out = [(k, v) for k, v in response.headers.items() if k.lower() not in ("content-length", "content-type")]
        if payload or response.mimetype:
            charset = f"; charset={response.charset}" if response.charset else ""
            out.append(("Content-Type", f"{response.mimetype}{charset}"))
        out.append(("Content-Length", str(len(payload))))
        if policy is not None and origin and policy.allows(origin) and not policy.handled_by_app:
            out.extend(_cors_headers(policy, origin))  # App Service CORS; otherwise the function code adds them
            out.append(("Access-Control-Expose-Headers", _EXPOSED))
        start_response(_status_line(response.status_code), out)
        return [] if method == "HEAD" else [payload]

    def _preflight(
        self, start_response: StartResponse, policy: CorsPolicy, origin: str, headers: dict[str, str]
    ) -> Iterable[bytes]:
        if policy.handled_by_app:  # what the app's OPTIONS function answers in Azure (runtime.cors)
            answer = policy.rules().preflight_headers(origin, headers["Access-Control-Request-Method"],
                                                      headers.get("Access-Control-Request-Headers"))
            start_response(_status_line(204), [("Content-Length", "0"), *answer.items()])
            return []
        out = [("Content-Length", "0"), ("Vary", "Origin")]
        if policy.allows(origin):
            out.extend(_cors_headers(policy, origin))
            out.append(("Access-Control-Allow-Methods", headers["Access-Control-Request-Method"]))
            requested = headers.get("Access-Control-Request-Headers")
            if requested:
                out.append(("Access-Control-Allow-Headers", requested))
        start_response(_status_line(204), out)
        return []


def _cors_headers(policy: CorsPolicy, origin: str) -> list[tuple[str, str]]:
    wildcard = "*" in policy.allowed_origins and not policy.support_credentials
    result = [("Access-Control-Allow-Origin", "*" if wildcard else origin)]
    if not wildcard:
        result.append(("Vary", "Origin"))
    if policy.support_credentials:
        result.append(("Access-Control-Allow-Credentials", "true"))
    return result


def _raw_target(environ: WSGIEnvironment) -> str:
    """The request target as sent (werkzeug gives it as UTF-8-then-Latin-1 text), decoded as UTF-8."""
    raw = str(environ.get("RAW_URI") or environ.get("REQUEST_URI") or environ.get("PATH_INFO") or "/")
    original = raw.encode("latin-1").decode("utf-8").encode("latin-1")
    return original.decode("utf-8")


def _headers(environ: WSGIEnvironment) -> dict[str, str]:
    headers: dict[str, str] = {}
    for key, value in environ.items():
        if key.startswith("HTTP_"):
            name = "-".join(part.capitalize() for part in key[5:].split("_"))
        elif key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            name = "-".join(part.capitalize() for part in key.split("_"))
        else:
            continue
        headers[name] = str(value)
    return headers


def _read_body(environ: WSGIEnvironment) -> tuple[bytes, tuple[int, str] | None]:
    stream = environ["wsgi.input"]
    length = str(environ.get("CONTENT_LENGTH") or "").strip()
    chunked = bool(environ.get("wsgi.input_terminated"))
    if environ.get("HTTP_TRANSFER_ENCODING") and not chunked:
        return b"", (501, "only the chunked transfer coding is supported")
    if chunked and length:
        return b"", (400, "a request must not have both Content-Length and Transfer-Encoding")
    if chunked:
        try:
            body = stream.read(MAX_REQUEST_BYTES + 1)
        except (OSError, ValueError):
            return b"", (400, "the chunked request body is malformed")
        if len(body) > MAX_REQUEST_BYTES:
            return b"", (413, f"request bodies are limited to {MAX_REQUEST_BYTES} bytes")
        return bytes(body), None
    if not length:
        return b"", None
    if _DIGITS.fullmatch(length) is None:
        return b"", (400, "Content-Length must be a decimal number of bytes")
    size = int(length)
    if size > MAX_REQUEST_BYTES:
        return b"", (413, f"request bodies are limited to {MAX_REQUEST_BYTES} bytes")
    try:
        body = stream.read(size) if size else b""
    except OSError:
        return b"", (400, "the request body ended early")
    if len(body) < size:
        return b"", (400, "the request body ended early")
    return bytes(body), None


def _status_line(code: int) -> str:
    try:
        return f"{code} {HTTPStatus(code).phrase}"
    except ValueError:
        return f"{code} Status {code}"


def _plain(start_response: StartResponse, status: int, message: bytes, *, close: bool = False) -> Iterable[bytes]:
    headers = [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(message)))]
    if close:
        headers.append(("Connection", "close"))
    start_response(_status_line(status), headers)
    return [message]


def make_server(
    host: LocalHost, address: str = "127.0.0.1", port: int = 7071, *, cors: CorsLookup | None = None
) -> BaseWSGIServer:
    """Bind a threaded server for ``host`` (port 0 picks a free port); call ``serve_forever()`` to run.

    Functions see request URLs on ``http://<address>:<bound port>``; ``cors`` (default none) returns
    the CORS policy for a request path (or None)."""
    app = DevApplication(host, cors)
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as listener:  # bound here so a busy port raises OSError
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((address, port))
        listener.listen(LISTEN_BACKLOG)
        server = _Server(address, port, app, handler=_Handler, fd=listener.fileno())
    bound = f"http://{_authority(address)}:{server.server_address[1]}"
    host.base_url = bound
    app.base_url = bound
    return server


def _authority(address: str) -> str:
    return f"[{address}]" if ":" in address else address
