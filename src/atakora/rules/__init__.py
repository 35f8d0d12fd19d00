"""Preflight rules: Azure's deploy-time constraints and your own policies, checked before anything is written.

A rule is a pure check over the rendered assembly (templates, manifest, plan.json) with an id, a
severity and the Azure documentation it rests on. Synthesis runs every built-in rule and the App's
own rules after rendering: an ``error`` finding stops the write, ``warning`` findings are reported by
``atakora synth``, ``plan`` and ``validate``. Suppress one rule on one resource with a written
reason (``app.suppress_rule(...)``); the suppression is recorded in ``manifest.json``.

Adding a built-in rule: write a check in the module of its namespace (``rules/cosmos.py``,
``rules/web.py``, …) under ``@builtin(id, severity, title=..., docs=...)``, and a failing and a
passing test in ``tests/rules``.
"""

from __future__ import annotations

from ._engine import PreflightError, PreflightReport, run_rules
from ._model import (
    AssemblyView,
    Check,
    Finding,
    ResourceView,
    Rule,
    Severity,
    Suppression,
    UnitView,
    Violation,
    parse_resource_ref,
)
from ._registry import builtin, registered_rules, rule

__all__ = [
    "AssemblyView",
    "Check",
    "Finding",
    "PreflightError",
    "PreflightReport",
    "ResourceView",
    "Rule",
    "Severity",
    "Suppression",
    "UnitView",
    "Violation",
    "builtin",
    "parse_resource_ref",
    "registered_rules",
    "rule",
    "run_rules",
]
