"""The deployer: every stack of a plan in deploy order, then its assets; the first failure stops the rest."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from .arm import WhatIfChange, deployment_body, ensure_resource_group, run_create, run_validate, run_what_if
from .assets import AssetResult, check_publish_path, deploy_asset
from .blobs import PublishOptions
from .clients import ArmClients, DeploySession
from .errors import DeployError
from .plan import DeployPlan, StackPlan
from .stale_grants import GrantRecord, remove_stale, stale_assignments
from .steps import StepOptions, run_step

__all__ = ["DeployEvent", "DeployMode", "DeployOptions", "DeployResult", "Deployer", "StackResult"]

DeployMode = Literal["deploy", "what-if", "validate"]
StackStatus = Literal["deployed", "validated", "previewed", "failed", "skipped"]


@dataclass(frozen=True)
class DeployOptions:
    """How to deploy.

    ``mode``: ``deploy`` (default; validate, then deploy, then upload assets), ``what-if`` (predict
    changes) or ``validate`` (template validation only); the last two change nothing in Azure.
    ``subscription_id`` is used for stacks whose manifest entry names none (default: none, which is an
    error for such stacks). ``parameters`` are template parameter values by name (default none).
    ``workdir`` is where the printed static-site commands unpack content (default ``./.atakora-deploy``).
    ``check_what_if`` (default False): before deploying a stack whose resource group exists, ask ARM
    what-if and refuse a change that loses data (a replace of a resource holding data) unless
    ``allow_data_loss`` (default False). ``publish`` (default :class:`PublishOptions`): how packages reach
    their storage.
    """

    mode: DeployMode = "deploy"
    subscription_id: str | None = None
    parameters: Mapping[str, Any] = field(default_factory=dict)
    workdir: Path = Path(".atakora-deploy")
    check_what_if: bool = False
    allow_data_loss: bool = False
    publish: PublishOptions = field(default_factory=PublishOptions)
    """How function packages reach their storage (``--from-vnet``, ``--client-ip``)."""
    grant_records: Mapping[str, GrantRecord] = field(default_factory=dict)
    """By stack id: what was last deployed, so role assignments no longer in the program are removed before
    the stack deploys (reported only, in what-if and validate modes); default none."""


@dataclass(frozen=True)
class DeployEvent:
    """Progress: ``stack_id`` entered ``phase`` (``resource-group``, ``validate``, ``what-if``,
    ``role-assignments``, ``deploy``, ``assets``, ``steps``, ``done``, ``failed``, ``skipped``)."""

    stack_id: str
    phase: str
    message: str


@dataclass
class StackResult:
    """The outcome of one stack."""

    stack_id: str
    deployment_name: str
    status: StackStatus
    seconds: float = 0.0
    resource_group_created: bool = False
    changes: list[WhatIfChange] = field(default_factory=list)
    outputs: dict[str, Any] = field(default_factory=dict)
    assets: list[AssetResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    removed_assignments: list[tuple[str, str]] = field(default_factory=list)
    """``(lower-case type, name)`` of the recorded role assignments deleted (or found gone) before deploying."""
    error: DeployError | None = None


@dataclass
class DeployResult:
    """Every stack's outcome in deploy order; ``ok`` when none failed."""

    mode: DeployMode
    stacks: list[StackResult]

    @property
    def ok(self) -> bool:
        """Whether every stack succeeded."""
        return all(s.status not in ("failed", "skipped") for s in self.stacks)

    @property
    def error(self) -> DeployError | None:
        """The error that stopped the run (None when it succeeded)."""
        return next((s.error for s in self.stacks if s.error is not None), None)


