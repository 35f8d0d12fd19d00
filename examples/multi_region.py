"""Seed 003, example 2: the same backend in three regions behind one global frontend.

Each region gets its own backend (Cosmos DB, Function App, Storage, monitoring) in its own
resource group. The global frontend is a StaticSiteWithCdn (a single-page app behind Azure Front
Door with the custom domain app.example.com, compression, caching and CORS); its Front Door also
sends /api/* to the nearest healthy regional Function App (latency-based routing with health
probes). Each regional app accepts only this Front Door's requests (service tag and X-Azure-FDID),
so clients call the APIs through the frontend; ``atakora deploy`` gives the regional apps one shared
function key (host key ``frontdoor``), so a client's key works in whichever region Front Door picks.
The program prints every regional endpoint and the routing configuration.

    python examples/multi_region.py
    atakora synth examples/multi_region.py
"""

import json

from atakora import App, ResourceGroupStack
from atakora.backend import define_backend
from atakora.components import CrudApi, StaticSiteWithCdn
from atakora.resources.cdn import FrontDoorOrigin, FrontDoorOriginGroup, FrontDoorRoute

app = App()

REGIONS = [
    {"name": "eastus", "display_name": "US East"},
    {"name": "westeurope", "display_name": "West Europe"},
    {"name": "southeastasia", "display_name": "Southeast Asia"},
]

# Create backend for each region
backends = []
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
    backends.append({
        "region": region["name"],
        "backend": backend,
        "endpoints": {
            "user_api": backend.components.user_api.api_endpoint,
            "product_api": backend.components.product_api.api_endpoint,
        },
    })

# Create global CDN frontend that routes to regional backends
global_frontend = define_backend(
    {
        "website": StaticSiteWithCdn.define(
            "GlobalWebsite",
            index_document="index.html",
            enable_spa_mode=True,
            custom_domain="app.example.com",
            dns_zone_name="example.com",
            # CDN configuration for global distribution
            enable_compression=True,
            cache_max_age=3600,
            cors={"allowed_origins": ["*"]},
        ),
    },
    environment="production",
    location="eastus",  # Primary region for frontend
    tags={"tier": "frontend", "multiRegion": "true"},
)

frontend_stack = ResourceGroupStack(app, "GlobalFrontendStack", resource_group_name="rg-global-frontend",
                                    location="eastus")

global_frontend.add_to_stack(frontend_stack)

# The website's Front Door also routes /api/* to the nearest healthy regional Function App
# (latency-based routing with health probes): the routing the configuration below describes.
front_door = global_frontend.get_resource("frontdoor")
website_endpoint = global_frontend.components.website.endpoint
apis = FrontDoorOriginGroup(front_door, "RegionalApis", name="regional-apis", probe_path="/api/users/health",
                            probe_request_type="GET", probe_interval_in_seconds=30)
for entry in backends:
    functions = entry["backend"].get_resource("functions")
    FrontDoorOrigin(apis, f"Origin-{entry['region']}", name=entry["region"], host_name=functions.default_host_name)
site_routes = [c for c in website_endpoint.node.children if isinstance(c, FrontDoorRoute)]
api_route = FrontDoorRoute(website_endpoint, "ApiRoute", name="api", origin_group=apis, patterns_to_match=["/api/*"],
                           caching=False)
api_route.add_dependency(*site_routes)  # one route of an endpoint at a time

# Output all regional endpoints
print("\n=== Multi-Region Deployment (regional apps answer Front Door only) ===")
for entry in backends:
    print(f"\n{entry['region'].upper()}:")
    print("  User API:", entry["endpoints"]["user_api"])
    print("  Product API:", entry["endpoints"]["product_api"])

print("\nGlobal Frontend:", global_frontend.components.website.cdn_endpoint)

# Generate routing configuration for frontend
routing_config = {
    "regions": [{"region": entry["region"], "endpoints": entry["endpoints"]} for entry in backends],
    "routingStrategy": "geo-proximity",  # Route to nearest region
}

print("\nRouting Configuration:", json.dumps(routing_config, indent=2))

app.synth()
