"""Typed access to a backend's component instances."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from ..errors import ConstructError
from .component import BackendComponent, ComponentDefinition

__all__ = ["Components", "DynamicComponents"]


class Components:
    """Declare a backend's components as class attributes for static typing::

        class Shop(Components):
            user_api = CrudApi.define("UserApi", entity_name="User", schema={...})

        backend = define_backend(Shop, environment="prod")
        backend.components.user_api   # a CrudApi to pyright and mypy; a typo is an error

    The instance is also a read-only mapping from attribute name to component.
    """

    def __init__(self, lookup: Callable[[str], BackendComponent], keys: list[str]) -> None:
        self._lookup = lookup
        self._keys = keys

    @classmethod
    def declared(cls) -> dict[str, ComponentDefinition[Any]]:
        """The component definitions declared on this class (attribute name → definition)."""
        found: dict[str, ComponentDefinition[Any]] = {}
        for klass in reversed(cls.__mro__):
            for name, value in vars(klass).items():
                if isinstance(value, ComponentDefinition):
                    found[name] = value
        return found

    def _instance_of(self, definition: ComponentDefinition[Any]) -> BackendComponent:
        key = _declared_keys(type(self)).get(id(definition))
        if key is None:
            raise ConstructError(f"{definition.component_id} is not a component of this backend")
        return self._lookup(key)

    def __getitem__(self, key: str) -> BackendComponent:
        if key not in self._keys:
            raise KeyError(f"no component {key!r}; components: {', '.join(self._keys)}")
        return self._lookup(key)

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def keys(self) -> list[str]:
        """Component keys in declaration order."""
        return list(self._keys)

    def items(self) -> list[tuple[str, BackendComponent]]:
        """(key, component) pairs in declaration order."""
        return [(k, self._lookup(k)) for k in self._keys]

    def values(self) -> list[BackendComponent]:
        """Components in declaration order."""
        return [self._lookup(k) for k in self._keys]


class DynamicComponents(Components):
    """Components given as a mapping: attribute access works, typed as ``Any``."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        if name not in self._keys:
            raise AttributeError(f"backend has no component {name!r}; components: {', '.join(self._keys)}")
        return self._lookup(name)


_DECLARED_KEYS: dict[type[Components], dict[int, str]] = {}


def _declared_keys(cls: type[Components]) -> dict[int, str]:
    """Definition identity → attribute name, computed once per Components class."""
    if cls not in _DECLARED_KEYS:
        _DECLARED_KEYS[cls] = {id(definition): key for key, definition in cls.declared().items()}
    return _DECLARED_KEYS[cls]


def as_definitions(components: Mapping[str, ComponentDefinition[Any]] | type[Components]
                   ) -> dict[str, ComponentDefinition[Any]]:
    """Normalize both declaration styles to ``key → definition``."""
    if isinstance(components, type) and issubclass(components, Components):
        return components.declared()
    if not isinstance(components, Mapping):
        from ..errors import ConfigurationError

        raise ConfigurationError(
            f"components must be a mapping of keys to definitions or a Components class, not "
            f"{type(components).__name__}", field="components",
            fix="define_backend({'user_api': CrudApi.define('UserApi', ...)}), or use BackendBuilder.add_component")
    return dict(components)
