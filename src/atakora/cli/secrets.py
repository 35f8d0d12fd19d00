"""``atakora secrets set | list``: secret values go straight to the backend's Key Vault, never to a file.

The program is run (nothing is written) to learn each backend's vault and the secrets its
components declare; values are sent with ``azure-keyvault-secrets`` and your Azure credential
(``DefaultAzureCredential``: ``az login`` locally). The value comes from standard input when it is
piped, else from a hidden prompt; it is never printed or logged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import AtakoraError, ConfigurationError

__all__ = ["DeclaredSecret", "client_factory", "declared_in", "declared_secrets", "list_secrets", "resolve_secret", "set_secret"]


@dataclass(frozen=True)
class DeclaredSecret:
    """One secret a component (or the backend, owner 'shared') declared, and where it lives."""

    backend_id: str
    vault_name: str
    owner: str
    name: str
    secret_name: str

    @property
    def vault_url(self) -> str:
        """``https://<vault>.vault.azure.net/`` (Azure public cloud)."""
        return f"https://{self.vault_name}.vault.azure.net/"


def _default_client(vault_url: str) -> Any:
    try:
        from azure.identity import DefaultAzureCredential
        from azure.keyvault.secrets import SecretClient
    except ImportError:
        raise AtakoraError("atakora secrets needs azure-keyvault-secrets and azure-identity",
                           fix="pip install 'atakora[deploy]'") from None
    return SecretClient(vault_url=vault_url, credential=DefaultAzureCredential())


client_factory: Callable[[str], Any] = _default_client
"""Makes the ``SecretClient`` of a vault URL (tests replace it with a fake)."""


def declared_secrets(program: Path) -> list[DeclaredSecret]:
    """Every secret the program's backends declare, in a stable order."""
    from .program import run_program

    return declared_in(run_program(program, outdir=None, write=False))


def declared_in(run: Any) -> list[DeclaredSecret]:
    """Every secret the backends of a program run (``run_program``) declare."""
    from ..backend.backend import backends_of
    from ..backend.providers.secrets import CONSTRUCT_ID

    found: list[DeclaredSecret] = []
    for created in run.apps:
        for backend in backends_of(created):
            holder = backend.scope.node.try_find_child(CONSTRUCT_ID) if backend.scope is not None else None
            vault = getattr(holder, "backend_vault", None)
            if vault is None:
                continue
            for (owner, name), secret in sorted(vault.declared.items()):
                found.append(DeclaredSecret(backend.backend_id, str(vault.vault.resource_name), owner, name, secret))
    return found


def resolve_secret(program: Path, reference: str) -> DeclaredSecret:
    """The declared secret ``NAME`` or ``Component/NAME``; errors list the declared ones."""
    declared = declared_secrets(program)
    owner, _, name = reference.rpartition("/")
    matches = [d for d in declared if d.name == name and (not owner or d.owner == owner)]
    listing = ", ".join(f"{d.owner}/{d.name}" for d in declared) or "(none: add secrets=['NAME'] to a component)"
    if not matches:
        raise ConfigurationError(f"{program.name} declares no secret {reference!r}", field="secrets", path=str(program),
                                 fix=f"use one of {listing}")
    if len(matches) > 1:
        raise ConfigurationError(f"several components declare {name!r}", field="secrets", path=str(program),
                                 fix=f"name the component: {', '.join(f'{d.owner}/{d.name}' for d in matches)}")
    return matches[0]


def set_secret(secret: DeclaredSecret, value: str) -> None:
    """Store ``value`` as the secret's current version (content type text/plain)."""
    if not value:
        raise ConfigurationError(f"the value of {secret.owner}/{secret.name} is empty", field="value",
                                 fix="pipe the value on standard input or type it at the prompt")
    client = client_factory(secret.vault_url)
    _call(secret, lambda: client.set_secret(secret.secret_name, value, content_type="text/plain"))


def list_secrets(program: Path) -> list[tuple[DeclaredSecret, bool]]:
    """Each declared secret with whether its vault holds it."""
    declared = declared_secrets(program)
    present: dict[str, set[str]] = {}
    for url in sorted({d.vault_url for d in declared}):
        first = next(d for d in declared if d.vault_url == url)
        present[url] = set(_call(first, _names_in(client_factory(url))))
    return [(d, d.secret_name in present[d.vault_url]) for d in declared]


def _names_in(client: Any) -> Callable[[], list[str]]:
    return lambda: [p.name for p in client.list_properties_of_secrets()]


def _call(secret: DeclaredSecret, action: Callable[[], Any]) -> Any:
    try:
        from azure.core.exceptions import AzureError
    except ImportError:  # pragma: no cover - azure-core comes with azure-keyvault-secrets
        AzureError = OSError  # type: ignore[misc,assignment]
    try:
        return action()
    except AzureError as error:  # HttpResponseError, ClientAuthenticationError, ServiceRequestError
        kind = type(error).__name__
        raise AtakoraError(f"Key Vault {secret.vault_name} refused the request ({kind}): "
                           f"{str(error).splitlines()[0] if str(error) else kind}",
                           fix="deploy the backend first so the vault exists, run `az login`, and make sure you "
                           "hold 'Key Vault Secrets Officer' on the vault (and can reach it: isolated vaults "
                           "have no public access)") from None
