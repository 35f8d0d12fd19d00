"""File system tests on paths users give: a path no file system can name is simply not there."""

from __future__ import annotations

from pathlib import Path

__all__ = ["absolute", "is_directory", "is_file"]


def is_directory(path: Path) -> bool:
    """``path.is_dir()``, False for a path that cannot name a file (too long, a NUL or unpaired surrogate)."""
    try:
        return path.is_dir()
    except (OSError, ValueError):  # ENAMETOOLONG, ELOOP; "embedded null byte"; UnicodeEncodeError
        return False


def is_file(path: Path) -> bool:
    """``path.is_file()``, False for a path that cannot name a file (as :func:`is_directory`)."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def absolute(path: Path) -> Path:
    """``path`` made absolute for a message (as given when it cannot be resolved)."""
    try:
        return path.resolve()
    except (OSError, ValueError, RuntimeError):
        return path
