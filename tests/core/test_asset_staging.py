"""A written synthesis stages each asset before rendering and lets its bytes go."""

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
