"""Tags on every resource a backend creates."""

from __future__ import annotations

from collections.abc import Sequence

from .config import BackendConfig

__all__ = ["backend_tags", "shared_resource_tags"]

_MAX_TAG_VALUE = 256


def backend_tags(config: BackendConfig) -> dict[str, str]:
    """The backend's tags plus ``environment`` and ``managed-by``."""
    return {**config.tags, "environment": config.environment, "managed-by": "atakora"}


def shared_resource_tags(base: dict[str, str], members: Sequence[str]) -> dict[str, str]:
    """``base`` plus ``atakora-components``: the components that use the resource (fits Azure's 256 chars)."""
    listing = ",".join(members)
    if len(listing) > _MAX_TAG_VALUE:
        shown: list[str] = []
        for member in members:
            rest = len(members) - len(shown) - 1
            candidate = ",".join([*shown, member]) + f",+{rest} more"
            if len(candidate) > _MAX_TAG_VALUE:
                break
            shown.append(member)
        listing = ",".join(shown) + f",+{len(members) - len(shown)} more"
    return {**base, "atakora-components": listing}
