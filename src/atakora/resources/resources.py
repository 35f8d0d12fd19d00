"""Microsoft.Resources: resource groups (subscription scope)."""

from __future__ import annotations

from collections.abc import Mapping

from ..core.construct import Construct
from ..core.resource import Resource

__all__ = ["API_VERSION", "ResourceGroup"]

API_VERSION = "2025-04-01"


class ResourceGroup(Resource):
    """A resource group, created by a subscription-scope stack."""

    TYPE = "Microsoft.Resources/resourceGroups"
    API_VERSION = API_VERSION
    TARGET_SCOPE = "subscription"

    def __init__(self, scope: Construct, id: str, *, name: str, location: str | None = None,
                 tags: Mapping[str, str] | None = None) -> None:
        super().__init__(scope, id, name=name, location=location, tags=tags)
