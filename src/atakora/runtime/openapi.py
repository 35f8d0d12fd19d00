"""OpenAPI 3.1 description of the CRUD APIs of one Function App, built from their :class:`CrudSpec`.

The same specs generate the handlers, so the document cannot drift from the code: paths and
operations, request and item schemas from the entity schema, the partition key query parameter,
the filters and ``order_by`` of lists, ``ETag``/``If-Match``/``If-None-Match``, paging and every
status the handlers answer.
"""

import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from .cors import CorsRules, add_cors_headers
from .query import MAX_FILTER_LENGTH, ORDER_PARAM
from .schema import MAX_ID_LENGTH, FieldSpec
from .spec import MAX_PAGE_SIZE, PK_QUERY_PARAM, CrudSpec

if TYPE_CHECKING:
    import azure.functions as func

OPENAPI_ROUTE = "openapi.json"
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


def openapi_document(specs: Sequence[CrudSpec], *, title: str = "Generated CRUD APIs", route_prefix: str = "api",
                     version: str = "1.0.0") -> dict[str, Any]:
    """The OpenAPI 3.1 document of ``specs`` served under ``/{route_prefix}``."""
    base = f"/{route_prefix.strip('/')}" if route_prefix.strip("/") else ""
    paths: dict[str, Any] = {}
    schemas: dict[str, Any] = {"Error": _error_schema()}
    keyed = any(s.auth_level != "anonymous" for s in specs)
    for spec in sorted(specs, key=lambda s: s.component_id):
        _add_api(spec, base, paths, schemas)
    paths[f"{base}/{OPENAPI_ROUTE}"] = {"get": {
        "operationId": "openapi", "summary": "This document", "security": [],
        "responses": {"200": {"description": "The OpenAPI document",
                              "content": {"application/json": {"schema": {"type": "object"}}}}},
    }}
    document: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": title, "version": version},
        "paths": dict(sorted(paths.items())),
        "components": {"schemas": dict(sorted(schemas.items()))},
    }
    if keyed:
        document["components"]["securitySchemes"] = {
            "functionKey": {"type": "apiKey", "in": "header", "name": "x-functions-key"},
        }
    return document


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


def _add_api(spec: CrudSpec, base: str, paths: dict[str, Any], schemas: dict[str, Any]) -> None:
    name = _schema_name(spec.entity_name)
    schemas[name] = _entity_schema(spec, for_input=False)
    schemas[f"{name}Input"] = _entity_schema(spec, for_input=True)
    schemas[f"{name}Page"] = {
        "type": "object", "required": ["items", "continuation"],
        "properties": {"items": {"type": "array", "items": {"$ref": f"#/components/schemas/{name}"}},
                       "continuation": {"type": ["string", "null"],
                                        "description": "Pass as ?continuation= for the next page; null on the last"}},
    }
    item = {"$ref": f"#/components/schemas/{name}"}
    security: list[Any] = [] if spec.auth_level == "anonymous" else [{"functionKey": []}]
    tag = spec.component_id
    collection, member = f"{base}/{spec.route_prefix}", f"{base}/{spec.route_prefix}/{{id}}"
    etag = {"ETag": {"description": "Entity tag of the item", "schema": {"type": "string"}}}
    pk = _pk_parameter(spec)
    ops = set(spec.operations)
    collection_ops: dict[str, Any] = {}
    member_ops: dict[str, Any] = {}
    body = {"required": True, "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}Input"}}}}
    if "create" in ops:
        collection_ops["post"] = _operation(spec, "create", f"Create a {spec.entity_name}", security, tag, [], body, {
            "201": {"description": "Created", "headers": {**etag, "Location": {"schema": {"type": "string"}}},
                    "content": {"application/json": {"schema": item}}},
        }, ("400", "409", "413", "503"))
    if "list" in ops:
        collection_ops["get"] = _operation(spec, "list", f"List {spec.entity_name} items", security, tag,
                                           _list_parameters(spec), None, {
            "200": {"description": "One page", "content": {"application/json": {
                "schema": {"$ref": f"#/components/schemas/{name}Page"}}}},
        }, ("400", "503"))
    conditional = {"name": "If-Match", "in": "header", "required": False, "schema": {"type": "string"},
                   "description": "RFC 9110: '*' or entity tags; strong comparison"}
    if "read" in ops:
        none_match = {"name": "If-None-Match", "in": "header", "required": False, "schema": {"type": "string"}}
        member_ops["get"] = _operation(spec, "read", f"Read a {spec.entity_name}", security, tag, [pk, none_match], None, {
            "200": {"description": "The item", "headers": etag, "content": {"application/json": {"schema": item}}},
            "304": {"description": _STATUS_TEXT["304"], "headers": etag},
        }, ("400", "404", "503"))
    if "update" in ops:
        member_ops["put"] = _operation(spec, "update", f"Replace a {spec.entity_name}", security, tag,
                                       [pk, conditional], body, {
            "200": {"description": "Replaced", "headers": etag, "content": {"application/json": {"schema": item}}},
        }, ("400", "404", "412", "413", "503"))
    if "delete" in ops:
        member_ops["delete"] = _operation(spec, "delete", f"Delete a {spec.entity_name}", security, tag,
                                          [pk, conditional], None, {"204": {"description": "Deleted"}},
                                          ("400", "404", "412", "503"))
    if member_ops:
        id_parameter = {"name": "id", "in": "path", "required": True,
                        "schema": {"type": "string", "minLength": 1, "maxLength": MAX_ID_LENGTH}}
        member_ops["parameters"] = [id_parameter]
        paths[member] = member_ops
    if collection_ops:
        paths[collection] = collection_ops
    paths[f"{base}/{spec.resolved_health_route}"] = {"get": {
        "operationId": f"{spec.function_prefix}_health", "summary": "Whether the store answers", "tags": [tag],
        "security": [],
        "responses": {code: {"description": text, "content": {"application/json": {"schema": {
            "type": "object", "required": ["status", "component"],
            "properties": {"status": {"type": "string"}, "component": {"type": "string"},
                           "reason": {"type": "string"}}}}}}
            for code, text in (("200", "Healthy"), ("503", "The store failed or timed out"))},
    }}


