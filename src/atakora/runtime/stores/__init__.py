"""Entity stores: one interface, a SQLite implementation for development, a Cosmos one for Azure."""

from .base import EntityStore, Page, StoredItem
from .cosmos import CosmosStore
from .factory import store_from_settings
from .sqlite import SqliteStore

__all__ = ["CosmosStore", "EntityStore", "Page", "SqliteStore", "StoredItem", "store_from_settings"]
