"""What to deploy: stacks in deploy order, their templates, parameters and assets, read from a manifest."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from .errors import DeployError

__all__ = [
    "AssetPlan",
    "DeployPlan",
    "ParameterSpec",
    "SecretParameter",
    "StackPlan",
    "StepPlan",
    "coerce_parameter",
    "deployment_name",
    "load_plan",
    "parse_parameter_assignments",
    "read_parameters_file",
]

Scope = Literal["resourceGroup", "subscription"]
_NAME_CHARS = re.compile(r"[^A-Za-z0-9_.()-]")
_MAX_NAME = 64


def deployment_name(stack_id: str) -> str:
    """The ARM deployment name of a stack: ``atakora-<stack id>``, the same on every run.

    Characters ARM does not allow become ``-``; a name over 64 characters is shortened and ends
    with a short hash of the stack id so that two stacks never share a name.
    """
    name = "atakora-" + _NAME_CHARS.sub("-", stack_id)
    if len(name) <= _MAX_NAME:
        return name
    digest = hashlib.sha256(stack_id.encode()).hexdigest()[:8]
    return f"{name[:_MAX_NAME - 9].rstrip('-.')}-{digest}"


@dataclass(frozen=True)
class SecretParameter:
    """A ``securestring`` parameter that holds the first value of a declared Key Vault secret.

    ``atakora deploy`` gives it a value only while the vault lacks the secret; left empty, the
    template does not write the secret (its resource has a condition), so a later value stays.
    """

    parameter: str
    vault: str
    secret: str
    component: str
    name: str
    api_version: str

    @property
    def label(self) -> str:
        """``Component/NAME`` as the program declares it."""
        return f"{self.component}/{self.name}"

    def resource_id(self, subscription_id: str, resource_group: str) -> str:
        """The secret's ARM id (``.../vaults/<vault>/secrets/<name>``)."""
        return (f"/subscriptions/{subscription_id}/resourceGroups/{resource_group}/providers/"
                f"Microsoft.KeyVault/vaults/{self.vault}/secrets/{self.secret}")


@dataclass(frozen=True)
class ParameterSpec:
    """A template parameter as the manifest lists it: ARM type, whether it has no default, and the
    Key Vault secret it creates (if it is a secret's value)."""

    name: str
    type: str
    required: bool
    secret: SecretParameter | None = None


@dataclass(frozen=True)
class AssetPlan:
    """One asset of a stack: a file of the assembly and where the deploy step puts it."""

    id: str
    kind: str
    file: Path
    sha256: str
    size: int
    destination: Mapping[str, Any]

    def read(self) -> bytes:
        """The asset's bytes."""
        return self.file.read_bytes()


@dataclass(frozen=True)
class StepPlan:
    """One deploy step of a stack (see :mod:`atakora.deploy.steps`): its id, kind and details."""

    id: str
    kind: str
    details: Mapping[str, Any]


