"""Rules over the manifest: what ``atakora deploy`` does after each template."""

from __future__ import annotations

from collections.abc import Iterator

from ._model import AssemblyView, Violation
from ._registry import builtin

__all__ = ["package_deploys_with_its_app", "private_flex_apps_publish_from_the_vnet"]


@builtin("AZ-DEPLOY-001", "error", title="a function package is published after the unit that creates its app",
         docs="https://learn.microsoft.com/azure/azure-functions/functions-deployment-technologies")
def package_deploys_with_its_app(assembly: AssemblyView) -> Iterator[Violation]:
    """Each ``function-package`` asset sits on a unit at or after the one that creates its Function App."""
    created_in: dict[str, int] = {}
    for position, unit in enumerate(assembly.units):
        for site in unit.resources:
            if site.type.lower() == "microsoft.web/sites":
                created_in.setdefault(site.name, position)
    for position, unit in enumerate(assembly.units):
        for asset in unit.assets:
            if asset.get("kind") != "function-package":
                continue
            app = str((asset.get("destination") or {}).get("functionApp", ""))
            where = created_in.get(app)
            if where is None or where > position:
                later = f"in {assembly.units[where].id}" if where is not None else "in no template of the assembly"
                yield Violation(
                    unit,
                    f"package {asset.get('id')} is published after {unit.id}, but Function App {app} is created "
                    f"{later}; the publish call fails because the app does not exist yet",
                    fix="attach the package to the deployment unit that creates its Function App (synthesize "
                        "with this version of atakora)")


@builtin("AZ-DEPLOY-002", "warning", title="a Flex Consumption app that refuses public traffic is published from "
         "inside its virtual network",
         docs="https://learn.microsoft.com/azure/azure-functions/functions-networking-options#private-endpoints")
def private_flex_apps_publish_from_the_vnet(assembly: AssemblyView) -> Iterator[Violation]:
    """OneDeploy goes to the app's SCM site, which a private endpoint makes private too: from outside the
    virtual network the publish gets 403. ``atakora deploy --from-vnet`` on a machine inside it publishes."""
    for unit in assembly.units:
        for asset in unit.assets:
            destination = asset.get("destination") or {}
            if asset.get("kind") == "function-package" and destination.get("deployment") == "flex-consumption" \
                    and destination.get("sitePrivate"):
                yield Violation(unit, f"Function App {destination.get('functionApp')} refuses public traffic, so its "
                                      f"package {asset.get('id')} can be published only from inside its virtual "
                                      "network (from outside OneDeploy gets 403)",
                                fix="run `atakora deploy --from-vnet` on a machine in the virtual network (a "
                                    "self-hosted runner), or choose an Elastic Premium or dedicated plan, whose "
                                    "package atakora publishes through blob storage from anywhere")
