"""A CrudSpec's authentication, tenant, owner and role rules reach the generated function_app.py."""

from __future__ import annotations

from dataclasses import replace

import pytest

from atakora.components.codegen import CrudSpec, build_function_package, crud_spec
from atakora.errors import ConfigurationError

SCHEMA = {"tenantId": "string", "ownerId": "string", "name": "string"}


def _rendered_spec(api: CrudSpec) -> CrudSpec:
    source = build_function_package(crud_apis=[api]).files["function_app.py"].decode()
    call = source[source.index("CrudSpec("): source.rindex(")\n    )\n)")]
    rendered = eval(call + ")", {"CrudSpec": CrudSpec})
    assert isinstance(rendered, CrudSpec)
    return rendered


def test_access_rules_are_rendered_into_the_generated_spec() -> None:
    api = crud_spec("DataApi", entity_name="Data", route_prefix="data", schema=SCHEMA, partition_key="/tenantId",
                    auth_level="anonymous", authentication="entra", tenant_claim="tid", owner_claim="oid",
                    roles={"delete": ["Admin"]}, allowed_tenants=("t-1", "t-2"))
    assert _rendered_spec(api) == replace(api, settings_prefix="DATA_API")


def test_function_key_apis_render_no_access_arguments() -> None:
    api = crud_spec("DataApi", entity_name="Data", route_prefix="data", schema=SCHEMA)
    source = build_function_package(crud_apis=[api]).files["function_app.py"].decode()
    assert "authentication" not in source and "tenant_claim" not in source
    assert _rendered_spec(api) == replace(api, settings_prefix="DATA_API")


def test_tenant_claim_without_entra_is_a_configuration_error_naming_the_fix() -> None:
    with pytest.raises(ConfigurationError, match="only authentication='entra'") as info:
        crud_spec("DataApi", entity_name="Data", route_prefix="data", schema=SCHEMA, partition_key="/tenantId",
                  tenant_claim="tid")
    assert (info.value.field, info.value.path) == ("tenant_claim", "DataApi")
    assert "tenant_claim='tid'" in info.value.fix
