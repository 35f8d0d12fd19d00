"""App Service Authentication ("Easy Auth") of a site: ``Microsoft.Web/sites/config`` named ``authsettingsV2``.

Microsoft Entra ID validates bearer tokens in front of the app: no client secret is configured,
so the platform only validates tokens (it never signs users in or calls other APIs for them);
unauthenticated requests are answered 401, except on ``excluded_paths`` (health probes). The
validated caller reaches the code in ``X-MS-CLIENT-PRINCIPAL``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from ..core.resource import Resource
from ..errors import ConfigurationError
from ._common import child_path

__all__ = ["API_VERSIONS", "ENTRA_LOGIN", "EntraAuthSettings", "entra_issuer", "is_guid"]

API_VERSIONS: dict[str, str] = {"Microsoft.Web/sites/config": "2024-11-01"}
ENTRA_LOGIN = "https://login.microsoftonline.com"
MULTI_TENANT_ISSUER = f"{ENTRA_LOGIN}/organizations/v2.0"
_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def is_guid(value: object) -> bool:
    """True for a GUID such as a tenant or client id."""
    return isinstance(value, str) and bool(_GUID.match(value))


def entra_issuer(tenant_id: str, allowed_tenants: Sequence[str] = ()) -> str:
    """The OpenID issuer: the app's tenant (v2.0 endpoint), or ``organizations`` when other tenants may call.

    App Service does not check which tenant a multi-tenant token comes from; the generated code
    enforces ``allowed_tenants`` on the ``tid`` claim.
    """
    others = [t for t in allowed_tenants if t.lower() != tenant_id.lower()]  # '*': any directory
    return MULTI_TENANT_ISSUER if others else f"{ENTRA_LOGIN}/{tenant_id}/v2.0"


class EntraAuthSettings(Resource):
    """Require a Microsoft Entra ID token on every request of ``site`` (401 otherwise).

    ``client_id``: the app registration of the API; ``tenant_id``: its directory;
    ``allowed_tenants`` (default: only ``tenant_id``) switches to the multi-tenant issuer when it
    names others (``'*'``: any directory); ``allowed_audiences`` default to ``api://<client_id>`` and ``<client_id>``;
    ``allowed_client_applications`` (default: any) restricts the calling apps (``azp``/``appid``);
    ``excluded_paths`` are served without a token (health routes, a public OpenAPI document).
    """

    TYPE = "Microsoft.Web/sites/config"
    API_VERSION = API_VERSIONS[TYPE]

    def __init__(self, site: Resource, id: str = "AuthSettings", *, tenant_id: str, client_id: str,
                 allowed_tenants: Sequence[str] = (), allowed_audiences: Sequence[str] = (),
                 allowed_client_applications: Sequence[str] = (), excluded_paths: Sequence[str] = ()) -> None:
        path = child_path(site, id)
        for field, value in (("tenant_id", tenant_id), ("client_id", client_id)):
            if not is_guid(value):
                raise ConfigurationError(f"{field} {value!r} is not a GUID", field=field, path=path,
                                         fix=f"copy the {field.replace('_', ' ')} (a GUID) from the app registration's "
                                         "Overview page in the Microsoft Entra admin center")
        for field, values in (("allowed_tenants", allowed_tenants),
                              ("allowed_client_applications", allowed_client_applications)):
            bad = [v for v in values if not is_guid(v) and not (field == "allowed_tenants" and v == "*")]
            if bad:
                raise ConfigurationError(f"{field} holds values that are not GUIDs: {bad}", field=field, path=path,
                                         fix="list tenant or application (client) ids, which are GUIDs")
        bad_paths = [p for p in excluded_paths if not isinstance(p, str) or not p.startswith("/")]
        if bad_paths:
            raise ConfigurationError(f"excluded_paths {bad_paths} must start with '/'", field="excluded_paths",
                                     path=path, fix="use paths such as '/api/openapi.json'")
        self.tenant_id = tenant_id
        self.client_id = client_id
        self.allowed_tenants = tuple(allowed_tenants)
        self.allowed_audiences = tuple(allowed_audiences) or (f"api://{client_id}", client_id)
        self.allowed_client_applications = tuple(allowed_client_applications)
        self.excluded_paths = tuple(dict.fromkeys(excluded_paths))
        super().__init__(site, id, name="authsettingsV2")

    def render_properties(self) -> dict[str, Any]:
        """The ``authsettingsV2`` properties."""
        validation: dict[str, Any] = {"allowedAudiences": list(self.allowed_audiences)}
        if self.allowed_client_applications:
            validation["jwtClaimChecks"] = {"allowedClientApplications": list(self.allowed_client_applications)}
        global_validation: dict[str, Any] = {"requireAuthentication": True, "unauthenticatedClientAction": "Return401"}
        if self.excluded_paths:
            global_validation["excludedPaths"] = list(self.excluded_paths)
        return {
            "platform": {"enabled": True},
            "globalValidation": global_validation,
            "httpSettings": {"requireHttps": True},
            "identityProviders": {"azureActiveDirectory": {
                "enabled": True,
                "registration": {"clientId": self.client_id,
                                 "openIdIssuer": entra_issuer(self.tenant_id, self.allowed_tenants)},
                "validation": validation,
            }},
            "login": {"tokenStore": {"enabled": False}},
        }
