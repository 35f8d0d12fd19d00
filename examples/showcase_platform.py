"""A platform stack: monitoring, secrets, messaging, caching, identity and RBAC.

Uses every resource type of atakora.resources.insights, .operationalinsights, .keyvault, .servicebus,
.cache, .authorization, .managedidentity and the nested deployment of .resources.

    python examples/showcase_platform.py      # writes ./atakora.out
"""

from __future__ import annotations

from atakora import App, ResourceGroupStack, SubscriptionStack
from atakora.resources.authorization import BuiltInRole, RoleAssignment
from atakora.resources.cache import RedisCache
from atakora.resources.insights import (
    ActionGroup,
    ApplicationInsights,
    DiagnosticSetting,
    EmailReceiver,
    MetricAlert,
    MetricCriterion,
)
from atakora.resources.keyvault import KeyVault, KeyVaultSecret
from atakora.resources.managedidentity import UserAssignedIdentity
from atakora.resources.network import PrivateEndpoint
from atakora.resources.operationalinsights import LogAnalyticsWorkspace
from atakora.resources.resources import NestedDeployment
from atakora.resources.servicebus import (
    ServiceBusNamespace,
    ServiceBusQueue,
    ServiceBusSubscription,
    ServiceBusTopic,
)

# Secret expiry (attributes.exp): 2027-01-01T00:00:00Z as a Unix time.
SECRET_EXPIRES = 1798761600

app = App()

# The subscription stack creates the resource group of the platform stack, and grants a reader
# group read access to the whole subscription.
subscription = SubscriptionStack(app, "Subscription", location="eastus", tags={"team": "platform"})
readers = subscription.add_parameter("readerGroupObjectId", description="Object id of the platform readers group")
RoleAssignment(subscription, "ReadersOnSubscription", role=BuiltInRole.READER, principal=readers.value,
               principal_type="Group")

stack = ResourceGroupStack(subscription, "Platform", resource_group_name="rg-platform-prod", location="eastus",
                           tags={"env": "prod"})

# Monitoring: workspace, workspace-based Application Insights, an action group and an alert on failures.
workspace = LogAnalyticsWorkspace(stack, "Logs", name="log-platform-prod", retention_in_days=90)
insights = ApplicationInsights(stack, "Insights", name="appi-platform-prod", workspace=workspace,
                               sampling_percentage=50)
oncall = ActionGroup(stack, "OnCall", name="ag-platform-oncall", short_name="oncall",
                     email_receivers=[EmailReceiver("ops", "ops@example.com")])
MetricAlert(stack, "FailedRequests", name="alert-failed-requests", scopes=[insights],
            criteria=[MetricCriterion("failed", "requests/failed", "GreaterThan", 5)],
            severity=1, window_size="PT15M", actions=[oncall],
            description="More than 5 failed requests in 15 minutes")

# Secrets: a vault with RBAC, purge protection and no public access, and a secret from a secure parameter.
vault = KeyVault(stack, "Vault", name="kv-platform-prod")
db_password = stack.add_parameter("dbPassword", type="securestring")
KeyVaultSecret(vault, "DbPassword", name="db-password", value=db_password, expires=SECRET_EXPIRES)
DiagnosticSetting(stack, "VaultDiagnostics", name="to-log-analytics", target=vault, workspace=workspace,
                  log_category_groups=["audit"])

# Messaging: a Standard namespace with a queue, and a topic with one subscription.
bus = ServiceBusNamespace(stack, "Bus", name="sb-platform-prod")
ServiceBusQueue(bus, "Orders", name="orders", max_size_in_megabytes=2048)
events = ServiceBusTopic(bus, "Events", name="events")
ServiceBusSubscription(events, "Billing", name="billing", max_delivery_count=5)

# Caching.
cache = RedisCache(stack, "Cache", name="redis-platform-prod")

# The vault and the cache refuse public traffic: they are reached through private endpoints in the
# platform's existing endpoint subnet (its id is a parameter).
endpoint_subnet = stack.add_parameter("privateEndpointSubnetId", description="Resource id of the subnet for "
                                      "private endpoints")
PrivateEndpoint(stack, "VaultEndpoint", name="pe-kv-platform-prod", subnet=endpoint_subnet.value, target=vault,
                group_ids=["vault"])
PrivateEndpoint(stack, "CacheEndpoint", name="pe-redis-platform-prod", subnet=endpoint_subnet.value, target=cache,
                group_ids=["redisCache"])

# Identity and least-privilege access for the workloads.
identity = UserAssignedIdentity(stack, "Workload", name="id-platform-workload")
RoleAssignment(stack, "WorkloadReadsSecrets", role=BuiltInRole.KEY_VAULT_SECRETS_USER, principal=identity,
               target=vault)
RoleAssignment(stack, "WorkloadReceivesMessages", role=BuiltInRole.AZURE_SERVICE_BUS_DATA_RECEIVER,
               principal=identity, target=bus)

# A nested deployment with a tiny inline template (its own parameter and output).
NestedDeployment(
    stack,
    "Settings",
    name="platform-settings",
    template={
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "contentVersion": "1.0.0.0",
        "parameters": {"environment": {"type": "string"}},
        "resources": [],
        "outputs": {"label": {"type": "string", "value": "[format('platform-{0}', parameters('environment'))]"}},
    },
    parameters={"environment": "prod"},
)

stack.add_output("vaultUri", vault.vault_uri)
stack.add_output("appInsightsConnectionString", insights.connection_string)
stack.add_output("serviceBusEndpoint", bus.endpoint)
stack.add_output("workloadClientId", identity.client_id)

app.synth()
