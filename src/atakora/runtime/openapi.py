"""OpenAPI 3.1 description of the CRUD APIs of one Function App, built from their :class:`CrudSpec`.

The same specs generate the handlers, so the document cannot drift from the code: paths and
operations, request and item schemas from the entity schema, the partition key query parameter,
the filters and ``order_by`` of lists, ``ETag``/``If-Match``/``If-None-Match``, paging and every
status the handlers answer. What the APIs answer alike is written once under ``components`` and
referenced by ``$ref``. This module ships in every package: it imports only the runtime.
"""

import json
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from .cors import CorsRules, add_cors_headers
from .query import MAX_FILTER_LENGTH, ORDER_PARAM
from .schema import MAX_ID_LENGTH, FieldSpec
from .spec import MAX_PAGE_SIZE, PK_QUERY_PARAM, CrudSpec

if TYPE_CHECKING:
    import azure.functions as func

OPENAPI_ROUTE = "openapi.json"
DOCUMENT_LINES: dict[str, Any] = {"paths": True, "components": {
    "schemas": True, "parameters": True, "responses": True, "headers": True}}
"""What a packaged document writes one item per line (the ``lines`` of the writer's ``dump_lines``)."""
_ERROR = {"$ref": "#/components/schemas/Error"}
_STATUS_TEXT = {
    "304": "Not modified (If-None-Match matched)",
    "400": "Invalid request (body, id, query or header); details name each field",
    "401": "Authentication required",
    "403": "The caller lacks the role for this operation",
    "404": "Not found",
    "409": "An item with this id already exists",
    "412": "If-Match did not match the current item",
    "413": "Request body or item too large",
    "503": "The database is busy or unavailable; retry after Retry-After seconds",
}
_STATUS_NAMES = {"304": "NotModified", "400": "BadRequest", "401": "Unauthorized", "403": "Forbidden",
                 "404": "NotFound", "409": "Conflict", "412": "PreconditionFailed", "413": "TooLarge",
                 "503": "Unavailable"}
"""The shared ``components/responses`` of each status every operation answers alike."""
_ITEM_ID = "Shared.ItemId"
"""Name of the shared id schema; the '.' keeps it apart from entity schemas (letters and digits only)."""


def openapi_document(specs: Sequence[CrudSpec], *, title: str = "Generated CRUD APIs", route_prefix: str = "api",
                     version: str = "1.0.0") -> dict[str, Any]:
    """The OpenAPI 3.1 document of ``specs`` served under ``/{route_prefix}``.

    What every API answers alike (error responses, paging and conditional parameters, the ``ETag``
    header, the health responses, the id schema) is one entry of ``components``, referenced by
    ``$ref`` from each operation.
    """
    base = f"/{route_prefix.strip('/')}" if route_prefix.strip("/") else ""
    paths: dict[str, Any] = {}
    schemas: dict[str, Any] = {"Error": _error_schema()}
    shared = _Shared()
    keyed = any(s.auth_level != "anonymous" for s in specs)
    for spec in sorted(specs, key=lambda s: s.component_id):
        _add_api(spec, base, paths, schemas, shared)
    paths[f"{base}/{OPENAPI_ROUTE}"] = {"get": {
        "operationId": "openapi", "summary": "This document", "security": [],
        "responses": {"200": {"description": "The OpenAPI document",
                              "content": {"application/json": {"schema": {"type": "object"}}}}},
    }}
    components = shared.components()
    schemas.update(components.pop("schemas", {}))
    document: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": title, "version": version},
        "paths": dict(sorted(paths.items())),
        "components": {"schemas": dict(sorted(schemas.items())), **components},
    }
    if keyed:
        document["components"]["securitySchemes"] = {
            "functionKey": {"type": "apiKey", "in": "header", "name": "x-functions-key"},
        }
    return document


_Builder = Callable[["_Shared"], Any]
"""Makes one shared component (it may refer to components of later sections)."""


