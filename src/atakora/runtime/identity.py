"""The caller that App Service Authentication (Easy Auth) validated, read from ``X-MS-CLIENT-PRINCIPAL``.

The header holds base64-encoded JSON ``{"auth_typ": str, "claims": [{"typ": str, "val": str}],
"name_typ": str, "role_typ": str}`` (App Service docs, "Work with user identities").  Claim
types pass through the default claim mapping, so a standard claim may appear under its URI
(``http://schemas.microsoft.com/identity/claims/tenantid``) rather than its JWT name (``tid``);
:meth:`Principal.claim` accepts either.  App Service strips client-supplied copies of the
header, so it is trusted only behind Easy Auth (``authentication='entra'``).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

PRINCIPAL_HEADER = "X-MS-CLIENT-PRINCIPAL"
MAX_PRINCIPAL_BYTES = 64 * 1024
ROLE_URI = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role"
NAME_URI = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name"

CLAIM_ALIASES: Mapping[str, tuple[str, ...]] = {
    "tid": ("http://schemas.microsoft.com/identity/claims/tenantid",),
    "oid": ("http://schemas.microsoft.com/identity/claims/objectidentifier",),
    "scp": ("http://schemas.microsoft.com/identity/claims/scope",),
    "sub": ("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier",),
    "upn": ("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn",),
    "email": ("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",),
    "name": (NAME_URI,),
    "roles": ("roles", "role", ROLE_URI),
    "idp": ("http://schemas.microsoft.com/identity/claims/identityprovider",),
}
"""JWT claim name -> the URI forms App Service's claim mapping may use for it."""


class PrincipalError(ValueError):
    """The principal header is malformed (answers 401); the message never repeats the header."""


@dataclass(frozen=True)
class Principal:
    """A validated caller: identity provider, claims in order, and the name and role claim types."""

    auth_type: str
    claims: tuple[tuple[str, str], ...]
    name_type: str = ""
    role_type: str = ""

    def claim_values(self, name: str) -> list[str]:
        """Every value of claim ``name`` (JWT name like ``tid``, or a URI), in header order."""
        if name == "roles":
            return self.roles
        wanted = {name.lower(), *(alias.lower() for alias in CLAIM_ALIASES.get(name, ()))}
        wanted.update(short for short, uris in CLAIM_ALIASES.items() if name.lower() in (u.lower() for u in uris))
        return [value for typ, value in self.claims if typ.lower() in wanted]

    def claim(self, name: str) -> str | None:
        """The first value of claim ``name`` (JWT name or URI form), or None."""
        values = self.claim_values(name)
        return values[0] if values else None

    @property
    def roles(self) -> list[str]:
        """App roles: claims of type ``role_typ`` (or ``roles``/``role``/the role URI)."""
        types = {t.lower() for t in (self.role_type, *CLAIM_ALIASES["roles"]) if t}
        return [value for typ, value in self.claims if typ.lower() in types]

    @property
    def tenant_id(self) -> str | None:
        """The ``tid`` claim."""
        return self.claim("tid")

    @property
    def object_id(self) -> str | None:
        """The ``oid`` claim."""
        return self.claim("oid")

    @property
    def name(self) -> str | None:
        """The claim of type ``name_typ`` (else ``name``)."""
        if self.name_type:
            for typ, value in self.claims:
                if typ.lower() == self.name_type.lower():
                    return value
        return self.claim("name")


def parse_principal(header: str) -> Principal:
    """Decode an ``X-MS-CLIENT-PRINCIPAL`` value; raises PrincipalError when it is malformed."""
    if not isinstance(header, str) or not header.strip():
        raise PrincipalError("the client principal header is empty")
    if len(header) > MAX_PRINCIPAL_BYTES:
        raise PrincipalError("the client principal header is too large")
    text = header.strip()
    try:
        raw = base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_" if ("-" in text or "_" in text) else None,
                               validate=True)
        document = json.loads(raw.decode("utf-8"))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise PrincipalError("the client principal header is not base64-encoded JSON") from None
    if not isinstance(document, dict):
        raise PrincipalError("the client principal must be a JSON object")
    claims = document.get("claims")
    if not isinstance(claims, list):
        raise PrincipalError("the client principal has no claims array")
    parsed: list[tuple[str, str]] = []
    for entry in claims:
        if not isinstance(entry, dict) or not isinstance(entry.get("typ"), str):
            raise PrincipalError("every claim of the client principal needs a string 'typ'")
        value = entry.get("val")
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise PrincipalError("every claim of the client principal needs a string 'val'")
        parsed.append((entry["typ"], str(value)))
    fields = {}
    for key in ("auth_typ", "name_typ", "role_typ"):
        value = document.get(key, "")
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise PrincipalError(f"the client principal's {key} must be a string")
        fields[key] = value
    return Principal(fields["auth_typ"], tuple(parsed), fields["name_typ"], fields["role_typ"])


def principal_from_headers(headers: Mapping[str, str]) -> Principal | None:
    """The principal of a request's headers (names compared case-insensitively), or None when absent."""
    for key, value in headers.items():
        if key.lower() == PRINCIPAL_HEADER.lower():
            return parse_principal(value)
    return None


def encode_principal(
    claims: Mapping[str, str | Sequence[str]] | Iterable[tuple[str, str]] = (),
    *,
    roles: Sequence[str] = (),
    auth_type: str = "aad",
    name_type: str = NAME_URI,
    role_type: str = "roles",
) -> str:
    """Build an ``X-MS-CLIENT-PRINCIPAL`` value as App Service would (for tests and ``atakora dev``).

    ``claims`` maps claim types to a value or values (or is a sequence of ``(typ, val)`` pairs);
    ``roles`` become claims of ``role_type`` (default ``roles``, as Entra ID access tokens carry them).
    """
    pairs: list[tuple[str, str]] = []
    items: Iterable[tuple[str, Any]] = claims.items() if isinstance(claims, Mapping) else claims
    for typ, value in items:
        values = [value] if isinstance(value, str) else list(value)
        pairs.extend((typ, str(v)) for v in values)
    pairs.extend((role_type, role) for role in roles)
    document = {"auth_typ": auth_type, "claims": [{"typ": t, "val": v} for t, v in pairs],
                "name_typ": name_type, "role_typ": role_type}
    return base64.b64encode(json.dumps(document).encode("utf-8")).decode("ascii")


def parse_identity_spec(text: str) -> dict[str, list[str]]:
    """Parse ``tid=tenant-a,oid=u1,roles=Admin+Editor`` (``atakora dev --as``) into claim lists.

    ``roles`` (or ``role``) values are separated by ``+`` or ``|``; other claims may repeat.
    Raises ValueError naming the bad part.
    """
    result: dict[str, list[str]] = {}
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        key, sep, value = part.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not key or not value:
            raise ValueError(f"{part!r} is not claim=value (for example tid=tenant-a,oid=u1,roles=Admin)")
        if key in ("roles", "role"):
            result.setdefault("roles", []).extend(r for r in value.replace("|", "+").split("+") if r)
        else:
            result.setdefault(key, []).append(value)
    if not result:
        raise ValueError("no claims given (for example tid=tenant-a,oid=u1,roles=Admin)")
    return result
