"""plan.json and components.json are written piece by piece when synthesis writes: the same bytes as in memory."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from atakora import App, ResourceGroupStack
from atakora.backend import define_backend
from atakora.core.synthesis import synthesize
from atakora.core.synthesis.assembly import JsonFile
from atakora.core.synthesis.indented import LazyList
from atakora.core.synthesis.streamed import JsonData
from atakora.errors import SynthesisError

from ._support import crud


def _app(outdir: Path) -> App:
    """Three backends in two stacks (two share one), one component protected."""
    app = App(outdir=str(outdir))
    first = ResourceGroupStack(app, "First", resource_group_name="rg-first", location="eastus")
    second = ResourceGroupStack(app, "Second", resource_group_name="rg-second", location="westus")
    define_backend({"users": crud("UserApi"), "orders": crud("OrderApi", protect=True)}, environment="prod",
                   backend_id="shop").add_to_stack(first)
    define_backend({"notes": crud("NoteApi")}, environment="prod", backend_id="notes").add_to_stack(first)
    define_backend({"items": crud("ItemApi")}, environment="prod", backend_id="items").add_to_stack(second)
    return app


def test_the_streamed_plan_and_owners_are_byte_identical_to_the_ones_serialized_in_memory(tmp_path: Path) -> None:
    written = _app(tmp_path / "out").synth()
    kept = synthesize(_app(tmp_path / "unused"), tmp_path / "unused", write=False)
    assert not (tmp_path / "unused").exists()
    for name in ("plan.json", "components.json"):
        streamed, in_memory = written.artifacts[name], kept.artifacts[name]
        assert isinstance(streamed, JsonFile) and isinstance(in_memory, JsonFile)
        assert streamed.data == in_memory.data == (tmp_path / "out" / name).read_bytes()
    owners = json.loads((tmp_path / "out" / "components.json").read_bytes())
    assert list(owners["stacks"]) == ["First", "Second"] and owners["protected"] == ["OrderApi"]
    assert {"OrderApi", "UserApi", "NoteApi"} <= set(",".join(owners["stacks"]["First"].values()).split(","))


def _many(last: str) -> LazyList:
    """Many backends' worth of entries (the document is written in several pieces), ``last`` in the last."""
    return LazyList({"n": number, "value": last if number == 999 else "plain"} for number in range(1000))


def test_a_token_left_in_a_streamed_artifact_is_refused_and_the_previous_assembly_kept(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text("{}")
    app = App(outdir=str(tmp_path))
    ResourceGroupStack(app, "Main", resource_group_name="rg-main", location="eastus")
    app.add_artifact("notes.json", lambda: JsonData({"entries": _many("${Main/Site.endpoint}")}))
    with pytest.raises(SynthesisError, match=r"notes.json holds the token \$\{Main/Site.endpoint\}"):
        app.synth()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["manifest.json"]


def test_data_json_cannot_hold_fails_as_it_does_in_memory_and_leaves_no_file(tmp_path: Path) -> None:
    made: list[str] = []

    def plain() -> object:
        made.append("plain")
        return {"entries": [{"odd": {1, 2}}]}

    app = App(outdir=str(tmp_path / "out"))
    ResourceGroupStack(app, "Main", resource_group_name="rg-main", location="eastus")
    app.add_artifact("odd.json", lambda: JsonData({"entries": LazyList([{"odd": {1, 2}}])}, plain))
    with pytest.raises(TypeError, match="set is not JSON serializable"):
        app.synth()
    assert made == ["plain"] and not (tmp_path / "out").exists()
    assert list(tmp_path.iterdir()) == []


def test_text_written_in_pieces_is_staged_piece_by_piece_read_back_as_text_and_refused_with_a_token(
        tmp_path: Path) -> None:
    from atakora.core.synthesis.assembly import TextFile
    from atakora.core.synthesis.streamed import TextPieces

    def lines(put: object) -> None:
        for i in range(3):
            put(f"line {i}\n")  # type: ignore[operator]

    app = App(outdir=str(tmp_path / "out"))
    ResourceGroupStack(app, "Main", resource_group_name="rg-main", location="eastus")
    app.add_artifact("notes.txt", lambda: TextPieces(lines))
    text = app.synth().artifacts["notes.txt"]
    assert isinstance(text, TextFile) and text == "line 0\nline 1\nline 2\n" == TextPieces(lines).text()
    assert (tmp_path / "out" / "notes.txt").read_text() == text

    (tmp_path / "again" / "manifest.json").parent.mkdir()
    (tmp_path / "again" / "manifest.json").write_text("{}")
    other = App(outdir=str(tmp_path / "again"))
    ResourceGroupStack(other, "Main", resource_group_name="rg-main", location="eastus")
    other.add_artifact("notes.txt", lambda: TextPieces(lambda put: put("see ${Main/Site.endpoint}\n")))
    with pytest.raises(SynthesisError, match=r"notes.txt holds the token \$\{Main/Site.endpoint\}"):
        other.synth()
    assert sorted(p.name for p in (tmp_path / "again").iterdir()) == ["manifest.json"]


def _openapi(assembly_dir: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((assembly_dir / "openapi").iterdir())}


def test_each_openapi_document_is_written_when_its_package_is_built_as_the_bytes_the_package_holds(
        tmp_path: Path) -> None:
    import io
    import zipfile

    app = _app(tmp_path / "out")
    written = app.synth()
    documents = _openapi(tmp_path / "out")
    assert len(documents) == 3
    kept = synthesize(_app(tmp_path / "unused"), tmp_path / "unused", write=False)
    for name, data in documents.items():
        assert written.artifacts[f"openapi/{name}"].data == kept.artifacts[f"openapi/{name}"].data == data
    packages = [zipfile.ZipFile(io.BytesIO(data)) for data in written.assets.values()]
    assert sorted(z.read("openapi.json") for z in packages) == sorted(documents.values())
    again = synthesize(app, tmp_path / "again")  # another synthesis of the same App writes them too
    assert _openapi(tmp_path / "again") == documents and again.artifacts.keys() == written.artifacts.keys()
