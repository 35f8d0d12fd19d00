from __future__ import annotations

from typing import Any

from atakora.rules import AssemblyView, Finding, Rule, run_rules


def template(*resources: dict[str, Any]) -> dict[str, Any]:
    return {"$schema": "x", "contentVersion": "1.0.0.0", "resources": list(resources)}


def findings(rule: Rule, assembly: AssemblyView) -> list[Finding]:
    """The findings of one rule alone."""
    return list(run_rules(assembly, rules=[rule], include_builtin=False).findings)
