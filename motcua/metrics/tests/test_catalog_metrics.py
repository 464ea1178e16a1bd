"""The procedure-based 766 metrics (1.1, 1.2, 1.3, 3.5, 3.5b, 4.5a) on a crafted catalog, counted by hand.

October 2025 (Wed 1 – Fri 31), Monday to Friday working, no holiday (as the real calendar has in
October 2025); a province profile: decide ≥ 5 working days before the legal basis takes effect
(1.1), publicize within 5 working days of the decision (1.2).

- P1: decided 01/10, effective 15/10 (1.1 deadline 08/10), publicized 08/10 (1.2 deadline 08/10):
  on time, on time; in force, full content, fee, synced, paid online, population data.
- P2: decided 10/10, effective 16/10 (deadline 09/10), publicized 20/10 (deadline 17/10): late,
  late; in force, fee, synced.
- P3: decided 01/09 (1.2 deadline 08/09, outside October); decided 27/10 without an effective
  date, not publicized (deadline 03/11): 1.1 late, 1.2 still in time; in force.
- P4: decided 26/09, publicized 02/10 (deadline 03/10, in October): not in 1.1, 1.2 on time; in
  force, fee.
- P5: no decision, abolished: not in force, its flags are ignored.
- P6: decided 25/09, never publicized (deadline 02/10): not in 1.1, 1.2 late; in force, full.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal as D

import pytest

from motcua.core.clock import VIETNAM
from motcua.metrics.facts import MetricsError, ProcedureFacts, Publication
from motcua.metrics.formulas import (
    UnitPeriodFacts,
    index_766,
    procedure_counts,
    published_on_time,
    shift_working_days,
    window_days,
)
from motcua.metrics.periods import Window
from motcua.metrics.profile import DEFAULT_766

OCTOBER = Window(datetime(2025, 10, 1, tzinfo=VIETNAM), datetime(2025, 11, 1, tzinfo=VIETNAM))


def weekdays(day: date) -> bool:
    return day.weekday() < 5


CATALOG = (
    ProcedureFacts(
        "P1",
        (Publication(date(2025, 10, 1), date(2025, 10, 15), date(2025, 10, 8)),),
        full_content=True,
        has_fee=True,
        fee_synced=True,
        paid_online=True,
        population_data=True,
    ),
    ProcedureFacts(
        "P2",
        (Publication(date(2025, 10, 10), date(2025, 10, 16), date(2025, 10, 20)),),
        has_fee=True,
        fee_synced=True,
    ),
    ProcedureFacts(
        "P3",
        (
            Publication(date(2025, 9, 1), date(2025, 10, 1), None),
            Publication(date(2025, 10, 27), None, None),
        ),
    ),
    ProcedureFacts("P4", (Publication(date(2025, 9, 26), date(2025, 11, 3), date(2025, 10, 2)),), has_fee=True),
    ProcedureFacts("P5", (), in_force=False, full_content=True, has_fee=True, paid_online=True, population_data=True),
    ProcedureFacts("P6", (Publication(date(2025, 9, 25), date(2025, 10, 20), None),), full_content=True),
)


def test_working_days_are_counted_from_the_day_after():
    assert shift_working_days(date(2025, 10, 15), -5, weekdays) == date(2025, 10, 8)
    assert shift_working_days(date(2025, 10, 10), 5, weekdays) == date(2025, 10, 17)  # over a weekend
    assert shift_working_days(date(2025, 10, 27), 5, weekdays) == date(2025, 11, 3)
    assert shift_working_days(date(2025, 10, 27), 0, weekdays) == date(2025, 10, 27)
    holiday = {date(2025, 10, 14)}
    assert shift_working_days(date(2025, 10, 15), -5, lambda d: weekdays(d) and d not in holiday) == date(2025, 10, 7)


def test_a_calendar_without_working_days_is_refused():
    with pytest.raises(MetricsError):
        shift_working_days(date(2025, 10, 1), 5, lambda d: False)


def test_window_days_of_a_month_and_of_a_running_one():
    assert window_days(OCTOBER) == (date(2025, 10, 1), date(2025, 10, 31))
    running = Window(OCTOBER.start, datetime(2025, 10, 20, 10, 0, tzinfo=VIETNAM))
    assert window_days(running) == (date(2025, 10, 1), date(2025, 10, 20))


def test_on_time_publication_is_the_deadline_itself_or_earlier():
    profile = DEFAULT_766
    assert published_on_time(Publication(date(2025, 10, 8), date(2025, 10, 15)), profile, weekdays)
    assert not published_on_time(Publication(date(2025, 10, 9), date(2025, 10, 15)), profile, weekdays)
    assert not published_on_time(Publication(date(2025, 10, 1), None), profile, weekdays)  # no effective date


def test_the_counts_of_the_crafted_catalog():
    counts = procedure_counts(CATALOG, window=OCTOBER, profile=DEFAULT_766, is_working_day=weekdays)
    assert (counts.published_on_time.numerator, counts.published_on_time.denominator) == (1, 3)  # P1 of P1–P3
    assert (counts.updated_on_time.numerator, counts.updated_on_time.denominator) == (3, 5)  # P1, P3, P4 of +P2, P6
    assert (counts.full_content.numerator, counts.full_content.denominator) == (2, 5)  # P1, P6 of all but P5
    assert (counts.fee_integrated.numerator, counts.fee_integrated.denominator) == (2, 3)  # P1, P2 of P1, P2, P4
    assert (counts.online_payment.numerator, counts.online_payment.denominator) == (1, 3)  # P1
    assert (counts.population_data.numerator, counts.population_data.denominator) == (1, 5)  # P1


def test_the_scores_of_the_crafted_catalog():
    result = index_766(
        UnitPeriodFacts(
            procedures=procedure_counts(CATALOG, window=OCTOBER, profile=DEFAULT_766, is_working_day=weekdays)
        ),
        window=OCTOBER,
        working_hours_between=lambda a, b: D(0),
    )
    scored = {code: (result.metric(code).ratio, result.metric(code).score) for code in ("1.1", "1.2", "1.3")}
    assert scored == {
        "1.1": (D("33.33"), D("2.00")),  # 33.33 × 6 / 100 = 1.9998
        "1.2": (D("60.00"), D("2.40")),
        "1.3": (D("40.00"), D("0.80")),
    }
    assert (result.metric("3.5").ratio, result.metric("3.5").score) == (D("66.67"), D("1.33"))
    assert (result.metric("3.5b").ratio, result.metric("3.5b").score) == (D("33.33"), D("0.67"))
    assert (result.metric("4.5a").ratio, result.metric("4.5a").score) == (D("20.00"), D("0.40"))
    # Only procedure metrics have data: CKMB 2 + 2.4 + 0.8 of 12, TTTT 1.33 + 0.67 of 4, MDSH 0.4 of 2.
    assert (result.group("CKMB").score, result.group("CKMB").available_max) == (D("5.20"), D(12))
    assert (result.group("TTTT").score, result.group("TTTT").available_max) == (D("2.00"), D(4))
    assert (result.score, result.available_max, result.percent) == (D("7.60"), D(18), D("42.22"))


def test_one_late_decision_makes_the_procedure_late_for_the_period():
    twice = ProcedureFacts(
        "P7",
        (
            Publication(date(2025, 10, 1), date(2025, 10, 15), date(2025, 10, 2)),
            Publication(date(2025, 10, 14), date(2025, 10, 15), date(2025, 10, 14)),
        ),
    )
    counts = procedure_counts((twice,), window=OCTOBER, profile=DEFAULT_766, is_working_day=weekdays)
    assert (counts.published_on_time.numerator, counts.published_on_time.denominator) == (0, 1)
    assert (counts.updated_on_time.numerator, counts.updated_on_time.denominator) == (1, 1)


def test_an_empty_catalog_has_no_data_not_zero_points():
    counts = procedure_counts((), window=OCTOBER, profile=DEFAULT_766, is_working_day=weekdays)
    result = index_766(UnitPeriodFacts(procedures=counts), window=OCTOBER, working_hours_between=lambda a, b: D(0))
    for code in ("1.1", "1.2", "1.3", "3.5", "3.5b", "4.5a"):
        assert (result.metric(code).ratio, result.metric(code).score) == (None, None), code
    assert result.score is None


def test_procedures_without_fees_leave_3_5_without_data():
    counts = procedure_counts(
        (ProcedureFacts("P8", full_content=True),), window=OCTOBER, profile=DEFAULT_766, is_working_day=weekdays
    )
    assert counts.fee_integrated.denominator == 0
    assert (counts.full_content.numerator, counts.full_content.denominator) == (1, 1)
