"""CORS settings of a Function App: ``cors={"allowed_origins": [...], "allowed_methods": [...],
"max_age": seconds, "support_credentials": bool}``.

With only origins (and credentials) they render to the site's ``siteConfig.cors``
(``allowedOrigins``, ``supportCredentials``), and App Service answers preflights for every method
and request header.  That platform CORS cannot limit methods or send a max-age, and while it is on,
CORS headers from the app have no effect
(https://learn.microsoft.com/azure/app-service/app-service-web-tutorial-rest-api#app-service-cors-vs-your-cors).
So with ``allowed_methods`` or ``max_age`` the app's generated code answers CORS itself
(:mod:`atakora.runtime.cors`: an ``OPTIONS`` function on every route and the headers on every
answer) and ``siteConfig.cors`` is left unset.  ``atakora dev`` behaves the same way.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import ConfigurationError
from ..runtime.cors import HTTP_METHODS, CorsRules

_ORIGIN = re.compile(r"^https?://(\*\.)?[A-Za-z0-9.-]+(:[0-9]{1,5})?$")
_KNOWN = ("allowed_origins", "allowed_methods", "max_age", "support_credentials")
MAX_AGE_LIMIT = 86400


@dataclass(frozen=True)
class CorsPolicy:
    """Origins allowed to call the app from a browser (``*`` = any), whether credentials may be sent, and
    optionally the allowed methods and the preflight max-age (then the app's code answers CORS)."""

    allowed_origins: tuple[str, ...]
    support_credentials: bool = False
    allowed_methods: tuple[str, ...] = ()
    max_age: int | None = None

    @property
    def handled_by_app(self) -> bool:
        """True when the generated code answers CORS (methods or max-age, which platform CORS lacks)."""
        return bool(self.allowed_methods) or self.max_age is not None

    def rules(self) -> CorsRules:
        """The runtime's form of this policy."""
        return CorsRules(self.allowed_origins, self.allowed_methods, self.max_age, self.support_credentials)

    def allows(self, origin: str) -> bool:
        """True when a browser page on ``origin`` may call the app (``https://*.x.com`` covers subdomains)."""
        return self.rules().allows(origin)

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
                f"cors option(s) {unknown} are not supported", field="cors", path=path,
                fix=f"use only {list(_KNOWN)}",
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
        return cls(tuple(dict.fromkeys(origins)), credentials, _methods(value.get("allowed_methods"), path),
                   _max_age(value.get("max_age"), path))


def _methods(value: Any, path: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str) or not isinstance(value, Sequence) or not value:
        raise ConfigurationError(f"cors allowed_methods must be a non-empty list of HTTP methods, not {value!r}",
                                 field="cors", path=path, fix='e.g. ["GET", "POST"], or leave it out for every method')
    methods = tuple(dict.fromkeys(str(m).upper() for m in value))
    unknown = [m for m in methods if m not in HTTP_METHODS]
    if unknown:
        raise ConfigurationError(f"cors allowed_methods {unknown} are not HTTP methods an API answers",
                                 field="cors", path=path, fix=f"use {', '.join(HTTP_METHODS)}")
    return methods


def _max_age(value: Any, path: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_AGE_LIMIT:
        raise ConfigurationError(f"cors max_age must be 0 to {MAX_AGE_LIMIT} seconds, not {value!r}", field="cors",
                                 path=path, fix="e.g. max_age=3600 (browsers cap it: Chrome at 7200, Firefox at 86400)")
    return value
