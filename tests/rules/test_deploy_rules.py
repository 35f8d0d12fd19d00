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
