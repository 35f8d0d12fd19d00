"""What a role assignment grants, as facts for reports (the plan's diagram, access summaries)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .resource import Resource

__all__ = ["Grant"]


@dataclass(frozen=True)
class Grant:
    """The access a role assignment gives: a role's display name, to a principal, on a target.

    ``principal`` is the resource whose identity holds the role (None for an object id given as a
    value); ``target`` is the resource the role covers (None for a whole resource group or subscription).
    """

    role: str
    principal: Resource | None
    target: Resource | None
    within: str | None = None
    """What the role covers inside ``target`` when that is no resource of its own (a Key Vault secret's name)."""
