"""CORS answered by the generated code, for apps whose ``cors=`` lists ``allowed_methods`` or ``max_age``.

App Service's own CORS (``siteConfig.cors``) allows every method and request header for its
origins, has no preflight max-age, and when it is on, CORS headers from the app have no effect
(https://learn.microsoft.com/azure/app-service/app-service-web-tutorial-rest-api#app-service-cors-vs-your-cors).
So such an app leaves ``siteConfig.cors`` unset and its code answers instead: an ``OPTIONS``
function on every route (:func:`cors_blueprint`) answers preflights with exactly the allowed
methods and the max-age, and the CRUD and OpenAPI handlers add ``Access-Control-Allow-Origin``
(:meth:`CorsRules.response_headers`) to the answers of allowed origins and methods.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import azure.functions as func

HTTP_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
EXPOSED_HEADERS = "ETag, Location, Retry-After"
PREFLIGHT_FUNCTION = "atakora_cors_preflight"


@dataclass(frozen=True)
class CorsRules:
    """Allowed origins (``*`` any, ``https://*.x.com`` subdomains), methods (empty: any), the preflight
    max-age in seconds (None: not sent) and whether credentials may be sent."""

    allowed_origins: tuple[str, ...]
    allowed_methods: tuple[str, ...] = ()
    max_age: int | None = None
    support_credentials: bool = False

    @classmethod
    def of(cls, value: Mapping[str, Any]) -> CorsRules:
        """From the mapping the generated code passes (the fields by name)."""
        return cls(tuple(value["allowed_origins"]), tuple(value.get("allowed_methods", ())),
                   value.get("max_age"), bool(value.get("support_credentials", False)))

    def as_dict(self) -> dict[str, Any]:
        """The fields by name (what :meth:`of` reads)."""
        return {"allowed_origins": self.allowed_origins, "allowed_methods": self.allowed_methods,
                "max_age": self.max_age, "support_credentials": self.support_credentials}

    def allows(self, origin: str) -> bool:
        """True when a page on ``origin`` may call the app."""
        origin = origin.lower()
        for allowed in self.allowed_origins:
            allowed = allowed.lower()
            if allowed in ("*", origin):
                return True
            if "://*." in allowed:
                scheme, rest = allowed.split("://*.", 1)
                other_scheme, _, other_rest = origin.partition("://")
                if other_scheme == scheme and other_rest.endswith("." + rest):
                    return True
        return False

    def allows_method(self, method: str) -> bool:
        """True when ``method`` is allowed (every method when none are listed)."""
        return not self.allowed_methods or method.upper() in self.allowed_methods

    def preflight_headers(self, origin: str | None, method: str | None, requested: str | None) -> dict[str, str]:
        """Headers of the answer to a preflight (none of the CORS ones when origin or method is not allowed)."""
        headers = {"Vary": "Origin"}
        if not origin or not method or not self.allows(origin) or not self.allows_method(method):
            return headers
        headers.update(self._origin_headers(origin))
        headers["Access-Control-Allow-Methods"] = ", ".join(self.allowed_methods) or method.upper()
        if requested:
            headers["Access-Control-Allow-Headers"] = requested
        if self.max_age is not None:
            headers["Access-Control-Max-Age"] = str(self.max_age)
        return headers

    def response_headers(self, origin: str | None, method: str) -> dict[str, str]:
        """CORS headers of an actual response (empty unless origin and method are allowed)."""
        if not origin or not self.allows(origin) or not self.allows_method(method):
            return {}
        return {**self._origin_headers(origin), "Access-Control-Expose-Headers": EXPOSED_HEADERS}

    def _origin_headers(self, origin: str) -> dict[str, str]:
        wildcard = "*" in self.allowed_origins and not self.support_credentials
        headers = {"Access-Control-Allow-Origin": "*" if wildcard else origin}
        if not wildcard:
            headers["Vary"] = "Origin"
        if self.support_credentials:
            headers["Access-Control-Allow-Credentials"] = "true"
        return headers


def add_cors_headers(rules: CorsRules | None, req: func.HttpRequest, response: func.HttpResponse) -> None:
    """Add the CORS headers ``rules`` give ``req`` to ``response`` (nothing without rules)."""
    if rules is None:
        return
    for name, value in rules.response_headers(req.headers.get("Origin"), req.method).items():
        response.headers[name] = value


def cors_blueprint(rules: Mapping[str, Any]) -> func.Blueprint:
    """A Blueprint answering ``OPTIONS`` on every route (anonymous: browsers send no key on a preflight)."""
    import azure.functions as func

    parsed = CorsRules.of(rules)
    bp = func.Blueprint()  # type: ignore[no-untyped-call]

    def preflight(req: func.HttpRequest) -> func.HttpResponse:
        headers = parsed.preflight_headers(req.headers.get("Origin"), req.headers.get("Access-Control-Request-Method"),
                                           req.headers.get("Access-Control-Request-Headers"))
        return func.HttpResponse(status_code=204, headers=headers)

    preflight.__name__ = preflight.__qualname__ = PREFLIGHT_FUNCTION
    bp.function_name(name=PREFLIGHT_FUNCTION)(
        bp.route(route="{*path}", methods=["OPTIONS"], auth_level=func.AuthLevel.ANONYMOUS)(preflight)
    )
    return bp
