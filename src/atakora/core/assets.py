"""File assets (function app packages) written content-addressed under ``assets/``."""

from __future__ import annotations

import hashlib
import os
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
    function package whose runtime files are the same objects in every package): the asset keeps those. It
    may also be a function that makes them (a package to build) when synthesis, or a reader, first needs
    them: synthesis may call it in a forked process, which writes the file, so its only effects must be the
    bytes it returns and files it writes into the synthesis' staging directory.
    """

    def __init__(self, scope: Construct, id: str, *,
                 data: bytes | Sequence[bytes] | Callable[[], bytes | Sequence[bytes]], extension: str = "zip",
                 kind: str = "function-package", destination: Mapping[str, Any] | None = None) -> None:
        super().__init__(scope, id)
        stack = self.node.find_ancestor(Stack)
        if stack is None:
            raise ConstructError("an asset must be created inside a stack", path=self.node.path)
        self.stack = stack
        self.kind = kind
        self.extension = extension
        self.destination: dict[str, Any] = dict(destination or {})
        self.pieces: tuple[bytes, ...] = ()
        self._digest: tuple[str, int] | None = None
        self._make: Callable[[], bytes | Sequence[bytes]] | None = None
        if callable(data):
            self._make = data
            return
        self._hold(data)
        staging = getattr(stack.app, "staging", None)
        if staging is not None:  # made during a written synthesis (prepare phase): written at once
            self.stage(staging)

    _read: Callable[[], bytes] | None = None
    """Where the bytes are once written into a staging directory (None: in ``pieces``)."""

    def _hold(self, data: bytes | Sequence[bytes]) -> None:
        self.pieces = (data,) if isinstance(data, bytes) else tuple(data)
        digest = hashlib.sha256()
        for piece in self.pieces:
            digest.update(piece)
        self._digest = (digest.hexdigest(), sum(len(piece) for piece in self.pieces))

    @property
    def made(self) -> bool:
        """False while the bytes are still to be made by the function given as ``data``."""
        return self._make is None or self._file is not None

    def make(self) -> None:
        """Make the bytes with the function given as ``data`` (nothing when made already)."""
        if self._file is not None and not (os.path.isfile(self._file) and self._current()):
            self._file = None  # gone (an earlier synthesis failed) or out of date: made here
        if self._make is not None and self._file is None:
            data = self._make()
            self._make = None
            self._hold(data)

    @property
    def sha256(self) -> str:
        """Hex SHA-256 of the bytes (their address in the assembly)."""
        self.make()
        assert self._digest is not None
        return self._digest[0]

    @property
    def size(self) -> int:
        """The number of bytes."""
        self.make()
        assert self._digest is not None
        return self._digest[1]

    @property
    def file_name(self) -> str:
        """The file's name: its SHA-256 and extension."""
        return f"{self.sha256}.{self.extension}"

    @property
    def data(self) -> bytes:
        """The asset's bytes (joined from its pieces, or read from the file written, when read)."""
        self.make()
        if self._read is None and self._file is not None:
            with open(self._file, "rb") as file:
                self._hold(file.read())
            self._file = self._make = None
        return self._read() if self._read is not None else b"".join(self.pieces)

    _file: str | None = None
    """A file made by another process that holds the bytes (see :meth:`made_elsewhere`)."""

    _current: Callable[[], bool]
    """Whether what the file was made from is still what the bytes are made from (set with ``_file``)."""

    def made_elsewhere(self, path: str, digest: tuple[str, int], current: Callable[[], bool]) -> None:
        """The bytes are made already, by another process, in the file at ``path``: their SHA-256 and size.
        Staging moves the file into the assembly; the bytes are made here instead if the file is gone by then,
        or ``current()`` says what they were made from has changed."""
        self._file, self._digest, self._current = path, digest, current

    def stage(self, staging: Staging) -> None:
        """Write the asset's file into ``staging`` and read it from there from now on, letting its bytes go (they
        are read back if ``staging`` is discarded)."""
        if self._read is not None:
            return
        self.make()
        if self._file is not None:
            staging.adopt(self.path, self._file)
            self._file = self._make = None
        else:
            staging.add_pieces(self.path, partial(_write_all, self.pieces))
        self._written(staging)

    def staged_elsewhere(self, digest: tuple[str, int], staging: Staging) -> None:
        """The bytes are made and written into ``staging`` already, by another process: their SHA-256 and size."""
        if self._read is None:
            self._make, self._digest, self.pieces = None, digest, ()
            self._written(staging)

    def _written(self, staging: Staging) -> None:
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
