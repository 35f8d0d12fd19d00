"""Property-level diff of assemblies, the Azure rules behind each change, and what-if results in that format.

``diff_states(load_state(previous_dir), state_of(assembly))`` lists :class:`ResourceChange` objects:
``create``, ``update``, ``replace`` or ``delete`` with the JSON paths that change, whether data is
lost and why (see :mod:`atakora.diff.rules`).
"""

from __future__ import annotations

from .assembly import OWNERS_FILE, AssemblyState, StackState, diff_states, load_state, state_of
from .changes import MASK, Action, PropertyChange, ResourceChange, diff_resources, mask_value
from .whatif import parse_resource_id, quiet_what_if

__all__ = [
    "MASK",
    "OWNERS_FILE",
    "Action",
    "AssemblyState",
    "PropertyChange",
    "ResourceChange",
    "StackState",
    "diff_resources",
    "diff_states",
    "load_state",
    "mask_value",
    "parse_resource_id",
    "quiet_what_if",
    "state_of",
]
