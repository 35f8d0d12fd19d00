from __future__ import annotations

from atakora.rules import AssemblyView
from atakora.rules.deploy import package_deploys_with_its_app

from .conftest import findings, template

SITE = {"type": "Microsoft.Web/sites", "name": "func-app"}
PACKAGE = {"id": "Main/Func/Package", "kind": "function-package", "destination": {"functionApp": "func-app"}}


def test_a_package_published_before_its_app_exists_is_an_error() -> None:
    view = AssemblyView.from_templates({"Main": template(), "Main.part2": template(SITE)}, assets={"Main": [PACKAGE]})
    found = findings(package_deploys_with_its_app, view)
    assert [f.rule_id for f in found] == ["AZ-DEPLOY-001"]
    assert "created in Main.part2" in found[0].message


def test_a_package_published_with_or_after_its_app_passes() -> None:
    view = AssemblyView.from_templates({"Main": template(), "Main.part2": template(SITE)},
                                       assets={"Main.part2": [PACKAGE]})
    assert not findings(package_deploys_with_its_app, view)


def _flex_package(site_private: bool) -> dict[str, object]:
    return {"id": "Main/Func/Package", "kind": "function-package",
            "destination": {"functionApp": "func-app", "deployment": "flex-consumption", "sitePrivate": site_private}}


def test_a_private_flex_app_warns_that_its_package_is_published_from_inside_the_vnet() -> None:
    from atakora.rules.deploy import private_flex_apps_publish_from_the_vnet

    view = AssemblyView.from_templates({"Main": template(SITE)}, assets={"Main": [_flex_package(True)]})
    found = findings(private_flex_apps_publish_from_the_vnet, view)
    assert [(f.rule_id, f.severity) for f in found] == [("AZ-DEPLOY-002", "warning")]
    assert "--from-vnet" in found[0].fix


def test_a_public_flex_app_and_a_run_from_package_app_pass() -> None:
    from atakora.rules.deploy import private_flex_apps_publish_from_the_vnet

    blob = {"id": "Main/Func/Package", "kind": "function-package",
            "destination": {"functionApp": "func-app", "deployment": "run-from-package", "sitePrivate": True}}
    view = AssemblyView.from_templates({"Main": template(SITE)}, assets={"Main": [_flex_package(False), blob]})
    assert not findings(private_flex_apps_publish_from_the_vnet, view)
