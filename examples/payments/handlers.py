"""Payment functions: the Stripe key arrives as the app setting STRIPE_KEY (a Key Vault reference)."""

import json
import os

import azure.functions as func


def charge(req: func.HttpRequest) -> func.HttpResponse:
    """Accept a charge request; the key is read from the environment, never logged or returned."""
    configured = bool(os.environ.get("STRIPE_KEY"))
    return func.HttpResponse(json.dumps({"accepted": configured}), mimetype="application/json",
                             status_code=202 if configured else 503)
