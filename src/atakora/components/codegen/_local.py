"""Write a generated package as a local Functions project that runs on SQLite."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from ._package import FunctionPackage
from ._render import GENERATED_PACKAGE, RUNTIME_PACKAGE, USER_CODE_PACKAGE

LOCAL_SETTINGS = "local.settings.json"
DATA_DIRECTORY = ".data"
LOCAL_STORAGE = "UseDevelopmentStorage=true"


def local_settings(package: FunctionPackage, directory: Path) -> dict[str, str]:
    """The app settings of a local run: Python worker and, per CrudApi, a SQLite file in ``directory``.

    Queue or timer functions also get ``AzureWebJobsStorage=UseDevelopmentStorage=true`` (Azurite).
    """
    values = {"FUNCTIONS_WORKER_RUNTIME": "python"}
    if package.needs_storage_triggers:
        values["AzureWebJobsStorage"] = LOCAL_STORAGE
    data = directory.resolve() / DATA_DIRECTORY
    for prefix in package.crud_settings_prefixes:
        values[f"{prefix}_STORE"] = "sqlite"
        values[f"{prefix}_SQLITE_PATH"] = str(data / f"{prefix.lower()}.sqlite3")
    return values


def write_local_project(package: FunctionPackage, directory: Path | str) -> Path:
    """Write ``package`` to ``directory`` with a ``local.settings.json`` and return the directory.

    The generated subtrees (``atakora_runtime/``, ``atakora_generated/``, ``user_code/``) are
    replaced so deleted files do not linger; other files are overwritten.  Values already in an
    existing ``local.settings.json`` are kept (they override the defaults), missing ones are added.
    SQLite databases live in ``<directory>/.data/``.
    """
    root = Path(directory)
    root.mkdir(parents=True, exist_ok=True)
    for owned in (RUNTIME_PACKAGE, GENERATED_PACKAGE, USER_CODE_PACKAGE):
        if (root / owned).is_dir():
            shutil.rmtree(root / owned)
    for relative, content in package.files.items():
        target = root.joinpath(*relative.split("/"))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    if package.crud_settings_prefixes:
        (root / DATA_DIRECTORY).mkdir(exist_ok=True)
    settings_path = root / LOCAL_SETTINGS
    existing: dict[str, Any] = {}
    if settings_path.is_file():
        existing = json.loads(settings_path.read_text(encoding="utf-8"))
    values = {**local_settings(package, root), **existing.get("Values", {})}
    document = {**existing, "IsEncrypted": False, "Values": dict(sorted(values.items()))}
    settings_path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return root
