"""CORS settings of a Function App: ``cors={"allowed_origins": [...], "support_credentials": bool}``.

They render to the site's ``siteConfig.cors`` (``allowedOrigins``, ``supportCredentials``): App
Service then answers preflights itself for every method and request header, so a method list or a
preflight max-age cannot be configured there and is refused rather than ignored.  ``atakora dev``
honours the same settings.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import ConfigurationError

_ORIGIN = re.compile(r"^https?://(\*\.)?[A-Za-z0-9.-]+(:[0-9]{1,5})?$")
_KNOWN = ("allowed_origins", "support_credentials")


@dataclass(frozen=True)
class CorsPolicy:
    """Origins allowed to call the app from a browser (``*`` = any) and whether credentials may be sent."""

    allowed_origins: tuple[str, ...]
    support_credentials: bool = False

    def allows(self, origin: str) -> bool:
        """True when a browser page on ``origin`` may call the app (``https://*.x.com`` covers subdomains)."""
        for allowed in self.allowed_origins:
            if allowed == "*" or allowed.lower() == origin.lower():
                return True
            if "://*." in allowed:
                scheme, rest = allowed.split("://*.", 1)
                other_scheme, _, other_rest = origin.lower().partition("://")
                if other_scheme == scheme.lower() and other_rest.endswith("." + rest.lower()):
                    return True
        return False

    def site_config(self) -> dict[str, Any]:
        """The ``siteConfig.cors`` object."""
        return {"allowedOrigins": list(self.allowed_origins), "supportCredentials": self.support_credentials}

    @classmethod
    def parse(cls, value: Any, *, path: str) -> CorsPolicy | None:
        """Check a ``cors=`` option (None, a mapping or a CorsPolicy); raises ConfigurationError naming ``path``."""
        if value is None or isinstance(value, CorsPolicy):
            return value
        if not isinstance(value, Mapping):
            raise ConfigurationError(
                f"cors must be a mapping, not {type(value).__name__}", field="cors", path=path,
                fix='pass cors={"allowed_origins": ["https://app.example.com"]}',
            )
        unknown = sorted(set(value) - set(_KNOWN))
        if unknown:
            raise ConfigurationError(
                f"cors option(s) {unknown} are not supported; App Service CORS (siteConfig.cors) allows every "
                "method and request header and has no preflight max-age",
                field="cors", path=path, fix=f"use only {list(_KNOWN)}",
            )
        origins = value.get("allowed_origins")
        if isinstance(origins, str) or not isinstance(origins, Sequence) or not origins:
            raise ConfigurationError(
                f"cors allowed_origins must be a non-empty list of origins, not {origins!r}", field="cors",
                path=path, fix='e.g. ["https://app.example.com"] or ["*"]',
            )
        for origin in origins:
            if origin != "*" and (not isinstance(origin, str) or _ORIGIN.match(origin) is None):
                raise ConfigurationError(
                    f"cors origin {origin!r} is not an origin", field="cors", path=path,
                    fix="write scheme://host[:port] without a path, e.g. https://app.example.com, or '*'",
                )
        credentials = value.get("support_credentials", False)
        if not isinstance(credentials, bool):
            raise ConfigurationError(
                "cors support_credentials must be true or false", field="cors", path=path,
                fix="pass support_credentials=True or leave it out",
            )
        if credentials and "*" in origins:
            raise ConfigurationError(
                "cors cannot support credentials for every origin ('*')", field="cors", path=path,
                fix="list the origins explicitly when support_credentials is true",
            )
        return cls(tuple(dict.fromkeys(origins)), credentials)
