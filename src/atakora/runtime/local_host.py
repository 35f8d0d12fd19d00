"""An in-process stand-in for the Functions host: route HTTP requests to registered functions.

Route templates follow the Functions syntax (``users/{id}``, ``{id:int}``, ``{id?}``, ``{*rest}``); literal
segments win over parameters, like the real host.  Unmatched paths or methods answer 404.  Like the
host (ASP.NET Core routing), matching ignores case (the route prefix too), path segments are
percent-decoded as UTF-8 (invalid UTF-8 answers 400) except ``%2F``, which stays encoded so an
encoded slash never splits a segment.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qsl, unquote_to_bytes, urlsplit

import azure.functions as func
from azure.functions.decorators.http import HttpTrigger

from .httpio import error_response

logger = logging.getLogger(__name__)
FunctionContainer = func.Blueprint | func.FunctionApp


@dataclass(frozen=True)
class _Segment:
    literal: str | None
    param: str | None = None
    optional: bool = False
    catch_all: bool = False


@dataclass(frozen=True)
class LocalRoute:
    """One HTTP-triggered function: its name, methods (empty = any) and route template."""

    name: str
    methods: frozenset[str]
    template: str
    function: Callable[..., Any]
    trigger_arg: str

    @property
    def segments(self) -> tuple[_Segment, ...]:
        """Parsed template segments."""
        return _parse_template(self.template)

    def match(self, path_segments: list[str]) -> dict[str, str] | None:
        """Return the route parameters when ``path_segments`` fit the template."""
        params: dict[str, str] = {}
        template = self.segments
        if len(path_segments) > len(template) and not (template and template[-1].catch_all):
            return None
        for index, segment in enumerate(template):
            if segment.catch_all and segment.param is not None:  # {*rest}: the rest of the path, maybe empty
                params[segment.param] = "/".join(path_segments[index:])
                return params
            if index >= len(path_segments):
                if not segment.optional:
                    return None
                continue
            value = path_segments[index]
            if segment.literal is not None:
                if segment.literal != value.lower():
                    return None
            elif segment.param is not None:
                params[segment.param] = value
        return params


@lru_cache(maxsize=1024)
def _parse_template(template: str) -> tuple[_Segment, ...]:
    result = []
    for part in template.strip("/").split("/"):
        if part.startswith("{") and part.endswith("}"):
            name = part[1:-1].split(":", 1)[0]
            optional = name.endswith("?") or part[1:-1].endswith("?")
            result.append(_Segment(None, name.lstrip("*").rstrip("?"), optional, catch_all=name.startswith("*")))
        else:
            result.append(_Segment(part.lower()))  # routing ignores case, as the Functions host does
    return tuple(result)


class LocalHost:
    """Dispatch requests to the HTTP functions of Blueprints/FunctionApps.

    ``route_prefix`` (default ``"api"``) mirrors ``host.json``'s ``extensions.http.routePrefix``;
    ``base_url`` (default ``http://localhost:7071``) forms the request URLs functions see.
    """

    def __init__(
        self,
        *containers: FunctionContainer,
        route_prefix: str = "api",
        base_url: str = "http://localhost:7071",
    ) -> None:
        self.route_prefix = route_prefix.strip("/")
        self.base_url = base_url.rstrip("/")
        self.routes = _collect_routes(containers)
        literal_count: Callable[[LocalRoute], int] = lambda r: -sum(
            s.literal is not None for s in r.segments
        )
        self._ordered = sorted(self.routes, key=literal_count)

    def request(
        self,
        method: str,
        path: str,
        *,
        body: bytes | str | None = None,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, str] | None = None,
    ) -> func.HttpResponse:
        """Send one request; ``path`` includes the route prefix and may carry a query string."""
        import json as _json

        if json is not None:
            body = _json.dumps(json)
            headers = {"Content-Type": "application/json", **(headers or {})}
        raw = body.encode("utf-8") if isinstance(body, str) else (body or b"")
        return self.dispatch(method, path, headers=headers or {}, body=raw, params=params)

    def dispatch(
        self,
        method: str,
        target: str,
        *,
        headers: Mapping[str, str],
        body: bytes,
        params: Mapping[str, str] | None = None,
        base_url: str | None = None,
    ) -> func.HttpResponse:
        """Route ``method target`` (path plus optional query) and call the function.

        ``base_url`` (default: the host's) is the scheme and authority of the request URL.
        """
        split = urlsplit(target)
        try:
            segments = decode_path(split.path)
            query = dict(parse_qsl(split.query, keep_blank_values=True, errors="strict"))
        except UnicodeError:
            return error_response(400, "invalid_url", "the URL is not valid percent-encoded UTF-8")
        query.update(params or {})
        found = self._find(method.upper(), segments)
        if found is None:
            return error_response(404, "not_found", f"no function serves {method.upper()} {split.path}")
        route, route_params = found
        url = (base_url or self.base_url).rstrip("/") + split.path + (f"?{split.query}" if split.query else "")
        req = func.HttpRequest(
            method.upper(), url, headers=dict(headers), params=query, route_params=route_params, body=body
        )
        return self._call(route, req)

    def route_for(self, path: str) -> LocalRoute | None:
        """The route serving ``path`` with any method (None when none does or the path is not UTF-8)."""
        try:
            segments = decode_path(path)
        except UnicodeError:
            return None
        found = self._find("", segments, any_method=True)
        return found[0] if found is not None else None

    def _find(self, method: str, segments: list[str], *, any_method: bool = False) -> tuple[LocalRoute, dict[str, str]] | None:
        prefix = self.route_prefix.lower().split("/") if self.route_prefix else []
        if [s.lower() for s in segments[: len(prefix)]] != prefix:
            return None
        segments = segments[len(prefix) :]
        for route in self._ordered:
            if route.methods and method not in route.methods and not any_method:
                continue
            params = route.match(segments)
            if params is not None:
                return route, params
        return None

    def _call(self, route: LocalRoute, req: func.HttpRequest) -> func.HttpResponse:
        try:
            result = route.function(**{route.trigger_arg: req})
            if inspect.isawaitable(result):
                result = asyncio.run(_await(result))
        except Exception:
            logger.exception("function %s failed", route.name)
            return func.HttpResponse("internal server error", status_code=500)
        if isinstance(result, func.HttpResponse):
            return result
        return func.HttpResponse("" if result is None else str(result), status_code=200)


_ENCODED_SLASH = re.compile(r"(%2[fF])")


def decode_path(path: str) -> list[str]:
    """The non-empty segments of ``path``, percent-decoded as UTF-8 except ``%2F`` (kept as ``%2F``).

    Raises UnicodeDecodeError when a segment is not UTF-8."""
    segments = []
    for raw in path.split("/"):
        if not raw:
            continue
        parts = _ENCODED_SLASH.split(raw)
        decoded = b"".join(b"%2F" if i % 2 else unquote_to_bytes(part) for i, part in enumerate(parts))
        segments.append(decoded.decode("utf-8"))
    return segments


async def _await(awaitable: Any) -> Any:
    return await awaitable


def _collect_routes(containers: Iterable[FunctionContainer]) -> list[LocalRoute]:
    app = func.FunctionApp(http_auth_level=func.AuthLevel.ANONYMOUS)
    for container in containers:
        app._function_builders.extend(container._function_builders)
    routes = []
    for function in app.get_functions():
        trigger = function.get_trigger()
        if not isinstance(trigger, HttpTrigger):
            continue
        name = function.get_function_name() or function.get_user_function().__name__
        methods = frozenset(str(getattr(m, "value", m)).upper() for m in (trigger.methods or []))
        routes.append(LocalRoute(name, methods, trigger.route or name, function.get_user_function(), trigger.name))
    return routes
