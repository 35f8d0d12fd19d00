"""atakora: infrastructure as code for Azure, built around the backend pattern."""

from ._version import __version__
from .core import App, ResourceGroupStack, SubscriptionStack
from .errors import AtakoraError
from .resources import resources as _resources  # noqa: F401  (registers ResourceGroup for subscription stacks)

__all__ = ["App", "AtakoraError", "ResourceGroupStack", "SubscriptionStack", "__version__"]
