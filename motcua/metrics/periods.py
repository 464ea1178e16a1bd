"""Reporting periods (SPEC §6.1: month, quarter, year) and the window of instants an index looks at.

`2026`, `2026-Q3` and `2026-07` name half-open ranges [start, end) of Vietnam-local dates. A
period that has not begun is refused; the running one is allowed and is evaluated up to "now"
(`Period.window(now=...)`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum
from typing import Final

from django.utils.translation import gettext_lazy as _

from motcua.core.clock import VIETNAM, local_today
from motcua.metrics.facts import MetricsError

MIN_YEAR: Final = 2000  # the one-stop mechanism and its reports start in the 2000s
_PATTERN: Final = re.compile(r"(?P<year>\d{4})(?:-(?:Q(?P<quarter>\d+)|(?P<month>\d{2})))?")


class PeriodError(MetricsError):
    """A period the reports refuse: malformed, out of range, or not begun yet."""

    code = "invalid_period"


class PeriodKind(StrEnum):
    YEAR = "year"
    QUARTER = "quarter"
    MONTH = "month"


@dataclass(frozen=True)
class Window:
    """The instants an evaluation covers: [start, end), `end` being the evaluation instant."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if self.start.utcoffset() is None or self.end.utcoffset() is None:
            raise PeriodError(_("A window needs timezone-aware instants."))
        if self.end < self.start:
            raise PeriodError(_("A window cannot end before it starts."))

    def contains(self, instant: datetime) -> bool:
        return self.start <= instant < self.end


@dataclass(frozen=True)
class Period:
    """A year, quarter or month: the local dates [start, end)."""

    kind: PeriodKind
    year: int
    number: int  # the quarter (1–4) or month (1–12); 0 for a year
    start: date
    end: date

    @property
    def label(self) -> str:
        if self.kind is PeriodKind.QUARTER:
            return f"{self.year}-Q{self.number}"
        if self.kind is PeriodKind.MONTH:
            return f"{self.year}-{self.number:02d}"
        return str(self.year)

    def __str__(self) -> str:
        return self.label

    @property
    def start_instant(self) -> datetime:
        return datetime.combine(self.start, time(0), tzinfo=VIETNAM)

    @property
    def end_instant(self) -> datetime:
        return datetime.combine(self.end, time(0), tzinfo=VIETNAM)

    def window(self, *, now: datetime | None = None) -> Window:
        """The period's instants, cut at `now` while the period is still running."""
        end = self.end_instant if now is None else min(self.end_instant, now)
        return Window(self.start_instant, max(end, self.start_instant))


def _first_of_month(year: int, month: int) -> date:
    return date(year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def _build(year: int, quarter: str | None, month: str | None) -> Period:
    if quarter is not None:
        number = int(quarter)
        if not 1 <= number <= 4:
            raise PeriodError(_("There is no quarter %(quarter)s: quarters run from Q1 to Q4."), quarter=quarter)
        first = 3 * number - 2
        return Period(PeriodKind.QUARTER, year, number, date(year, first, 1), _first_of_month(year, first + 3))
    if month is not None:
        number = int(month)
        if not 1 <= number <= 12:
            raise PeriodError(_("There is no month %(month)s: months run from 01 to 12."), month=month)
        return Period(PeriodKind.MONTH, year, number, date(year, number, 1), _first_of_month(year, number + 1))
    return Period(PeriodKind.YEAR, year, 0, date(year, 1, 1), date(year + 1, 1, 1))


def parse_period(text: str, *, today: date | None = None) -> Period:
    """The period `YYYY`, `YYYY-Qn` or `YYYY-MM` names; PeriodError if malformed or not begun by `today`."""
    match = _PATTERN.fullmatch(text.strip())
    if match is None:
        raise PeriodError(_("“%(text)s” is not a period: write YYYY, YYYY-Qn or YYYY-MM."), text=text)
    year = int(match["year"])
    if year < MIN_YEAR:
        raise PeriodError(_("Reports start in %(year)s."), year=MIN_YEAR)
    period = _build(year, match["quarter"], match["month"])
    today = today or local_today()
    if period.start > today:
        raise PeriodError(_("The period %(period)s has not begun yet."), period=period.label)
    return period
