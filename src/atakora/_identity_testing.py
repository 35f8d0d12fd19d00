"""Test helpers for APIs behind Microsoft Entra ID: build callers, prove tenants and owners are isolated.

Re-exported by :mod:`atakora.testing`.  A *sender* is ``send(method, path, headers, body) ->
(status, json)``; :func:`in_process` wraps a :class:`~atakora.runtime.LocalHost` and
:func:`over_http` a running ``atakora dev`` server, so the same assertions run against both.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import Any
from urllib.parse import quote, urlencode

from .runtime.identity import PRINCIPAL_HEADER, encode_principal
from .runtime.local_host import LocalHost

__all__ = ["Sender", "assert_isolated", "in_process", "over_http", "principal", "principal_headers"]

Sender = Callable[[str, str, Mapping[str, str], Any], tuple[int, Any]]


def principal(tid: str | None = None, oid: str | None = None, roles: Sequence[str] = (), **claims: str) -> str:
    """An ``X-MS-CLIENT-PRINCIPAL`` value with claims ``tid``, ``oid``, ``roles`` and any others."""
    values: dict[str, str] = {k: v for k, v in (("tid", tid), ("oid", oid)) if v is not None}
    values.update(claims)
    return encode_principal(values, roles=roles)


def principal_headers(tid: str | None = None, oid: str | None = None, roles: Sequence[str] = (),
                      **claims: str) -> dict[str, str]:
    """Request headers carrying :func:`principal` (what App Service passes behind Easy Auth)."""
    return {PRINCIPAL_HEADER: principal(tid, oid, roles, **claims)}


def in_process(host: LocalHost) -> Sender:
    """A sender calling ``host`` in process (paths include the ``/api`` prefix)."""

    def send(method: str, path: str, headers: Mapping[str, str], body: Any) -> tuple[int, Any]:
        response = host.request(method, path, json=body, headers=dict(headers))
        raw = response.get_body() or b""
        return response.status_code, json.loads(raw) if raw and response.mimetype == "application/json" else None

    return send


def over_http(base_url: str, timeout: float = 10.0) -> Sender:
    """A sender calling a running server at ``base_url`` (``http://127.0.0.1:7071``; paths start with /api)."""

    def send(method: str, path: str, headers: Mapping[str, str], body: Any) -> tuple[int, Any]:
        data = None if body is None else json.dumps(body).encode("utf-8")
        all_headers = {**headers, **({"Content-Type": "application/json"} if data is not None else {})}
        request = urllib.request.Request(base_url.rstrip("/") + path, data=data, method=method, headers=all_headers)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, raw = error.code, error.read()
        try:
            return status, json.loads(raw) if raw else None
        except ValueError:
            return status, None

    return send


def assert_isolated(send: Sender, collection: str, body: Mapping[str, Any], *, owner: Mapping[str, str],
                    other: Mapping[str, str], partition_field: str | None = None) -> None:
    """Assert that ``other`` can neither read, list, update nor delete an item ``owner`` creates, nor
    create one in the owner's partition (with ``partition_field``).

    ``collection`` is the API path (``/api/data``); ``owner`` and ``other`` are request headers
    (see :func:`principal_headers`); ``partition_field`` names the partition key field, whose
    value (the owner's) ``other`` also passes as ``pk`` to try to reach the owner's partition.
    The item is deleted by its owner at the end.  Raises AssertionError naming the leak.
    """
    status, created = send("POST", collection, owner, {"id": f"iso-{uuid.uuid4().hex[:12]}", **body})
    if status != 201 or not isinstance(created, dict):
        raise AssertionError(f"the owner could not create an item in {collection}: {status} {created}")
    query = f"?{urlencode({'pk': str(created[partition_field])})}" if partition_field else ""
    item = f"{collection}/{quote(str(created['id']), safe='')}{query}"
    checks = [("read", "GET", item, None), ("update", "PUT", item, {**created}), ("delete", "DELETE", item, None)]
    for operation, method, path, payload in checks:
        status, answer = send(method, path, other, payload)
        if status != 404:
            raise AssertionError(f"{operation} of another caller's item answered {status}, not 404: {answer}")
    if partition_field:
        status, answer = send("POST", collection, other, {**body, partition_field: created[partition_field]})
        if status != 403:
            raise AssertionError(f"create in another caller's partition answered {status}, not 403: {answer}")
    status, page = send("GET", f"{collection}{query}", other, None)
    ids = [i.get("id") for i in page.get("items", [])] if isinstance(page, dict) else None
    if status != 200 or ids is None or created["id"] in ids:
        raise AssertionError(f"list by another caller answered {status} and showed the owner's item: {page}")
    status, again = send("GET", item, owner, None)
    if status != 200 or again != created:
        raise AssertionError(f"the owner's item changed after the other caller's attempts: {status} {again}")
    send("DELETE", item, owner, None)