class _Shared:
    """The shared components of one document, recorded as operations reference them."""

    _SECTIONS = ("parameters", "responses", "headers", "schemas")  # a component only refers to later sections

    def __init__(self) -> None:
        self._refs: dict[str, dict[str, dict[str, str]]] = {section: {} for section in self._SECTIONS}
        self._errors: dict[tuple[str, ...], dict[str, dict[str, str]]] = {}

    def ref(self, section: str, name: str) -> dict[str, str]:
        """``{"$ref": "#/components/<section>/<name>"}``, recording that the document needs the component."""
        refs = self._refs[section]
        ref = refs.get(name)
        if ref is None:
            ref = refs[name] = {"$ref": f"#/components/{section}/{name}"}
        return ref

    def errors(self, codes: tuple[str, ...]) -> dict[str, dict[str, str]]:
        """The shared responses of the error statuses ``codes``, by status in order (read-only)."""
        responses = self._errors.get(codes)
        if responses is None:
            responses = self._errors[codes] = {code: self.ref("responses", _STATUS_NAMES[code])
                                               for code in sorted(codes)}
        return responses

    def components(self) -> dict[str, dict[str, Any]]:
        """Every recorded component by section, sorted by name (sections without one are left out)."""
        result: dict[str, dict[str, Any]] = {}
        for section in self._SECTIONS:
            used = self._refs[section]
            if used:
                builders = _COMPONENTS[section]
                result[section] = {name: builders[name](self) for name in sorted(used)}
        return result


def _error_response(code: str) -> dict[str, Any]:
    entry: dict[str, Any] = {"description": _STATUS_TEXT[code], "content": {"application/json": {"schema": _ERROR}}}
    if code == "503":
        entry["headers"] = {"Retry-After": {"schema": {"type": "string"}}}
    return entry


def _error_builder(code: str) -> _Builder:
    return lambda shared: _error_response(code)


def _health_response(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": {
        "type": "object", "required": ["status", "component"],
        "properties": {"status": {"type": "string"}, "component": {"type": "string"}, "reason": {"type": "string"}}}}}}


def _query(name: str, schema: dict[str, Any]) -> _Builder:
    return lambda shared: {"name": name, "in": "query", "schema": schema}


_COMPONENTS: dict[str, dict[str, _Builder]] = {
    "parameters": {
        "ItemId": lambda shared: {"name": "id", "in": "path", "required": True,
                                  "schema": shared.ref("schemas", _ITEM_ID)},
        "limit": _query("limit", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE}),
        "continuation": _query("continuation", {"type": "string"}),
        "IfMatch": lambda shared: {"name": "If-Match", "in": "header", "schema": {"type": "string"},
                                   "description": "RFC 9110: '*' or entity tags; strong comparison"},
        "IfNoneMatch": lambda shared: {"name": "If-None-Match", "in": "header", "schema": {"type": "string"}},
    },
    "responses": {
        **{name: _error_builder(code) for code, name in _STATUS_NAMES.items() if code != "304"},
        "NotModified": lambda shared: {"description": _STATUS_TEXT["304"],
                                       "headers": {"ETag": shared.ref("headers", "ETag")}},
        "Healthy": lambda shared: _health_response("Healthy"),
        "Unhealthy": lambda shared: _health_response("The store failed or timed out"),
    },
    "headers": {"ETag": lambda shared: {"description": "Entity tag of the item", "schema": {"type": "string"}}},
    "schemas": {_ITEM_ID: lambda shared: {
        "type": "string", "minLength": 1, "maxLength": MAX_ID_LENGTH,
        "description": "No '/', '\\\\', '?', '#', control characters or trailing whitespace; not '.' or '..'"}},
}
"""How to build each shared component; a builder refers only to components of later sections."""


def openapi_blueprint(document: dict[str, Any], cors: Mapping[str, Any] | None = None) -> "func.Blueprint":
    """A Blueprint serving ``document`` at ``GET /{route prefix}/openapi.json`` (anonymous); ``cors`` (default
    None) are the app's :class:`~.cors.CorsRules` when its code answers CORS."""
    import azure.functions as func

    rules = CorsRules.of(cors) if cors is not None else None

    body = json.dumps(document, indent=1, sort_keys=False).encode("utf-8")
    bp = func.Blueprint()  # type: ignore[no-untyped-call]

    def openapi(req: func.HttpRequest) -> func.HttpResponse:
        response = func.HttpResponse(body, status_code=200, mimetype="application/json", charset="utf-8",
                                     headers={"Cache-Control": "no-cache"})
        add_cors_headers(rules, req, response)
        return response

    bp.function_name(name="openapi")(
        bp.route(route=OPENAPI_ROUTE, methods=["GET"], auth_level=func.AuthLevel.ANONYMOUS)(openapi)
    )
    return bp


