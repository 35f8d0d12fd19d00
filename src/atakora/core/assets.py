"""File assets (function app packages) written content-addressed under ``assets/``."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from ..errors import ConstructError
from .construct import Construct
from .stack import Stack

__all__ = ["Asset"]


class Asset(Construct):
    """Bytes that deploy with a stack, for example a zipped function app package.

    ``destination`` tells the deploy step where the file goes (for example a storage account and
    blob container); it is copied to the manifest as it is.
    """

    def __init__(self, scope: Construct, id: str, *, data: bytes, extension: str = "zip",
                 kind: str = "function-package", destination: Mapping[str, Any] | None = None) -> None:
        super().__init__(scope, id)
        stack = self.node.find_ancestor(Stack)
        if stack is None:
            raise ConstructError("an asset must be created inside a stack", path=self.node.path)
        self.stack = stack
        self.data = data
        self.kind = kind
        self.sha256 = hashlib.sha256(data).hexdigest()
        self.file_name = f"{self.sha256}.{extension}"
        self.destination: dict[str, Any] = dict(destination or {})

    @property
    def path(self) -> str:
        """The asset's path inside the cloud assembly."""
        return f"assets/{self.file_name}"

    def manifest_entry(self) -> dict[str, Any]:
        """How the manifest describes this asset."""
        return {"id": self.node.path, "kind": self.kind, "path": self.path, "sha256": self.sha256,
                "size": len(self.data), "destination": self.destination}
