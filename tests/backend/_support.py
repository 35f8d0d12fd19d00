"""Helpers for the backend tests: sample components, a probe component, a plain custom provider."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from atakora import App, ResourceGroupStack
from atakora.backend import (
    Backend,
    BaseProvider,
    ComponentDefinition,
    FieldRule,
    ProviderContext,
    ResourceRequirement,
    ValidationResult,
    define_backend,
)
from atakora.components import CrudApi
from atakora.core.construct import Construct

SCHEMA = {"id": "string", "name": "string", "category": "string"}


def crud(component_id: str, **config: Any) -> ComponentDefinition[CrudApi]:
    """A CrudApi definition whose entity is the id without 'Api' ('UserApi' → 'User')."""
    entity = component_id.removesuffix("Api") or component_id
    return CrudApi.define(component_id, entity_name=entity, schema=SCHEMA, **config)


class Probe:
    """A plain (non-construct) component that asks for the requirements it was given."""

    component_type = "Probe"

    def __init__(self, component_id: str, config: Mapping[str, Any]) -> None:
        self.component_id = component_id
        self.config = config
        self.resources: Mapping[str, Any] = {}

    def get_requirements(self) -> Sequence[Any]:
        return [_with_component(r, self.component_id) for r in self.config["requirements"]]

    def initialize(self, resources: Mapping[str, Any], scope: Construct) -> None:
        self.resources = resources

    def validate_resources(self, resources: Mapping[str, Any]) -> ValidationResult:
        return ValidationResult.of()

    def get_outputs(self) -> Mapping[str, Any]:
        return {}


def _with_component(requirement: Any, component_id: str) -> Any:
    if isinstance(requirement, ResourceRequirement) and not requirement.component_id:
        return ResourceRequirement(requirement.resource_type, requirement.requirement_key, requirement.config,
                                   requirement.priority, requirement.validators, component_id)
    return requirement


def probe(component_id: str, *requirements: Any) -> ComponentDefinition[Probe]:
    """A Probe definition asking for ``requirements`` (ResourceRequirement or seed-style dicts)."""
    return ComponentDefinition(component_id, "Probe", {"requirements": requirements},
                               lambda scope, cid, config, resources: Probe(cid, config))


SKUS = ("Basic", "Standard", "Premium")


class WidgetProvider(BaseProvider):
    """A custom provider of 'widget' requirements with plain-dict configs and every merge strategy."""

    provider_id = "widget"
    supported_types = ("widget",)
    display_name = "Widget"

    def __init__(self) -> None:
        self.provided: list[ResourceRequirement] = []

    def merge_rules(self) -> Mapping[str, FieldRule]:
        return {
            "labels": FieldRule("union"),
            "settings": FieldRule("union"),
            "size": FieldRule("maximum"),
            "sku": FieldRule("maximum", SKUS),
            "origins": FieldRule("intersection"),
        }

    def provide_resource(self, requirement: ResourceRequirement, scope: Construct, context: ProviderContext) -> Any:
        self.provided.append(requirement)
        return {"name": context.resource_name, "tags": dict(context.tags), "config": requirement.config}


def widget(config: Mapping[str, Any], *, priority: int = 10, key: str = "shared") -> ResourceRequirement:
    """A 'widget' requirement (the component id is filled in by the probe)."""
    return ResourceRequirement("widget", key, dict(config), priority)


def stack_for(outdir: Path, name: str = "TestStack") -> tuple[App, ResourceGroupStack]:
    """A fresh App writing to ``outdir`` and a resource-group stack in it."""
    app = App(outdir=outdir)
    return app, ResourceGroupStack(app, name, resource_group_name="rg-test-prod", location="eastus")


def deployed(definitions: Mapping[str, ComponentDefinition[Any]], outdir: Path, **config: Any
             ) -> tuple[Backend[Any], App, ResourceGroupStack]:
    """A backend added to a fresh stack (not yet synthesized)."""
    backend = define_backend(definitions, **{"environment": "prod", **config})
    app, stack = stack_for(outdir)
    backend.add_to_stack(stack)
    return backend, app, stack
