"""StaticSite: one Static Web App per site, deterministic content package, generated site config."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from atakora import App, ResourceGroupStack
from atakora.backend import define_backend
from atakora.components.static_site import DEFAULT_SECURITY_HEADERS, StaticSite, package_site
from atakora.errors import ConfigurationError
from atakora.resources.web_static import StaticWebApp, static_web_app_location
from atakora.testing import Template


def stack(location: str = "eastus") -> ResourceGroupStack:
    return ResourceGroupStack(App(outdir="unused"), "WebStack", resource_group_name="rg-web", location=location)


def zip_entries(data: bytes) -> dict[str, zipfile.ZipInfo]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: info for info in archive.infolist()}


def site_config(data: bytes) -> dict[str, object]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return json.loads(archive.read("staticwebapp.config.json"))


def test_a_site_in_a_backend_gets_its_own_static_web_app_and_content_asset(site_dir: Path) -> None:
    target = stack()
    backend = define_backend({"admin": StaticSite.define("AdminPortal", source_directory=site_dir)},
                             environment="prod")
    backend.add_to_stack(target)
    template = Template.from_stack(target)
    template.has_resource("Microsoft.Web/staticSites", {
        "name": "stapp-backend-prod-admin-portal", "location": "eastus2",
        "sku": {"name": "Free", "tier": "Free"},
        "properties": {"stagingEnvironmentPolicy": "Disabled"}})
    site = backend.components.admin
    assert isinstance(site.site, StaticWebApp)
    assert site.content is not None and site.content.kind == "static-site"
    assert site.content.destination["staticSite"] == "stapp-backend-prod-admin-portal"
    assert "buildCommand" not in site.content.destination
    assert sorted(zip_entries(site.content.data)) == ["404.html", "css/app.css", "index.html",
                                                      "staticwebapp.config.json"]


def test_two_sites_in_one_backend_get_one_static_web_app_each(site_dir: Path) -> None:
    target = stack()
    backend = define_backend({
        "admin": StaticSite.define("AdminPortal", source_directory=site_dir),
        "docs": StaticSite.define("Docs", source_directory=site_dir, sku="Standard"),
    }, environment="prod")
    backend.add_to_stack(target)
    Template.from_stack(target).resource_count_is("Microsoft.Web/staticSites", 2)
    plan = backend.plan()
    sites = [e for e in plan.resources if e.resource_type == "staticsite"]
    assert sorted((e.requirement_key, e.members[0]) for e in sites) == [("admin-portal", "AdminPortal"),
                                                                       ("docs", "Docs")]


def test_a_site_built_traditionally_creates_its_own_static_web_app(site_dir: Path) -> None:
    target = stack("westeurope")
    site = StaticSite(target, "Marketing", source_directory=site_dir, enable_spa_mode=True)
    template = Template.from_stack(target)
    template.resource_count_is("Microsoft.Web/staticSites", 1)
    template.has_resource("Microsoft.Web/staticSites", {"location": "westeurope"})
    assert site.content is not None
    assert site_config(site.content.data)["navigationFallback"]["rewrite"] == "/index.html"


def test_the_site_package_is_byte_identical_with_sorted_entries_and_fixed_timestamps(site_dir: Path) -> None:
    config = StaticSite.define("Site", source_directory=site_dir).config
    first = package_site(config)
    (site_dir / "index.html").touch()  # a newer modification time changes nothing
    assert package_site(config) == first
    entries = zip_entries(first)
    assert list(entries) == sorted(entries)
    assert {info.date_time for info in entries.values()} == {(1980, 1, 1, 0, 0, 0)}
    assert {info.external_attr >> 16 for info in entries.values()} == {0o100644}


def test_spa_mode_rewrites_unknown_paths_to_the_index_and_keeps_the_error_page(site_dir: Path) -> None:
    config = StaticSite.define("Site", source_directory=site_dir, enable_spa_mode=True,
                               headers={"X-Frame-Options": "DENY"}).config
    generated = site_config(package_site(config))
    fallback = generated["navigationFallback"]
    assert fallback["rewrite"] == "/index.html"
    assert any("css" in pattern and "js" in pattern for pattern in fallback["exclude"])
    assert generated["responseOverrides"] == {"404": {"rewrite": "/404.html", "statusCode": 404}}
    headers = generated["globalHeaders"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Content-Security-Policy"].startswith("default-src 'self' https:")
    assert headers["X-Frame-Options"] == "DENY"
    assert set(DEFAULT_SECURITY_HEADERS) <= set(headers)


def test_without_spa_mode_there_is_no_navigation_fallback(site_dir: Path) -> None:
    generated = site_config(package_site(StaticSite.define("Site", source_directory=site_dir,
                                                           error_document=None).config))
    assert "navigationFallback" not in generated and "responseOverrides" not in generated


def test_the_sites_own_config_file_wins_and_its_headers_are_merged(site_dir: Path) -> None:
    (site_dir / "staticwebapp.config.json").write_text(json.dumps({
        "routes": [{"route": "/admin/*", "allowedRoles": ["admin"]}],
        "globalHeaders": {"Cache-Control": "no-store"}}), encoding="utf-8")
    generated = site_config(package_site(StaticSite.define("Site", source_directory=site_dir).config))
    assert generated["routes"] == [{"route": "/admin/*", "allowedRoles": ["admin"]}]
    assert generated["globalHeaders"]["Cache-Control"] == "no-store"
    assert generated["globalHeaders"]["X-Content-Type-Options"] == "nosniff"


def test_a_build_command_is_recorded_for_the_deploy_step_and_the_source_is_packaged(site_dir: Path) -> None:
    (site_dir / "node_modules" / "left-pad").mkdir(parents=True)
    (site_dir / "node_modules" / "left-pad" / "index.js").write_text("x", encoding="utf-8")
    (site_dir / "dist").mkdir()
    (site_dir / "dist" / "stale.html").write_text("old", encoding="utf-8")
    target = stack()
    backend = define_backend({"app": StaticSite.define("App", source_directory=site_dir, build_command="npm run build",
                                                       output_directory="dist")})
    backend.add_to_stack(target)
    content = backend.components.app.content
    assert content is not None
    assert content.destination["buildCommand"] == "npm run build"
    assert content.destination["outputLocation"] == "dist"
    names = set(zip_entries(content.data))
    assert "index.html" in names and "staticwebapp.config.json" in names
    assert not any(n.startswith(("node_modules/", "dist/")) for n in names)


def test_static_web_apps_run_in_the_nearest_supported_region() -> None:
    assert [static_web_app_location(r) for r in ("eastus", "westus3", "northeurope", "japaneast", "centralus",
                                                  "brazilsouth", "nowhere")] == [
        "eastus2", "westus2", "westeurope", "eastasia", "centralus", "eastus2", "centralus"]


@pytest.mark.parametrize(("kwargs", "field", "text"), [
    ({"source_directory": "does-not-exist"}, "source_directory", "does not exist"),
    ({"index_document": "main.html"}, "index_document", "'main.html' is not in"),
    ({"error_document": "missing.html"}, "error_document", "error_document=None"),
    ({"index_document": "../index.html"}, "index_document", "must be a file path inside the site"),
    ({"build_command": "npm run build"}, "output_directory", "build_command needs output_directory"),
    ({"output_directory": "../out"}, "output_directory", "inside source_directory"),
    ({"output_directory": "public"}, "output_directory", "does not exist"),
    ({"sku": "Premium"}, "sku", "input should be 'Free' or 'Standard'"),
])
def test_invalid_settings_raise_configuration_errors_naming_the_field(site_dir: Path, kwargs: dict[str, object],
                                                                      field: str, text: str) -> None:
    settings: dict[str, object] = {"source_directory": site_dir, **kwargs}
    with pytest.raises(ConfigurationError) as raised:
        StaticSite.define("AdminPortal", **settings)  # type: ignore[arg-type]
    assert raised.value.field == field
    assert text in str(raised.value)
    assert "[AdminPortal]" in str(raised.value) and "Fix:" in str(raised.value)


def test_a_static_web_app_location_outside_the_supported_regions_is_an_error() -> None:
    with pytest.raises(ConfigurationError, match="not available in 'eastus'"):
        StaticWebApp(stack(), "Site", name="stapp-site", location="eastus")
