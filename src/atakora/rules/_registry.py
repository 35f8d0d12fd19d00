"""The registry of built-in rules and the decorators that make a rule out of a check function."""

from __future__ import annotations

from collections.abc import Callable

from ._model import Check, Rule, Severity

__all__ = ["builtin", "registered_rules", "rule"]

_BUILTIN: dict[str, Rule] = {}


def rule(rule_id: str, severity: Severity, *, title: str, docs: str) -> Callable[[Check], Rule]:
    """Make a :class:`Rule` of a check function (for your own rules; pass them to ``App(rules=...)``)::

        @rule("ACME-TAGS-001", "error", title="every resource has a cost-center tag", docs="https://wiki/tags")
        def cost_center(assembly: AssemblyView) -> Iterator[Violation]:
            for r in assembly.resources():
                if "cost-center" not in r.body.get("tags", {}):
                    yield Violation(r, "the resource has no cost-center tag", fix="tag it")
    """
    def make(check: Check) -> Rule:
        return Rule(id=rule_id, severity=severity, title=title, docs=docs, check=check)

    return make


def builtin(rule_id: str, severity: Severity, *, title: str, docs: str) -> Callable[[Check], Rule]:
    """Like :func:`rule`, and register the rule as built-in (used by the modules of ``atakora.rules``)."""
    def make(check: Check) -> Rule:
        made = rule(rule_id, severity, title=title, docs=docs)(check)
        if made.id in _BUILTIN:
            raise ValueError(f"built-in rule {made.id} is defined twice")
        _BUILTIN[made.id] = made
        return made

    return make


def registered_rules() -> list[Rule]:
    """Every built-in rule, by id."""
    from . import _builtins  # noqa: F401  (importing the modules registers their rules)

    return [_BUILTIN[k] for k in sorted(_BUILTIN)]
