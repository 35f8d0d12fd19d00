"""Rules for secrets: no credential as a literal app setting (use ``secrets=`` and Key Vault references)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from ._model import AssemblyView, ResourceView, Violation
from ._registry import builtin

__all__ = ["SECRET_PATTERNS", "literal_secret_settings", "secret_kind"]

KEY_VAULT_REFERENCES_DOCS = "https://learn.microsoft.com/azure/app-service/app-service-key-vault-references"

SECRET_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("a storage or Service Bus key (AccountKey=/SharedAccessKey=)",
     re.compile(r"(?i)\b(AccountKey|SharedAccessKey)\s*=\s*[^;\s]{8,}")),
    ("a password (password=/pwd=)", re.compile(r"(?i)(?:^|[;\s?&])(password|pwd)\s*=\s*[^;\s&]+")),
    ("a shared access signature (sig=)", re.compile(r"(?i)[?&]sig=[A-Za-z0-9%+/=]{16,}")),
    ("a Stripe secret key", re.compile(r"\b[sr]k_(live|test)_[0-9A-Za-z]{10,}")),
    ("an AWS access key id", re.compile(r"\bAKIA[0-9A-Z]{16}\b")),
    ("a GitHub token", re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36,}")),
    ("a Slack token", re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}")),
    ("a private key", re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----")),
)
"""(what it looks like, pattern) of credentials that must not sit in a template."""


def _scoped(pattern: re.Pattern[str]) -> str:
    """``pattern`` as a group of an alternation, its leading ``(?i)`` turned into a scoped flag."""
    source = pattern.pattern
    return f"(?i:{source[4:]})" if source.startswith("(?i)") else f"(?:{source})"


_ANY_SECRET = re.compile("|".join(_scoped(pattern) for _, pattern in SECRET_PATTERNS))
"""Every pattern at once: one search tells a plain value (nearly all of them) from a possible credential."""


def secret_kind(value: object) -> str | None:
    """What kind of credential a literal value looks like (None: not one, or an ARM expression)."""
    if not isinstance(value, str) or (value.startswith("[") and not value.startswith("[[")):
        return None
    if value.startswith("@Microsoft.KeyVault("):
        return None
    if _ANY_SECRET.search(value) is None:
        return None
    return next((kind for kind, pattern in SECRET_PATTERNS if pattern.search(value)), None)


def _settings(resource: ResourceView) -> Mapping[str, Any]:
    if resource.type == "Microsoft.Web/sites":
        return resource.app_settings()
    if resource.type in ("Microsoft.Web/sites/config", "Microsoft.Web/staticSites/config"):
        return {str(k): v for k, v in resource.properties.items()}
    return {}


@builtin("AZ-SEC-001", "error", title="No credential as a literal app setting or environment variable",
         docs=KEY_VAULT_REFERENCES_DOCS)
def literal_secret_settings(assembly: AssemblyView) -> Iterator[Violation]:
    """A connection string with a key, a password or a known key format written into the template is
    readable by everyone who can read the deployment; keep it in Key Vault and reference it."""
    for resource in assembly.resources("Microsoft.Web/sites", "Microsoft.Web/sites/config", "Microsoft.Web/staticSites/config"):
        for name, value in sorted(_settings(resource).items()):
            kind = secret_kind(value)
            if kind is not None:
                # The value itself is never repeated in the message.
                yield Violation(resource, f"app setting {name} of {resource.name} holds {kind} in clear text",
                                fix=f"use secrets=['{name}'] on the component (or the backend) and store the value "
                                    f"with `atakora secrets set APP.py {name}`")
