"""Reading the items of one array of an assembly file one at a time, checked as the whole file would be."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from atakora.core.assembly_files import PlanBackend, read_assembly_items
from atakora.errors import AssemblyFileError

BACKEND = {"backendId": "b", "environment": "dev", "resources": [{"key": "cosmos:shared", "type": "cosmos",
                                                                 "requirementKey": "shared", "members": ["a"]}]}


def _read(tmp_path: Path, text: str) -> list[Any]:
    path = tmp_path / "plan.json"
    path.write_text(text, encoding="utf-8")
    return list(read_assembly_items(path, "backends", PlanBackend))


@settings(max_examples=60, deadline=None)
@given(backends=st.lists(st.fixed_dictionaries({"backendId": st.text(), "environment": st.text()}), max_size=4),
       indent=st.sampled_from([None, 0, 2, 6]), before=st.booleans())
def test_the_items_are_those_of_the_whole_document_however_it_is_laid_out(
        tmp_path_factory: pytest.TempPathFactory, backends: list[dict[str, Any]], indent: int | None,
        before: bool) -> None:
    document = {"version": "1.0", "backends": backends, "other": {"a": [1, "]"]}} if before else \
        {"backends": backends, "version": "1.0"}
    assert _read(tmp_path_factory.mktemp("plan"), json.dumps(document, indent=indent)) == backends


@pytest.mark.parametrize(("text", "message"), [
    ('{"version": "1.0"}', "backends: field required"),
    ('{"backends": {"a": 1}}', "backends: input should be a valid list"),
    ("[1]", "the document: input should be a valid dictionary"),
    ('{"backends": [' + json.dumps(BACKEND) + ', {"backendId": "c"}]}', "backends.1.environment: field required"),
    ('{"backends": [' + json.dumps(BACKEND) + ",", "is not valid JSON"),
    ('{"backends": []} []', "is not valid JSON (extra data"),
    ('{"backends": [] "x": 1}', "is not valid JSON"),
    ("", "is not valid JSON"),
])
def test_a_damaged_document_is_one_error_naming_what_is_wrong(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(AssemblyFileError, match="plan.json") as caught:
        _read(tmp_path, text)
    assert message in str(caught.value)


def test_an_empty_array_and_an_empty_object_member_are_read(tmp_path: Path) -> None:
    assert _read(tmp_path, '{ "x" : {} , "backends" : [ ] }') == []
