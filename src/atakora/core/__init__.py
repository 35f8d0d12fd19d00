"""Core: construct tree, App and stacks, resources, ARM expressions, naming rules, synthesis."""

from .app import App
from .assets import Asset
from .construct import Construct, Node
from .expressions import Expr
from .resource import ArmResource, Resource
from .stack import Output, Parameter, ResourceGroupStack, Stack, SubscriptionStack, Variable
from .synthesis import CloudAssembly

__all__ = [
    "App",
    "ArmResource",
    "Asset",
    "CloudAssembly",
    "Construct",
    "Expr",
    "Node",
    "Output",
    "Parameter",
    "Resource",
    "ResourceGroupStack",
    "Stack",
    "SubscriptionStack",
    "Variable",
]
