"""The error raised by the deploy step."""

from __future__ import annotations

from ..errors import AtakoraError

__all__ = ["DeployError"]


class DeployError(AtakoraError):
    """Deploying a cloud assembly failed; ``stack_id`` names the stack (empty when none applies).

    The message starts with ``[<stack id>]`` when a stack is involved and ends with how to fix it.
    """

    def __init__(self, message: str, *, stack_id: str = "", fix: str = "") -> None:
        self.stack_id = stack_id
        super().__init__(message, path=stack_id, fix=fix)
