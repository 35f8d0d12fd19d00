"""Runtime of generated Azure Functions CRUD APIs (vendored into apps as ``atakora_runtime``).

Only the stdlib, ``azure.functions`` and (lazily, in the Cosmos store) ``azure.cosmos`` and
``azure.identity`` are imported, and all imports inside the package are relative. Names are
loaded on first use, so synthesis can read the runtime's pure modules (schema, settings) without
importing ``azure.functions``.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .access import AccessPolicy
    from .authorization import AccessDenied, Caller
    from .crud import CrudHandlers, crud_blueprint
    from .errors import (
        ConflictError,
        FieldError,
        InvalidContinuationError,
        NotFoundError,
        PreconditionFailedError,
        RequestError,
        SettingsError,
        StoreError,
    )
    from .identity import PRINCIPAL_HEADER, Principal, PrincipalError, encode_principal, parse_principal
    from .local_host import LocalHost
    from .partition import PartitionKeyPath
    from .schema import EntitySchema, FieldSpec
    from .service import EntityService
    from .settings import StoreSettings, default_settings_prefix, load_store_settings
    from .spec import ALL_OPERATIONS, CrudSpec, CrudSpecError
    from .stores import CosmosStore, EntityStore, Page, SqliteStore, StoredItem, store_from_settings

_MODULES = {
    "ALL_OPERATIONS": ".spec",
    "AccessDenied": ".authorization",
    "AccessPolicy": ".access",
    "Caller": ".authorization",
    "ConflictError": ".errors",
    "CosmosStore": ".stores",
    "CrudHandlers": ".crud",
    "CrudSpec": ".spec",
    "CrudSpecError": ".spec",
    "EntitySchema": ".schema",
    "EntityService": ".service",
    "EntityStore": ".stores",
    "FieldError": ".errors",
    "FieldSpec": ".schema",
    "InvalidContinuationError": ".errors",
    "LocalHost": ".local_host",
    "NotFoundError": ".errors",
    "PRINCIPAL_HEADER": ".identity",
    "Page": ".stores",
    "PartitionKeyPath": ".partition",
    "PreconditionFailedError": ".errors",
    "Principal": ".identity",
    "PrincipalError": ".identity",
    "RequestError": ".errors",
    "SettingsError": ".errors",
    "SqliteStore": ".stores",
    "StoreError": ".errors",
    "StoreSettings": ".settings",
    "StoredItem": ".stores",
    "crud_blueprint": ".crud",
    "default_settings_prefix": ".settings",
    "encode_principal": ".identity",
    "load_store_settings": ".settings",
    "parse_principal": ".identity",
    "store_from_settings": ".stores",
}


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module, __name__), name)
    globals()[name] = value
    return value


__all__ = [
    "ALL_OPERATIONS",
    "PRINCIPAL_HEADER",
    "AccessDenied",
    "AccessPolicy",
    "Caller",
    "ConflictError",
    "CosmosStore",
    "CrudHandlers",
    "CrudSpec",
    "CrudSpecError",
    "EntitySchema",
    "EntityService",
    "EntityStore",
    "FieldError",
    "FieldSpec",
    "InvalidContinuationError",
    "LocalHost",
    "NotFoundError",
    "Page",
    "PartitionKeyPath",
    "PreconditionFailedError",
    "Principal",
    "PrincipalError",
    "RequestError",
    "SettingsError",
    "SqliteStore",
    "StoreError",
    "StoreSettings",
    "StoredItem",
    "crud_blueprint",
    "default_settings_prefix",
    "encode_principal",
    "load_store_settings",
    "parse_principal",
    "store_from_settings",
]
