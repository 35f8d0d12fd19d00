"""What was last deployed: a copy of each deployed stack's template and owners, kept next to the assembly.

``atakora deploy`` records a stack once it deployed; the guard and the orphan list compare against
this record (``<assembly parent>/.atakora-deployed/<assembly name>/``, the layout of an assembly).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..core.synthesis.writer import dump_json, write_atomically
from ..diff import OWNERS_FILE
from .errors import DeployError
from .prune import Orphan

__all__ = ["ORPHANS_FILE", "STATE_DIR", "load_orphans", "record_deployed", "state_dir_for"]

STATE_DIR = ".atakora-deployed"
ORPHANS_FILE = "orphans.json"


def state_dir_for(assembly: Path) -> Path:
    """Where the record of what was deployed from ``assembly`` lives."""
    resolved = assembly.resolve()
    return resolved.parent / STATE_DIR / resolved.name


def _read(file: Path, default: Any) -> Any:
    if not file.is_file():
        return default
    try:
        return json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise DeployError(f"the record of the last deployment is unreadable: {file}: {error}",
                          fix=f"delete {file.parent} to start over (the next diff then treats everything as new)"
                          ) from None


def load_orphans(state_dir: Path) -> list[Orphan]:
    """Resources recorded as left in Azure by earlier deployments (not pruned yet)."""
    data = _read(state_dir / ORPHANS_FILE, {})
    return [Orphan.from_json(o) for o in data.get("orphans", [])] if isinstance(data, dict) else []


def record_deployed(state_dir: Path, assembly: Path, stack_ids: Sequence[str],
                    orphans: Sequence[Orphan] = ()) -> None:
    """Record the stacks ``stack_ids`` of ``assembly`` as deployed (the others keep their earlier record),
    and ``orphans`` as the resources still left in Azure."""
    if not stack_ids:
        return
    manifest = _read(assembly / "manifest.json", {})
    owners = _read(assembly / OWNERS_FILE, {})
    old_manifest = _read(state_dir / "manifest.json", {"version": "1.0", "stacks": []})
    old_owners = _read(state_dir / OWNERS_FILE, {"version": "1.0", "stacks": {}})
    chosen = {str(s["id"]): s for s in manifest.get("stacks", []) if s["id"] in stack_ids}
    files: dict[str, bytes] = {}
    entries: list[dict[str, Any]] = []
    kept = [s for s in old_manifest.get("stacks", []) if s["id"] not in chosen]
    for entry in kept:
        template = state_dir / str(entry["templateFile"])
        if template.is_file():
            files[str(entry["templateFile"])] = template.read_bytes()
            entries.append(entry)
    for entry in chosen.values():
        files[str(entry["templateFile"])] = (assembly / str(entry["templateFile"])).read_bytes()
        entries.append({k: v for k, v in entry.items() if k != "assets"})
    stacks_owners = dict(old_owners.get("stacks") or {})
    for entry in chosen.values():
        stack = str(entry.get("stack", entry["id"]))
        stacks_owners[stack] = (owners.get("stacks") or {}).get(stack, {})
    record: dict[str, Any] = {"version": "1.0", "stacks": stacks_owners}
    if owners.get("protected"):
        record["protected"] = owners["protected"]
    files["manifest.json"] = dump_json({"version": "1.0", "deployOrder": [e["id"] for e in entries],
                                        "stacks": entries})
    files[OWNERS_FILE] = dump_json(record)
    files[ORPHANS_FILE] = dump_json({"version": "1.0", "orphans": [o.to_json() for o in orphans]})
    write_atomically(state_dir, files)
