"""The ``atakora`` command line (click + rich)."""

from .main import app, main

__all__ = ["app", "main"]
