"""The component protocol check: the same answers as isinstance(BackendComponent), remembered per class."""

from __future__ import annotations

import typing
from typing import Any

from atakora.backend.component import COMPONENT_MEMBERS, BackendComponent, is_backend_component


class _Complete:
    component_id = "A"
    component_type = "Custom"
    config: Any = None

    def get_requirements(self) -> list[Any]:
        return []

    def initialize(self, resources: Any, scope: Any) -> None:
        return None

    def validate_resources(self, resources: Any) -> Any:
        return None

    def get_outputs(self) -> dict[str, Any]:
        return {}


class _WithoutOutputs(_Complete):
    get_outputs = None  # type: ignore[assignment]


class _InstanceAttributes:
    def __init__(self, complete: bool) -> None:
        if complete:
            for member in COMPONENT_MEMBERS:
                setattr(self, member, lambda *args: None)


def test_the_member_list_is_the_protocol_s() -> None:
    assert set(COMPONENT_MEMBERS) == set(typing._get_protocol_attrs(BackendComponent))  # type: ignore[attr-defined]


def test_a_complete_class_conforms_every_time_and_an_incomplete_one_never() -> None:
    assert is_backend_component(_Complete()) and is_backend_component(_Complete())
    assert is_backend_component(_WithoutOutputs()) == isinstance(_WithoutOutputs(), BackendComponent)
    assert not is_backend_component(object())


def test_members_set_on_the_instance_are_checked_per_instance() -> None:
    assert is_backend_component(_InstanceAttributes(True))
    assert not is_backend_component(_InstanceAttributes(False))
    assert is_backend_component(_InstanceAttributes(True))


class _NoneMethodOnInstance(_InstanceAttributes):
    def __init__(self, member: str) -> None:
        super().__init__(True)
        setattr(self, member, None)


def test_every_answer_is_the_runtime_protocol_s() -> None:
    cases: list[object] = [_Complete(), _WithoutOutputs(), object(), _InstanceAttributes(True),
                           _InstanceAttributes(False), *(_NoneMethodOnInstance(m) for m in COMPONENT_MEMBERS)]
    assert [is_backend_component(c) for c in cases] == [isinstance(c, BackendComponent) for c in cases]
