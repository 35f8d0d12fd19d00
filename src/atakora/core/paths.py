"""File system tests on paths users give: a path no file system can name is simply not there."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

__all__ = ["absolute", "is_directory", "is_file", "nameable"]


def nameable(text: str) -> bool:
    """A file system could name ``text``: no NUL, no surrogate but the undecodable bytes of a command line."""
    try:
        os.fsencode(text)
    except UnicodeEncodeError:
        return False
    return "\x00" not in text


def _answers(test: Callable[[], bool]) -> bool:
    try:
        return test()
    except (OSError, ValueError):  # ENAMETOOLONG, ELOOP; "embedded null byte"; UnicodeEncodeError
        return False


def is_directory(path: Path) -> bool:
    """``path.is_dir()``, False for a path that cannot name a file (too long, a NUL or unpaired surrogate)."""
    return _answers(path.is_dir)


def is_file(path: Path) -> bool:
    """``path.is_file()``, False for a path that cannot name a file (as :func:`is_directory`)."""
    return _answers(path.is_file)


def absolute(path: Path) -> Path:
    """``path`` made absolute for a message (as given when it cannot be resolved)."""
    try:
        return path.resolve()
    except (OSError, ValueError, RuntimeError):
        return path
