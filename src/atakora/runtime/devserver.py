"""Serve a :class:`LocalHost` over the stdlib ``ThreadingHTTPServer`` (development only)."""

from __future__ import annotations

import logging
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .local_host import LocalHost

logger = logging.getLogger(__name__)


def make_server(host: LocalHost, address: str = "127.0.0.1", port: int = 7071) -> ThreadingHTTPServer:
    """Bind a server for ``host`` (port 0 picks a free port); call ``serve_forever()`` to run."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length > 0 else b""
            authority = self.headers.get("Host")
            base_url = f"http://{authority}" if authority else None
            headers = dict(self.headers.items())
            response = host.dispatch(self.command, self.path, headers=headers, body=body, base_url=base_url)
            payload = response.get_body() or b""
            self.send_response(response.status_code)
            for name, value in response.headers.items():
                if name.lower() not in ("content-length", "content-type"):
                    self.send_header(name, value)
            if payload or response.mimetype:
                charset = f"; charset={response.charset}" if response.charset else ""
                self.send_header("Content-Type", f"{response.mimetype}{charset}")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = _handle

        def log_message(self, format: str, *args: object) -> None:
            logger.info("%s - " + format, self.address_string(), *args)

    return ThreadingHTTPServer((address, port), Handler)


def serve(host: LocalHost, address: str = "127.0.0.1", port: int = 7071) -> None:
    """Serve ``host`` until interrupted (Ctrl+C)."""
    server = make_server(host, address, port)
    logger.info("serving on http://%s:%d/%s", address, server.server_address[1], host.route_prefix)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
