"""Synthesis in fixed phases: prepare → validate → render → limits → write."""

from .assembly import CloudAssembly, DeploymentUnit
from .render import render_stack
from .synthesizer import synthesize

__all__ = ["CloudAssembly", "DeploymentUnit", "render_stack", "synthesize"]
