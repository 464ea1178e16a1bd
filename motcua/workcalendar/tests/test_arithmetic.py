"""Hand-checked due dates on the default calendar (07:00–11:30, 13:30–17:00; package holidays). No DB."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal

import pytest

from motcua.workcalendar.domain import (
    VIETNAM,
    CalendarInputError,
    DayKind,
    DayStatus,
    MoveReason,
    Problem,
    StepKind,
    parse_office_hours,
)
from motcua.workcalendar.tests.helpers import package_calendar, vn

CALENDAR = package_calendar()


def due(start: datetime, amount: object, unit: str = "working_days") -> datetime:
    return CALENDAR.compute(start=start, amount=amount, unit=unit).due_at


# --- working time in an ordinary week (Mon 02/03/2026 – Fri 06/03/2026) ----------------------


@pytest.mark.parametrize(
    ("start", "amount", "unit", "expected"),
    [
        # One working day from the opening ends at 17:00 the same day, not at 07:00 the next day.
        (vn(2026, 3, 2, 7), 1, "working_days", vn(2026, 3, 2, 17)),
        # Half a day (4 h) from the opening: 11:00.
        (vn(2026, 3, 2, 7), Decimal("0.5"), "working_days", vn(2026, 3, 2, 11)),
        # 08:00–11:30 is 3.5 h; the last half hour is after lunch.
        (vn(2026, 3, 2, 8), Decimal("0.5"), "working_days", vn(2026, 3, 2, 14)),
        # Runs out exactly at the lunch close: 11:30 is the due time, not 13:30.
        (vn(2026, 3, 2, 7), Decimal("4.5"), "working_hours", vn(2026, 3, 2, 11, 30)),
        (vn(2026, 3, 2, 7, 30), Decimal("0.5"), "working_days", vn(2026, 3, 2, 11, 30)),
        # 1.5 days from Monday's opening: Monday 8 h + Tuesday 4 h = Tuesday 11:00.
        (vn(2026, 3, 2, 7), Decimal("1.5"), "working_days", vn(2026, 3, 3, 11)),
        (vn(2026, 3, 2, 7), Decimal("12.5"), "working_hours", vn(2026, 3, 3, 11, 30)),
        (vn(2026, 3, 2, 7), 0.25, "working_days", vn(2026, 3, 2, 9)),
        (vn(2026, 3, 2, 7), 3, "working_days", vn(2026, 3, 4, 17)),
        (vn(2026, 3, 2, 10), 5, "working_days", vn(2026, 3, 9, 10)),
        (vn(2026, 3, 2, 10, 15), 1, "working_hours", vn(2026, 3, 2, 11, 15)),
        (vn(2026, 3, 2, 11), 1, "working_hours", vn(2026, 3, 2, 14)),
        (vn(2026, 3, 2, 13, 30), Decimal("3.5"), "working_hours", vn(2026, 3, 2, 17)),
        (vn(2026, 3, 2, 9), 40, "working_hours", vn(2026, 3, 9, 9)),
    ],
)
def test_working_time_in_an_ordinary_week(start, amount, unit, expected):
    assert due(start, amount, unit) == expected


@pytest.mark.parametrize(
    ("start", "expected", "reason"),
    [
        (vn(2026, 3, 2, 6), vn(2026, 3, 2, 8), MoveReason.BEFORE_OPENING),
        (vn(2026, 3, 2, 12), vn(2026, 3, 2, 14, 30), MoveReason.LUNCH_BREAK),
        # 11:30 itself is the close: the clock starts at 13:30.
        (vn(2026, 3, 2, 11, 30), vn(2026, 3, 2, 14, 30), MoveReason.LUNCH_BREAK),
        (vn(2026, 3, 2, 17), vn(2026, 3, 3, 8), MoveReason.AFTER_CLOSING),
        (vn(2026, 3, 2, 22, 45), vn(2026, 3, 3, 8), MoveReason.AFTER_CLOSING),
        (vn(2026, 3, 7, 10), vn(2026, 3, 9, 8), MoveReason.NON_WORKING_DAY),
        (vn(2026, 3, 8, 23, 59), vn(2026, 3, 9, 8), MoveReason.NON_WORKING_DAY),
    ],
)
def test_start_outside_office_hours_counts_from_the_next_opening(start, expected, reason):
    result = CALENDAR.compute(start=start, amount=1, unit="working_hours")

    assert result.due_at == expected
    moved = [step for step in result.explanation if step.kind is StepKind.START_MOVED]
    assert [step.reason for step in moved] == [reason]


def test_friday_afternoon_continues_on_monday():
    # Friday 15:00–17:00 is 2 h; Monday gives the other 6 h: 07:00–11:30 + 13:30–15:00.
    assert due(vn(2026, 3, 6, 15), 1) == vn(2026, 3, 9, 15)


def test_evening_start_plus_one_day_is_due_next_evening():
    assert due(vn(2026, 3, 2, 18), 1) == vn(2026, 3, 3, 17)


def test_zero_working_time_is_due_at_the_normalized_start():
    assert due(vn(2026, 3, 2, 9, 10), 0) == vn(2026, 3, 2, 9, 10)
    assert due(vn(2026, 3, 2, 12), 0) == vn(2026, 3, 2, 13, 30)
    assert due(vn(2026, 3, 6, 17), 0, "working_hours") == vn(2026, 3, 9, 7)


def test_any_offset_is_accepted_and_the_answer_is_in_vietnam_time():
    result = CALENDAR.compute(start=datetime(2026, 3, 2, 0, 0, tzinfo=UTC), amount=1, unit="working_days")

    assert result.due_at == vn(2026, 3, 2, 17)
    assert result.due_at.utcoffset() == timedelta(hours=7)
    new_york = timezone(timedelta(hours=-5))
    assert due(datetime(2026, 3, 1, 19, 0, tzinfo=new_york), 1) == vn(2026, 3, 2, 17)


def test_fractions_round_to_the_nearest_microsecond():
    # Decimal(1) / 3 is 0.333…3 (28 digits), a hair under 20 minutes: still 07:20 exactly.
    assert due(vn(2026, 3, 2, 7), Decimal(1) / 3, "working_hours") == vn(2026, 3, 2, 7, 20)
    # 1/7 h = 514 285 714.28… µs.
    sevenths = due(vn(2026, 3, 2, 7), Decimal(1) / 7, "working_hours")
    assert sevenths == vn(2026, 3, 2, 7) + timedelta(microseconds=514_285_714)


def test_hours_measured_between_two_instants_give_back_the_same_instant():
    # Resuming a paused clock: 1 µs past a third of an hour is a repeating decimal in hours.
    start, end = vn(2026, 3, 2, 9), vn(2026, 3, 3, 10, 20, 0) + timedelta(microseconds=1)
    hours = CALENDAR.working_hours_between(start, end)

    assert due(start, hours, "working_hours") == end


# --- holidays ----------------------------------------------------------------------------------


def test_tet_2026_one_day_from_the_friday_before_is_due_the_monday_after():
    # Off: Sat 14 – Sun 22 February 2026 (Mon 16 – Fri 20 from the package, and two weekends).
    result = CALENDAR.compute(start=vn(2026, 2, 13, 9), amount=1, unit="working_days")

    assert result.due_at == vn(2026, 2, 23, 9)
    skipped = [step for step in result.explanation if step.kind is StepKind.SKIPPED]
    assert [step.day for step in skipped] == [date(2026, 2, 14) + timedelta(n) for n in range(9)]
    assert skipped[3].status is not None
    assert skipped[3].status.name == "Tết Nguyên Đán"


def test_tet_2027_runs_from_thursday_4_to_wednesday_10_february():
    # Wednesday 3/2/2027 08:00–17:00 is 7 h; the last hour is on Thursday 11/2.
    assert due(vn(2027, 2, 3, 8), 1) == vn(2027, 2, 11, 8)


def test_reunification_and_labour_day_2026_end_exactly_at_the_lunch_close():
    # Wed 29/4 13:30–17:00 = 3.5 h; Thu 30/4, Fri 1/5, weekend off; Mon 4/5 07:00–11:30 = 4.5 h.
    assert due(vn(2026, 4, 29, 13, 30), 1) == vn(2026, 5, 4, 11, 30)


def test_national_day_2026_with_extra_day_and_substitute_day_off():
    # Fri 28/8 full; Sat 29, Sun 30, Mon 31 (in exchange for Sat 22/8), Tue 1/9, Wed 2/9 off.
    assert due(vn(2026, 8, 28, 7), 2) == vn(2026, 9, 3, 17)


def test_a_sunday_holiday_is_observed_on_the_monday():
    # Giỗ Tổ Hùng Vương 26/4/2026 is a Sunday: Monday 27/4 is off instead.
    assert due(vn(2026, 4, 24, 7), 2) == vn(2026, 4, 28, 17)


def test_make_up_working_saturday_counts():
    # Saturday 22/8/2026 is worked (for Monday 31/8): Fri 6 h + Sat 8 h + Mon 2 h.
    result = CALENDAR.compute(start=vn(2026, 8, 21, 9), amount=2, unit="working_days")

    assert result.due_at == vn(2026, 8, 24, 9)
    saturday = next(step for step in result.explanation if step.day == date(2026, 8, 22))
    assert saturday.kind is StepKind.COUNTED
    assert saturday.status is not None
    assert saturday.status.kind is DayKind.MAKEUP_WORKDAY


def test_make_up_saturday_2025_counts_and_its_day_off_is_skipped():
    # Fri 25/4/2025 full, Sat 26/4 worked, Mon 28/4 and Tue 29/4 worked, 30/4–4/5 off.
    assert due(vn(2025, 4, 25, 7), 4) == vn(2025, 4, 29, 17)
    assert due(vn(2025, 4, 25, 7), 5) == vn(2025, 5, 5, 17)


# --- calendar days (Civil Code Art. 147–148) ---------------------------------------------------


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        # The start day is not counted: 3 days from Monday end on Thursday, at the close.
        (vn(2026, 3, 2, 10), 3, vn(2026, 3, 5, 17)),
        # Ends on Saturday 7/3: moves to Monday's close.
        (vn(2026, 3, 2, 10), 5, vn(2026, 3, 9, 17)),
        # Ends on Sunday 8/3.
        (vn(2026, 3, 2, 10), 6, vn(2026, 3, 9, 17)),
        # The hour of the start does not matter.
        (vn(2026, 3, 2, 23, 59), 3, vn(2026, 3, 5, 17)),
        # Ends on Monday 16/2/2026, in Tết: moves past the holiday to Monday 23/2.
        (vn(2026, 2, 12, 10), 4, vn(2026, 2, 23, 17)),
        # Ends on Monday 31/8/2026, a substitute day off: moves past 2/9 to Thursday 3/9.
        (vn(2026, 8, 28, 10), 3, vn(2026, 9, 3, 17)),
        # Ends on the make-up working Saturday 22/8/2026: due that Saturday.
        (vn(2026, 8, 19, 10), 3, vn(2026, 8, 22, 17)),
        # Zero days: the close of the start day, or of the next working day.
        (vn(2026, 3, 2, 10), 0, vn(2026, 3, 2, 17)),
        (vn(2026, 3, 7, 10), 0, vn(2026, 3, 9, 17)),
    ],
)
def test_calendar_days(start, days, expected):
    assert due(start, days, "days") == expected


def test_calendar_days_explain_the_period_and_the_days_passed_over():
    result = CALENDAR.compute(start=vn(2026, 3, 2, 10), amount=5, unit="days")

    kinds = [step.kind for step in result.explanation]
    assert kinds == [StepKind.START, StepKind.PERIOD, StepKind.SKIPPED, StepKind.SKIPPED, StepKind.DUE]
    period = result.explanation[1]
    assert (period.day, period.last_day, period.days) == (date(2026, 3, 2), date(2026, 3, 7), 5)
    assert result.explanation[-1].reason is MoveReason.NON_WORKING_DAY


# --- explanation -------------------------------------------------------------------------------


def test_full_ordinary_days_are_grouped_into_one_run():
    result = CALENDAR.compute(start=vn(2026, 3, 2, 9), amount=5, unit="working_days")

    kinds = [step.kind for step in result.explanation]
    assert kinds == [
        StepKind.START,
        StepKind.COUNTED,  # Mon 09:00–17:00
        StepKind.COUNTED,  # Tue–Fri: one run of 4 full days
        StepKind.SKIPPED,
        StepKind.SKIPPED,
        StepKind.COUNTED,  # Mon 07:00–09:00
        StepKind.DUE,
    ]
    run = result.explanation[2]
    assert (run.day, run.last_day, run.days, run.hours) == (date(2026, 3, 3), date(2026, 3, 6), 4, Decimal(32))
    assert result.explanation[1].intervals == ((time(9), time(11, 30)), (time(13, 30), time(17)))
    assert result.explanation[-1].hours == Decimal(40)


def test_counted_hours_add_up_to_the_amount():
    result = CALENDAR.compute(start=vn(2026, 2, 10, 14, 5), amount=Decimal("7.25"), unit="working_days")

    counted = sum(step.hours or 0 for step in result.explanation if step.kind is StepKind.COUNTED)
    assert counted == Decimal(58)


def test_the_explanation_is_built_only_when_asked_for():
    result = CALENDAR.compute(start=vn(2026, 3, 2, 9), amount=5, unit="working_days")

    assert "explanation" not in vars(result)
    assert result.due_at == vn(2026, 3, 9, 9)
    assert result.explanation is result.explanation
    assert result.explanation[-1].at == result.due_at


def test_lines_render_each_step():
    result = CALENDAR.compute(start=vn(2026, 3, 2, 9), amount=1, unit="working_hours")

    assert result.lines(lambda step: step.kind.value) == ["start", "counted", "due"]


# --- overrides (pure: supplied as extra days) --------------------------------------------------


def test_an_extra_day_off_pushes_the_due_date():
    calendar = package_calendar(extra={date(2026, 3, 3): DayStatus(DayKind.OVERRIDE_DAY_OFF, name="Bão")})

    assert calendar.compute(start=vn(2026, 3, 2, 7), amount=2, unit="working_days").due_at == vn(2026, 3, 4, 17)


def test_an_extra_working_saturday_pulls_the_due_date():
    calendar = package_calendar(extra={date(2026, 3, 7): DayStatus(DayKind.OVERRIDE_WORKING_DAY, name="Làm bù")})

    assert calendar.compute(start=vn(2026, 3, 6, 7), amount=2, unit="working_days").due_at == vn(2026, 3, 7, 17)


# --- other office hours ------------------------------------------------------------------------


def test_office_hours_with_three_sessions():
    calendar = package_calendar("07:30-10:00,10:30-12:00,13:00-16:30")

    assert calendar.hours_per_day == Decimal("7.5")
    assert calendar.compute(start=vn(2026, 3, 2, 9), amount=2, unit="working_hours").due_at == vn(2026, 3, 2, 11, 30)
    assert calendar.compute(start=vn(2026, 3, 2, 7), amount=1, unit="working_days").due_at == vn(2026, 3, 2, 16, 30)


def test_one_session_per_day():
    calendar = package_calendar("08:00-12:00")

    assert calendar.compute(start=vn(2026, 3, 2, 13), amount=1, unit="working_days").due_at == vn(2026, 3, 3, 12)


@pytest.mark.parametrize("text", ["", "07:00", "11:30-07:00", "07:00-11:30,11:00-17:00", "7h-11h", "07:00-25:00"])
def test_malformed_office_hours_are_refused(text):
    with pytest.raises(ValueError):
        parse_office_hours(text)


# --- other questions ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "hours"),
    [
        (vn(2026, 3, 2, 7), vn(2026, 3, 3, 17), Decimal(16)),
        (vn(2026, 3, 2, 11), vn(2026, 3, 2, 14), Decimal(1)),
        (vn(2026, 3, 2, 12), vn(2026, 3, 2, 13), Decimal(0)),
        (vn(2026, 3, 6, 18), vn(2026, 3, 9, 6), Decimal(0)),
        (vn(2026, 2, 13, 9), vn(2026, 2, 23, 9), Decimal(8)),
        (vn(2026, 3, 2, 9, 0, 30), vn(2026, 3, 2, 9, 1), Decimal(30) / 3600),
        (vn(2026, 3, 2, 9), vn(2026, 3, 2, 9), Decimal(0)),
    ],
)
def test_working_hours_between(start, end, hours):
    assert CALENDAR.working_hours_between(start, end) == hours


def test_working_hours_between_refuses_an_end_before_the_start():
    with pytest.raises(CalendarInputError) as error:
        CALENDAR.working_hours_between(vn(2026, 3, 3, 9), vn(2026, 3, 2, 9))
    assert error.value.field == "end"


def test_day_status_and_next_working_day():
    assert CALENDAR.is_working_day(date(2026, 3, 2))
    assert not CALENDAR.is_working_day(date(2026, 3, 7))
    assert CALENDAR.is_working_day(date(2026, 8, 22))
    assert CALENDAR.status(date(2026, 9, 2)).kind is DayKind.HOLIDAY
    assert CALENDAR.next_working_day_start(vn(2026, 2, 13, 16)) == vn(2026, 2, 23, 7)
    assert CALENDAR.next_working_day_start(vn(2026, 3, 2, 6)) == vn(2026, 3, 3, 7)
    assert CALENDAR.next_opening(vn(2026, 3, 2, 12)) == vn(2026, 3, 2, 13, 30)
    assert CALENDAR.next_opening(vn(2026, 3, 2, 9, 5)) == vn(2026, 3, 2, 9, 5)


# --- refusals ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "amount", "unit", "field", "problem"),
    [
        (datetime(2026, 3, 2, 7), 1, "working_days", "start", Problem.NAIVE),
        (vn(1990, 3, 2, 7), 1, "working_days", "start", Problem.OUT_OF_RANGE),
        (datetime(9999, 12, 31, 23, tzinfo=UTC), 1, "working_days", "start", Problem.OUT_OF_RANGE),
        (vn(2026, 3, 2, 7), -1, "working_days", "amount", Problem.NEGATIVE),
        (vn(2026, 3, 2, 7), float("nan"), "working_days", "amount", Problem.NOT_A_NUMBER),
        (vn(2026, 3, 2, 7), Decimal("Infinity"), "working_hours", "amount", Problem.NOT_A_NUMBER),
        (vn(2026, 3, 2, 7), "abc", "working_days", "amount", Problem.NOT_A_NUMBER),
        (vn(2026, 3, 2, 7), True, "working_days", "amount", Problem.NOT_A_NUMBER),
        (vn(2026, 3, 2, 7), None, "working_days", "amount", Problem.NOT_A_NUMBER),
        (vn(2026, 3, 2, 7), 3651, "working_days", "amount", Problem.TOO_LARGE),
        (vn(2026, 3, 2, 7), 3651, "days", "amount", Problem.TOO_LARGE),
        (vn(2026, 3, 2, 7), 29201, "working_hours", "amount", Problem.TOO_LARGE),
        (vn(2026, 3, 2, 7), Decimal("1.5"), "days", "amount", Problem.NOT_WHOLE_DAYS),
        (vn(2026, 3, 2, 7), 1, "weeks", "unit", Problem.UNKNOWN_UNIT),
        (vn(2098, 3, 2, 7), 3650, "working_days", "amount", Problem.BEYOND_CALENDAR),
        (vn(2099, 3, 2, 7), 3650, "days", "amount", Problem.BEYOND_CALENDAR),
        (vn(2100, 12, 31, 18), 0, "working_days", "amount", Problem.BEYOND_CALENDAR),
    ],
)
def test_bad_input_is_refused_naming_the_field(start, amount, unit, field, problem):
    with pytest.raises(CalendarInputError) as error:
        CALENDAR.compute(start=start, amount=amount, unit=unit)

    assert (error.value.field, error.value.problem) == (field, problem)


def test_naive_datetimes_are_a_value_error():
    with pytest.raises(ValueError):
        CALENDAR.compute(start=datetime(2026, 3, 2, 7), amount=1, unit="working_days")
    with pytest.raises(ValueError):
        CALENDAR.working_hours_between(vn(2026, 3, 2, 7), datetime(2026, 3, 3, 7))


def test_the_largest_amount_is_accepted():
    result = CALENDAR.compute(start=vn(2026, 3, 2, 7), amount=3650, unit="working_days")

    assert result.due_at.year == 2040
    assert CALENDAR.working_hours_between(vn(2026, 3, 2, 7), result.due_at) == 3650 * 8
    assert result.due_at.tzinfo is VIETNAM
