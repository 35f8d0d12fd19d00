"""Checks shared by the network constructs."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Sequence
from typing import Any

from ...core.expressions import Expr
from ...core.resource import Resource
from ...errors import ConfigurationError

__all__ = ["as_list", "check_cidr", "check_fqdn", "id_ref"]

IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
_FQDN = re.compile(r"^(?=.{1,253}$)([a-zA-Z0-9_]([a-zA-Z0-9\-_]{0,61}[a-zA-Z0-9_])?\.)+[a-zA-Z]{2,63}$")


def check_cidr(value: str | Expr, *, field: str, path: str) -> IpNetwork | None:
    """Parse a CIDR block (``10.0.0.0/16``); expressions pass (None). Host bits must be zero."""
    if isinstance(value, Expr):
        return None
    try:
        return ipaddress.ip_network(value, strict=True)
    except ValueError as exc:
        raise ConfigurationError(f"{field} {value!r} is not a CIDR block ({exc})", field=field, path=path,
                                 fix="use a network address with a prefix length, e.g. '10.0.1.0/24'") from None


def check_fqdn(value: str | Expr, *, field: str, path: str) -> None:
    """Raise unless ``value`` is a host name such as ``app.example.com`` (no scheme, path or port)."""
    if isinstance(value, Expr):
        return
    if not isinstance(value, str) or not _FQDN.match(value):
        raise ConfigurationError(f"{field} {value!r} is not a host name", field=field, path=path,
                                 fix="give the bare DNS name, e.g. 'app.example.com' (no 'https://', path or port)")


def as_list(value: str | Expr | Sequence[str | Expr] | None) -> list[str | Expr]:
    """One value or a sequence of values as a list (None: empty)."""
    if value is None:
        return []
    if isinstance(value, (str, Expr)):
        return [value]
    return list(value)


def id_ref(target: Resource | Expr) -> dict[str, Any]:
    """``{"id": ...}`` for a resource of this assembly or a resource id expression."""
    return {"id": target.resource_id if isinstance(target, Resource) else target}
