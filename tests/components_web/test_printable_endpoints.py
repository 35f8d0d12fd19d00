"""Component endpoints print: known values as plain strings, deploy-time values as tokens."""

from __future__ import annotations

import pytest

from atakora import App, ResourceGroupStack
from atakora.backend import define_backend
from atakora.components import CrudApi
from atakora.components.static_site_cdn import StaticSiteWithCdn
from atakora.errors import SynthesisError
from atakora.resources.web import FunctionApp
from atakora.testing import Template


def stack(app: App) -> ResourceGroupStack:
    return ResourceGroupStack(app, "MyStack", resource_group_name="rg-myapp-prod", location="eastus")


def test_a_crud_api_endpoint_is_a_plain_string_known_at_synthesis() -> None:
    target = stack(App(outdir="unused"))
    backend = define_backend({"user_api": CrudApi.define("UserApi", entity_name="User", schema={"id": "string"})},
                             environment="prod")
    backend.add_to_stack(target)
    endpoint = backend.components.user_api.api_endpoint
    site = next(iter(r for r in target.node.find_all() if isinstance(r, FunctionApp)))
    assert type(endpoint) is str
    assert endpoint == f"https://{site.resource_name}.azurewebsites.net/api/users"
    outputs = Template.from_stack(target).to_json()["outputs"]["componentOutputs"]["value"]
    assert ".defaultHostName, '/api/users')]" in next(iter(outputs.values()))["UserApi"]["api_endpoint"]


def test_a_cdn_endpoint_prints_as_a_token_and_becomes_its_expression_in_a_property() -> None:
    target = stack(App(outdir="unused"))
    backend = define_backend({"website": StaticSiteWithCdn.define("Website")}, environment="prod")
    backend.add_to_stack(target)
    endpoint = backend.components.website.cdn_endpoint
    assert str(endpoint) == "${MyStack/Website.cdn_endpoint}"
    target.add_output("callback", f"{endpoint}/auth/callback")
    value = Template.from_stack(target).to_json()["outputs"]["callback"]["value"]
    assert value.startswith("[concat(concat('https://', reference(resourceId('Microsoft.Cdn/profiles/afdEndpoints'")
    assert value.endswith(".hostName), '/auth/callback')]")


def test_a_token_that_reaches_a_file_other_than_a_template_is_an_error(tmp_path: object) -> None:
    app = App(outdir=str(tmp_path))
    target = stack(app)
    backend = define_backend({"website": StaticSiteWithCdn.define("Website")}, environment="prod")
    backend.add_to_stack(target)
    endpoint = backend.components.website.cdn_endpoint
    app.add_artifact("notes.json", lambda: {"site": f"{endpoint}"})
    with pytest.raises(SynthesisError, match=r"notes.json holds the token \$\{MyStack/Website.cdn_endpoint\}"):
        app.synth()
