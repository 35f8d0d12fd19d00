"""``atakora dev --as``: act as one Entra ID caller for requests that carry no principal of their own.

Behind App Service Authentication the platform passes the validated caller in
``X-MS-CLIENT-PRINCIPAL``; locally there is no Easy Auth, so tests send that header themselves
and a browser gets the identity given with ``--as tid=tenant-a,oid=u1,roles=Admin``.
"""

from __future__ import annotations

from collections.abc import Mapping

import azure.functions as func

from ..errors import AtakoraError
from ..runtime.identity import PRINCIPAL_HEADER, encode_principal, parse_identity_spec
from ..runtime.local_host import FunctionContainer, LocalHost

__all__ = ["DevHost", "principal_for"]


def principal_for(spec: str) -> str:
    """The ``X-MS-CLIENT-PRINCIPAL`` value for ``--as`` text; raises AtakoraError when it is malformed."""
    try:
        claims = parse_identity_spec(spec)
    except ValueError as error:
        raise AtakoraError(f"--as {spec!r}: {error}", fix="write claims as --as tid=tenant-a,oid=u1,roles=Admin+Editor") \
            from None
    roles = claims.pop("roles", [])
    return encode_principal(claims, roles=roles)


class DevHost(LocalHost):
    """A LocalHost that adds ``principal`` (an encoded X-MS-CLIENT-PRINCIPAL) to requests without one."""

    def __init__(self, *containers: FunctionContainer, route_prefix: str = "api",
                 base_url: str = "http://localhost:7071", principal: str | None = None) -> None:
        super().__init__(*containers, route_prefix=route_prefix, base_url=base_url)
        self.principal = principal

    def dispatch(self, method: str, target: str, *, headers: Mapping[str, str], body: bytes,
                 params: Mapping[str, str] | None = None, base_url: str | None = None) -> func.HttpResponse:
        """As LocalHost.dispatch, with the ``--as`` principal when the request brings none."""
        if self.principal is not None and not any(k.lower() == PRINCIPAL_HEADER.lower() for k in headers):
            headers = {**headers, PRINCIPAL_HEADER: self.principal}
        return super().dispatch(method, target, headers=headers, body=body, params=params, base_url=base_url)
