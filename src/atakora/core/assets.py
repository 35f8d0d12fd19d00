"""File assets (function app packages) written content-addressed under ``assets/``."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

from ..errors import ConstructError
from .construct import Construct
from .stack import Stack

if TYPE_CHECKING:
    from .synthesis.writer import Staging

__all__ = ["Asset", "AssetFiles"]


class Asset(Construct):
    """Bytes that deploy with a stack, for example a zipped function app package.

    ``destination`` tells the deploy step where the file goes (for example a storage account and
    blob container); it is copied to the manifest as it is. ``data`` may be given as the pieces it joins (a
    function package whose runtime files are the same objects in every package): the asset keeps those.
    """

    def __init__(self, scope: Construct, id: str, *, data: bytes | Sequence[bytes], extension: str = "zip",
                 kind: str = "function-package", destination: Mapping[str, Any] | None = None) -> None:
        super().__init__(scope, id)
        stack = self.node.find_ancestor(Stack)
        if stack is None:
            raise ConstructError("an asset must be created inside a stack", path=self.node.path)
        self.stack = stack
        self.pieces: tuple[bytes, ...] = (data,) if isinstance(data, bytes) else tuple(data)
        self.kind = kind
        digest = hashlib.sha256()
        for piece in self.pieces:
            digest.update(piece)
        self.sha256 = digest.hexdigest()
        self.size = sum(len(piece) for piece in self.pieces)
        self.file_name = f"{self.sha256}.{extension}"
        self.destination: dict[str, Any] = dict(destination or {})
        staging = getattr(stack.app, "staging", None)
        if staging is not None:  # made during a written synthesis (prepare phase): written at once
            self.stage(staging)

    _read: Callable[[], bytes] | None = None
    """Where the bytes are once written into a staging directory (None: in ``pieces``)."""

    @property
    def data(self) -> bytes:
        """The asset's bytes (joined from its pieces, or read from the file written, when read)."""
        return self._read() if self._read is not None else b"".join(self.pieces)

    def stage(self, staging: Staging) -> None:
        """Write the asset's file into ``staging`` and read it from there from now on, letting its bytes go (they
        are read back if ``staging`` is discarded)."""
        if self._read is not None:
            return
        staging.add_pieces(self.path, partial(_write_all, self.pieces))
        self._read, self.pieces = partial(staging.read, self.path), ()
        staging.before_discard(self._take_back)

    def _take_back(self) -> None:
        """Hold the bytes again, read from the staged file before it goes."""
        if self._read is not None:
            try:
                self.pieces, self._read = (self._read(),), None
            except OSError:  # the staging directory is unreadable: the error that discards it is the one to report
                pass

    @property
    def path(self) -> str:
        """The asset's path inside the cloud assembly."""
        return f"assets/{self.file_name}"

    def manifest_entry(self) -> dict[str, Any]:
        """How the manifest describes this asset."""
        return {"id": self.node.path, "kind": self.kind, "path": self.path, "sha256": self.sha256,
                "size": self.size, "destination": self.destination}


def _write_all(pieces: Iterable[bytes], write: Callable[[bytes], object]) -> None:
    for piece in pieces:
        write(piece)


class AssetFiles(Mapping[str, bytes]):
    """Asset files by their path in the assembly, each asset's bytes joined only when read (one at a time)."""

    def __init__(self, assets: Iterable[Asset]) -> None:
        self._assets = {asset.path: asset for asset in assets}

    def __getitem__(self, path: str) -> bytes:
        return self._assets[path].data

    def __iter__(self) -> Iterator[str]:
        return iter(self._assets)

    def __len__(self) -> int:
        return len(self._assets)
