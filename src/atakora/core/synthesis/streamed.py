"""Artifacts written piece by piece as they are made: JSON (plan.json, components.json) and text (diagram.mmd).

A producer returns :class:`JsonData`; when synthesis writes, the readable JSON text goes into the staging
directory piece by piece, each piece checked for tokens and encoded on its own, so with lazy members
(:class:`~atakora.core.synthesis.indented.LazyList`, ``LazyDict``) the document never exists whole, as
Python objects or as text. The assembly then holds a :class:`~atakora.core.synthesis.assembly.JsonFile`
that reads the file back. Without staging (``write=False``) the data is serialized in memory once.
:class:`TextPieces` does the same for text a producer writes in pieces (the assembly then holds a
:class:`~atakora.core.synthesis.assembly.TextFile`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from ..tokens import MARKER, check_no_tokens
from .assembly import JsonFile, TextFile
from .writer import dump_json, write_json

if TYPE_CHECKING:
    from ..tokens import TokenRegistry
    from .writer import Staging

__all__ = ["JsonData", "TextPieces"]


class JsonData:
    """JSON data an artifact producer returns to have it written as readable JSON (``dump_json``) piece by piece.

    ``plain`` makes the same data without lazy members (default: ``data`` as it is): what the artifact
    becomes when ``data`` cannot be written as JSON, so that the error is raised where any artifact's is.
    """

    __slots__ = ("_plain", "data")

    def __init__(self, data: Any, plain: Callable[[], Any] | None = None) -> None:
        self.data = data
        self._plain = plain

    def plain(self) -> Any:
        """The data without lazy members, to fail when written (the lazy members are made only once)."""
        return self._plain() if self._plain is not None else self.data

    def in_memory(self) -> Any:
        """The data as the bytes of its file, serialized once; data JSON cannot hold as :meth:`plain` gives it."""
        try:
            return JsonFile(dump_json(self.data))
        except (TypeError, ValueError):
            return self.plain()

    def stage(self, name: str, staging: Staging, tokens: TokenRegistry | None) -> Any:
        """Write the file ``name`` into ``staging`` piece by piece, refusing a token in any piece, and give the
        :class:`JsonFile` that reads it back; data JSON cannot hold leaves no file and gives :meth:`plain`."""

        try:
            staging.add_pieces(name, lambda write: write_json(self.data, _checked(write, name, tokens)))
        except (TypeError, ValueError):
            return self.plain()
        return JsonFile(partial(staging.read, name))


class TextPieces:
    """Text an artifact producer writes in pieces: ``write(put)`` hands each piece to ``put``, in order, and
    no piece ends inside a token (``${...}``), as when each ends a line."""

    __slots__ = ("_write",)

    def __init__(self, write: Callable[[Callable[[str], object]], None]) -> None:
        self._write = write

    def text(self) -> str:
        """The whole text, joined in memory."""
        pieces: list[str] = []
        self._write(pieces.append)
        return "".join(pieces)

    def stage(self, name: str, staging: Staging, tokens: TokenRegistry | None) -> TextFile:
        """Write the file ``name`` into ``staging`` piece by piece, refusing a token in any piece, and give the
        :class:`TextFile` that reads it back."""

        staging.add_pieces(name, lambda write: self._write(_checked(write, name, tokens)))
        return TextFile(partial(staging.read, name))


def _checked(write: Callable[[bytes], object], name: str, tokens: TokenRegistry | None) -> Callable[[str], None]:
    """``write`` for text pieces: each encoded, refused when it holds a token (no piece ends inside one)."""

    def piece(text: str) -> None:
        if MARKER in text:
            check_no_tokens(text, tokens, where=name)
        write(text.encode())

    return piece
