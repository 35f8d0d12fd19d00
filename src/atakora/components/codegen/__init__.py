"""Generate the Python Azure Functions package (v2 programming model) of one Function App.

Every member component goes into one package: CrudApis become ``crud_blueprint(CrudSpec(...))``
registrations served by the vendored runtime (``atakora_runtime``); FunctionsApp components get one
generated blueprint module each (``atakora_generated/<component>.py``) that calls the user's
handlers, copied as the package ``user_code/<component>/``.
"""

from ._local import local_settings, write_local_project
from ._model import (
    AuthLevel,
    CrudApiCode,
    FunctionSpec,
    HttpMethod,
    Trigger,
    UserFunctionsCode,
    cron_problem,
    validated_function_spec,
)
from ._package import FunctionPackage, build_function_package

__all__ = [
    "AuthLevel",
    "CrudApiCode",
    "FunctionPackage",
    "FunctionSpec",
    "HttpMethod",
    "Trigger",
    "UserFunctionsCode",
    "build_function_package",
    "cron_problem",
    "local_settings",
    "validated_function_spec",
    "write_local_project",
]
