"""Shared test helpers: Vietnam-time instants and a calendar from the holidays package alone (no DB)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from motcua.workcalendar.arithmetic import WorkCalendar
from motcua.workcalendar.domain import VIETNAM, DayStatus, parse_office_hours
from motcua.workcalendar.public_holidays import package_year

OFFICE_HOURS = "07:00-11:30,13:30-17:00"


def vn(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    """An instant in Vietnam time."""
    return datetime(year, month, day, hour, minute, second, tzinfo=VIETNAM)


def package_calendar(office_hours: str = OFFICE_HOURS, extra: Mapping[date, DayStatus] | None = None) -> WorkCalendar:
    """The default calendar (package holidays), optionally with `extra` days winning over the package."""

    def exceptions(year: int) -> dict[date, DayStatus]:
        return {**package_year(year), **{d: s for d, s in (extra or {}).items() if d.year == year}}

    return WorkCalendar(sessions=parse_office_hours(office_hours), exceptions_for_year=exceptions)
