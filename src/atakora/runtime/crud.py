"""HTTP handlers of a generated CRUD API, registered on an ``azure.functions.Blueprint``.

This module deliberately avoids ``from __future__ import annotations`` so the Functions worker
sees real ``HttpRequest``/``HttpResponse`` annotations on the registered functions.
"""

import logging
import threading
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

import azure.functions as func

from .authorization import AccessControl, AccessDenied, Caller
from .cache import CachedResponse, Clock, ReadCache
from .conditions import Condition, EntityTag, weak_match
from .cors import add_cors_headers
from .errors import (
    ConflictError,
    FieldError,
    InvalidContinuationError,
    ItemTooLargeError,
    NotFoundError,
    PreconditionFailedError,
    RequestError,
    StoreRejectedError,
    StoreUnavailableError,
    ThrottledError,
)
from .httpio import (
    error_response,
    if_match_condition,
    if_none_match_condition,
    json_bytes,
    json_response,
    raw_json_response,
    read_json_body,
    read_limit,
)
from .partition import PartitionKeyPath, PartitionValue
from .query import typed_value
from .service import EntityService
from .settings import load_store_settings
from .spec import ALL_OPERATIONS, PK_QUERY_PARAM, CrudSpec
from .stores.base import DEFAULT_PAGE_SIZE, EntityStore, StoredItem, quote_etag
from .stores.factory import store_from_settings

MAX_BODY_BYTES = 2 * 1024 * 1024
NO_CACHE = "no-cache"
HANDLERS_ATTRIBUTE = "atakora_handlers"

logger = logging.getLogger(__name__)


StoreFactory = Callable[[], EntityStore]


class _LazyService:
    """Creates the service (and its store) on first use, once per function instance."""

    def __init__(self, spec: CrudSpec, store_factory: StoreFactory | None) -> None:
        self._spec = spec
        self._factory = store_factory or self._store_from_settings
        self._lock = threading.Lock()
        self._service: EntityService | None = None

    def _store_from_settings(self) -> EntityStore:
        settings = load_store_settings(self._spec.resolved_settings_prefix)
        return store_from_settings(settings, partition_key=self._spec.partition_key, default_ttl=self._spec.ttl)

    def get(self) -> EntityService:
        with self._lock:
            if self._service is None:
                self._service = EntityService(
                    self._factory(), self._spec.entity_schema(), reserved_ids=self._spec.reserved_ids
                )
            return self._service

    def close(self) -> None:
        """Close the store when one was created; the next request creates a new one."""
        with self._lock:
            service, self._service = self._service, None
        if service is not None:
            service.store.close()


class _Ping:
    """One store ping running on a daemon thread."""

    def __init__(self, ping: Callable[[], None]) -> None:
        self.done = threading.Event()
        self.error: BaseException | None = None
        self._ping = ping
        threading.Thread(target=self._run, name="atakora-health-ping", daemon=True).start()

    def _run(self) -> None:
        try:
            self._ping()
        except BaseException as exc:  # noqa: BLE001 - reported by the health route
            self.error = exc
        finally:
            self.done.set()


class _HealthProbe:
    """Pings the store with a timeout; concurrent checks share one in-flight ping, so a hung store
    never piles up threads."""

    def __init__(self, ping: Callable[[], None], timeout: float) -> None:
        self._ping = ping
        self._timeout = timeout
        self._lock = threading.Lock()
        self._current: _Ping | None = None

    def check(self) -> tuple[str | None, BaseException | None]:
        """``(None, None)`` when healthy, else ``(reason, error)``; reason is ``timeout`` or ``store_unavailable``."""
        with self._lock:
            if self._current is None or self._current.done.is_set():
                self._current = _Ping(self._ping)
            current = self._current
        if not current.done.wait(self._timeout):
            return "timeout", None
        if current.error is not None:
            return "store_unavailable", current.error
        return None, None


