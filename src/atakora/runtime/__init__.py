"""Runtime of generated Azure Functions CRUD APIs (vendored into apps as ``atakora_runtime``).

Only the stdlib, ``azure.functions``, (lazily, for schema patterns) ``re2`` from google-re2 and (lazily, in the Cosmos store) ``azure.cosmos`` and
``azure.identity`` are imported, and all imports inside the package are relative.
"""

from .authorization import AccessDenied, AccessPolicy, Caller
from .crud import ALL_OPERATIONS, CrudHandlers, CrudSpec, CrudSpecError, crud_blueprint
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
from .stores import CosmosStore, EntityStore, Page, SqliteStore, StoredItem, store_from_settings

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
