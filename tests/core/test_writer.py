"""The assembly writer: compact, deterministic templates; readable plan and manifest."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from atakora import App, ResourceGroupStack
from atakora.core import ArmResource
from atakora.core.synthesis.writer import compact_encoder, dump_json, dump_lines, dump_template


def _app(outdir: str) -> App:
    app = App(outdir=outdir)
    stack = ResourceGroupStack(app, "Main", resource_group_name="rg-main", location="eastus")
    for i in range(3):
        ArmResource(stack, f"Account{i}", type="Microsoft.Storage/storageAccounts", api_version="2025-08-01",
                    name=f"stmain{i}", sku={"name": "Standard_LRS"}, kind="StorageV2",
                    properties={"note": "café ünïcode"})
    return app


def test_a_template_is_written_compactly_with_one_resource_per_line(tmp_path):
    _app(str(tmp_path)).synth()
    text = (tmp_path / "Main.json").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert len(lines) == 5  # header and "resources":[, three resources, closing members
    assert all(line.startswith('{"type":"Microsoft.Storage/storageAccounts"') for line in lines[1:4])
    assert "café ünïcode" in text and ": " not in text


def test_the_compact_template_parses_to_the_same_template_in_the_same_key_order():
    template = {"$schema": "s", "contentVersion": "1.0.0.0", "parameters": {"p": {"type": "string"}},
                "resources": [{"type": "a", "name": "x", "properties": {"b": [1, 2], "a": None}}],
                "outputs": {"o": {"type": "string", "value": "[parameters('p')]"}}}
    data = dump_template(template)
    assert data.endswith(b"\n")
    parsed = json.loads(data)
    assert parsed == template and list(parsed) == list(template)
    assert list(parsed["resources"][0]["properties"]) == ["b", "a"]


def test_a_template_without_resources_is_one_compact_line():
    assert dump_template({"resources": [], "outputs": {}}) == b'{"resources":[],"outputs":{}}\n'


def test_the_manifest_and_plan_stay_indented(tmp_path):
    _app(str(tmp_path)).synth()
    manifest = (tmp_path / "manifest.json").read_text(encoding="utf-8")
    assert manifest.startswith('{\n  "version": "1.0"')
    assert dump_json({"a": 1}) == b'{\n  "a": 1\n}\n'


def test_two_syntheses_write_byte_identical_templates(tmp_path):
    _app(str(tmp_path / "a")).synth()
    _app(str(tmp_path / "b")).synth()
    assert (tmp_path / "a" / "Main.json").read_bytes() == (tmp_path / "b" / "Main.json").read_bytes()


def test_named_members_are_written_one_item_per_line_at_any_depth():
    document = {"openapi": "3.1.0", "paths": {"/a": {"get": {}}, "/b": {"post": {"x": [1]}}},
                "components": {"schemas": {"A": {"type": "object"}}, "securitySchemes": {"k": {}}}, "tags": []}
    text = dump_lines(document, {"paths": True, "components": {"schemas": True}, "tags": True}).decode()
    assert text.splitlines() == [
        '{"openapi":"3.1.0","paths":{', '"/a":{"get":{}},', '"/b":{"post":{"x":[1]}}',
        '},"components":{"schemas":{', '"A":{"type":"object"}', '},"securitySchemes":{"k":{}}},"tags":[]}']
    assert json.loads(text) == document


def test_a_json_file_artifact_is_written_as_its_bytes_and_parsed_only_when_read(tmp_path):
    from atakora.core.synthesis.assembly import CloudAssembly, JsonFile

    document = JsonFile(b'{"paths":{\n"/a":{}\n}}\n')
    assembly = CloudAssembly(outdir=tmp_path, units=[], artifacts={"openapi/app.json": document})
    assert dict(assembly.iter_files())["openapi/app.json"] == b'{"paths":{\n"/a":{}\n}}\n'
    assert "_parsed" not in vars(document)
    assert document["paths"] == {"/a": {}} and list(document) == ["paths"] and len(document) == 1


def test_dump_json_writes_containers_below_six_levels_one_line_each_and_reads_back_the_same():
    deep = {"a": [{"b": [{"c": {"d": [1, {"e": [2, 3]}]}}]}]}
    text = dump_json(deep)
    assert json.loads(text) == deep
    assert b'\n              {"e": [2, 3]}\n' in text
    assert dump_json(deep, depth=None) == (json.dumps(deep, indent=2) + "\n").encode()


def test_an_indexed_template_is_the_same_bytes_and_each_resource_reads_back_from_its_own_line():
    from atakora.core.synthesis.writer import dump_template_indexed

    templates = [{"a": 1, "resources": [{"x": "é"}, {"y": [1, 2], "z": "\u2028"}], "outputs": {"o": "ü"}},
                 {"resources": []}, {"resources": [{"a": {"b": "line\nbreak"}}]}]
    for template in templates:
        data, starts = dump_template_indexed(template)
        assert data == dump_template(template)
        assert [json.loads(data[starts[i]:starts[i + 1] - 2]) for i in range(len(starts) - 1)] == template["resources"]


def test_a_synthesized_unit_holds_its_template_as_the_bytes_written_and_parses_them_when_asked(tmp_path):
    assembly = _app(str(tmp_path)).synth()
    unit = assembly.unit("Main")
    assert unit.template_data == (tmp_path / "Main.json").read_bytes()
    assert assembly.template("Main") == json.loads(unit.template_data)
    assert unit.index.names == ["stmain0", "stmain1", "stmain2"] and unit.index.resource_count == 3


def test_a_file_written_piece_by_piece_is_the_pieces_and_an_error_while_writing_leaves_no_file(tmp_path):
    from atakora.core.synthesis.writer import Staging

    staging = Staging(tmp_path / "out")

    def pieces(write):
        write(b"one,")
        write(b"two")

    def failing(write):
        write(b"half")
        raise TypeError("not JSON")

    staging.add_pieces("docs/a.txt", pieces)
    assert staging.read("docs/a.txt") == b"one,two"
    with pytest.raises(TypeError, match="not JSON"):
        staging.add_pieces("docs/b.txt", failing)
    assert sorted(p.name for p in (staging.path / "docs").iterdir()) == ["a.txt"]
    staging.commit()
    assert (tmp_path / "out" / "docs" / "a.txt").read_bytes() == b"one,two"


def test_dump_json_is_the_pieces_write_json_hands_over():
    from atakora.core.synthesis.writer import write_json

    document = {"a": [{"b": "é"} for _ in range(600)], "c": {}}
    pieces: list[str] = []
    write_json(document, pieces.append)
    assert len(pieces) > 2 and pieces[-1] == "\n"
    assert "".join(pieces).encode() == dump_json(document) == (json.dumps(document, indent=2, ensure_ascii=False)
                                                               + "\n").encode()


_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
                     st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=12))
_DOCUMENTS = st.recursive(_SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.tuples(inner, inner),
    st.dictionaries(st.one_of(st.text(max_size=8), st.integers(-5, 5), st.floats(-2, 2)), inner, max_size=4)),
    max_leaves=30)


@settings(max_examples=300, deadline=None)
@given(_DOCUMENTS, st.booleans())
def test_the_compact_encoder_writes_what_json_dumps_writes_compactly(document: Any, ensure_ascii: bool) -> None:
    encode = compact_encoder(ensure_ascii=ensure_ascii)
    assert encode(document) == json.dumps(document, separators=(",", ":"), ensure_ascii=ensure_ascii)
    assert encode(document) == encode(document)  # it keeps no state from one value to the next


def test_the_compact_encoder_refuses_what_json_dumps_refuses_with_its_message() -> None:
    with pytest.raises(TypeError, match="Object of type set is not JSON serializable"):
        compact_encoder(ensure_ascii=False)({"members": {1, 2}})
    assert compact_encoder(ensure_ascii=False)(["after the refusal"]) == '["after the refusal"]'
