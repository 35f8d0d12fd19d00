"""Components (L3): CrudApi, FunctionsApp, StaticSite, StaticSiteWithCdn and MessageQueue.

Each works in a backend (``Component.define(id, ...)``) or on its own (``Component(scope, id, ...)``).
Each component's module is loaded on first use of its name, so a program that uses only CrudApis
never imports the CDN, Service Bus or static site code; the code generator that packages Function
Apps is registered on import.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_attributes
from . import codegen as _codegen  # noqa: F401 - registers the Function App package builder with the backend

if TYPE_CHECKING:
    from .crud_api import CrudApi
    from .functions_app import FunctionsApp
    from .message_queue import MessageQueue
    from .static_site import StaticSite
    from .static_site_cdn import StaticSiteWithCdn

_MODULES = {
    "CrudApi": ".crud_api",
    "FunctionsApp": ".functions_app",
    "MessageQueue": ".message_queue",
    "StaticSite": ".static_site",
    "StaticSiteWithCdn": ".static_site_cdn",
}


__getattr__ = lazy_attributes(__name__, _MODULES)


def __dir__() -> list[str]:
    return sorted({*globals(), *_MODULES})


__all__ = ["CrudApi", "FunctionsApp", "MessageQueue", "StaticSite", "StaticSiteWithCdn"]
