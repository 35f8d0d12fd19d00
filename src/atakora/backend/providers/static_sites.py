"""Providers for static sites: one Static Web App per site, one Front Door profile shared by every CDN site."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, TypeVar

from ...core.construct import Construct
from ...core.naming import generate_name
from ...errors import ProviderError
from ...resources.cdn import FrontDoorEndpoint, FrontDoorProfile
from ...resources.web_static import StaticWebApp
from ..merge import FieldRule
from ..requirements import ResourceRequirement
from ..validation import ValidationResult
from .base import BaseProvider, ProviderContext, typed_config

__all__ = [
    "FRONT_DOOR_SKUS",
    "FrontDoorProvider",
    "FrontDoorRequirementConfig",
    "SharedFrontDoor",
    "StaticSiteRequirementConfig",
    "StaticSitesProvider",
]

FRONT_DOOR_SKUS: tuple[str, ...] = ("Standard_AzureFrontDoor", "Premium_AzureFrontDoor")
"""Front Door tiers from least to most capable, for the maximum strategy."""


@dataclass(frozen=True)
class StaticSiteRequirementConfig:
    """Needs of one site from its Static Web App (requirement type ``'staticsite'``, key per site).

    ``sku``: ``'Free'`` (default) or ``'Standard'``; ``location``: a Static Web Apps region, or None
    for the one nearest to the backend's location.
    """

    sku: Literal["Free", "Standard"] = "Free"
    location: str | None = None


@dataclass(frozen=True)
class FrontDoorRequirementConfig:
    """Needs of one CDN site from the shared Front Door profile (type ``'frontdoor'``, key 'shared').

    ``endpoints``: the logical endpoint keys the component uses (one per site; merged by union).
    ``sku``: the Front Door tier (merged by maximum; default Standard).
    """

    sku: Literal["Standard_AzureFrontDoor", "Premium_AzureFrontDoor"] = "Standard_AzureFrontDoor"
    endpoints: tuple[str, ...] = ()


T = TypeVar("T")




class StaticSitesProvider(BaseProvider):
    """Creates one Static Web App per ``staticsite`` requirement key (sites never share one: an app holds one site).

    The site is named by the plan (``staticsite-<backend>-<environment>-<key>`` by default); members
    with the same key merge with the higher sku.
    """

    provider_id = "staticsites"
    supported_types = ("staticsite",)
    provision_order = 30
    display_name = "Static Web App"
    exclusive = True

    def merge_rules(self) -> Mapping[str, FieldRule]:
        """``sku``: maximum (Free < Standard); ``location``: priority."""
        return {"sku": FieldRule("maximum", ("Free", "Standard"))}

    def provide_resource(self, requirement: ResourceRequirement, scope: Construct,
                         context: ProviderContext) -> StaticWebApp:
        """The Static Web App, in the Static Web Apps region nearest the backend's location."""
        config = typed_config(requirement, StaticSiteRequirementConfig)
        name = context.resource_name
        construct_id = f"StaticSite-{requirement.requirement_key}"
        return StaticWebApp(scope, construct_id, name=name, location=config.location, tags=context.tags,
                            sku=config.sku)


@dataclass
class SharedFrontDoor:
    """What CDN sites get for ``frontdoor:shared``: the profile and one endpoint per site."""

    profile: FrontDoorProfile
    endpoints: dict[str, FrontDoorEndpoint] = field(default_factory=dict)

    @property
    def primary_resource(self) -> FrontDoorProfile:
        """The profile itself: what ``backend.get_resource(...)`` returns, to pass to typed resources."""
        return self.profile

    def endpoint(self, key: str) -> FrontDoorEndpoint:
        """The endpoint created for the logical key ``key`` (a member's endpoint)."""
        try:
            return self.endpoints[key]
        except KeyError:
            raise ProviderError(f"the Front Door profile has no endpoint {key!r} (it has {sorted(self.endpoints)})",
                                fix="list the endpoint in the component's 'frontdoor' requirement") from None


class FrontDoorProvider(BaseProvider):
    """Creates the backend's Azure Front Door profile, shared by every CDN site, with one endpoint per site.

    Merging: ``endpoints`` union, ``sku`` maximum (Standard < Premium). Each site adds its own
    origin group, origin, rule set, route and custom domain to the profile.
    """

    provider_id = "frontdoor"
    supported_types = ("frontdoor",)
    provision_order = 60
    display_name = "Front Door profile"

    def merge_rules(self) -> Mapping[str, FieldRule]:
        """Endpoints: union; sku: maximum."""
        return {"endpoints": FieldRule("union"), "sku": FieldRule("maximum", FRONT_DOOR_SKUS)}

    def validate_merged(self, requirement: ResourceRequirement) -> ValidationResult:
        """A profile holds at most 10 (Standard) or 25 (Premium) endpoints."""
        config = typed_config(requirement, FrontDoorRequirementConfig)
        limit = 25 if config.sku == "Premium_AzureFrontDoor" else 10
        errors = []
        if len(config.endpoints) > limit:
            errors.append(f"{len(config.endpoints)} sites need a Front Door endpoint each, but a {config.sku} profile "
                          f"holds {limit}; use Premium_AzureFrontDoor (25), or give some sites another requirement key")
        return ValidationResult.of(errors) + super().validate_merged(requirement)

    def provide_resource(self, requirement: ResourceRequirement, scope: Construct,
                         context: ProviderContext) -> SharedFrontDoor:
        """The profile (location global) and an endpoint per member site."""
        config = typed_config(requirement, FrontDoorRequirementConfig)
        suffix = requirement.requirement_key
        profile = FrontDoorProfile(scope, f"FrontDoor-{suffix}", name=context.resource_name, sku=config.sku,
                                   tags=context.tags)
        shared = SharedFrontDoor(profile)
        seed = f"{context.plan_entry.name}/{context.environment}"
        for key in sorted(config.endpoints):
            name = generate_name("Microsoft.Cdn/profiles/afdEndpoints", [key, context.environment], seed=seed)
            shared.endpoints[key] = FrontDoorEndpoint(profile, f"Endpoint-{key}", name=name, tags=context.tags)
        return shared
