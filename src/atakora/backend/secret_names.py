"""The names of a component's ``secrets=``: app setting names, each listed once."""

from __future__ import annotations

import re

from ..errors import ConfigurationError

__all__ = ["check_secret_names"]

_SETTING = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,99}$")


def check_secret_names(component_id: str, names: object) -> tuple[str, ...]:
    """``secrets=`` checked: a list of distinct app setting names (letters, digits, '_')."""
    if isinstance(names, str) or not isinstance(names, (list, tuple)):
        raise ConfigurationError(f"secrets must be a list of names, not {names!r}", field="secrets",
                                 path=component_id, fix="pass secrets=['STRIPE_KEY']")
    seen: set[str] = set()
    for name in names:
        if not isinstance(name, str) or not _SETTING.match(name):
            raise ConfigurationError(f"secret name {name!r} is not an app setting name", field="secrets",
                                     path=component_id, fix="use letters, digits and '_', e.g. 'STRIPE_KEY'")
        if name.upper() in seen:
            raise ConfigurationError(f"secret {name!r} is listed twice", field="secrets", path=component_id,
                                     fix="list each secret once")
        seen.add(name.upper())
    return tuple(names)
