"""The working calendar's vocabulary: units, day kinds, office sessions, explanation steps, refusals.

Pure Python (no Django): shared by the arithmetic, the holiday reader and the services.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from enum import StrEnum
from zoneinfo import ZoneInfo

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
US_PER_HOUR = 3_600_000_000
US_PER_DAY = 24 * US_PER_HOUR
# Vietnam's observed-holiday rules in the `holidays` package start in 1995; 2100 bounds absurd input.
MIN_YEAR = 1995
MAX_YEAR = 2100
# Ten years: longer than any processing time in the catalog, short enough to refuse typos.
MAX_DAYS = 3650
WEEKEND = frozenset({5, 6})  # date.weekday(): Saturday, Sunday


class DurationUnit(StrEnum):
    """How a processing time is expressed (same values as the catalog's time unit)."""

    WORKING_DAYS = "working_days"
    WORKING_HOURS = "working_hours"
    DAYS = "days"


class Problem(StrEnum):
    """Why an input was refused; services turn it into a translated message."""

    NAIVE = "naive"
    OUT_OF_RANGE = "out_of_range"
    NOT_A_NUMBER = "not_a_number"
    NEGATIVE = "negative"
    TOO_LARGE = "too_large"
    NOT_WHOLE_DAYS = "not_whole_days"
    UNKNOWN_UNIT = "unknown_unit"
    BEYOND_CALENDAR = "beyond_calendar"
    END_BEFORE_START = "end_before_start"


class CalendarInputError(ValueError):
    """An input the arithmetic refuses, naming the offending argument."""

    def __init__(self, problem: Problem, *, field: str) -> None:
        super().__init__(f"{field}: {problem.value}")
        self.problem = problem
        self.field = field


class DayKind(StrEnum):
    """Why a date is, or is not, a working day."""

    WORKDAY = "workday"
    WEEKEND = "weekend"
    HOLIDAY = "holiday"  # public holiday or substitute day off (holidays package)
    MAKEUP_WORKDAY = "makeup_workday"  # a weekend day worked in exchange for a day off (package)
    OVERRIDE_DAY_OFF = "override_day_off"  # CalendarOverride
    OVERRIDE_WORKING_DAY = "override_working_day"  # CalendarOverride


WORKING_KINDS = frozenset({DayKind.WORKDAY, DayKind.MAKEUP_WORKDAY, DayKind.OVERRIDE_WORKING_DAY})


@dataclass(frozen=True, slots=True)
class DayStatus:
    """What one date is: its kind, and the name or reason given by its source."""

    kind: DayKind
    name: str = ""  # holiday name or override reason, Vietnamese
    name_en: str = ""  # English holiday name when the source has one
    decision: str = ""  # decision number of an override

    @property
    def working(self) -> bool:
        return self.kind in WORKING_KINDS


ORDINARY_DAY = DayStatus(DayKind.WORKDAY)
WEEKEND_DAY = DayStatus(DayKind.WEEKEND)


@dataclass(frozen=True, slots=True)
class Session:
    """One stretch of office time in a working day, e.g. 07:00–11:30, as microseconds after midnight."""

    opens_us: int
    closes_us: int

    @property
    def length_us(self) -> int:
        return self.closes_us - self.opens_us

    @property
    def opens(self) -> time:
        return clock_time(self.opens_us)

    @property
    def closes(self) -> time:
        return clock_time(self.closes_us)


def parse_office_hours(text: str) -> tuple[Session, ...]:
    """Sessions from a setting like "07:00-11:30,13:30-17:00": ordered, not overlapping."""
    sessions: list[Session] = []
    for part in text.split(","):
        opens, sep, closes = part.strip().replace("–", "-").partition("-")
        if not sep:
            raise ValueError(f"Office hours: “{part}” is not HH:MM-HH:MM")
        session = Session(time_us(time.fromisoformat(opens.strip())), time_us(time.fromisoformat(closes.strip())))
        if session.length_us <= 0 or (sessions and session.opens_us < sessions[-1].closes_us):
            raise ValueError(f"Office hours: sessions must be ordered and not overlap: “{text}”")
        sessions.append(session)
    return tuple(sessions)


class StepKind(StrEnum):
    """One line of a due date's explanation."""

    START = "start"  # the instant given (at)
    START_MOVED = "start_moved"  # outside office time: counting starts at the next opening (at, reason)
    COUNTED = "counted"  # working time counted on a day, or a run of full working days
    SKIPPED = "skipped"  # a non-working day passed over (status says why)
    PERIOD = "period"  # calendar days counted from day to last_day
    DUE = "due"  # the due instant (at); reason set when a calendar-day due moved off a day off


class MoveReason(StrEnum):
    """Why an instant was moved to the next opening or working day."""

    BEFORE_OPENING = "before_opening"
    LUNCH_BREAK = "lunch_break"
    AFTER_CLOSING = "after_closing"
    NON_WORKING_DAY = "non_working_day"


@dataclass(frozen=True, slots=True)
class Step:
    """A structured explanation item; `hours` is working time counted, `days` a count of days."""

    kind: StepKind
    day: date
    status: DayStatus | None = None
    last_day: date | None = None
    days: int = 0
    intervals: tuple[tuple[time, time], ...] = ()
    hours: Decimal | None = None
    at: datetime | None = None
    reason: MoveReason | None = None


def time_us(moment: time) -> int:
    """Microseconds after midnight."""
    return ((moment.hour * 60 + moment.minute) * 60 + moment.second) * 1_000_000 + moment.microsecond


def clock_time(us: int) -> time:
    """The time of day `us` microseconds after midnight."""
    seconds, micro = divmod(us, 1_000_000)
    return time(seconds // 3600, seconds // 60 % 60, seconds % 60, micro)
