"""Microsoft.OperationalInsights: Log Analytics workspaces."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from ..core.construct import Construct
from ..core.expressions import Expr
from ..core.resource import Resource
from ..errors import ConfigurationError
from ._common import child_path, require_range

__all__ = ["API_VERSIONS", "LogAnalyticsWorkspace", "PublicAccess", "WorkspaceSku"]

API_VERSIONS: dict[str, str] = {
    "Microsoft.OperationalInsights/workspaces": "2025-07-01",
}

WorkspaceSku = Literal["PerGB2018", "CapacityReservation", "Standalone", "PerNode", "Free", "Standard", "Premium"]
PublicAccess = Literal["Enabled", "Disabled"]
_SKUS = ("PerGB2018", "CapacityReservation", "Standalone", "PerNode", "Free", "Standard", "Premium")
_ACCESS = ("Enabled", "Disabled")


class LogAnalyticsWorkspace(Resource):
    """A Log Analytics workspace: where logs and workspace-based Application Insights data go.

    Defaults: sku ``PerGB2018``, 30 days of retention (30-730), no daily cap, public ingestion and
    query enabled, local (shared key) authentication disabled.
    """

    TYPE = "Microsoft.OperationalInsights/workspaces"
    API_VERSION = API_VERSIONS[TYPE]

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        name: str | Expr,
        location: str | Expr | None = None,
        tags: Mapping[str, str] | None = None,
        sku: WorkspaceSku = "PerGB2018",
        retention_in_days: int = 30,
        daily_quota_gb: float | None = None,
        public_network_access_for_ingestion: PublicAccess = "Enabled",
        public_network_access_for_query: PublicAccess = "Enabled",
        disable_local_auth: bool = True,
    ) -> None:
        path = child_path(scope, id)
        require_range(retention_in_days, field="retention_in_days", path=path, minimum=30, maximum=730)
        if daily_quota_gb is not None and daily_quota_gb != -1 and not daily_quota_gb > 0:
            raise ConfigurationError(f"daily_quota_gb is {daily_quota_gb}, but must be positive (or -1 for no cap)",
                                     field="daily_quota_gb", path=path,
                                     fix="set daily_quota_gb to a positive number of GB, or leave it out")
        properties: dict[str, Any] = {
            "sku": {"name": sku},
            "retentionInDays": retention_in_days,
            "publicNetworkAccessForIngestion": public_network_access_for_ingestion,
            "publicNetworkAccessForQuery": public_network_access_for_query,
            "features": {"disableLocalAuth": disable_local_auth,
                         "enableLogAccessUsingOnlyResourcePermissions": True},
        }
        if daily_quota_gb is not None:
            properties["workspaceCapping"] = {"dailyQuotaGb": daily_quota_gb}
        super().__init__(scope, id, name=name, location=location, tags=tags, properties=properties)

    @property
    def customer_id(self) -> Expr:
        """The workspace (customer) id, a GUID known after deployment."""
        return self.attribute("customerId")