def _operation(spec: CrudSpec, operation: str, summary: str, security: list[Any], tag: str, parameters: list[Any],
               body: dict[str, Any] | None, responses: dict[str, Any], errors: Sequence[str]) -> dict[str, Any]:
    statuses = [*errors, *(["401", "403"] if spec.authentication != "function" else [])]
    all_responses = dict(responses)
    for code in statuses:
        entry: dict[str, Any] = {"description": _STATUS_TEXT[code], "content": {"application/json": {"schema": _ERROR}}}
        if code == "503":
            entry["headers"] = {"Retry-After": {"schema": {"type": "string"}}}
        all_responses[code] = entry
    result: dict[str, Any] = {"operationId": spec.function_name(operation), "summary": summary, "tags": [tag],
                              "security": security, "parameters": parameters}
    if body is not None:
        result["requestBody"] = body
    result["responses"] = dict(sorted(all_responses.items()))
    return result


def _pk_parameter(spec: CrudSpec) -> dict[str, Any]:
    field = spec.partition_key.strip("/")
    needed = spec.partition_key != "/id"
    return {"name": PK_QUERY_PARAM, "in": "query", "required": False, "schema": {"type": "string"},
            "description": (f"Value of the partition key {spec.partition_key} ({field}); 400 without it" if needed
                            else "Optional; the partition key is /id, so it equals the id")}


def _list_parameters(spec: CrudSpec) -> list[dict[str, Any]]:
    parameters = [
        {"name": "limit", "in": "query", "required": False,
         "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE}},
        {"name": "continuation", "in": "query", "required": False, "schema": {"type": "string"}},
        {"name": PK_QUERY_PARAM, "in": "query", "required": False, "schema": {"type": "string"},
         "description": f"Only items whose {spec.partition_key} equals this value"},
    ]
    field = spec.partition_key.strip("/")
    if "/" not in field and field != "id":
        parameters.append({"name": field, "in": "query", "required": False, "schema": {"type": "string"},
                           "description": f"Same as pk: the {field} partition"})
    fields = spec.query_fields
    for name, kind in fields.filterable.items():
        parameters.append({"name": name, "in": "query", "required": False, "schema": _FILTER_SCHEMAS[kind],
                           "description": f"Only items whose {name} equals this value"})
    if fields.orderable:
        parameters.append({"name": ORDER_PARAM, "in": "query", "required": False, "schema": {
            "type": "string", "enum": [f"{sign}{name}" for name in fields.orderable for sign in ("", "-")]},
            "description": "Order by this field ('-' first: descending), then id; only items that have the field"})
    return parameters


_FILTER_SCHEMAS: dict[str, dict[str, Any]] = {
    "string": {"type": "string", "maxLength": MAX_FILTER_LENGTH},
    "number": {"type": "number"},
    "boolean": {"type": "boolean"},
    "timestamp": {"type": "string", "format": "date-time"},
}


def _entity_schema(spec: CrudSpec, *, for_input: bool) -> dict[str, Any]:
    schema = spec.entity_schema()
    properties: dict[str, Any] = {"id": {"type": "string", "minLength": 1, "maxLength": MAX_ID_LENGTH,
                                         "description": "No '/', '\\\\', '?', '#', control characters or trailing "
                                                        "whitespace; not '.' or '..'"}}
    for name, field in schema.fields.items():
        if name != "id":
            properties[name] = _field_schema(field)
    if schema.allow_item_ttl:
        properties["ttl"] = {"type": "integer", "description": "Seconds to live; -1 never expires"}
    required = [n for n, f in schema.fields.items() if f.required and n != "id"]
    if not for_input:
        required = ["id", *required]
    result: dict[str, Any] = {"type": "object", "properties": properties}
    if for_input:
        result["additionalProperties"] = False
    if required:
        result["required"] = required
    return result


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
