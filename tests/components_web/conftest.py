"""Fixtures: register the web components and providers until they are part of the defaults."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import atakora.backend.backend as backend_module
import atakora.backend.providers as providers_module
import atakora.components as components_module
from atakora.backend.providers.servicebus import ServiceBusProvider
from atakora.backend.providers.static_sites import FrontDoorProvider, StaticSitesProvider
from atakora.components.message_queue import MessageQueue
from atakora.components.static_site import StaticSite
from atakora.components.static_site_cdn import StaticSiteWithCdn

WEB_PROVIDERS = (StaticSitesProvider, FrontDoorProvider, ServiceBusProvider)


def with_web_providers(original):  # type: ignore[no-untyped-def]
    """``default_providers`` plus the web providers it lacks (a no-op once they are registered)."""

    def default_providers():  # type: ignore[no-untyped-def]
        found = original()
        known = {p.provider_id for p in found}
        return [*found, *(kind() for kind in WEB_PROVIDERS if kind.provider_id not in known)]

    return default_providers


@pytest.fixture(autouse=True)
def web_components_registered(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The web providers are defaults and ``atakora.components`` exports the web components."""
    patched = with_web_providers(providers_module.default_providers)
    monkeypatch.setattr(providers_module, "default_providers", patched)
    monkeypatch.setattr(backend_module, "default_providers", patched)
    for component in (StaticSite, StaticSiteWithCdn, MessageQueue):
        monkeypatch.setattr(components_module, component.__name__, component, raising=False)
    yield


@pytest.fixture
def site_dir(tmp_path: Path) -> Path:
    """A tiny site: index.html, 404.html, css/app.css."""
    root = tmp_path / "site"
    (root / "css").mkdir(parents=True)
    (root / "index.html").write_text("<h1>hello</h1>\n", encoding="utf-8")
    (root / "404.html").write_text("<h1>not found</h1>\n", encoding="utf-8")
    (root / "css" / "app.css").write_text("h1 { color: teal; }\n", encoding="utf-8")
    return root
