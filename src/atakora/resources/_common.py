"""Small helpers shared by the typed resource modules: checks that name the field and the fix."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any, TypeVar

from ..core.construct import Construct
from ..core.expressions import Expr
from ..core.resource import Resource
from ..errors import ConfigurationError

__all__ = ["child_path", "identity_block", "require_one_of", "require_range", "require_value", "resource_ref",
           "resource_refs"]

R = TypeVar("R", bound=Resource)


def child_path(scope: Construct, id: str) -> str:
    """The path a construct with ``id`` will have under ``scope`` (for errors raised before it exists)."""
    return f"{scope.node.path}/{id}" if scope.node.path else id


def require_one_of(value: Any, allowed: Collection[Any], *, field: str, path: str) -> None:
    """Raise ConfigurationError unless ``value`` is one of ``allowed`` (expressions pass)."""
    if isinstance(value, Expr) or value in allowed:
        return
    choices = ", ".join(repr(a) for a in allowed)
    raise ConfigurationError(f"{field} is {value!r}, which is not allowed", field=field, path=path,
                             fix=f"use one of {choices}")


def require_range(value: float | None, *, field: str, path: str, minimum: float | None = None,
                  maximum: float | None = None) -> None:
    """Raise ConfigurationError unless ``minimum <= value <= maximum`` (None passes)."""
    if value is None or isinstance(value, Expr):
        return
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ConfigurationError(f"{field} must be a number, not {value!r}", field=field, path=path)
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        low = "" if minimum is None else f"at least {minimum}"
        high = "" if maximum is None else f"at most {maximum}"
        bounds = " and ".join(b for b in (low, high) if b)
        raise ConfigurationError(f"{field} is {value}, but must be {bounds}", field=field, path=path,
                                 fix=f"set {field} to a value {bounds}")


def require_value(value: Any, *, field: str, path: str, fix: str = "") -> None:
    """Raise ConfigurationError when a required value is missing or empty."""
    if value is None or (isinstance(value, (str, list, tuple, dict)) and not value):
        raise ConfigurationError(f"{field} is required", field=field, path=path, fix=fix or f"pass {field}=...")


def identity_block(*, system_assigned: bool, user_assigned: Sequence[Resource | Expr] = ()) -> dict[str, Any] | None:
    """The ``identity`` member for managed identities (system-assigned, user-assigned, or both)."""
    if not system_assigned and not user_assigned:
        return None
    kinds = (["SystemAssigned"] if system_assigned else []) + (["UserAssigned"] if user_assigned else [])
    block: dict[str, Any] = {"type": ", ".join(kinds)}
    for identity in user_assigned:
        if not isinstance(identity, (Resource, Expr)):
            raise ConfigurationError(
                f"a user-assigned identity must be the identity construct or its id expression, not "
                f"{type(identity).__name__}", field="user_assigned_identities",
                fix="pass UserAssignedIdentity constructs (or their resource_id)")
    if user_assigned:
        block["userAssignedIdentities"] = {_id_key(u): {} for u in user_assigned}
    return block


def _id_key(identity: Resource | Expr) -> Any:
    # Mapping keys must be strings in JSON; ARM accepts an expression string as the key.
    return identity.resource_id if isinstance(identity, Resource) else identity


def resource_ref(value: Any, kind: type[R], *, field: str, path: str) -> R | Expr:
    """``value`` checked as a reference to a ``kind`` resource: the construct or an id expression.

    What a backend shares (``backend.get_resource(...)``'s construct, or the wrapper a provider returns)
    is unwrapped to its resource. Anything else is a ConfigurationError naming the field.
    """
    if isinstance(value, (kind, Expr)):
        return value
    primary = getattr(value, "primary_resource", None)
    if isinstance(primary, kind):
        return primary
    wanted = "a resource" if kind is Resource else f"a {kind.__name__}"
    shown = f"{type(value).__name__} {value!r}" if isinstance(value, (str, int, float)) else type(value).__name__
    raise ConfigurationError(
        f"{field} must be {wanted} construct or its id as an expression, not {shown}", field=field, path=path,
        fix=f"pass the {'resource' if kind is Resource else kind.__name__} itself (a backend's shared one is "
            "backend.get_resource('<type>')), or an expression such as resource.resource_id")


def resource_refs(values: Sequence[Any], kind: type[R], *, field: str, path: str) -> list[R | Expr]:
    """Each of ``values`` checked with :func:`resource_ref`."""
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
        raise ConfigurationError(f"{field} must be a list of resources, not {type(values).__name__}",
                                 field=field, path=path, fix=f"pass {field}=[resource, ...]")
    return [resource_ref(v, kind, field=field, path=path) for v in values]
