"""Seed 003, example 5: resource limits that stop a backend from creating more than allowed.

The limits are checked when the backend is planned (``add_to_stack`` and ``validate()``); going
over one is a ``ResourceLimitError`` that names the limit, the requested count and the fix. The
usage printed at the end is read from the backend's sharing plan.

    python examples/resource_limits.py
    atakora synth examples/resource_limits.py
"""

import sys

from atakora import App, ResourceGroupStack
from atakora.backend import define_backend
from atakora.components import CrudApi
from atakora.errors import AtakoraError

app = App()

LIMITS = {
    # Maximum Cosmos DB accounts (default: unlimited)
    "max_cosmos_accounts": 1,
    # Maximum Function Apps (default: unlimited)
    "max_function_apps": 1,
    # Maximum Storage Accounts (default: unlimited)
    "max_storage_accounts": 2,
    # Maximum functions per Function App (default: unlimited)
    "max_functions_per_app": 50,
    # Maximum containers per Storage Account (default: unlimited)
    "max_containers_per_storage": 10,
}

# Define strict resource limits
backend = define_backend(
    {
        "user_api": CrudApi.define("UserApi", entity_name="User", schema={"id": "string", "name": "string"},
                                   partition_key="/id"),
        "product_api": CrudApi.define("ProductApi", entity_name="Product", schema={"id": "string", "name": "string"},
                                      partition_key="/id"),
        "order_api": CrudApi.define("OrderApi", entity_name="Order", schema={"id": "string", "userId": "string"},
                                    partition_key="/userId"),
    },
    environment="production",
    location="eastus",
    # Configure resource limits
    limits=LIMITS,
    tags={"resourceLimits": "enforced", "quotaManagement": "enabled"},
)

stack = ResourceGroupStack(app, "LimitedResourceStack", resource_group_name="rg-limited-prod", location="eastus")

# This will succeed - stays within limits
try:
    backend.add_to_stack(stack)
    print("✓ Backend deployed within resource limits")
except AtakoraError as error:
    print("✗ Resource limit exceeded:", error)
    # Options:
    # 1. Increase limits in config
    # 2. Split into multiple backends
    # 3. Request quota increase from Azure
    raise

# Validate limits before deployment
validation = backend.validate()
if not validation.valid:
    print("Validation errors:", validation.errors, file=sys.stderr)
    sys.exit(1)

if validation.warnings:
    print("Validation warnings:", validation.warnings, file=sys.stderr)

plan = backend.plan()
accounts = {kind: sum(1 for e in plan.resources if e.resource_type == kind) for kind in ("cosmos", "functions",
                                                                                          "storage")}
functions = max((e.config.function_count for e in plan.resources if e.resource_type == "functions"), default=0)
storage = backend.get_shared("storage")  # the account with its blob containers (the app's deployment package)
containers = len(storage.containers)

print("\n=== Resource Usage ===")
print(f"Cosmos DB Accounts: {accounts['cosmos']} / {LIMITS['max_cosmos_accounts']}")
print(f"Function Apps: {accounts['functions']} / {LIMITS['max_function_apps']}")
print(f"Storage Accounts: {accounts['storage']} / {LIMITS['max_storage_accounts']}")
print(f"Functions: {functions} / {LIMITS['max_functions_per_app']}")
print(f"Containers: {containers} / {LIMITS['max_containers_per_storage']}")

app.synth()
