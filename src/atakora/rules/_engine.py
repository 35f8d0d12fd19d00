"""Running rules over an assembly: findings, suppressions, and the error that stops a write."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from ..errors import ConfigurationError, SynthesisError
from ._model import AssemblyView, Finding, Rule, Suppression, UnitView, Violation
from ._registry import registered_rules

__all__ = ["PreflightError", "PreflightReport", "run_rules"]


@dataclass(frozen=True)
class PreflightReport:
    """Every finding of one run: active errors and warnings, and the suppressed ones with their reasons."""

    findings: tuple[Finding, ...] = ()
    suppressed: tuple[Finding, ...] = ()

    @property
    def errors(self) -> list[Finding]:
        """Findings of severity error (they stop the write)."""
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        """Findings of severity warning."""
        return [f for f in self.findings if f.severity == "warning"]

    def manifest_entry(self) -> list[dict[str, Any]]:
        """The suppressions as recorded in manifest.json."""
        return [{"rule": f.rule_id, "stack": f.stack, "resource": f.resource, "reason": f.suppressed_reason}
                for f in self.suppressed]


class PreflightError(SynthesisError):
    """A preflight rule of severity error failed: nothing was written. ``report`` has every finding."""

    def __init__(self, report: PreflightReport) -> None:
        self.report = report
        errors = report.errors
        listing = "\n".join(f"  - {f}" for f in errors)
        super().__init__(f"{len(errors)} preflight rule error(s); Azure would reject or break this deployment, "
                         f"so nothing was written:\n{listing}",
                         fix="fix each resource as its finding says, or suppress the rule on that resource with a "
                         "reason (app.suppress_rule(rule_id, resource=..., reason=...))")


def _finding(rule: Rule, violation: Violation, reason: str | None) -> Finding:
    target = violation.resource
    if isinstance(target, UnitView):
        stack, label = target.id, "(template)"
    else:
        stack, label = target.unit.id, target.label
    return Finding(rule_id=rule.id, severity=rule.severity, stack=stack, resource=label, message=violation.problem,
                   fix=violation.fix, docs=rule.docs, suppressed_reason=reason)


def _check_suppressions(assembly: AssemblyView, rules: Sequence[Rule], suppressions: Sequence[Suppression]) -> None:
    if not suppressions:
        return
    known = {r.id for r in rules}
    targets: set[str] = set()
    for unit in assembly.units:
        targets.update((unit.id, unit.stack))
        for resource in unit.resources:
            targets.update((resource.path, resource.name))
    for s in suppressions:
        if s.rule_id not in known:
            raise ConfigurationError(f"suppression of unknown rule {s.rule_id!r} on {s.resource}", field="rule_id",
                                     fix=f"use one of the rule ids: {', '.join(sorted(known))}")
        if s.resource not in targets:
            raise ConfigurationError(f"suppression of {s.rule_id} names {s.resource!r}, which is no resource of the "
                                     "assembly", field="resource",
                                     fix="give the resource's construct path (as findings print it) or its ARM name")


Mapper = Callable[[Callable[[Rule], "_RuleFindings"], list[Rule]], list["_RuleFindings"]]
"""How the built-in rules are run: a ``map`` whose results come in the order of the rules (synthesis shares
them with forked processes, see :func:`atakora.core.synthesis.workers.share`)."""

_RuleFindings = tuple[list[Finding], list[Finding]]
"""One rule's active and suppressed findings."""


def run_rules(assembly: AssemblyView, *, rules: Iterable[Rule] = (), suppressions: Sequence[Suppression] = (),
              include_builtin: bool = True, map_builtin: Mapper | None = None) -> PreflightReport:
    """Run the built-in rules (unless ``include_builtin`` is False) and ``rules`` over ``assembly``.

    A rule id given twice is an error; suppressions must name a known rule and a resource of the assembly.
    ``map_builtin`` runs the built-in rules (which are pure) where it likes, the others run here.
    """
    builtin: list[Rule] = registered_rules() if include_builtin else []
    active = list(builtin)
    for extra in rules:
        if any(r.id == extra.id for r in active):
            raise ConfigurationError(f"rule {extra.id} is added twice (or clashes with a built-in rule)", field="rules",
                                     fix="give your rule its own id, for example with your organization's prefix")
        active.append(extra)
    _check_suppressions(assembly, active, suppressions)
    check = partial(_check, assembly=assembly, suppressions=suppressions)
    results = (map_builtin or _map)(check, builtin) + [check(rule) for rule in active[len(builtin):]]
    findings = [finding for found, _ in results for finding in found]
    suppressed = [finding for _, held in results for finding in held]
    order = {"error": 0, "warning": 1}
    findings.sort(key=lambda f: (order[f.severity], f.stack, f.rule_id, f.resource))
    return PreflightReport(findings=tuple(findings), suppressed=tuple(suppressed))


def _map(check: Callable[[Rule], _RuleFindings], rules: list[Rule]) -> list[_RuleFindings]:
    return [check(rule) for rule in rules]


def _check(rule: Rule, assembly: AssemblyView, suppressions: Sequence[Suppression]) -> _RuleFindings:
    """The findings of ``rule``: those active and those suppressed."""
    findings: list[Finding] = []
    suppressed: list[Finding] = []
    for violation in rule.check(assembly):
        match = next((s for s in suppressions if s.matches(rule.id, violation.resource)), None)
        if match is None:
            findings.append(_finding(rule, violation, None))
        else:
            suppressed.append(_finding(rule, violation, match.reason))
    return findings, suppressed
