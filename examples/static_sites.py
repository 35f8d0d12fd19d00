"""Static sites and messaging next to an API (seed 000's usage example, seed 003 examples 1 and 2).

One backend holds:

- ``UserApi``: a CrudApi (Cosmos DB + generated Python functions);
- ``AdminPortal``: a StaticSite on Azure Static Web Apps, its content (``admin_portal/``) packaged
  as a deterministic zip with a generated ``staticwebapp.config.json`` (security headers, 404 page);
- ``Website``: a StaticSiteWithCdn, a single-page app behind Azure Front Door Standard with
  compression, one hour of edge caching, CORS for any origin and the custom domain
  ``app.example.com`` (managed certificate; CNAME and validation TXT records in the existing
  Azure DNS zone ``example.com`` of the resource group);
- ``Events``: a MessageQueue, a Service Bus namespace with the queue ``orders`` and the topic
  ``events`` with a ``billing`` subscription. The API's Function App may send to ``orders``.

    atakora synth examples/static_sites.py --out out
"""

from pathlib import Path

from atakora import App, ResourceGroupStack
from atakora.backend import define_backend
from atakora.components import CrudApi, MessageQueue, StaticSite, StaticSiteWithCdn

HERE = Path(__file__).parent

backend = define_backend(
    {
        "user_api": CrudApi.define(
            "UserApi",
            entity_name="User",
            schema={"id": "string", "name": {"type": "string", "required": True}, "email": "string"},
        ),
        "admin_portal": StaticSite.define(
            "AdminPortal",
            source_directory=HERE / "admin_portal",
            index_document="index.html",
            error_document="404.html",
        ),
        "website": StaticSiteWithCdn.define(
            "Website",
            index_document="index.html",
            enable_spa_mode=True,
            custom_domain="app.example.com",
            dns_zone_name="example.com",
            enable_compression=True,
            cache_max_age=3600,
            cors={"allowed_origins": ["*"]},
        ),
        "events": MessageQueue.define(
            "Events",
            queues=["orders"],
            topics=[{"name": "events", "subscriptions": ["billing"]}],
        ),
    },
    environment="prod",
    location="eastus",
    tags={"team": "platform"},
)

app = App()
stack = ResourceGroupStack(app, "WebStack", resource_group_name="rg-web-prod", location="eastus")
backend.add_to_stack(stack)

functions = backend.get_resource("functions", "shared")
backend.components.events.grant_send(functions, entities=["orders"])

stack.add_output("adminPortalUrl", backend.components.admin_portal.url)
stack.add_output("websiteCdnEndpoint", backend.components.website.cdn_endpoint)
stack.add_output("serviceBusEndpoint", backend.components.events.endpoint)

app.synth()
