"""The fluent builder API (seed 003, example 4)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .component import ComponentDefinition
from .config import BackendConfig, MonitoringConfig, NetworkingConfig, ResourceLimits, parse_backend_config

if TYPE_CHECKING:
    from .backend import Backend
    from .components import DynamicComponents
    from .providers.base import BaseProvider

__all__ = ["BackendBuilder"]


class BackendBuilder:
    """Builds a backend step by step; every ``with_*``/``add_component`` returns the builder."""

    def __init__(self, *, config: BackendConfig | None = None, **fields: Any) -> None:
        base = parse_backend_config(config, fields)
        self._fields: dict[str, Any] = {name: getattr(base, name) for name in base.model_fields_set}
        self._components: list[tuple[ComponentDefinition[Any], str | None]] = []
        self._providers: list[BaseProvider] = list(base.providers)

    def add_component(self, definition: ComponentDefinition[Any], key: str | None = None) -> BackendBuilder:
        """Add a component; its key defaults to the snake_case of its id ('UserApi' → 'user_api')."""
        self._components.append((definition, key))
        return self

    def _set(self, name: str, value: Any) -> BackendBuilder:
        self._fields[name] = value
        parse_backend_config(None, self._config_fields())  # fail here, naming the field
        return self

    def with_monitoring(self, monitoring: bool | MonitoringConfig | Mapping[str, Any] = True, **fields: Any
                        ) -> BackendBuilder:
        """Enable monitoring (a MonitoringConfig, a dict, or keyword fields such as retention_days=90)."""
        return self._set("monitoring", {**dict(monitoring), **fields} if isinstance(monitoring, Mapping) else
                         (fields or monitoring) if not isinstance(monitoring, MonitoringConfig) else monitoring)

    def with_networking(self, networking: str | NetworkingConfig | Mapping[str, Any] = "isolated", **fields: Any
                        ) -> BackendBuilder:
        """Set networking: 'public', 'isolated', a NetworkingConfig, a dict, or keyword fields."""
        if fields:
            base: dict[str, Any] = ({"mode": networking} if isinstance(networking, str) else
                                    networking.model_dump() if isinstance(networking, NetworkingConfig) else
                                    dict(networking))
            return self._set("networking", {**base, **fields})
        return self._set("networking", networking)

    def with_tags(self, tags: Mapping[str, str] | None = None, **more: str) -> BackendBuilder:
        """Add tags (merged with earlier ones)."""
        return self._set("tags", {**self._fields.get("tags", {}), **(tags or {}), **more})

    def with_limits(self, limits: ResourceLimits | Mapping[str, Any] | None = None, **fields: Any) -> BackendBuilder:
        """Set resource limits (a ResourceLimits, a dict, or keyword fields such as max_cosmos_accounts=1)."""
        value = limits if isinstance(limits, ResourceLimits) else {**dict(limits or {}), **fields}
        return self._set("limits", value)

    def with_provider(self, provider: BaseProvider) -> BackendBuilder:
        """Register a custom provider (added to the defaults)."""
        self._providers.append(provider)
        parse_backend_config(None, self._config_fields())  # fail here, naming the field
        return self

    def _config_fields(self) -> dict[str, Any]:
        return {**self._fields, "providers": tuple(self._providers)}

    def build(self) -> Backend[DynamicComponents]:
        """The backend with every component and setting added so far."""
        from .backend import Backend

        backend: Backend[DynamicComponents] = Backend({}, parse_backend_config(None, self._config_fields()))
        for definition, key in self._components:
            backend.add_component(definition, key)
        return backend
