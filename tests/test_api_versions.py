"""Every (type, apiVersion) the library can emit, in one list, checked against a golden file."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from typing import Any

import atakora.resources
from atakora.core.resource import Resource


def emitted_versions() -> dict[str, str]:
    found: dict[str, str] = {}
    for module_info in pkgutil.walk_packages(atakora.resources.__path__, "atakora.resources."):
        module = importlib.import_module(module_info.name)
        for type_name, version in getattr(module, "API_VERSIONS", {}).items():
            assert found.get(type_name, version) == version, f"{type_name} has two apiVersions"
            found[type_name] = version
    return dict(sorted(found.items()))


def all_resource_classes() -> list[type[Resource]]:
    seen: list[type[Resource]] = []
    pending = list(Resource.__subclasses__())
    while pending:
        cls = pending.pop()
        seen.append(cls)
        pending.extend(cls.__subclasses__())
    return [c for c in seen if c.TYPE]


def test_every_emitted_type_and_api_version_is_listed(golden: Callable[[str, Any], None]) -> None:
    golden("api_versions", emitted_versions())


def test_every_typed_resource_takes_its_api_version_from_its_namespace_table() -> None:
    versions = emitted_versions()
    for cls in all_resource_classes():
        assert versions.get(cls.TYPE) == cls.API_VERSION, f"{cls.__name__} ({cls.TYPE}) is not in API_VERSIONS"


def test_no_preview_api_version_is_used_except_where_no_ga_version_has_the_needed_shape() -> None:
    previews = {t: v for t, v in emitted_versions().items() if "preview" in v}
    assert previews == {"Microsoft.Insights/diagnosticSettings": "2021-05-01-preview"}
