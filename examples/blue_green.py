"""Seed 003, example 6: blue-green deployment behind Azure Traffic Manager.

Both colours are deployed, each a backend in its own resource group. ``DEPLOY_COLOR`` (default
'blue') says which one is live. Traffic Manager routes by weight; two differences from the seed,
both because Azure requires them:

- a Traffic Manager profile accepts only one App Service app per Azure region, and both colours run
  in eastus, so each colour's Function App is the one endpoint of its own child profile, and the
  weighted profile routes to the two child profiles (nested endpoints);
- Azure rejects a weight of 0, so the standby colour keeps weight 1 and is disabled instead;
- a resource group needs a region (``'global'`` is the location of the profiles themselves).

The health probe asks the user API's generated health route (``/api/users/health``).

    python examples/blue_green.py
    DEPLOY_COLOR=green atakora synth examples/blue_green.py
"""

import os

from atakora import App, ResourceGroupStack
from atakora.backend import define_backend
from atakora.components import CrudApi
from atakora.resources.network import TrafficManagerEndpoint, TrafficManagerProfile

app = App()

# Current deployment color (toggle between 'blue' and 'green')
active_color = os.environ.get("DEPLOY_COLOR") or "blue"
inactive_color = "green" if active_color == "blue" else "blue"
HEALTH_PATH = "/api/users/health"

# Define backend for BOTH colors
colors = ["blue", "green"]
deployments = []
for color in colors:
    backend = define_backend(
        {
            "user_api": CrudApi.define("UserApi", entity_name="User",
                                       schema={"id": "string", "name": "string", "email": "string"},
                                       partition_key="/id", health_check={"path": "/health"}),
            "product_api": CrudApi.define("ProductApi", entity_name="Product",
                                          schema={"id": "string", "name": "string", "price": "number"},
                                          partition_key="/id"),
        },
        environment="production",
        location="eastus",
        tags={
            "deployment": color,
            "active": "true" if color == active_color else "false",
            "version": os.environ.get("VERSION") or "1.0.0",
        },
    )

    stack = ResourceGroupStack(app, f"AppStack-{color}", resource_group_name=f"rg-app-{color}-prod",
                               location="eastus")

    backend.add_to_stack(stack)

    deployments.append({
        "color": color,
        "backend": backend,
        "endpoints": {
            "user_api": backend.components.user_api.api_endpoint,
            "product_api": backend.components.product_api.api_endpoint,
        },
    })

# Create Traffic Manager for routing (the profiles are global; their resource group needs a region)
stack = ResourceGroupStack(app, "TrafficManagerStack", resource_group_name="rg-app-routing", location="eastus")

monitor = {"monitor_protocol": "HTTPS", "monitor_port": 443, "monitor_path": HEALTH_PATH, "interval_in_seconds": 30,
           "timeout_in_seconds": 10, "tolerated_number_of_failures": 3}
traffic_manager = TrafficManagerProfile(
    stack, "traffic-manager", name="tm-myapp-prod",
    routing_method="Weighted",  # Can switch between blue/green
    relative_name="myapp-prod", ttl=30,  # Low TTL for fast switching
    **monitor,
)

# Add endpoints for both colors
for deployment in deployments:
    color = deployment["color"]
    weight = 100 if color == active_color else 1  # Route all traffic to active (standby: disabled)

    # One child profile per color: its Function App is the child's only Azure endpoint.
    child = TrafficManagerProfile(stack, f"profile-{color}", name=f"tm-myapp-{color}-prod",
                                  routing_method="Priority", ttl=30, **monitor)
    TrafficManagerEndpoint(child, f"app-{color}", name=f"app-{color}",
                           target_resource=deployment["backend"].get_resource("functions"), priority=1)

    TrafficManagerEndpoint(
        traffic_manager, f"endpoint-{color}",
        name=f"endpoint-{color}",
        target_resource=child,  # the color's child profile (nested endpoint)
        weight=weight,
        priority=1 if color == "blue" else 2,
        endpoint_status="Enabled" if color == active_color else "Disabled",
    )

stack.add_output("trafficManagerFqdn", traffic_manager.fqdn)  # atakora deploy prints the deployed name

print("\n=== Blue-Green Deployment ===")
print(f"Active Color: {active_color}")
print(f"Inactive Color: {inactive_color}")

for deployment in deployments:
    color, endpoints = deployment["color"], deployment["endpoints"]
    print(f"\n{color.upper()} Deployment:")
    print("  Status:", "ACTIVE (100% traffic)" if color == active_color else "STANDBY (0% traffic)")
    print("  User API:", endpoints["user_api"])
    print("  Product API:", endpoints["product_api"])

print("\nTraffic Manager:", traffic_manager.fqdn)

print("\n=== Deployment Commands ===")
print("Deploy to inactive (green):")
print("  DEPLOY_COLOR=green atakora deploy")
print("\nSwitch traffic to green:")
print("  # Update Traffic Manager weights")
print("  # Blue: 0%, Green: 100%")
print("\nRollback to blue:")
print("  # Update Traffic Manager weights")
print("  # Blue: 100%, Green: 0%")

app.synth()
