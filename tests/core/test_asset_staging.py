"""A written synthesis stages each asset as soon as it exists (before rendering) and lets its bytes go."""

from __future__ import annotations

from pathlib import Path

import pytest

from atakora import App, ResourceGroupStack
from atakora.backend import define_backend
from atakora.components import CrudApi
from atakora.core.assets import Asset
from atakora.rules import PreflightError, Rule, Violation


def _app(outdir: Path) -> tuple[App, ResourceGroupStack]:
    app = App(outdir=str(outdir))
    stack = ResourceGroupStack(app, "Main", resource_group_name="rg-main", location="eastus")
    define_backend({"users": CrudApi.define("UserApi", entity_name="User", schema={"id": "string"})}, environment="dev", location="eastus").add_to_stack(stack)
    return app, stack


def _packages(app: App) -> list[Asset]:
    return [c for c in app.node.find_all() if isinstance(c, Asset)]


def test_a_written_assets_bytes_are_read_from_its_file_and_no_longer_held(tmp_path: Path) -> None:
    app, _ = _app(tmp_path / "out")
    assembly = app.synth()
    (package,) = _packages(app)
    assert package.pieces == ()
    written = (tmp_path / "out" / package.path).read_bytes()
    assert package.data == written == assembly.assets[package.path] and len(written) == package.size


def test_an_asset_holds_its_bytes_again_when_the_staged_assembly_is_discarded(tmp_path: Path) -> None:
    app, _ = _app(tmp_path / "out")
    app.add_rule(Rule("TEST-FAIL-001", "error", "always fails", "https://example.com",
                      lambda assembly: iter([Violation(assembly.units[0], "refused", "none")])))
    with pytest.raises(PreflightError):
        app.synth()
    (package,) = _packages(app)
    assert package.pieces and package.data[:2] == b"PK" and not (tmp_path / "out").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_an_asset_made_during_a_written_synthesis_is_in_the_staging_directory_before_rendering(tmp_path: Path) -> None:
    app, stack = _app(tmp_path / "out")
    seen: list[tuple[tuple[bytes, ...], bool]] = []

    def make_asset() -> None:
        asset = Asset(stack, "Extra", data=[b"PK", b"-extra"], kind="test-file")
        assert app.staging is not None
        seen.append((asset.pieces, (app.staging.path / asset.path).read_bytes() == b"PK-extra"))

    app.add_prepare_hook(make_asset)
    app.synth()
    assert seen == [((), True)] and app.staging is None
    extra = next(a for a in _packages(app) if a.node.id == "Extra")
    assert (tmp_path / "out" / extra.path).read_bytes() == extra.data == b"PK-extra"


def test_an_asset_made_outside_a_synthesis_keeps_its_bytes_until_one_writes_it(tmp_path: Path) -> None:
    app, stack = _app(tmp_path / "out")
    asset = Asset(stack, "Extra", data=b"PK-extra", kind="test-file")
    assert asset.pieces == (b"PK-extra",)
    app.synth()
    assert asset.pieces == () and (tmp_path / "out" / asset.path).read_bytes() == b"PK-extra"