def _add_api(spec: CrudSpec, base: str, paths: dict[str, Any], schemas: dict[str, Any], shared: _Shared) -> None:
    name = _schema_name(spec.entity_name)
    item = {"$ref": f"#/components/schemas/{name}"}
    schemas[name], schemas[f"{name}Input"] = _entity_schemas(spec, shared)
    schemas[f"{name}Page"] = {
        "type": "object", "required": ["items", "continuation"],
        "properties": {"items": {"type": "array", "items": item},
                       "continuation": {"type": ["string", "null"],
                                        "description": "Pass as ?continuation= for the next page; null on the last"}},
    }
    operation = _Operations(spec, shared)
    etag = {"ETag": shared.ref("headers", "ETag")}
    ops = set(spec.operations)
    collection_ops: dict[str, Any] = {}
    member_ops: dict[str, Any] = {}
    body = {"required": True, "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}Input"}}}}
    if "create" in ops:
        collection_ops["post"] = operation("create", f"Create a {spec.entity_name}", [], body, {
            "201": {"description": "Created", "headers": {**etag, "Location": {"schema": {"type": "string"}}},
                    "content": {"application/json": {"schema": item}}},
        }, ("400", "409", "413", "503"))
    if "list" in ops:
        collection_ops["get"] = operation("list", f"List {spec.entity_name} items", _list_parameters(spec, shared),
                                          None, {"200": {"description": "One page", "content": {"application/json": {
                                              "schema": {"$ref": f"#/components/schemas/{name}Page"}}}}},
                                          ("400", "503"))
    if "read" in ops:
        member_ops["get"] = operation("read", f"Read a {spec.entity_name}", [shared.ref("parameters", "IfNoneMatch")],
                                      None, {
            "200": {"description": "The item", "headers": etag, "content": {"application/json": {"schema": item}}},
            "304": shared.ref("responses", "NotModified"),
        }, ("400", "404", "503"))
    if "update" in ops:
        member_ops["put"] = operation("update", f"Replace a {spec.entity_name}", [shared.ref("parameters", "IfMatch")],
                                      body, {
            "200": {"description": "Replaced", "headers": etag, "content": {"application/json": {"schema": item}}},
        }, ("400", "404", "412", "413", "503"))
    if "delete" in ops:
        member_ops["delete"] = operation("delete", f"Delete a {spec.entity_name}", [shared.ref("parameters", "IfMatch")],
                                         None, {"204": {"description": "Deleted"}}, ("400", "404", "412", "503"))
    if member_ops:
        # The id and the partition key apply to every operation on an item: once, on the path.
        member_ops["parameters"] = [shared.ref("parameters", "ItemId"), _pk_parameter(spec)]
        paths[f"{base}/{spec.route_prefix}/{{id}}"] = member_ops
    if collection_ops:
        paths[f"{base}/{spec.route_prefix}"] = collection_ops
    paths[f"{base}/{spec.resolved_health_route}"] = {"get": {
        "operationId": f"{spec.function_prefix}_health", "summary": "Whether the store answers",
        "tags": [spec.component_id], "security": [],
        "responses": {"200": shared.ref("responses", "Healthy"), "503": shared.ref("responses", "Unhealthy")},
    }}


class _Operations:
    """Builds the operations of one API: its tag, security and error statuses are the same for each."""

    def __init__(self, spec: CrudSpec, shared: _Shared) -> None:
        self.spec, self.shared = spec, shared
        self.security: list[Any] = [] if spec.auth_level == "anonymous" else [{"functionKey": []}]
        self.denied = ("401", "403") if spec.authentication != "function" else ()

    def __call__(self, operation: str, summary: str, parameters: list[Any], body: dict[str, Any] | None,
                 responses: dict[str, Any], errors: Sequence[str]) -> dict[str, Any]:
        # Success statuses (2xx, 304) sort before the errors (4xx, 5xx).
        all_responses = {**responses, **self.shared.errors((*errors, *self.denied))}
        result: dict[str, Any] = {"operationId": self.spec.function_name(operation), "summary": summary,
                                  "tags": [self.spec.component_id], "security": self.security,
                                  "parameters": parameters}
        if body is not None:
            result["requestBody"] = body
        result["responses"] = all_responses
        return result


