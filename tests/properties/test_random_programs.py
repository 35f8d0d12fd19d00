"""Random programs over every component and config field: bad input is always a clear AtakoraError."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from .programs import Program, programs, run


@settings(max_examples=300, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(programs())
def test_a_random_program_synthesizes_or_fails_with_an_atakora_error_naming_field_and_fix(program: Program) -> None:
    outcome = run(program)
    assert outcome.kind in ("ok", "error"), f"{outcome.kind}: {outcome.detail}\nprogram: {program}"
