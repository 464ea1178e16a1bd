"""Pure routing: next / previous steps, the default split, the allotment check."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.workflow import routing
from motcua.workflow.routing import StepKind, default_steps


@given(st.integers(min_value=0, max_value=2000))
def test_default_split_adds_up_to_the_processing_time(hours):
    steps = default_steps(Decimal(hours))

    assert sum(s.allotted_hours for s in steps) == Decimal(hours)
    assert all(s.allotted_hours >= 0 and s.allotted_hours == s.allotted_hours.to_integral_value() for s in steps)


def test_default_is_reception_appraisal_approval_return_with_70_20_10():
    steps = default_steps(Decimal(40))

    assert [s.kind for s in steps] == [StepKind.RECEPTION, StepKind.PROCESSING, StepKind.PROCESSING, StepKind.RETURN]
    assert [s.role for s in steps] == ["counter_officer", "specialist", "unit_leader", "counter_officer"]
    assert [s.allotted_hours for s in steps] == [0, 28, 8, 4]


def test_next_and_previous_steps():
    steps = default_steps(Decimal(40))

    assert routing.next_step(steps, 2).order == 3
    assert routing.next_step(steps, 4) is None
    assert routing.previous_step(steps, 3).order == 2
    assert routing.previous_step(steps, 2) is None  # never back to reception
    assert routing.return_step(steps).order == 4


@pytest.mark.parametrize(
    ("amount", "unit", "hours"),
    [(Decimal(5), "working_days", Decimal(40)), (Decimal(6), "working_hours", Decimal(6)), (Decimal(30), "days", None)],
)
def test_processing_time_in_working_hours(amount, unit, hours):
    assert routing.processing_hours(amount, unit) == hours


def test_allotment_error_names_both_totals():
    steps = default_steps(Decimal(40))

    assert routing.allotment_error(steps, Decimal(40)) is None
    assert "40" in routing.allotment_error(steps, Decimal(48))
    assert routing.allotment_error(steps, None) is None  # calendar days: not checked