def _pk_parameter(spec: CrudSpec) -> dict[str, Any]:
    field = spec.partition_key.strip("/")
    needed = spec.partition_key != "/id"
    return {"name": PK_QUERY_PARAM, "in": "query", "schema": {"type": "string"},
            "description": (f"Value of the partition key {spec.partition_key} ({field}); 400 without it" if needed
                            else "Optional; the partition key is /id, so it equals the id")}


def _list_parameters(spec: CrudSpec, shared: _Shared) -> list[Any]:
    parameters: list[Any] = [
        shared.ref("parameters", "limit"),
        shared.ref("parameters", "continuation"),
        {"name": PK_QUERY_PARAM, "in": "query", "schema": {"type": "string"},
         "description": f"Only items whose {spec.partition_key} equals this value"},
    ]
    field = spec.partition_key.strip("/")
    if "/" not in field and field != "id":
        parameters.append({"name": field, "in": "query", "schema": {"type": "string"},
                           "description": f"Same as pk: the {field} partition"})
    fields = spec.query_fields
    for name, kind in fields.filterable.items():
        parameters.append({"name": name, "in": "query", "schema": _FILTER_SCHEMAS[kind],
                           "description": f"Only items whose {name} equals this value"})
    if fields.orderable:
        parameters.append({"name": ORDER_PARAM, "in": "query", "schema": {
            "type": "string", "enum": [f"{sign}{name}" for name in fields.orderable for sign in ("", "-")]},
            "description": "Order by this field ('-' first: descending), then id; only items that have the field"})
    return parameters


_FILTER_SCHEMAS: dict[str, dict[str, Any]] = {
    "string": {"type": "string", "maxLength": MAX_FILTER_LENGTH},
    "number": {"type": "number"},
    "boolean": {"type": "boolean"},
    "timestamp": {"type": "string", "format": "date-time"},
}


def _entity_schemas(spec: CrudSpec, shared: _Shared) -> tuple[dict[str, Any], dict[str, Any]]:
    """The schemas of a stored item and of a request body (no other fields; the id is not required)."""
    schema = spec.entity_schema()
    properties: dict[str, Any] = {"id": shared.ref("schemas", _ITEM_ID)}
    for name, field in schema.fields.items():
        if name != "id":
            properties[name] = _field_schema(field)
    if schema.allow_item_ttl:
        properties["ttl"] = {"type": "integer", "description": "Seconds to live; -1 never expires"}
    required = [n for n, f in schema.fields.items() if f.required and n != "id"]
    item = {"type": "object", "properties": properties, "required": ["id", *required]}
    body: dict[str, Any] = {"type": "object", "properties": dict(properties), "additionalProperties": False}
    if required:
        body["required"] = required
    return item, body


def _field_schema(field: FieldSpec) -> dict[str, Any]:
    kind = field.type
    result: dict[str, Any]
    if kind == "number":
        result = {"type": "integer" if field.integer else "number"}
        if field.minimum is not None:
            result["minimum"] = field.minimum
        if field.maximum is not None:
            result["maximum"] = field.maximum
    elif kind == "timestamp":
        result = {"type": "string", "format": "date-time"}
    elif kind == "array":
        result = {"type": "array"}
        if field.min_length is not None:
            result["minItems"] = field.min_length
        if field.max_length is not None:
            result["maxItems"] = field.max_length
    elif kind == "string":
        result = {"type": "string"}
        if field.min_length is not None:
            result["minLength"] = field.min_length
        if field.max_length is not None:
            result["maxLength"] = field.max_length
        if field.pattern is not None:
            result["pattern"] = f"^(?:{field.pattern})$"
    else:
        result = {"type": kind}
    if field.enum is not None:
        result["enum"] = list(field.enum)
    if not field.required:
        result = {"anyOf": [result, {"type": "null"}]}
    return result


def _schema_name(entity: str) -> str:
    cleaned = "".join(ch for ch in entity.title() if ch.isalnum())
    return cleaned or "Item"


def _error_schema() -> dict[str, Any]:
    return {"type": "object", "required": ["error", "message"], "properties": {
        "error": {"type": "string"}, "message": {"type": "string"},
        "details": {"type": "array", "items": {"type": "object", "required": ["field", "message"], "properties": {
            "field": {"type": "string"}, "message": {"type": "string"}}}},
    }}
