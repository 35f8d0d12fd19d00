"""plan.json and components.json are serialized once: the assembly keeps the very bytes it writes."""

from __future__ import annotations

import json
from pathlib import Path

from atakora.core.synthesis.assembly import JsonFile
from atakora.core.synthesis.streamed import JsonData

from ._support import crud, deployed


def test_the_plan_and_the_owners_are_kept_as_the_bytes_written_and_read_as_the_plan(tmp_path: Path) -> None:
    backend, app, _ = deployed({"users": crud("UserApi"), "orders": crud("OrderApi")}, tmp_path)
    assembly = app.synth()
    for name in ("plan.json", "components.json"):
        artifact = assembly.artifacts[name]
        assert isinstance(artifact, JsonFile)
        assert artifact.data == (tmp_path / name).read_bytes()
    plan = assembly.artifacts["plan.json"]
    assert json.loads((tmp_path / "plan.json").read_bytes()) == {"version": "1.0", "backends": [backend.plan().to_json()]}
    assert plan["backends"][0]["backendId"] == backend.backend_id


def test_data_json_cannot_hold_is_kept_as_it_is_to_fail_when_written() -> None:
    data = {"version": "1.0", "backends": [{"odd": {1, 2}}]}
    assert JsonData(data).in_memory() is data
    assert isinstance(JsonData({"version": "1.0"}).in_memory(), JsonFile)