@dataclass(frozen=True)
class StackPlan:
    """One deployment unit of the assembly, ready to deploy."""

    id: str
    scope: Scope
    location: str
    resource_group: str | None
    subscription_id: str | None
    template_file: Path
    parameters: tuple[ParameterSpec, ...] = ()
    dependencies: tuple[str, ...] = ()
    assets: tuple[AssetPlan, ...] = ()
    steps: tuple[StepPlan, ...] = ()

    @property
    def deployment_name(self) -> str:
        """The stack's ARM deployment name (see :func:`deployment_name`)."""
        return deployment_name(self.id)

    @property
    def secrets(self) -> tuple[SecretParameter, ...]:
        """The parameters that hold the first value of a Key Vault secret, in template order."""
        return tuple(p.secret for p in self.parameters if p.secret is not None)

    def template(self) -> dict[str, Any]:
        """The ARM template, read from the assembly."""
        data: dict[str, Any] = json.loads(self.template_file.read_text(encoding="utf-8"))
        return data

    def parameter_values(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """The values of this template's parameters out of ``values`` (parameters it does not declare are left out).

        Raises :class:`DeployError` naming every required parameter that has no value.
        """
        missing = [p for p in self.parameters if p.required and p.name not in values]
        if missing:
            names = ", ".join(f"{p.name} ({p.type})" for p in missing)
            example = " ".join(f"--param {p.name}=VALUE" for p in missing)
            raise DeployError(f"the template needs a value for: {names}", stack_id=self.id,
                              fix=f"pass {example}, or a --parameters FILE that sets them")
        return {p.name: coerce_parameter(p, values[p.name], stack_id=self.id)
                for p in self.parameters if p.name in values}


@dataclass(frozen=True)
class DeployPlan:
    """The stacks to deploy, in the manifest's deploy order."""

    assembly: Path
    stacks: tuple[StackPlan, ...]
    all_stack_ids: tuple[str, ...] = field(default=())

    def check_parameters(self, values: Mapping[str, Any]) -> None:
        """Check before deploying anything that every required parameter has a value and every value is used."""
        declared = {p.name for s in self.stacks for p in s.parameters}
        unknown = sorted(set(values) - declared)
        if unknown:
            known = ", ".join(sorted(declared)) or "none"
            raise DeployError(f"no stack to deploy declares the parameter(s) {', '.join(unknown)}",
                              fix=f"check the names; the templates declare: {known}")
        for stack in self.stacks:
            stack.parameter_values(values)


def _asset(assembly: Path, stack_id: str, entry: Mapping[str, Any]) -> AssetPlan:
    file = assembly / str(entry["path"])
    if not file.is_file():
        raise DeployError(f"asset {entry['path']} of {entry['id']} is missing from {assembly}", stack_id=stack_id,
                          fix="run `atakora synth` again to write the assembly")
    data = file.read_bytes()
    if hashlib.sha256(data).hexdigest() != entry["sha256"]:
        raise DeployError(f"asset {entry['path']} does not match the sha256 in the manifest", stack_id=stack_id,
                          fix="the assembly was changed after synthesis: run `atakora synth` again")
    return AssetPlan(id=str(entry["id"]), kind=str(entry["kind"]), file=file, sha256=str(entry["sha256"]),
                     size=len(data), destination=dict(entry.get("destination") or {}))


def _secret_parameter(stack_id: str, name: str, entry: Any) -> SecretParameter | None:
    if entry is None:
        return None
    keys = ("vault", "secret", "component", "name", "apiVersion")
    if not isinstance(entry, Mapping) or any(not isinstance(entry.get(k), str) for k in keys):
        raise DeployError(f"the manifest entry of secret parameter {name} is incomplete (needs {', '.join(keys)})",
                          stack_id=stack_id, fix="run `atakora synth` again to write the assembly")
    return SecretParameter(name, entry["vault"], entry["secret"], entry["component"], entry["name"],
                           entry["apiVersion"])


def _stack(assembly: Path, entry: Mapping[str, Any]) -> StackPlan:
    stack_id = str(entry["id"])
    scope = entry.get("scope", "resourceGroup")
    if scope not in ("resourceGroup", "subscription"):
        raise DeployError(f"scope {scope!r} cannot be deployed (only resourceGroup and subscription)",
                          stack_id=stack_id)
    if scope == "resourceGroup" and not entry.get("resourceGroup"):
        raise DeployError("a resource-group stack has no resource group in the manifest", stack_id=stack_id,
                          fix="give the stack a resource_group_name and synthesize again")
    template_file = assembly / str(entry["templateFile"])
    if not template_file.is_file():
        raise DeployError(f"template {entry['templateFile']} is missing from {assembly}", stack_id=stack_id,
                          fix="run `atakora synth` again to write the assembly")
    params = tuple(ParameterSpec(name, str(p.get("type", "string")), bool(p.get("required", False)),
                                 _secret_parameter(stack_id, name, p.get("secret")))
                   for name, p in (entry.get("parameters") or {}).items())
    return StackPlan(
        id=stack_id, scope=scope, location=str(entry["location"]),
        resource_group=entry.get("resourceGroup"), subscription_id=entry.get("subscriptionId"),
        template_file=template_file, parameters=params,
        dependencies=tuple(entry.get("dependencies") or ()),
        assets=tuple(_asset(assembly, stack_id, a) for a in entry.get("assets") or ()),
        steps=tuple(StepPlan(str(s["id"]), str(s["kind"]), {k: v for k, v in s.items() if k not in ("id", "kind")})
                    for s in entry.get("steps") or ()),
    )


def load_plan(assembly: str | Path, *, stacks: Sequence[str] = ()) -> DeployPlan:
    """Read ``manifest.json`` of the assembly in ``assembly`` and plan its stacks in deploy order.

    ``stacks`` (default: all) selects stacks by id; the order stays the manifest's ``deployOrder``.
    Templates and assets are checked to exist (assets against their sha256).
    """
    root = Path(assembly)
    manifest_file = root / "manifest.json"
    if not manifest_file.is_file():
        raise DeployError(f"no manifest.json in {root}",
                          fix="pass the directory `atakora synth` wrote (default ./atakora.out), or your app.py")
    try:
        manifest: dict[str, Any] = json.loads(manifest_file.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise DeployError(f"{manifest_file} is not valid JSON: {error}", fix="run `atakora synth` again") from None
    if str(manifest.get("version", "")).split(".")[0] != "1":
        raise DeployError(f"manifest version {manifest.get('version')!r} is not supported (expected 1.x)",
                          fix="synthesize with this version of atakora")
    entries = {str(s["id"]): s for s in manifest.get("stacks", [])}
    order = [str(i) for i in manifest.get("deployOrder", list(entries))]
    unknown = [s for s in stacks if s not in entries]
    if unknown:
        raise DeployError(f"no stack {', '.join(map(repr, unknown))} in the assembly",
                          fix=f"choose from: {', '.join(order) or 'none'}")
    chosen = [i for i in order if not stacks or i in stacks]
    return DeployPlan(assembly=root, stacks=tuple(_stack(root, entries[i]) for i in chosen),
                      all_stack_ids=tuple(order))


_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off"}


def coerce_parameter(spec: ParameterSpec, value: Any, *, stack_id: str = "") -> Any:
    """``value`` as the parameter's ARM type; strings (from ``--param k=v``) are converted, others kept."""
    if not isinstance(value, str):
        return value
    kind = spec.type.lower()
    try:
        if kind == "int":
            return int(value)
        if kind == "bool":
            if value.lower() in _TRUE | _FALSE:
                return value.lower() in _TRUE
            raise ValueError("expected true or false")
        if kind in ("object", "secureobject", "array"):
            return json.loads(value)
    except ValueError as error:
        raise DeployError(f"parameter {spec.name} is of type {spec.type}; {value!r} is not one ({error})",
                          stack_id=stack_id, fix=f"pass a valid {spec.type} value") from None
    return value


def read_parameters_file(path: str | Path) -> dict[str, Any]:
    """Parameter values from a JSON file: an ARM parameters file (``{"parameters": {"n": {"value": v}}}``)
    or a plain ``{"n": v}`` object."""
    file = Path(path)
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DeployError(f"parameters file {file} not found", fix="pass the path of a JSON file") from None
    except json.JSONDecodeError as error:
        raise DeployError(f"parameters file {file} is not valid JSON: {error}") from None
    if not isinstance(data, dict):
        raise DeployError(f"parameters file {file} must hold a JSON object")
    if isinstance(data.get("parameters"), dict) and ("$schema" in data or "contentVersion" in data):
        values: dict[str, Any] = {}
        for name, entry in data["parameters"].items():
            if not isinstance(entry, dict) or "value" not in entry:
                raise DeployError(f"parameter {name} in {file} has no \"value\"",
                                  fix="write {\"value\": ...} (Key Vault references are not supported)")
            values[name] = entry["value"]
        return values
    return dict(data)


def parse_parameter_assignments(assignments: Sequence[str]) -> dict[str, str]:
    """``["name=value", ...]`` (from ``--param``) as a mapping; the value may contain ``=``."""
    values: dict[str, str] = {}
    for item in assignments:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise DeployError(f"--param {item!r} is not NAME=VALUE", fix="write --param name=value")
        values[name.strip()] = value
    return values
