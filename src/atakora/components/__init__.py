"""Components (L3): CrudApi, FunctionsApp, StaticSite, StaticSiteWithCdn and MessageQueue.

Each works in a backend (``Component.define(id, ...)``) or on its own (``Component(scope, id, ...)``).
"""

from .crud_api import CrudApi
from .functions_app import FunctionsApp
from .message_queue import MessageQueue
from .static_site import StaticSite
from .static_site_cdn import StaticSiteWithCdn

__all__ = ["CrudApi", "FunctionsApp", "MessageQueue", "StaticSite", "StaticSiteWithCdn"]