class Deployer:
    """Deploys a :class:`DeployPlan` with the clients of ``session``; ``on_event`` (default none) sees progress."""

    def __init__(self, session: DeploySession, *, on_event: Callable[[DeployEvent], None] | None = None,
                 step_options: StepOptions | None = None) -> None:
        self.session = session
        self.on_event = on_event or (lambda event: None)
        self.step_options = step_options or StepOptions()

    def _emit(self, stack: StackPlan, phase: str, message: str) -> None:
        self.on_event(DeployEvent(stack.id, phase, message))

    def subscription_for(self, stack: StackPlan, options: DeployOptions) -> str:
        """The stack's subscription: its own from the manifest, else ``options.subscription_id``."""
        subscription = stack.subscription_id or options.subscription_id
        if not subscription:
            raise DeployError("no Azure subscription id for this stack", stack_id=stack.id,
                              fix="pass --subscription ID or set AZURE_SUBSCRIPTION_ID")
        return subscription

    def run(self, plan: DeployPlan, options: DeployOptions | None = None) -> DeployResult:
        """Deploy (or preview, or validate) every stack of ``plan`` in order.

        Problems found before touching Azure (no subscription, missing parameters) raise
        :class:`DeployError`; a stack that fails in Azure is recorded with its error and the stacks
        after it are skipped.
        """
        options = options or DeployOptions()
        plan.check_parameters(options.parameters)
        for stack in plan.stacks:
            self.subscription_for(stack, options)
            if options.mode == "deploy":
                for asset in stack.assets:
                    check_publish_path(asset, stack, options.publish)
        result = DeployResult(options.mode, [])
        failed = False
        for stack in plan.stacks:
            if failed:
                result.stacks.append(StackResult(stack.id, stack.deployment_name, "skipped",
                                                 notes=["not deployed: an earlier stack failed"]))
                self._emit(stack, "skipped", "skipped because an earlier stack failed")
                continue
            outcome = self._run_stack(stack, options)
            result.stacks.append(outcome)
            failed = outcome.status == "failed"
        return result

    def _run_stack(self, stack: StackPlan, options: DeployOptions) -> StackResult:
        started = time.monotonic()
        outcome = StackResult(stack.id, stack.deployment_name, "failed")
        try:
            self._stack_steps(stack, options, outcome)
        except DeployError as error:
            outcome.status = "failed"
            outcome.error = error
            self._emit(stack, "failed", str(error))
        outcome.seconds = time.monotonic() - started
        return outcome

    def _check_what_if(self, stack: StackPlan, clients: ArmClients, template: Mapping[str, Any],
                       parameters: Mapping[str, Any], options: DeployOptions) -> None:
        """Refuse the deployment when ARM predicts a change that loses data (unless allowed)."""
        from ..diff import quiet_what_if

        self._emit(stack, "what-if", "checking the changes ARM predicts for data loss")
        changes = run_what_if(clients, stack, deployment_body(stack, template, parameters, what_if=True))
        predicted = quiet_what_if(stack.id, [c.raw for c in changes], template_resources=template.get("resources") or [])
        losing = [c for c in predicted if c.data_loss and c.action in ("replace", "delete")]
        if losing and not options.allow_data_loss:
            lines = "\n  ".join(f"{c.action} {c.label}: {c.reason}" for c in losing)
            raise DeployError(f"refusing to deploy: ARM what-if predicts changes that lose data\n  {lines}",
                              stack_id=stack.id, fix="change the program back, or pass --allow-data-loss")

    def _remove_stale_grants(self, stack: StackPlan, clients: ArmClients, record: GrantRecord, outcome: StackResult,
                             *, dry_run: bool) -> None:
        """Delete the recorded role assignments the program no longer has, before the stack creates their
        successors (Azure refuses a second assignment of one role to one principal on one scope)."""
        stale = stale_assignments(record.before, record.after, subscription=clients.subscription_id,
                                  resource_group=stack.resource_group)
        if not stale:
            return
        self._emit(stack, "role-assignments", f"{len(stale)} role assignment(s) no longer in the program")
        for item, line in remove_stale(clients, stale, dry_run=dry_run):
            self._emit(stack, "role-assignments", line)
            outcome.notes.append(line)
            if item.id is not None and not dry_run:
                outcome.removed_assignments.append((item.type.lower(), item.name))

    def _stack_steps(self, stack: StackPlan, options: DeployOptions, outcome: StackResult) -> None:
        clients = self.session.arm(self.subscription_for(stack, options))
        deploying = options.mode == "deploy"
        group_exists = True
        if stack.scope == "resourceGroup":
            self._emit(stack, "resource-group", f"resource group {stack.resource_group}")
            group_exists = ensure_resource_group(clients, stack, create=deploying)
            if not group_exists:
                outcome.resource_group_created = deploying
                outcome.notes.append(f"resource group {stack.resource_group} "
                                     f"{'created' if deploying else 'does not exist yet and would be created'}"
                                     f" in {stack.location}")
        template = stack.template()
        parameters = stack.parameter_values(options.parameters)
        body = deployment_body(stack, template, parameters)
        if not group_exists and not deploying:
            outcome.notes.append("ARM validates and previews a resource-group deployment only once its group "
                                 "exists: nothing more to check for this stack before it is deployed")
            outcome.status = "validated" if options.mode == "validate" else "previewed"
        elif options.mode == "what-if":
            self._emit(stack, "what-if", "predicting changes")
            outcome.changes = run_what_if(clients, stack, deployment_body(stack, template, parameters, what_if=True))
            outcome.status = "previewed"
        else:
            self._emit(stack, "validate", "validating the template")
            run_validate(clients, stack, body)
            outcome.status = "validated"
        if deploying and group_exists and options.check_what_if:
            self._check_what_if(stack, clients, template, parameters, options)
        record = options.grant_records.get(stack.id)
        if record is not None and group_exists:
            self._remove_stale_grants(stack, clients, record, outcome, dry_run=not deploying)
        if deploying:
            self._emit(stack, "deploy", f"deploying {stack.deployment_name}")
            outcome.outputs = run_create(clients, stack, body)
            outcome.status = "deployed"
        for asset in stack.assets:
            self._emit(stack, "assets", f"{asset.kind} {asset.id}")
            outcome.assets.append(deploy_asset(asset, stack, clients, workdir=options.workdir,
                                               dry_run=not deploying, publish=options.publish))
        for step in stack.steps:
            self._emit(stack, "steps", f"{step.kind} {step.id}")
            outcome.assets.append(run_step(step, stack, clients, dry_run=not deploying, options=self.step_options))
        self._emit(stack, "done", outcome.status)