class CrudHandlers:
    """The request handlers of one component; each takes and returns Functions HTTP objects.

    ``clock`` (default ``time.monotonic``) times the read cache; tests inject a fake one.
    """

    def __init__(
        self, spec: CrudSpec, store_factory: StoreFactory | None = None, *, clock: Clock | None = None
    ) -> None:
        self.spec = spec
        self._service = _LazyService(spec, store_factory)
        self._pk = PartitionKeyPath.parse(spec.partition_key)
        self._schema = spec.entity_schema()
        self._query_fields = spec.query_fields
        self.cache = ReadCache(spec.cache_ttl, clock=clock) if spec.cache_ttl is not None else None
        self._cache_control = f"private, max-age={spec.cache_ttl}" if spec.cache_ttl is not None else NO_CACHE
        self._probe = _HealthProbe(lambda: self._service.get().store.ping(), spec.health_timeout_seconds)
        self.access = AccessControl(spec.access_policy, self._pk)

    def close(self) -> None:
        """Close the store (if created) and empty the read cache; used by local hosts on shutdown."""
        if self.cache is not None:
            self.cache.clear()
        self._service.close()

    def create(self, req: func.HttpRequest) -> func.HttpResponse:
        """POST /{prefix}: 201 with the item, ETag and Location."""
        return self._run("create", req, self._create)

    def read(self, req: func.HttpRequest) -> func.HttpResponse:
        """GET /{prefix}/{id}: 200 with ETag (304 when If-None-Match matches)."""
        return self._run("read", req, self._read)

    def update(self, req: func.HttpRequest) -> func.HttpResponse:
        """PUT /{prefix}/{id}: full replace, honouring If-Match."""
        return self._run("update", req, self._update)

    def delete(self, req: func.HttpRequest) -> func.HttpResponse:
        """DELETE /{prefix}/{id}: 204, honouring If-Match."""
        return self._run("delete", req, self._delete)

    def list(self, req: func.HttpRequest) -> func.HttpResponse:
        """GET /{prefix}: one page ``{"items": [...], "continuation": token|null}``."""
        return self._run("list", req, self._list)

    def health(self, req: func.HttpRequest) -> func.HttpResponse:
        """GET health route: 200 ``{"status": "ok", "component": id}`` when the store answers within
        ``health_timeout_seconds``, else 503 with ``status`` ``unavailable`` and a ``reason``."""
        started = time.perf_counter()
        reason, error = self._probe.check()
        headers = {"Cache-Control": "no-store"}
        if reason is not None:
            self._log(logging.ERROR, "health", 503, started, exc_info=error or False)
            body = {"status": "unavailable", "component": self.spec.component_id, "reason": reason}
            response = json_response(body, 503, headers)
        else:
            self._log(logging.DEBUG, "health", 200, started)
            response = json_response({"status": "ok", "component": self.spec.component_id}, 200, headers)
        add_cors_headers(self.spec.cors_rules, req, response)
        return response

    def _create(self, req: func.HttpRequest, caller: Caller) -> func.HttpResponse:
        payload = self.access.claim_payload(caller, read_json_body(req, MAX_BODY_BYTES))
        try:
            stored = self._service.get().create(payload)
        finally:
            self._invalidate(str(payload.get("id", "")) if isinstance(payload, dict) else "")
        headers = {"ETag": quote_etag(stored.etag), "Location": self._location(req, stored)}
        return json_response(stored.item, 201, headers)

    def _read(self, req: func.HttpRequest, caller: Caller) -> func.HttpResponse:
        id, partition_value = _route_id(req), self.access.partition(caller, self._partition_value(req))
        key = ReadCache.item_key(id, self.access.cache_scope(caller, partition_value))
        cached = self.cache.get(key) if self.cache is not None else None
        if cached is None:
            version = self.cache.version if self.cache is not None else 0
            stored = self._service.get().read(id, partition_value)
            self.access.check_visible(caller, stored.item)
            cached = CachedResponse(json_bytes(stored.item), quote_etag(stored.etag))
            if self.cache is not None:
                self.cache.put(key, cached, if_version=version)
        etag = cached.etag or ""
        headers = {"ETag": etag, "Cache-Control": self._cache_control}
        condition = if_none_match_condition(req)
        if condition is not None and weak_match(condition, etag):
            return func.HttpResponse(status_code=304, headers=headers)
        return raw_json_response(cached.body, 200, headers)

    def _update(self, req: func.HttpRequest, caller: Caller) -> func.HttpResponse:
        payload = read_json_body(req, MAX_BODY_BYTES)
        id = _route_id(req)
        partition_value = self.access.partition(caller, self._partition_value(req))
        if_match = self._owned_etag(caller, id, partition_value, if_match_condition(req))
        payload = self.access.claim_payload(caller, payload)
        try:
            stored = self._service.get().replace(id, partition_value, payload, if_match)
        finally:
            self._invalidate(id)
        return json_response(stored.item, 200, {"ETag": quote_etag(stored.etag)})

    def _delete(self, req: func.HttpRequest, caller: Caller) -> func.HttpResponse:
        id = _route_id(req)
        partition_value = self.access.partition(caller, self._partition_value(req))
        if_match = self._owned_etag(caller, id, partition_value, if_match_condition(req))
        try:
            self._service.get().delete(id, partition_value, if_match)
        finally:
            self._invalidate(id)
        return func.HttpResponse(status_code=204)

    def _owned_etag(self, caller: Caller, id: str, partition_value: PartitionValue | None,
                    if_match: Condition | None) -> Condition | None:
        """With owner isolation, check the stored item is the caller's (404 otherwise) and return the
        ETag the write must match, so the item cannot change hands between the check and the write."""
        if caller.owner is None:
            return if_match
        current = self._service.get().read(id, partition_value)
        self.access.check_visible(caller, current.item)
        return if_match or (EntityTag.of(current.etag),)

    def _list(self, req: func.HttpRequest, caller: Caller) -> func.HttpResponse:
        others = {"limit", "continuation", "code", PK_QUERY_PARAM, *([self._pk.field_name] if self._pk.field_name
                                                                    and not self._pk.is_id else [])}
        query = self._query_fields.read(req.params, req.url, others)
        limit = read_limit(req, DEFAULT_PAGE_SIZE)
        continuation = req.params.get("continuation") or None
        partition_value = self.access.partition(caller, self._partition_value(req), listing=True)
        key = ReadCache.list_key(self.access.cache_scope(caller, partition_value), continuation, limit, query)
        cached = self.cache.get(key) if self.cache is not None else None
        if cached is None:
            version = self.cache.version if self.cache is not None else 0
            service = self._service.get()
            page = self.access.list_page(caller, lambda token: service.list(partition_value, token, limit, query),
                                         continuation)
            cached = CachedResponse(json_bytes({"items": page.items, "continuation": page.continuation}))
            if self.cache is not None:
                self.cache.put(key, cached, if_version=version)
        return raw_json_response(cached.body, 200, {"Cache-Control": self._cache_control})

    def _invalidate(self, id: str) -> None:
        """Forget this instance's cached reads of ``id`` and every cached list page."""
        if self.cache is not None:
            self.cache.invalidate_item(id)

    def _run(
        self, operation: str, req: func.HttpRequest, handler: Callable[[func.HttpRequest, Caller], func.HttpResponse]
    ) -> func.HttpResponse:
        started = time.perf_counter()
        caller: Caller | None = None
        try:
            caller = self.access.authenticate(operation, req)
            response = handler(req, caller)
        except AccessDenied as exc:
            headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
            response = error_response(exc.status, exc.code, str(exc), headers=headers)
        except RequestError as exc:
            status = 413 if exc.code == "payload_too_large" else 400
            response = error_response(status, exc.code, str(exc), exc.errors)
        except NotFoundError:
            response = error_response(404, "not_found", f"{self.spec.entity_name} not found")
        except ConflictError:
            response = error_response(409, "conflict", f"{self.spec.entity_name} with this id already exists")
        except PreconditionFailedError:
            response = error_response(412, "precondition_failed", "the item has changed; read it again")
        except InvalidContinuationError as exc:
            response = error_response(400, "invalid_continuation", str(exc))
        except ThrottledError as exc:
            response = error_response(503, "throttled", "the database is busy; retry after the given delay")
            response.headers["Retry-After"] = str(exc.retry_after_seconds)
        except StoreUnavailableError:
            self._log(logging.WARNING, operation, 503, started, exc_info=True)
            response = error_response(503, "store_unavailable", "the database is unavailable; retry later")
            response.headers["Retry-After"] = "1"
        except ItemTooLargeError:
            response = error_response(413, "payload_too_large", f"the {self.spec.entity_name} is too large to store")
        except StoreRejectedError as exc:
            response = error_response(400, "rejected", str(exc))
        except Exception:  # noqa: BLE001 - never leak internals to clients
            self._log(logging.ERROR, operation, 500, started, exc_info=True, caller=caller)
            response = error_response(500, "internal_error", "an unexpected error occurred")
            add_cors_headers(self.spec.cors_rules, req, response)
            return response
        self._log(logging.INFO, operation, response.status_code, started, caller=caller)
        add_cors_headers(self.spec.cors_rules, req, response)
        return response

    def _log(
        self,
        level: int,
        operation: str,
        status: int,
        started: float,
        exc_info: bool | BaseException = False,
        caller: Caller | None = None,
    ) -> None:
        if not logger.isEnabledFor(level):
            return
        elapsed_ms = (time.perf_counter() - started) * 1000 if started else 0.0
        extra: dict[str, Any] = {"component": self.spec.component_id, "operation": operation, "status": status}
        identity = ""
        if caller is not None and caller.principal is not None:
            # Only the tenant and object ids are logged: never the token or other claims.
            extra.update(tenant=caller.tenant_id, caller_oid=caller.object_id)
            identity = f" tenant={caller.tenant_id} caller_oid={caller.object_id}"
        logger.log(
            level,
            "component=%s operation=%s status=%d duration_ms=%.1f%s",
            self.spec.component_id,
            operation,
            status,
            elapsed_ms,
            identity,
            exc_info=exc_info,
            extra=extra,
        )

    def _partition_value(self, req: func.HttpRequest) -> PartitionValue | None:
        """The partition value from ``pk`` (or the partition field's own name); on an ``/id`` container
        ``pk`` is the id, so a list filters to it and an item route answers 404 when it differs."""
        names = [PK_QUERY_PARAM] + ([self._pk.field_name] if self._pk.field_name and not self._pk.is_id else [])
        found = {req.params[n] for n in names if req.params.get(n) not in (None, "")}
        if len(found) > 1:
            raise RequestError([FieldError(self._pk.path, "conflicting partition key query parameters")], "invalid_query")
        return self._coerce(found.pop()) if found else None

    def _coerce(self, raw: str) -> PartitionValue:
        field = self._schema.fields.get(self._pk.field_name or "")
        kind = field.type if field is not None else "string"
        value, problem = typed_value(kind if kind in ("number", "boolean") else "string", raw)
        if problem is not None or value is None:
            raise RequestError([FieldError(self._pk.path, f"partition key value {problem}")], "invalid_query")
        return value

    def _location(self, req: func.HttpRequest, stored: StoredItem) -> str:
        parts = urlsplit(req.url)
        path = parts.path.rstrip("/") + "/" + quote(str(stored.item["id"]), safe="")
        query = ""
        if not self._pk.is_id:
            value = self._pk.value_of(stored.item)
            text = str(value).lower() if isinstance(value, bool) else str(value)
            query = urlencode({PK_QUERY_PARAM: text})
        return str(urlunsplit((parts.scheme, parts.netloc, path, query, "")))


