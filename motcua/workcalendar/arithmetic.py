"""Due-date arithmetic on a working calendar (SPEC §4.2): pure Python, no Django, no I/O.

A `WorkCalendar` knows the office sessions of a working day and, year by year, which dates
differ from the weekday rule (holidays, make-up working Saturdays, overrides: supplied by the
caller). It answers:

- working time (`working_days` = N × the hours of a working day, `working_hours`) added in
  office time from the start. A start outside office time counts from the next opening. When
  the time runs out exactly at a closing time (11:30, 17:00), that closing time is the due time.
  Zero working time is due at that normalized start.
- calendar `days` (Civil Code 2015 Art. 147.2: the day of the event is not counted, so N days
  from day D end on D + N; Art. 148: a period ending on a day off ends with the next working
  day). Offices only receive and return during office hours, so a calendar-day period ends at
  the close of its last day (17:00 by default), also when it moved to the next working day.
- the working time elapsed between two instants (to resume a paused clock).

Working time is counted in whole microseconds; amounts round to the nearest microsecond, so
hours from `working_hours_between` (a Decimal that may be a rounded repeating fraction) give
back exactly the time they measured. Every result carries structured `Step`s saying what was
counted and skipped; rendering them as text is the caller's job (see `explain.py`).
"""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cached_property
from zoneinfo import ZoneInfo

from motcua.workcalendar.domain import (
    MAX_DAYS,
    MAX_YEAR,
    MIN_YEAR,
    ORDINARY_DAY,
    US_PER_DAY,
    US_PER_HOUR,
    VIETNAM,
    WEEKEND,
    WEEKEND_DAY,
    CalendarInputError,
    DayKind,
    DayStatus,
    DurationUnit,
    MoveReason,
    Problem,
    Session,
    Step,
    StepKind,
    clock_time,
)

YearExceptions = Callable[[int], Mapping[date, DayStatus]]


@dataclass(frozen=True)
class Due:
    """A computed due instant (Vietnam time) with the steps that explain it.

    The explanation is built on first access: most callers (sweeps, paused clocks) only need
    `due_at`, and the steps cost more than the arithmetic.
    """

    start: datetime
    amount: Decimal
    unit: DurationUnit
    due_at: datetime
    explain: Callable[[], tuple[Step, ...]] = field(repr=False, compare=False)

    @cached_property
    def explanation(self) -> tuple[Step, ...]:
        return self.explain()

    def lines(self, render: Callable[[Step], str]) -> list[str]:
        """The explanation as text, one line per step, in the renderer's words."""
        return [render(step) for step in self.explanation]


@dataclass(frozen=True, slots=True)
class _Span:
    """Consecutive years lo..hi: their working days as sorted ordinals, and the days off the weekday rule."""

    lo: int
    hi: int
    ordinals: list[int]
    exceptions: dict[int, DayStatus]


class _NeedMoreYears(Exception):
    """The working days loaded end before the due date."""


