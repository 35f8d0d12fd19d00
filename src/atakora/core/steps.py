"""Deploy steps: management-plane actions ``atakora deploy`` takes after a deployment unit, with the
deploying user's credential, for settings that no template can hold (for example approving a private
endpoint connection, or giving apps one shared function key). They carry names and ids, never secrets."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..errors import ConstructError
from .construct import Construct
from .resource import Resource
from .stack import Stack

__all__ = ["DeployStep"]


class DeployStep(Construct):
    """One action of kind ``kind`` after the deployment unit that creates the last of ``after`` (and the
    step's nearest resource ancestor); ``details`` (or a function returning them, read at synthesis)
    is what the deploy step needs, copied to the manifest's ``steps`` entry of that unit."""

    def __init__(self, scope: Construct, id: str, *, kind: str,
                 details: Mapping[str, Any] | Callable[[], Mapping[str, Any]], after: list[Resource] | None = None) -> None:
        super().__init__(scope, id)
        stack = self.node.find_ancestor(Stack)
        if stack is None:
            raise ConstructError("a deploy step must be created inside a stack", path=self.node.path)
        self.stack = stack
        self.kind = kind
        self._details = details
        self.after: list[Resource] = after if after is not None else []

    def manifest_entry(self) -> dict[str, Any]:
        """How the manifest describes this step."""
        details = self._details() if callable(self._details) else self._details
        return {"id": self.node.path, "kind": self.kind, **dict(details)}
