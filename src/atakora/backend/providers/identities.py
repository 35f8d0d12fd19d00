"""Per-component user-assigned identities in a shared Function App (design §10).

Every component whose code runs in a shared Function App gets its own user-assigned managed
identity, attached to the app; its data-plane roles are granted to that identity alone, and its
code finds the identity's client id in the namespaced app setting ``{PREFIX}_AZURE_CLIENT_ID``.
The app's system-assigned identity keeps only the host's own needs (host storage, monitoring).
With the backend option ``identity='shared'`` all components of a backend use one identity.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from ...core.construct import Construct
from ...core.grants import Grant
from ...resources.managedidentity import UserAssignedIdentity
from ...runtime.credentials import client_id_setting
from ..tags import shared_resource_tags

if TYPE_CHECKING:
    from ...resources.web import FunctionApp
    from ..naming import NamingConvention

__all__ = ["SHARED_IDENTITY", "ComponentIdentities", "ComponentIdentity", "IdentityMode"]

IdentityMode = Literal["per-component", "shared"]
SHARED_IDENTITY = "shared"
"""The key of the backend's one identity under ``identity='shared'``."""


class ComponentIdentity(UserAssignedIdentity):
    """A user-assigned identity that knows the components using it (one, or all under 'shared')."""

    def __init__(self, scope: Construct, id: str, *, name: str, tags: Mapping[str, str]) -> None:
        super().__init__(scope, id, name=name, tags=tags)
        self.component_ids: tuple[str, ...] = ()


@dataclass
class ComponentIdentities:
    """Creates (once per backend) and attaches the identity each component of one app uses."""

    scope: Construct
    site: FunctionApp
    naming: NamingConvention
    backend_id: str
    tags: Mapping[str, str]
    mode: IdentityMode = "per-component"
    attached: dict[str, ComponentIdentity] = field(default_factory=dict)
    _without_components: dict[str, str] | None = field(default=None, init=False, repr=False)

    def for_component(self, component_id: str, settings_prefix: str) -> ComponentIdentity:
        """The component's identity, attached to the app, with its client id in ``{PREFIX}_AZURE_CLIENT_ID``."""
        if component_id in self.attached:
            return self.attached[component_id]
        key = SHARED_IDENTITY if self.mode == "shared" else component_id
        construct_id = f"Identity-{_safe(key)}"
        existing = self.scope.node.try_find_child(construct_id)
        tags = dict(self.tags) if self.mode == "shared" else shared_resource_tags(self._base_tags(), [component_id])
        identity = existing if isinstance(existing, ComponentIdentity) else ComponentIdentity(
            self.scope, construct_id, tags=tags,
            name=self.naming.format_resource_name("identity", self.backend_id, _suffix(key)))
        identity.component_ids = (*identity.component_ids, component_id)
        self.site.add_user_assigned_identity(identity)
        self.site.add_app_setting(client_id_setting(settings_prefix), identity.client_id)
        self.attached[component_id] = identity
        return identity


    def _base_tags(self) -> dict[str, str]:
        """The app's tags without its component list, once per app (each identity gets its own)."""
        if self._without_components is None:
            self._without_components = {k: v for k, v in self.tags.items() if k != "atakora-components"}
        return self._without_components


_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")
_WORD_START = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_NOT_LOWER_ALNUM = re.compile(r"[^a-z0-9]+")


def _safe(key: str) -> str:
    return _UNSAFE.sub("-", key)


def _suffix(key: str) -> str:
    spaced = _WORD_START.sub("-", key)
    return _NOT_LOWER_ALNUM.sub("-", spaced.lower()).strip("-") or "component"


def access_summary(scope: Construct, mode: IdentityMode) -> dict[str, object]:
    """Identities under ``scope`` and the roles each holds: ``{mode, identities, roles, components}``."""
    identities = [c for c in scope.node.find_all() if isinstance(c, ComponentIdentity)]
    roles: dict[str, int] = {i.node.path: 0 for i in identities}
    for construct in scope.node.find_all():
        grant = getattr(construct, "grant", None)
        if isinstance(grant, Grant) and grant.principal is not None and grant.principal.node.path in roles:
            roles[grant.principal.node.path] += 1
    components = {component: roles[i.node.path] for i in identities for component in i.component_ids}
    return {"mode": mode, "identities": len(identities), "roles": sum(roles.values()),
            "components": dict(sorted(components.items()))}
