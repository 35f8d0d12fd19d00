"""Components (L3): CrudApi and FunctionsApp, usable in a backend or on their own."""

from .crud_api import CrudApi
from .functions_app import FunctionsApp

__all__ = ["CrudApi", "FunctionsApp"]
