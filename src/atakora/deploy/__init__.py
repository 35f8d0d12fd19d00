"""Deploying a cloud assembly to Azure: validate, what-if, deploy, and asset upload.

``load_plan(outdir)`` reads the manifest; ``Deployer(session).run(plan, DeployOptions(...))`` deploys
every stack in deploy order with the clients of a :class:`DeploySession` (``AzureSession()`` for real
Azure with ``DefaultAzureCredential``; tests pass fakes).
"""

from __future__ import annotations

from .arm import WhatIfChange, deployment_body, describe_arm_error
from .assets import AssetResult, static_site_commands
from .azure import ArmAppService, ArmStorage, AzureSession
from .blobs import PublishOptions
from .clients import (
                      AppServiceApi,
                      ArmClients,
                      DeploymentsApi,
                      DeploySession,
                      Poller,
                      ResourceGroupsApi,
                      StorageAccessDenied,
                      StorageApi,
)
from .deployer import Deployer, DeployEvent, DeployMode, DeployOptions, DeployResult, StackResult
from .errors import DeployError
from .packages import PipInstaller
from .plan import (
                      AssetPlan,
                      DeployPlan,
                      ParameterSpec,
                      StackPlan,
                      deployment_name,
                      load_plan,
                      parse_parameter_assignments,
                      read_parameters_file,
)

__all__ = [
    "AppServiceApi",
    "ArmAppService",
    "ArmClients",
    "ArmStorage",
    "AssetPlan",
    "AssetResult",
    "AzureSession",
    "DeployError",
    "DeployEvent",
    "DeployMode",
    "DeployOptions",
    "DeployPlan",
    "DeployResult",
    "DeploySession",
    "Deployer",
    "DeploymentsApi",
    "ParameterSpec",
    "PipInstaller",
    "Poller",
    "PublishOptions",
    "ResourceGroupsApi",
    "StackPlan",
    "StackResult",
    "StorageAccessDenied",
    "StorageApi",
    "WhatIfChange",
    "deployment_body",
    "deployment_name",
    "describe_arm_error",
    "load_plan",
    "parse_parameter_assignments",
    "read_parameters_file",
    "static_site_commands",
]