class WorkCalendar:
    """Office sessions plus the working/non-working status of every date, with the due-date arithmetic.

    Years are loaded on demand from `exceptions_for_year`; a calendar is safe to share between
    threads (each computation works on one immutable snapshot of the loaded years).
    """

    def __init__(
        self,
        *,
        sessions: Sequence[Session],
        exceptions_for_year: YearExceptions,
        weekend: Iterable[int] = WEEKEND,
        tz: ZoneInfo = VIETNAM,
    ) -> None:
        if not sessions:
            raise ValueError("A working day needs at least one office session")
        self.sessions = tuple(sessions)
        self.tz = tz
        self.day_us = sum(s.length_us for s in self.sessions)
        self.hours_per_day = Decimal(self.day_us) / US_PER_HOUR
        self._full_day = [(session.opens_us, session.closes_us) for session in self.sessions]
        self._limits = {unit: Decimal(MAX_DAYS) for unit in DurationUnit}
        self._limits[DurationUnit.WORKING_HOURS] = MAX_DAYS * self.hours_per_day
        self._weekend = frozenset(weekend)
        self._exceptions_for_year = exceptions_for_year
        self._span: _Span | None = None
        self._lock = threading.Lock()

    # --- days -------------------------------------------------------------------------------

    def status(self, day: date) -> DayStatus:
        """What `day` is (working or not, and why)."""
        span = self._covering(day.year, day.year, field="day")
        return self._status_in(span, day.toordinal())

    def is_working_day(self, day: date) -> bool:
        return self.status(day).working

    def next_opening(self, instant: datetime, *, field: str = "start") -> datetime:
        """`instant` itself when in office time, else the next opening."""
        ordinal, us = self._local(instant, field=field)
        try:
            ordinal, us, _ = self._normalize(self._around(ordinal, field=field), ordinal, us)
        except _NeedMoreYears:
            raise CalendarInputError(Problem.BEYOND_CALENDAR, field=field) from None
        return self._instant(ordinal, us)

    def next_working_day_start(self, instant: datetime, *, field: str = "start") -> datetime:
        """The first opening of the first working day after the (local) date of `instant`."""
        ordinal, _ = self._local(instant, field=field)
        try:
            day = self._working_after(self._around(ordinal, field=field), ordinal)
        except _NeedMoreYears:
            raise CalendarInputError(Problem.BEYOND_CALENDAR, field=field) from None
        return self._instant(day, self.sessions[0].opens_us)

    # --- public arithmetic ------------------------------------------------------------------

    def compute(self, *, start: datetime, amount: object, unit: str) -> Due:
        """The due instant of `amount` `unit`s from `start` (see the module docstring for the rules)."""
        kind = _unit(unit)
        value = to_amount(amount)
        if value > self._limits[kind]:
            raise CalendarInputError(Problem.TOO_LARGE, field="amount")
        if kind is DurationUnit.DAYS:
            if value != value.to_integral_value():
                raise CalendarInputError(Problem.NOT_WHOLE_DAYS, field="amount")
            due_at, explain = self._add_days(start, int(value))
        else:
            hours = value * self.hours_per_day if kind is DurationUnit.WORKING_DAYS else value
            due_at, explain = self._add_working(start, _hours_to_us(hours))
        return Due(start=start, amount=value, unit=kind, due_at=due_at, explain=explain)

    def working_hours_between(self, start: datetime, end: datetime) -> Decimal:
        """Working time elapsed from `start` to `end`, in hours (0 when both are outside office time)."""
        start_ord, start_us = self._local(start, field="start")
        end_ord, end_us = self._local(end, field="end")
        if end < start:
            raise CalendarInputError(Problem.END_BEFORE_START, field="end")
        span = self._covering(_year(start_ord), _year(end_ord), field="end")
        elapsed = self._position(span, end_ord, end_us) - self._position(span, start_ord, start_us)
        return Decimal(elapsed) / US_PER_HOUR

    # --- working time -----------------------------------------------------------------------

    def _add_working(self, start: datetime, us: int) -> tuple[datetime, Callable[[], tuple[Step, ...]]]:
        ordinal, offset = self._local(start, field="start")
        # At least ~240 working days a year: a good first guess of the years the result needs.
        hi = _year(ordinal) + 1 + us // (self.day_us * 240)
        while True:
            span = self._covering(_year(ordinal), min(hi, MAX_YEAR), field="amount")
            try:
                due_ord, due_us = self._after(span, ordinal, offset, us)
                break
            except _NeedMoreYears:
                if span.hi >= MAX_YEAR:
                    raise CalendarInputError(Problem.BEYOND_CALENDAR, field="amount") from None
                hi = span.hi + 2
        due_at = self._instant(due_ord, due_us)
        return due_at, lambda: self._explain_working(span, start, (ordinal, offset), (due_ord, due_us), us)

    def _after(self, span: _Span, ordinal: int, offset: int, us: int) -> tuple[int, int]:
        """The local (day, time) reached after `us` of working time from (ordinal, offset)."""
        if us == 0:
            ordinal, offset, _ = self._normalize(span, ordinal, offset)
            return ordinal, offset
        target = self._position(span, ordinal, offset) + us
        # Working day i covers positions (i·W, (i+1)·W]: a target of exactly (i+1)·W is day i's close.
        index, into_day = divmod(target - 1, self.day_us)
        if index >= len(span.ordinals):
            raise _NeedMoreYears
        return span.ordinals[index], self._clock_at(into_day + 1)

    def _position(self, span: _Span, ordinal: int, offset: int) -> int:
        """Working microseconds from the start of the span to this local (day, time)."""
        index = bisect_left(span.ordinals, ordinal)
        position = index * self.day_us
        if index < len(span.ordinals) and span.ordinals[index] == ordinal:
            position += sum(min(max(offset - s.opens_us, 0), s.length_us) for s in self.sessions)
        return position

    def _clock_at(self, worked: int) -> int:
        """The time of day at which `worked` (0 < worked ≤ a day's time) of the day's work is done."""
        for session in self.sessions:
            if worked <= session.length_us:
                return session.opens_us + worked
            worked -= session.length_us
        raise AssertionError("worked exceeds a working day")

    def _normalize(self, span: _Span, ordinal: int, offset: int) -> tuple[int, int, MoveReason | None]:
        """The instant itself when in office time, else the next opening and why it moved."""
        if not self._status_in(span, ordinal).working:
            return self._working_from(span, ordinal), self.sessions[0].opens_us, MoveReason.NON_WORKING_DAY
        for number, session in enumerate(self.sessions):
            if offset < session.opens_us:
                reason = MoveReason.BEFORE_OPENING if number == 0 else MoveReason.LUNCH_BREAK
                return ordinal, session.opens_us, reason
            if offset < session.closes_us:
                return ordinal, offset, None
        return self._working_after(span, ordinal), self.sessions[0].opens_us, MoveReason.AFTER_CLOSING

    # --- calendar days ----------------------------------------------------------------------

    def _add_days(self, start: datetime, days: int) -> tuple[datetime, Callable[[], tuple[Step, ...]]]:
        ordinal, _ = self._local(start, field="start")
        last = ordinal + days  # Art. 147.2: the start day itself is not counted
        if _year(last) > MAX_YEAR:
            raise CalendarInputError(Problem.BEYOND_CALENDAR, field="amount")
        span = self._covering(_year(ordinal), min(_year(last) + 1, MAX_YEAR), field="amount")
        try:
            due_ord = self._working_from(span, last)
        except _NeedMoreYears:
            raise CalendarInputError(Problem.BEYOND_CALENDAR, field="amount") from None
        due_at = self._instant(due_ord, self.sessions[-1].closes_us)
        return due_at, lambda: self._explain_days(span, start, days, due_at)

    # --- explanation ------------------------------------------------------------------------

    def _explain_days(self, span: _Span, start: datetime, days: int, due_at: datetime) -> tuple[Step, ...]:
        local_start = start.astimezone(self.tz)
        last = local_start.date() + timedelta(days)
        moved = MoveReason.NON_WORKING_DAY if due_at.date() > last else None
        return (
            Step(StepKind.START, local_start.date(), at=local_start),
            Step(StepKind.PERIOD, local_start.date(), last_day=last, days=days),
            *(self._skipped(span, day) for day in range(last.toordinal(), due_at.toordinal())),
            Step(StepKind.DUE, due_at.date(), at=due_at, reason=moved),
        )

    def _explain_working(
        self, span: _Span, start: datetime, origin: tuple[int, int], due: tuple[int, int], us: int
    ) -> tuple[Step, ...]:
        local_start = start.astimezone(self.tz)
        steps = [Step(StepKind.START, local_start.date(), at=local_start)]
        begin_ord, begin_us, reason = self._normalize(span, *origin)
        if reason is not None:
            at = self._instant(begin_ord, begin_us)
            steps.append(Step(StepKind.START_MOVED, at.date(), at=at, reason=reason))
        run: list[int] = []  # consecutive full ordinary days, told as one step
        for ordinal in range(origin[0], due[0] + 1):
            status = self._status_in(span, ordinal)
            if not status.working:
                self._flush_run(steps, run)
                steps.append(Step(StepKind.SKIPPED, date.fromordinal(ordinal), status=status))
            elif ordinal >= begin_ord:
                # Only the first and the last day can be partly counted.
                interior = begin_ord < ordinal < due[0]
                lower = begin_us if ordinal == begin_ord else 0
                parts = (
                    self._full_day if interior else self._intervals(lower, due[1] if ordinal == due[0] else US_PER_DAY)
                )
                if status.kind is DayKind.WORKDAY and (interior or parts == self._full_day):
                    run.append(ordinal)
                elif parts:
                    self._flush_run(steps, run)
                    steps.append(self._counted(ordinal, status, parts))
        self._flush_run(steps, run)
        due_at = self._instant(*due)
        steps.append(Step(StepKind.DUE, due_at.date(), at=due_at, hours=Decimal(us) / US_PER_HOUR))
        return tuple(steps)

    def _intervals(self, lower: int, upper: int) -> list[tuple[int, int]]:
        """The parts of the office sessions between two times of one day."""
        clipped = ((max(s.opens_us, lower), min(s.closes_us, upper)) for s in self.sessions)
        return [(a, b) for a, b in clipped if a < b]

    def _counted(self, ordinal: int, status: DayStatus, parts: list[tuple[int, int]]) -> Step:
        """Working time counted on one day; `days` is 1 for a full ordinary day, else 0."""
        worked = sum(b - a for a, b in parts)
        day = date.fromordinal(ordinal)
        full = int(worked == self.day_us and status.kind is DayKind.WORKDAY)
        times = tuple((clock_time(a), clock_time(b)) for a, b in parts)
        hours = Decimal(worked) / US_PER_HOUR
        return Step(StepKind.COUNTED, day, status, last_day=day, days=full, intervals=times, hours=hours)

    def _flush_run(self, steps: list[Step], run: list[int]) -> None:
        if len(run) == 1:
            steps.append(self._counted(run[0], ORDINARY_DAY, self._full_day))
        elif run:
            first, last = date.fromordinal(run[0]), date.fromordinal(run[-1])
            hours = len(run) * self.hours_per_day
            steps.append(Step(StepKind.COUNTED, first, ORDINARY_DAY, last_day=last, days=len(run), hours=hours))
        run.clear()

    def _skipped(self, span: _Span, ordinal: int) -> Step:
        return Step(StepKind.SKIPPED, date.fromordinal(ordinal), status=self._status_in(span, ordinal))

    # --- loaded years -----------------------------------------------------------------------

    def _covering(self, lo: int, hi: int, *, field: str) -> _Span:
        """A snapshot of the loaded years that includes lo..hi, loading what is missing."""
        if lo < MIN_YEAR or hi > MAX_YEAR:
            raise CalendarInputError(Problem.OUT_OF_RANGE, field=field)
        span = self._span
        if span is not None and span.lo <= lo and hi <= span.hi:
            return span
        with self._lock:
            span = self._span
            if span is not None:
                lo, hi = min(lo, span.lo), max(hi, span.hi)
            self._span = span = self._load(lo, hi)
        return span

    def _around(self, ordinal: int, *, field: str) -> _Span:
        """Loaded years covering the year of `ordinal` and the next (where the next working day may be)."""
        year = _year(ordinal)
        return self._covering(year, min(year + 1, MAX_YEAR), field=field)

    def _load(self, lo: int, hi: int) -> _Span:
        exceptions: dict[int, DayStatus] = {}
        for year in range(lo, hi + 1):
            exceptions.update((d.toordinal(), s) for d, s in self._exceptions_for_year(year).items() if d.year == year)
        span = _Span(lo, hi, [], exceptions)
        first, last = date(lo, 1, 1).toordinal(), date(hi, 12, 31).toordinal()
        span.ordinals.extend(o for o in range(first, last + 1) if self._status_in(span, o).working)
        return span

    def _status_in(self, span: _Span, ordinal: int) -> DayStatus:
        status = span.exceptions.get(ordinal)
        if status is not None:
            return status
        # date(1, 1, 1) has ordinal 1 and is a Monday (weekday 0).
        return WEEKEND_DAY if (ordinal - 1) % 7 in self._weekend else ORDINARY_DAY

    def _working_from(self, span: _Span, ordinal: int) -> int:
        """The first working day on or after `ordinal`."""
        index = bisect_left(span.ordinals, ordinal)
        if index >= len(span.ordinals):
            raise _NeedMoreYears
        return span.ordinals[index]

    def _working_after(self, span: _Span, ordinal: int) -> int:
        """The first working day strictly after `ordinal`."""
        index = bisect_right(span.ordinals, ordinal)
        if index >= len(span.ordinals):
            raise _NeedMoreYears
        return span.ordinals[index]

    # --- instants ---------------------------------------------------------------------------

    def _local(self, instant: datetime, *, field: str) -> tuple[int, int]:
        """(date ordinal, microseconds after midnight) of an aware instant in the calendar's zone."""
        if instant.tzinfo is None or instant.utcoffset() is None:
            raise CalendarInputError(Problem.NAIVE, field=field)
        try:
            local = instant.astimezone(self.tz)
        except OverflowError:
            raise CalendarInputError(Problem.OUT_OF_RANGE, field=field) from None
        if not MIN_YEAR <= local.year <= MAX_YEAR:
            raise CalendarInputError(Problem.OUT_OF_RANGE, field=field)
        us = ((local.hour * 60 + local.minute) * 60 + local.second) * 1_000_000 + local.microsecond
        return local.toordinal(), us

    def _instant(self, ordinal: int, us: int) -> datetime:
        midnight = datetime.combine(date.fromordinal(ordinal), time(), tzinfo=self.tz)
        return midnight + timedelta(microseconds=us)


def to_amount(value: object) -> Decimal:
    """A finite, non-negative Decimal from an int, float, Decimal or numeric string."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
        raise CalendarInputError(Problem.NOT_A_NUMBER, field="amount")
    try:
        # str() of a float is its shortest repr: 0.1 stays 0.1, not 0.1000000000000000055…
        amount = Decimal(value) if isinstance(value, Decimal | int) else Decimal(str(value).strip())
    except InvalidOperation:
        raise CalendarInputError(Problem.NOT_A_NUMBER, field="amount") from None
    if not amount.is_finite():
        raise CalendarInputError(Problem.NOT_A_NUMBER, field="amount")
    if amount < 0:
        raise CalendarInputError(Problem.NEGATIVE, field="amount")
    return amount


def _unit(unit: str) -> DurationUnit:
    try:
        return DurationUnit(unit)
    except ValueError:
        raise CalendarInputError(Problem.UNKNOWN_UNIT, field="unit") from None


def _hours_to_us(hours: Decimal) -> int:
    return int((hours * US_PER_HOUR).to_integral_value(rounding=ROUND_HALF_UP))


def _year(ordinal: int) -> int:
    return date.fromordinal(ordinal).year
