"""A storage account's static website is an ARM setting of its blob service; Front Door refuses one that is off."""

from __future__ import annotations

from pathlib import Path

import pytest

from atakora import App, ResourceGroupStack
from atakora.errors import ConfigurationError
from atakora.resources.cdn import FrontDoorOrigin, FrontDoorOriginGroup, FrontDoorProfile, host_from_url
from atakora.resources.storage import StorageAccount
from atakora.testing import Template


def _stack(tmp_path: Path) -> ResourceGroupStack:
    return ResourceGroupStack(App(outdir=tmp_path), "Web", resource_group_name="rg-web", location="eastus")


def test_an_enabled_static_website_is_rendered_in_the_blob_service(tmp_path: Path) -> None:
    stack = _stack(tmp_path)
    account = StorageAccount(stack, "Site", name="stsite0001")
    account.enable_static_website(index_document="index.html", error_document="404.html")
    service = next(r for r in Template.from_stack(stack).resources if r["type"].endswith("/blobServices"))
    assert service["properties"]["staticWebsite"] == {"enabled": True, "indexDocument": "index.html",
                                                      "errorDocument404Path": "404.html"}


def test_a_front_door_origin_at_a_static_website_that_is_off_is_refused(tmp_path: Path) -> None:
    stack = _stack(tmp_path)
    account = StorageAccount(stack, "Site", name="stsite0001")
    group = FrontDoorOriginGroup(FrontDoorProfile(stack, "Fd", name="afd-web"), "Site", name="site")
    with pytest.raises(ConfigurationError, match=r"(?s)not enabled.*404.*enable_static_website"):
        FrontDoorOrigin(group, "Web", name="web", host_name=host_from_url(account.primary_web_endpoint))
    account.enable_static_website()
    FrontDoorOrigin(group, "Web", name="web", host_name=host_from_url(account.primary_web_endpoint))


def test_a_static_website_document_must_be_a_path_in_the_web_container(tmp_path: Path) -> None:
    account = StorageAccount(_stack(tmp_path), "Site", name="stsite0001")
    with pytest.raises(ConfigurationError, match="must be a file path"):
        account.enable_static_website(index_document="https://x/index.html")


def test_a_wrong_typed_static_website_document_is_a_configuration_error(tmp_path: Path) -> None:
    account = StorageAccount(_stack(tmp_path), "Site", name="stsite0001")
    with pytest.raises(ConfigurationError, match="index_document") as raised:
        account.enable_static_website(index_document=5)  # type: ignore[arg-type]
    assert raised.value.fix
