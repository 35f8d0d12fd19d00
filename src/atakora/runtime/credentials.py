"""The managed identity a component's code uses: its client id from ``{PREFIX}_AZURE_CLIENT_ID``.

In a shared Function App every component has its own user-assigned identity; atakora writes its
client id to the namespaced app setting ``{PREFIX}_AZURE_CLIENT_ID``. ``component_credential``
gives the Azure SDK credential for it (``DefaultAzureCredential`` with
``managed_identity_client_id``: the component's identity in Azure, your developer login locally).
The app-wide ``AZURE_CLIENT_ID`` is only a fallback for apps deployed by other tools.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

__all__ = ["APP_CLIENT_ID_SETTING", "client_id_setting", "component_client_id", "component_credential"]

APP_CLIENT_ID_SETTING = "AZURE_CLIENT_ID"


def client_id_setting(prefix: str) -> str:
    """``{PREFIX}_AZURE_CLIENT_ID``: the app setting with the client id of the component's identity."""
    return f"{prefix}_AZURE_CLIENT_ID"


def component_client_id(prefix: str, environ: Mapping[str, str] | None = None) -> str | None:
    """The client id of the component with settings prefix ``prefix`` (None: no user-assigned identity)."""
    env = os.environ if environ is None else environ
    value = env.get(client_id_setting(prefix), "").strip() or env.get(APP_CLIENT_ID_SETTING, "").strip()
    return value or None


def component_credential(prefix: str, environ: Mapping[str, str] | None = None) -> Any:
    """An Azure SDK credential for the component's identity (``azure-identity`` must be installed)."""
    from azure.identity import DefaultAzureCredential

    return DefaultAzureCredential(managed_identity_client_id=component_client_id(prefix, environ))