def _route_id(req: func.HttpRequest) -> str:
    return str(req.route_params.get("id", ""))


def crud_blueprint(
    spec: CrudSpec, store_factory: StoreFactory | None = None, *, clock: Clock | None = None
) -> func.Blueprint:
    """Return a Blueprint with the configured operations and a health route.

    ``store_factory`` (default: from the component's app settings) creates the store lazily,
    once per function instance.  ``clock`` (default ``time.monotonic``) times the read cache.
    Function names are ``{component_id}_{operation}``; each registered function carries its
    :class:`CrudHandlers` as the attribute ``atakora_handlers`` (local hosts close them on shutdown).
    """
    handlers = CrudHandlers(spec, store_factory, clock=clock)
    bp = func.Blueprint()  # type: ignore[no-untyped-call]
    auth = func.AuthLevel[spec.auth_level.upper()]  # 'anonymous' behind Easy Auth (checked by CrudSpec)
    item_route = f"{spec.route_prefix}/{{id}}"
    routes: dict[str, tuple[str, str, Callable[[func.HttpRequest], func.HttpResponse]]] = {
        "create": (spec.route_prefix, "POST", handlers.create),
        "list": (spec.route_prefix, "GET", handlers.list),
        "read": (item_route, "GET", handlers.read),
        "update": (item_route, "PUT", handlers.update),
        "delete": (item_route, "DELETE", handlers.delete),
    }
    for operation in ALL_OPERATIONS:
        if operation in spec.operations:
            route, method, handler = routes[operation]
            _register(bp, spec.function_name(operation), route, method, auth, handler, handlers)
    health = spec.resolved_health_route
    # The platform's health probe calls without a function key, so the health route is anonymous; it
    # reveals only whether the store answers.
    _register(bp, spec.function_name("health"), health, "GET", func.AuthLevel.ANONYMOUS, handlers.health,
              handlers)
    return bp


def _register(
    bp: func.Blueprint,
    name: str,
    route: str,
    method: str,
    auth: func.AuthLevel,
    handler: Callable[[func.HttpRequest], func.HttpResponse],
    owner: CrudHandlers,
) -> None:
    def function(req: func.HttpRequest) -> func.HttpResponse:
        return handler(req)

    function.__name__ = function.__qualname__ = name
    setattr(function, HANDLERS_ATTRIBUTE, owner)
    bp.function_name(name=name)(bp.route(route=route, methods=[method], auth_level=auth)(function))
