"""The modules of built-in rules, one per Azure namespace. Add a module here to register its rules."""

from __future__ import annotations

from . import authorization, cosmos, deploy, monitoring, naming, network, routing, secrets, web  # noqa: F401

__all__: list[str] = []
