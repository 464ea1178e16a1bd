"""Properties of the arithmetic over random starts in 2024–2027 and random amounts (hypothesis; no DB)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.workcalendar.domain import VIETNAM, StepKind
from motcua.workcalendar.public_holidays import package_year
from motcua.workcalendar.tests.helpers import package_calendar

CALENDAR = package_calendar()
SESSIONS = ((time(7), time(11, 30)), (time(13, 30), time(17)))
ZONES = st.sampled_from([VIETNAM, UTC, timezone(timedelta(hours=-5)), timezone(timedelta(hours=9, minutes=30))])
starts = st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2027, 12, 31, 23, 59), timezones=ZONES)
quarter_hours = st.integers(0, 4 * 8 * 30).map(lambda q: Decimal(q) / 4)
eighth_days = st.integers(0, 8 * 60).map(lambda e: Decimal(e) / 8)
working_amounts = st.one_of(
    st.tuples(quarter_hours, st.just("working_hours")), st.tuples(eighth_days, st.just("working_days"))
)
common = settings(deadline=None, max_examples=150)


def _hours(amount: Decimal, unit: str) -> Decimal:
    return amount * 8 if unit == "working_days" else amount


def _is_working(day: date) -> bool:
    """Independent of the arithmetic: the package's data and the weekday rule."""
    status = package_year(day.year).get(day)
    return status.working if status else day.weekday() < 5


@common
@given(start=starts, amount_unit=working_amounts)
def test_due_is_in_office_time_on_a_working_day_and_not_before_the_start(start, amount_unit):
    amount, unit = amount_unit
    due_at = CALENDAR.compute(start=start, amount=amount, unit=unit).due_at

    assert due_at >= start
    assert due_at.tzinfo is VIETNAM
    assert _is_working(due_at.date())
    moment = due_at.timetz().replace(tzinfo=None)
    if amount:
        # Never outside office hours, except exactly at a closing time.
        assert any(opens < moment <= closes for opens, closes in SESSIONS)
    else:
        assert any(opens <= moment < closes for opens, closes in SESSIONS)


@common
@given(start=starts, amount_unit=working_amounts)
def test_working_time_between_start_and_due_is_the_amount(start, amount_unit):
    amount, unit = amount_unit
    result = CALENDAR.compute(start=start, amount=amount, unit=unit)

    assert CALENDAR.working_hours_between(start, result.due_at) == _hours(amount, unit)
    counted = sum(step.hours or 0 for step in result.explanation if step.kind is StepKind.COUNTED)
    assert counted == _hours(amount, unit)
    assert result.explanation[-1].at == result.due_at


@common
@given(start=starts, a=quarter_hours, b=quarter_hours)
def test_due_grows_with_the_amount(start, a, b):
    low, high = sorted((a, b))
    assert CALENDAR.compute(start=start, amount=low, unit="working_hours").due_at <= (
        CALENDAR.compute(start=start, amount=high, unit="working_hours").due_at
    )


@common
@given(start=starts, a=quarter_hours, b=quarter_hours.filter(bool))
def test_adding_a_then_b_is_adding_a_plus_b(start, a, b):
    first = CALENDAR.compute(start=start, amount=a, unit="working_hours").due_at
    then = CALENDAR.compute(start=first, amount=b, unit="working_hours").due_at

    assert then == CALENDAR.compute(start=start, amount=a + b, unit="working_hours").due_at


@common
@given(start=starts, days=st.integers(0, 400))
def test_calendar_days_end_at_the_close_of_the_first_working_day_from_the_last_day(start, days):
    due_at = CALENDAR.compute(start=start, amount=days, unit="days").due_at
    last_day = start.astimezone(VIETNAM).date() + timedelta(days)

    assert due_at.timetz().replace(tzinfo=None) == time(17)
    assert due_at.date() >= last_day
    assert _is_working(due_at.date())
    assert not any(_is_working(last_day + timedelta(n)) for n in range((due_at.date() - last_day).days))


def _reference_due(start: datetime, minutes: int) -> datetime:
    """Minute by minute: the slow, obviously right answer (start on a whole minute)."""
    moment = start.astimezone(VIETNAM)
    while True:
        clock = moment.time()
        if _is_working(moment.date()) and any(opens <= clock < closes for opens, closes in SESSIONS):
            if minutes == 0:
                return moment
            minutes -= 1
            if minutes == 0:
                return moment + timedelta(minutes=1)
        moment += timedelta(minutes=1)


@settings(deadline=None, max_examples=60)
@given(start=starts.map(lambda s: s.replace(second=0, microsecond=0)), minutes=st.integers(0, 3 * 8 * 60))
def test_matches_the_minute_by_minute_reference(start, minutes):
    due_at = CALENDAR.compute(start=start, amount=Decimal(minutes) / 60, unit="working_hours").due_at

    assert due_at == _reference_due(start, minutes)
