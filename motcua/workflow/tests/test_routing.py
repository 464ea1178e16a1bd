"""Pure routing: next / previous steps, the default split, the allotment check."""

import itertools
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


def spec(order, relation="handling", unit=None, hours=8, kind=StepKind.PROCESSING):
    return routing.StepSpec(
        order=order,
        name=f"Bước {order}",
        role="specialist",
        unit_relation=routing.UnitRelation(relation),
        allotted_hours=Decimal(hours),
        kind=kind,
        unit_key=unit,
    )


def test_agency_stages_group_consecutive_steps_of_one_agency_and_add_their_hours():
    steps = [
        spec(1, "receiving", hours=0, kind=StepKind.RECEPTION),
        spec(2, hours=16),
        spec(3, hours=8),
        spec(4, "absolute", unit=7, hours=24),
        spec(5, "absolute", unit=7, hours=4),
        spec(6, "absolute", unit=9, hours=12),
        spec(7, hours=4),
        spec(8, "receiving", hours=4, kind=StepKind.RETURN),
    ]

    stages = routing.agency_stages(list(reversed(steps)))  # order comes from `order`, not the list

    assert [(s.agency, s.orders, s.hours) for s in stages] == [
        (("handling", None), (2, 3), Decimal(24)),
        (("absolute", 7), (4, 5), Decimal(28)),
        (("absolute", 9), (6,), Decimal(12)),
        (("handling", None), (7,), Decimal(4)),
    ]
    assert routing.stage_of(steps, 5).first == 4
    assert routing.stage_of(steps, 1) is None  # reception is nobody's processing share
    assert routing.stage_of(steps, 8) is None
    assert routing.is_inter_agency(steps)


def test_the_default_definition_is_one_agency():
    steps = default_steps(Decimal(40))

    assert [(s.agency, s.orders, s.hours) for s in routing.agency_stages(steps)] == [
        (("handling", None), (2, 3), Decimal(36))
    ]
    assert not routing.is_inter_agency(steps)
    assert routing.agency_stages([]) == []


def test_a_unit_key_matters_only_for_a_fixed_unit():
    assert routing.agency(spec(1, "handling", unit=5)) == ("handling", None)
    assert routing.agency(spec(1, "absolute", unit=5)) == ("absolute", 5)
    assert routing.agency(spec(1, "parent_of_handling")) == ("parent_of_handling", None)


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["handling", "absolute", "parent_of_handling"]), st.integers(1, 3), st.integers(0, 40)
        ),
        max_size=12,
    )
)
def test_agency_stages_partition_the_processing_steps_and_their_hours(rows):
    steps = [spec(n, relation, unit=unit, hours=hours) for n, (relation, unit, hours) in enumerate(rows, start=1)]

    stages = routing.agency_stages(steps)

    assert [o for stage in stages for o in stage.orders] == [s.order for s in steps]
    assert sum((stage.hours for stage in stages), Decimal(0)) == sum((s.allotted_hours for s in steps), Decimal(0))
    assert all(a.agency != b.agency for a, b in itertools.pairwise(stages))  # maximal runs
