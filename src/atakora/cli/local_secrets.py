"""Local secret values for ``atakora dev``: ``.atakora-secrets.json`` next to the program (git-ignored).

The file maps a secret's app setting name (``"STRIPE_KEY"``) or ``"Component/NAME"`` to its local
value, e.g. ``{"STRIPE_KEY": "sk_test_..."}``. Values never leave your machine; the dev server
sets them as environment variables and names the declared secrets the file lacks.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from ..errors import ConfigurationError
from .secrets import DeclaredSecret

__all__ = ["LOCAL_SECRETS_FILE", "local_secret_values"]

LOCAL_SECRETS_FILE = ".atakora-secrets.json"


def local_secret_values(program: Path, declared: Sequence[DeclaredSecret]) -> tuple[dict[str, str], list[str]]:
    """(app setting → local value, the 'Component/NAME' of declared secrets without a local value)."""
    path = program.resolve().parent / LOCAL_SECRETS_FILE
    values: dict[str, object] = {}
    if path.is_file():
        try:
            loaded = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as error:
            raise ConfigurationError(f"{path.name} is not valid JSON (line {error.lineno})", field="secrets",
                                     path=str(path), fix='write an object such as {"STRIPE_KEY": "sk_test_..."}'
                                     ) from None
        if not isinstance(loaded, dict) or not all(isinstance(v, str) for v in loaded.values()):
            raise ConfigurationError(f"{path.name} must map secret names to string values", field="secrets",
                                     path=str(path), fix='write an object such as {"STRIPE_KEY": "sk_test_..."}')
        values = loaded
    found: dict[str, str] = {}
    missing: list[str] = []
    for secret in declared:
        value = values.get(f"{secret.owner}/{secret.name}", values.get(secret.name))
        if isinstance(value, str) and value:
            found[secret.name] = value
        else:
            missing.append(f"{secret.owner}/{secret.name}")
    return found, missing
