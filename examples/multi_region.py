"""Seed 003, example 2: the same backend in three regions behind one global Front Door.

Each region gets its own backend (Cosmos DB, Function App, Storage, monitoring) in its own
resource group. A global frontend stack holds an Azure Front Door profile whose origin group has
one origin per regional Function App: Front Door sends each request to the nearest healthy region
(latency-based routing with health probes). StaticSiteWithCdn is not part of atakora yet, so the
frontend is built from the Front Door resource classes directly.
"""

from atakora import App, ResourceGroupStack
from atakora.backend import define_backend
from atakora.components import CrudApi
from atakora.resources.cdn import (
    FrontDoorEndpoint,
    FrontDoorOrigin,
    FrontDoorOriginGroup,
    FrontDoorProfile,
    FrontDoorRoute,
)

app = App()

REGIONS = [
    {"name": "eastus", "display_name": "US East"},
    {"name": "westeurope", "display_name": "West Europe"},
    {"name": "southeastasia", "display_name": "Southeast Asia"},
]

regional = []
for region in REGIONS:
    backend = define_backend(
        {
            "user_api": CrudApi.define(
                "UserApi",
                entity_name="User",
                schema={"id": "string", "email": "string", "name": "string", "region": "string"},
                partition_key="/region",  # partition by region for geo-distribution
                health_check={"path": "/health"},
            ),
            "product_api": CrudApi.define(
                "ProductApi",
                entity_name="Product",
                schema={"id": "string", "name": "string", "price": "number", "region": "string"},
                partition_key="/region",
            ),
        },
        environment="production",
        location=region["name"],
        backend_id=f"global-{region['name']}",
        monitoring={"enabled": True, "retention_days": 90, "workspace_name": f"myapp-workspace-{region['name']}"},
        tags={"region": region["name"], "regionDisplay": region["display_name"], "multiRegion": "true",
              "project": "global-app"},
    )
    stack = ResourceGroupStack(app, f"GlobalStack-{region['name']}", resource_group_name=f"rg-global-{region['name']}",
                               location=region["name"])
    backend.add_to_stack(stack)
    regional.append((region["name"], backend))

# The global frontend: Front Door routes /api/* to the nearest healthy regional Function App.
frontend_stack = ResourceGroupStack(app, "GlobalFrontendStack", resource_group_name="rg-global-frontend",
                                    location="eastus", tags={"tier": "frontend", "multiRegion": "true"})
profile = FrontDoorProfile(frontend_stack, "FrontDoor", name="afd-global-app-production")
endpoint = FrontDoorEndpoint(profile, "Endpoint", name="global-app")
apis = FrontDoorOriginGroup(profile, "RegionalApis", name="regional-apis", probe_path="/api/users/health",
                            probe_request_type="GET", probe_interval_in_seconds=30)
for name, backend in regional:
    functions = backend.get_resource("functions")
    FrontDoorOrigin(apis, f"Origin-{name}", name=name, host_name=functions.default_host_name)
FrontDoorRoute(endpoint, "ApiRoute", name="api", origin_group=apis, patterns_to_match=["/api/*"], caching=False)

for name, backend in regional:
    print(f"{name.upper()}: user API and product API behind the Function App of backend {backend.backend_id}")
print("Routing: latency-based (nearest healthy region) through Front Door endpoint", endpoint.resource_name)

app.synth()
