"""Parsing reporting periods: YYYY, YYYY-Qn, YYYY-MM into [start, end) local dates; bad ones refused."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.utils import translation

from motcua.core.errors import InvalidInput
from motcua.metrics.periods import PeriodError, PeriodKind, Window, parse_period
from motcua.metrics.tests import vn

TODAY = date(2026, 11, 22)


@pytest.mark.parametrize(
    ("text", "kind", "start", "end"),
    [
        ("2026", PeriodKind.YEAR, date(2026, 1, 1), date(2027, 1, 1)),
        ("2025", PeriodKind.YEAR, date(2025, 1, 1), date(2026, 1, 1)),
        ("2026-Q1", PeriodKind.QUARTER, date(2026, 1, 1), date(2026, 4, 1)),
        ("2026-Q2", PeriodKind.QUARTER, date(2026, 4, 1), date(2026, 7, 1)),
        ("2025-Q4", PeriodKind.QUARTER, date(2025, 10, 1), date(2026, 1, 1)),
        ("2026-Q4", PeriodKind.QUARTER, date(2026, 10, 1), date(2027, 1, 1)),  # running: allowed
        ("2026-02", PeriodKind.MONTH, date(2026, 2, 1), date(2026, 3, 1)),
        ("2024-02", PeriodKind.MONTH, date(2024, 2, 1), date(2024, 3, 1)),
        ("2025-12", PeriodKind.MONTH, date(2025, 12, 1), date(2026, 1, 1)),
        ("2026-11", PeriodKind.MONTH, date(2026, 11, 1), date(2026, 12, 1)),  # running: allowed
        (" 2026-07 ", PeriodKind.MONTH, date(2026, 7, 1), date(2026, 8, 1)),
    ],
)
def test_a_period_is_a_half_open_range_of_local_dates(text, kind, start, end):
    period = parse_period(text, today=TODAY)
    assert (period.kind, period.start, period.end) == (kind, start, end)
    assert str(period) == text.strip()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026-13", "There is no month 13: months run from 01 to 12."),
        ("2026-00", "There is no month 00: months run from 01 to 12."),
        ("2026-Q5", "There is no quarter 5: quarters run from Q1 to Q4."),
        ("2026-Q0", "There is no quarter 0: quarters run from Q1 to Q4."),
        ("2026-12", "The period 2026-12 has not begun yet."),
        ("2027-Q1", "The period 2027-Q1 has not begun yet."),
        ("2027", "The period 2027 has not begun yet."),
        ("1999", "Reports start in 2000."),
        ("2026-1", "“2026-1” is not a period: write YYYY, YYYY-Qn or YYYY-MM."),
        ("2026/01", "“2026/01” is not a period: write YYYY, YYYY-Qn or YYYY-MM."),
        ("2026-q1", "“2026-q1” is not a period: write YYYY, YYYY-Qn or YYYY-MM."),
        ("26", "“26” is not a period: write YYYY, YYYY-Qn or YYYY-MM."),
        ("", "“” is not a period: write YYYY, YYYY-Qn or YYYY-MM."),
        ("2026-Q1-01", "“2026-Q1-01” is not a period: write YYYY, YYYY-Qn or YYYY-MM."),
    ],
)
def test_malformed_and_future_periods_are_refused_with_a_clear_message(text, message):
    with pytest.raises(PeriodError) as caught:
        parse_period(text, today=TODAY)
    with translation.override("en"):
        assert str(caught.value.message) == message


def test_a_period_error_is_a_value_error_and_a_400_input_error():
    with pytest.raises(ValueError, match="13"):
        parse_period("2026-13", today=TODAY)
    assert issubclass(PeriodError, InvalidInput)
    assert PeriodError.status == 400


def test_the_quarter_starting_today_has_begun():
    assert parse_period("2026-Q4", today=date(2026, 10, 1)).start == date(2026, 10, 1)
    with pytest.raises(PeriodError):
        parse_period("2026-Q4", today=date(2026, 9, 30))


def test_the_window_of_a_period_runs_from_local_midnight_to_local_midnight():
    window = parse_period("2026-04", today=TODAY).window()
    assert (window.start, window.end) == (vn(2026, 4, 1), vn(2026, 5, 1))
    assert window.contains(vn(2026, 4, 30, 23, 59))
    assert not window.contains(vn(2026, 5, 1))


def test_the_window_of_the_running_period_ends_now():
    now = vn(2026, 11, 22, 9, 30)
    period = parse_period("2026-11", today=TODAY)
    assert period.window(now=now) == Window(vn(2026, 11, 1), now)
    assert parse_period("2026-10", today=TODAY).window(now=now).end == vn(2026, 11, 1)


def test_a_window_needs_aware_ordered_instants():
    with pytest.raises(PeriodError):
        Window(datetime(2026, 4, 1), datetime(2026, 5, 1))  # naive: the point of the test
    with pytest.raises(PeriodError):
        Window(vn(2026, 5, 1), vn(2026, 4, 1))
