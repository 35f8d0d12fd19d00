"""The indented JSON writer writes exactly what json.dumps(indent=2) writes."""

from __future__ import annotations

import enum
import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from atakora.core.synthesis.indented import LazyDict, LazyList, dumps_indented, write_indented

_scalars = st.one_of(st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
                     st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=12))
_keys = st.one_of(st.text(max_size=8), st.integers(-5, 5), st.booleans(), st.none(), st.floats(-2, 2))
_documents = st.recursive(_scalars, lambda inner: st.one_of(st.lists(inner, max_size=4), st.tuples(inner, inner),
                                                            st.dictionaries(_keys, inner, max_size=4)), max_leaves=30)


@settings(max_examples=300, deadline=None)
@given(_documents, st.booleans())
def test_any_document_reads_as_json_dumps_writes_it(document: Any, ensure_ascii: bool) -> None:
    assert dumps_indented(document, ensure_ascii=ensure_ascii) == json.dumps(document, indent=2,
                                                                             ensure_ascii=ensure_ascii)


class _Level(enum.IntEnum):
    HIGH = 3


class _Name(str):
    pass


def test_sorted_keys_subclasses_and_empty_containers_read_as_json_dumps_writes_them() -> None:
    document = {"b": [[], {}, (), [1.5, -0.0, math.inf]], "a": {"z": _Level.HIGH, "y": _Name("é\n\u2028")},
                "c": [{"d": [None, True, False]}]}
    for ensure_ascii in (True, False):
        for sort_keys in (True, False):
            assert dumps_indented(document, ensure_ascii=ensure_ascii, sort_keys=sort_keys) == json.dumps(
                document, indent=2, ensure_ascii=ensure_ascii, sort_keys=sort_keys)
    assert dumps_indented(document, indent=4) == json.dumps(document, indent=4)


def test_what_json_cannot_write_is_refused() -> None:
    loop: list[Any] = []
    loop.append(loop)
    with pytest.raises(ValueError, match="Circular"):
        dumps_indented(loop)
    with pytest.raises(TypeError, match="set"):
        dumps_indented({"a": {1, 2}})
    with pytest.raises(TypeError, match="keys"):
        dumps_indented({(1, 2): 3})


def test_a_document_larger_than_one_segment_reads_as_json_dumps_writes_it() -> None:
    document = {"items": [{"id": i, "tags": ["a", {"b": None}]} for i in range(20_000)]}
    assert dumps_indented(document, ensure_ascii=False) == json.dumps(document, indent=2, ensure_ascii=False)


@settings(max_examples=200, deadline=None)
@given(_documents, st.integers(0, 3), st.booleans())
def test_a_document_indented_to_a_depth_reads_back_as_the_same_data(document: Any, depth: int,
                                                                     ensure_ascii: bool) -> None:
    text = dumps_indented(document, ensure_ascii=ensure_ascii, depth=depth)
    assert json.dumps(json.loads(text)) == json.dumps(json.loads(json.dumps(document)))  # NaN reads as NaN


def test_containers_deeper_than_the_depth_are_each_one_line_as_json_dumps_writes_them() -> None:
    document = {"backends": [{"id": "b", "config": {"databases": [{"name": "d", "ids": [1, 2]}], "n": None}}]}
    assert dumps_indented(document, depth=3) == (
        '{\n  "backends": [\n    {\n      "id": "b",\n      "config": {\n'
        '        "databases": [{"name": "d", "ids": [1, 2]}],\n        "n": null\n      }\n    }\n  ]\n}')
    assert dumps_indented(document, depth=0) == '{\n  "backends": ' + json.dumps(document["backends"]) + "\n}"
    assert dumps_indented(document, depth=None) == json.dumps(document, indent=2)


def test_a_circular_reference_below_the_depth_is_refused() -> None:
    loop: list[Any] = []
    loop.append([loop])
    with pytest.raises(ValueError, match="Circular"):
        dumps_indented({"a": loop}, depth=1)


@pytest.mark.parametrize("depth", [None, 0, 1, 2, 6])
@pytest.mark.parametrize("items", [[], [1], [{"a": [1, {"b": []}]}, "x", [], {}], [[[]]]])
def test_a_lazy_list_is_written_as_the_list_of_its_items_would_be(items: list[Any], depth: int | None) -> None:
    data = {"version": "1.0", "backends": items}
    lazy = {"version": "1.0", "backends": LazyList(iter(items))}
    assert dumps_indented(lazy, depth=depth) == dumps_indented(data, depth=depth)


def test_a_lazy_list_makes_each_item_only_when_the_writer_reaches_it() -> None:
    made: list[int] = []

    def items() -> Any:
        for number in range(3):
            made.append(number)
            yield {"n": number, "made": made}  # written as it is when the writer reaches the item

    assert [entry["made"] for entry in json.loads(dumps_indented(LazyList(items())))] == [[0], [0, 1], [0, 1, 2]]
    made.clear()
    assert [entry["made"] for entry in json.loads(dumps_indented(list(items())))] == [[0, 1, 2]] * 3


@settings(max_examples=200, deadline=None)
@given(_documents, st.sampled_from([None, 0, 1, 3]))
def test_the_pieces_written_join_to_the_text_and_each_but_the_last_ends_an_object(document: Any,
                                                                                  depth: int | None) -> None:
    pieces: list[str] = []
    write_indented({"many": [document] * 300}, pieces.append, depth=depth)
    assert "".join(pieces) == dumps_indented({"many": [document] * 300}, depth=depth)
    assert all(piece.endswith("}") for piece in pieces[:-1])


def test_no_piece_ends_inside_a_string_or_between_the_two_characters_of_a_token_marker() -> None:
    entries = [{"a": "x${", "b": "{${Stack/Thing.member}"} for _ in range(2000)]
    pieces: list[str] = []
    write_indented({"entries": entries}, pieces.append, ensure_ascii=False)
    assert len(pieces) > 10
    assert sum(piece.count("${Stack/Thing.member}") for piece in pieces) == 2000
    assert sum(piece.count("${") for piece in pieces) == 4000


@pytest.mark.parametrize("depth", [None, 0, 1, 2])
@pytest.mark.parametrize("members", [{}, {"a": 1}, {"a": {"b": [1, {}]}, "c": [], "d": {}}])
@pytest.mark.parametrize("sort_keys", [False, True])
def test_a_lazy_dict_is_written_as_the_dict_of_its_members_would_be(members: dict[str, Any], depth: int | None,
                                                                   sort_keys: bool) -> None:
    data = {"version": "1.0", "stacks": members, "last": {"x": members}}
    lazy = {"version": "1.0", "stacks": LazyDict(iter(members.items())), "last": {"x": LazyDict(members.items())}}
    assert dumps_indented(lazy, depth=depth, sort_keys=sort_keys) == dumps_indented(data, depth=depth,
                                                                                    sort_keys=sort_keys)
