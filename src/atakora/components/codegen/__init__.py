"""Generate the Python Azure Functions package (v2 programming model) of one Function App.

Every member component goes into one package: CrudApis, given as the runtime's ``CrudSpec``
(build one from user input with :func:`crud_spec`), become ``crud_blueprint(CrudSpec(...))``
registrations served by the vendored runtime (``atakora_runtime``); FunctionsApp components get one
generated blueprint module each (``atakora_generated/<component>.py``) that calls the user's
handlers, copied as the package ``user_code/<component>/``.
"""

from atakora.backend.providers.functions import register_package_builder
from atakora.runtime.spec import CrudSpec

from ._local import local_settings, write_local_project
from ._model import (
    AuthLevel,
    FunctionSpec,
    HttpMethod,
    Trigger,
    UserFunctionsCode,
    check_component_id,
    check_crud_spec,
    cron_problem,
    crud_spec,
    validated_function_spec,
)
from ._package import FunctionPackage, build_function_package

register_package_builder(build_function_package)

__all__ = [
    "AuthLevel",
    "CrudSpec",
    "FunctionPackage",
    "FunctionSpec",
    "HttpMethod",
    "Trigger",
    "UserFunctionsCode",
    "build_function_package",
    "check_component_id",
    "check_crud_spec",
    "cron_problem",
    "crud_spec",
    "local_settings",
    "validated_function_spec",
    "write_local_project",
]
