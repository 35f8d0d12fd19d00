"""Build the configured store from app settings."""

from __future__ import annotations

from ..settings import StoreSettings
from .base import EntityStore
from .cosmos import CosmosStore
from .sqlite import SqliteStore


def store_from_settings(
    settings: StoreSettings, *, partition_key: str = "/id", default_ttl: int | None = None
) -> EntityStore:
    """Return a Cosmos (managed identity) or SQLite store; ``default_ttl`` applies to SQLite only.

    For Cosmos the container's TTL is part of the deployed infrastructure.
    """
    if settings.kind == "sqlite":
        return SqliteStore(settings.sqlite_path, partition_key=partition_key, default_ttl=default_ttl)
    assert settings.cosmos_endpoint and settings.database_name and settings.container_name
    return CosmosStore.connect(
        endpoint=settings.cosmos_endpoint,
        database=settings.database_name,
        container=settings.container_name,
        partition_key=partition_key,
        managed_identity_client_id=settings.managed_identity_client_id,
        **({"preferred_locations": list(settings.preferred_locations)} if settings.preferred_locations else {}),
    )
