"""Small helpers to read ``azure.functions.HttpRequest`` objects and build JSON responses."""

from __future__ import annotations

import json
import re
from typing import Any

import azure.functions as func

from . import jsonsafe
from .conditions import Condition, parse_condition
from .errors import FieldError, RequestError
from .spec import MAX_PAGE_SIZE

JSON_MIMETYPE = "application/json"
_ASCII_INTEGER = re.compile(r"[0-9]{1,3}")


def json_response(
    payload: Any, status: int = 200, headers: dict[str, str] | None = None
) -> func.HttpResponse:
    """Serialise ``payload`` as a JSON response."""
    return func.HttpResponse(
        json.dumps(payload), status_code=status, headers=headers, mimetype=JSON_MIMETYPE, charset="utf-8"
    )


def json_bytes(payload: Any) -> bytes:
    """Serialise ``payload`` as UTF-8 JSON (the body :func:`json_response` sends)."""
    return json.dumps(payload).encode("utf-8")


def raw_json_response(body: bytes, status: int = 200, headers: dict[str, str] | None = None) -> func.HttpResponse:
    """Send an already serialised JSON ``body``."""
    return func.HttpResponse(body, status_code=status, headers=headers, mimetype=JSON_MIMETYPE, charset="utf-8")


def error_response(
    status: int,
    code: str,
    message: str,
    details: list[FieldError] | None = None,
    headers: dict[str, str] | None = None,
) -> func.HttpResponse:
    """Return ``{"error": code, "message": ..., "details": [...]}`` with ``status`` (and ``headers``)."""
    body: dict[str, Any] = {"error": code, "message": message}
    if details:
        body["details"] = [d.as_dict() for d in details]
    return json_response(body, status, headers)


def read_json_body(req: func.HttpRequest, max_bytes: int) -> Any:
    """Parse the request body as strict JSON (see :mod:`.jsonsafe`); raises RequestError."""
    raw = req.get_body() or b""
    if len(raw) > max_bytes:
        raise RequestError([FieldError("", f"request body exceeds {max_bytes} bytes")], "payload_too_large")
    if not raw.strip():
        raise RequestError([FieldError("", "request body must be a JSON object")], "invalid_json")
    try:
        return jsonsafe.loads(raw)
    except jsonsafe.JsonInputError as exc:
        raise RequestError([FieldError("", f"request body is not valid JSON: {exc}")], "invalid_json") from None


def read_limit(req: func.HttpRequest, default: int) -> int:
    """Return the ``limit`` query parameter (ASCII digits) bounded to 1..100; raises RequestError."""
    raw = req.params.get("limit")
    if raw is None or raw == "":
        return default
    if _ASCII_INTEGER.fullmatch(raw) is None or not 1 <= int(raw) <= MAX_PAGE_SIZE:
        raise RequestError([FieldError("limit", f"must be an integer from 1 to {MAX_PAGE_SIZE}")], "invalid_query")
    return int(raw)


def if_match_condition(req: func.HttpRequest) -> Condition | None:
    """The parsed ``If-Match`` header (None when absent); raises RequestError when malformed."""
    return parse_condition(req.headers.get("If-Match"), "If-Match")


def if_none_match_condition(req: func.HttpRequest) -> Condition | None:
    """The parsed ``If-None-Match`` header (None when absent); raises RequestError when malformed."""
    return parse_condition(req.headers.get("If-None-Match"), "If-None-Match")
