from __future__ import annotations

import pytest

from atakora.core.tags import tag_problem


@pytest.mark.parametrize("tags, problem", [
    ({"Env": "a", "env": "b"}, "tags 'Env' and 'env' differ only in case"),
    ({"azureThing": "a"}, "starts with a prefix Azure reserves"),
    ({"a/b": "a"}, "contains '/'"),
    ({"a": 3}, "has a int value"),
    ({"x" * 513: "a"}, "has 513 characters"),
    ({"ok": "v" * 257}, "a value of 257 characters"),
])
def test_tag_problems_are_found_the_same_each_time_the_same_names_are_checked(tags: dict[str, object],
                                                                              problem: str) -> None:
    for _ in range(3):
        found = tag_problem(tags)
        assert found is not None and problem in found
    assert tag_problem({"Env": "a"}) is None and tag_problem({"env": "b"}) is None
