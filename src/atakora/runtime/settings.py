"""App settings of one component, namespaced by a prefix so components never collide.

``{PREFIX}_STORE`` is ``cosmos`` (default) or ``sqlite``.  Cosmos needs
``{PREFIX}_COSMOS_ENDPOINT``, ``{PREFIX}_DATABASE_NAME`` and ``{PREFIX}_CONTAINER_NAME``;
SQLite reads ``{PREFIX}_SQLITE_PATH`` (default ``:memory:``).  ``{PREFIX}_AZURE_CLIENT_ID`` names
the component's user-assigned managed identity used for Cosmos (``AZURE_CLIENT_ID`` is the
app-wide fallback).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from .credentials import APP_CLIENT_ID_SETTING, component_client_id
from .errors import SettingsError

StoreKind = Literal["cosmos", "sqlite"]
MANAGED_IDENTITY_SETTING = APP_CLIENT_ID_SETTING


_WORD_START = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_NOT_ALPHANUMERIC = re.compile(r"[^A-Za-z0-9]+")


def default_settings_prefix(component_id: str) -> str:
    """Derive ``USER_API`` from ``UserApi`` (or ``user-api``): upper snake case."""
    spaced = _WORD_START.sub("_", component_id)
    prefix = _NOT_ALPHANUMERIC.sub("_", spaced).strip("_").upper()
    if not prefix:
        raise ValueError(f"cannot derive a settings prefix from component id {component_id!r}")
    return prefix


def setting_name(prefix: str, suffix: str) -> str:
    """Return the app setting name ``{PREFIX}_{SUFFIX}``."""
    return f"{prefix}_{suffix}"


@dataclass(frozen=True)
class StoreSettings:
    """Where a component's entities live; built by :func:`load_store_settings`."""

    prefix: str
    kind: StoreKind
    cosmos_endpoint: str | None = None
    database_name: str | None = None
    container_name: str | None = None
    sqlite_path: str = ":memory:"
    managed_identity_client_id: str | None = None
    preferred_locations: tuple[str, ...] = ()
    """Cosmos regions to read from first ('westus2', ...): ``{PREFIX}_COSMOS_PREFERRED_LOCATIONS``, else
    the app-wide ``COSMOS_PREFERRED_LOCATIONS``; comma-separated."""


PREFERRED_LOCATIONS_SETTING = "COSMOS_PREFERRED_LOCATIONS"


def load_store_settings(prefix: str, environ: Mapping[str, str] | None = None) -> StoreSettings:
    """Read the settings for ``prefix`` from ``environ`` (default ``os.environ``).

    Raises SettingsError naming the missing or invalid setting.
    """
    env = os.environ if environ is None else environ

    def get(suffix: str) -> str | None:
        value = env.get(setting_name(prefix, suffix), "").strip()
        return value or None

    def require(suffix: str) -> str:
        value = get(suffix)
        if value is None:
            raise SettingsError(f"app setting {setting_name(prefix, suffix)} is missing or empty")
        return value

    kind = (get("STORE") or "cosmos").lower()
    client_id = component_client_id(prefix, env)
    if kind == "sqlite":
        return StoreSettings(prefix, "sqlite", sqlite_path=get("SQLITE_PATH") or ":memory:")
    if kind != "cosmos":
        raise SettingsError(f"app setting {setting_name(prefix, 'STORE')} must be 'cosmos' or 'sqlite', not {kind!r}")
    return StoreSettings(
        prefix,
        "cosmos",
        cosmos_endpoint=require("COSMOS_ENDPOINT"),
        database_name=require("DATABASE_NAME"),
        container_name=require("CONTAINER_NAME"),
        managed_identity_client_id=client_id,
        preferred_locations=_split(get("COSMOS_PREFERRED_LOCATIONS") or env.get(PREFERRED_LOCATIONS_SETTING, "")),
    )


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())
