"""The province's working calendar: office hours from settings, days off from the `holidays` package
and `CalendarOverride`, and the due-date arithmetic of `arithmetic.py` behind keyword-only calls.

One `WorkCalendar` is kept per process and rebuilt when the office hours setting or the
override table changes. Each call checks the table with one small aggregate query, so an
override saved in another process (admin, worker) counts from the next computation on.
"""

from __future__ import annotations

import re
import threading
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import connection
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.core.errors import InvalidInput
from motcua.workcalendar.arithmetic import Due, WorkCalendar
from motcua.workcalendar.domain import (
    MAX_DAYS,
    MAX_YEAR,
    MIN_YEAR,
    CalendarInputError,
    DayKind,
    DayStatus,
    Problem,
    parse_office_hours,
)
from motcua.workcalendar.models import CalendarOverride
from motcua.workcalendar.public_holidays import package_year

_OVERRIDE_STATUS = {
    CalendarOverride.Kind.DAY_OFF: DayKind.OVERRIDE_DAY_OFF,
    CalendarOverride.Kind.WORKING_DAY: DayKind.OVERRIDE_WORKING_DAY,
}
# A "+" left unescaped in a URL query arrives as a space: "2026-03-02T07:00:00 07:00".
_SPACE_FOR_PLUS = re.compile(r"(\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}:?\d{2})$")
_REFUSALS = {
    Problem.NAIVE: gettext_lazy("Give a date and time with a UTC offset, e.g. 2026-03-02T07:00:00+07:00."),
    Problem.OUT_OF_RANGE: gettext_lazy("The date must be between the years %(min)s and %(max)s."),
    Problem.NOT_A_NUMBER: gettext_lazy("The amount must be a number."),
    Problem.NEGATIVE: gettext_lazy("The amount must not be negative."),
    Problem.TOO_LARGE: gettext_lazy("The amount is too large: at most %(days)s days or %(hours)s working hours."),
    Problem.NOT_WHOLE_DAYS: gettext_lazy("Calendar days must be a whole number."),
    Problem.UNKNOWN_UNIT: gettext_lazy("Unknown unit: use working_days, working_hours or days."),
    Problem.BEYOND_CALENDAR: gettext_lazy("The due date would fall after the year %(max)s."),
    Problem.END_BEFORE_START: gettext_lazy("The end must not be before the start."),
}
_cached: tuple[tuple[object, ...], WorkCalendar] | None = None
_cache_lock = threading.Lock()


def compute_due(*, start: datetime, amount: Decimal | int | float, unit: str) -> Due:
    """When `amount` `unit`s (working_days, working_hours or days) from `start` fall due, explained."""
    try:
        return get_calendar().compute(start=start, amount=amount, unit=unit)
    except CalendarInputError as error:
        raise _refusal(error) from None


def working_hours_between(*, start: datetime, end: datetime) -> Decimal:
    """Working time elapsed from `start` to `end` in hours, e.g. to resume a paused clock."""
    try:
        return get_calendar().working_hours_between(start, end)
    except CalendarInputError as error:
        raise _refusal(error) from None


def is_working_day(day: date) -> bool:
    """Whether offices work on `day` (weekday rule, package holidays and swaps, overrides)."""
    try:
        return get_calendar().is_working_day(day)
    except CalendarInputError as error:
        raise _refusal(error) from None


def next_working_day_start(instant: datetime) -> datetime:
    """The first opening of the first working day after the Vietnam-time date of `instant`."""
    try:
        return get_calendar().next_working_day_start(instant, field="instant")
    except CalendarInputError as error:
        raise _refusal(error) from None


def instant_from_text(text: str, *, field: str) -> datetime:
    """An ISO 8601 instant typed by a user or integrator; its offset is checked by the arithmetic."""
    try:
        return datetime.fromisoformat(_SPACE_FOR_PLUS.sub(r"\1+\2", text.strip()))
    except ValueError:
        message = _("Not an ISO 8601 date and time: “%(value)s”.") % {"value": text[:40]}
        raise InvalidInput(message, field=field) from None


def amount_from_text(text: str) -> Decimal:
    """A decimal amount as typed; sign, size and NaN are checked by the arithmetic."""
    try:
        return Decimal(text.strip())
    except InvalidOperation:
        raise InvalidInput(str(_REFUSALS[Problem.NOT_A_NUMBER]), field="amount") from None


def calendar_override_set(*, day: date, kind: str, reason: str, decision_number: str = "") -> CalendarOverride:
    """Make `day` a day off or a working day (replacing any earlier override of that date)."""
    override, _created = CalendarOverride.objects.update_or_create(
        day=day, defaults={"kind": kind, "reason": reason, "decision_number": decision_number}
    )
    invalidate_calendar()
    return override


def get_calendar() -> WorkCalendar:
    """The process-wide calendar, rebuilt when office hours or overrides changed since it was built."""
    global _cached
    key = (settings.MOTCUA_OFFICE_HOURS, *_overrides_fingerprint())
    cached = _cached
    if cached is not None and cached[0] == key:
        return cached[1]
    with _cache_lock:
        if _cached is None or _cached[0] != key:
            sessions = parse_office_hours(settings.MOTCUA_OFFICE_HOURS)
            _cached = (key, WorkCalendar(sessions=sessions, exceptions_for_year=_year_exceptions))
        return _cached[1]


def invalidate_calendar() -> None:
    """Forget the process-wide calendar (the next call rebuilds it)."""
    global _cached
    _cached = None


def _overrides_fingerprint() -> tuple[object, ...]:
    """Changes whenever an override is added, edited or deleted, in any process.

    Any save bumps updated_at, any insert bumps the max id, any delete changes the count. (An
    edit under a frozen test clock keeps updated_at: writers in this process therefore also call
    `invalidate_calendar`.) Plain SQL because this runs on every call: the ORM spends ~0.7 ms
    building the aggregate, the query itself takes ~0.03 ms on SQLite.
    """
    table = connection.ops.quote_name(CalendarOverride._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*), MAX(updated_at), MAX(id) FROM {table}")  # noqa: S608 (no user input)
        row = cursor.fetchone()
    return tuple(row) if row else ()


def _year_exceptions(year: int) -> dict[date, DayStatus]:
    """The package's days of `year`, overridden by the admin table."""
    days = dict(package_year(year))
    for override in CalendarOverride.objects.filter(day__year=year):
        kind = _OVERRIDE_STATUS[CalendarOverride.Kind(override.kind)]
        days[override.day] = DayStatus(kind, name=override.reason, decision=override.decision_number)
    return days


def _refusal(error: CalendarInputError) -> InvalidInput:
    """The translated refusal for an input the arithmetic rejected."""
    values: dict[str, object] = {"min": MIN_YEAR, "max": MAX_YEAR, "days": MAX_DAYS}
    if error.problem is Problem.TOO_LARGE:
        values["hours"] = MAX_DAYS * get_calendar().hours_per_day
    return InvalidInput(str(_REFUSALS[error.problem]) % values, field=error.field)


def calendar_override_delete(*, override: CalendarOverride) -> None:
    """Remove an override: the date goes back to what the weekday rule and the holidays package say."""
    CalendarOverride.objects.filter(pk=override.pk).delete()
    invalidate_calendar()
