"""A due date's explanation in words (active language, Vietnamese by default) and as JSON-ready data."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, TypeVar

from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from motcua.workcalendar.arithmetic import Due
from motcua.workcalendar.domain import DayKind, DayStatus, MoveReason, Step, StepKind

T = TypeVar("T")


def explanation_lines(due: Due) -> list[str]:
    """One sentence per step of `due`'s explanation."""
    return due.lines(render_step)


def render_step(step: Step) -> str:
    return _RENDERERS[step.kind](step)


def step_data(step: Step) -> dict[str, Any]:
    """A step as plain JSON values (dates ISO 8601, hours as a number)."""
    status = step.status
    return {
        "kind": step.kind.value,
        "date": step.day.isoformat(),
        "last_date": step.last_day.isoformat() if step.last_day else None,
        "days": step.days,
        "intervals": [[_clock(a), _clock(b)] for a, b in step.intervals],
        "hours": float(step.hours) if step.hours is not None else None,
        "at": step.at.isoformat() if step.at else None,
        "reason": step.reason.value if step.reason else None,
        "day_kind": status.kind.value if status else None,
        "name": _status_name(status) if status else None,
    }


def weekday_name(day: date) -> str:
    # A context keeps Django's own catalog ("Thứ 7") from answering: we want "Thứ Bảy".
    names = (
        pgettext("weekday", "Monday"),
        pgettext("weekday", "Tuesday"),
        pgettext("weekday", "Wednesday"),
        pgettext("weekday", "Thursday"),
        pgettext("weekday", "Friday"),
        pgettext("weekday", "Saturday"),
        pgettext("weekday", "Sunday"),
    )
    return names[day.weekday()]


def _start(step: Step) -> str:
    return _("Start: %(day)s at %(time)s.") % _when(step.at)


def _start_moved(step: Step) -> str:
    messages = {
        MoveReason.BEFORE_OPENING: _("Before opening time: counting starts at %(time)s on %(day)s."),
        MoveReason.LUNCH_BREAK: _("During the lunch break: counting starts at %(time)s on %(day)s."),
        MoveReason.AFTER_CLOSING: _("After closing time: counting starts at the next opening, %(time)s on %(day)s."),
        MoveReason.NON_WORKING_DAY: _("Not a working day: counting starts at the next opening, %(time)s on %(day)s."),
    }
    return messages[_given(step.reason)] % _when(step.at)


def _counted(step: Step) -> str:
    hours = _hours(step.hours or Decimal(0))
    if step.days > 1 and step.last_day is not None:
        return _("Counted %(first)s to %(last)s: %(days)s full working days, %(hours)s working hours.") % {
            "first": _day(step.day),
            "last": _day(step.last_day),
            "days": step.days,
            "hours": hours,
        }
    values = {"day": _day(step.day), "intervals": _intervals(step), "hours": hours}
    note = _working_note(step.status)
    if not note:
        return _("Counted %(day)s, %(intervals)s: %(hours)s working hours.") % values
    return _("Counted %(day)s (%(note)s), %(intervals)s: %(hours)s working hours.") % {**values, "note": note}


def _skipped(step: Step) -> str:
    return _("Skipped %(day)s: %(why)s.") % {"day": _day(step.day), "why": _why_not_working(_given(step.status))}


def _period(step: Step) -> str:
    return ngettext(
        "%(days)s calendar day counted from the day after %(start)s: the period ends on %(end)s.",
        "%(days)s calendar days counted from the day after %(start)s: the period ends on %(end)s.",
        step.days,
    ) % {"days": step.days, "start": _day(step.day), "end": _day(_given(step.last_day))}


def _due(step: Step) -> str:
    values = _when(step.at)
    if step.hours is not None:
        return _("Due: %(day)s at %(time)s, after %(hours)s working hours.") % {**values, "hours": _hours(step.hours)}
    if step.reason is not None:
        return (
            _("The period ends on a day off: due at the close of the next working day, %(day)s at %(time)s.") % values
        )
    return _("Due at the close of office hours on %(day)s: %(time)s.") % values


_RENDERERS: dict[StepKind, Callable[[Step], str]] = {
    StepKind.START: _start,
    StepKind.START_MOVED: _start_moved,
    StepKind.COUNTED: _counted,
    StepKind.SKIPPED: _skipped,
    StepKind.PERIOD: _period,
    StepKind.DUE: _due,
}


def _why_not_working(status: DayStatus) -> str:
    if status.kind is DayKind.HOLIDAY:
        return _("public holiday, %(name)s") % {"name": _status_name(status)}
    if status.kind is DayKind.OVERRIDE_DAY_OFF:
        if status.decision:
            return _("day off under decision %(decision)s, %(reason)s") % {
                "decision": status.decision,
                "reason": status.name,
            }
        return _("day off, %(reason)s") % {"reason": status.name}
    return _("weekend")


def _working_note(status: DayStatus | None) -> str:
    """Why a day that is usually off is worked; empty for an ordinary weekday."""
    if status is None or status.kind is DayKind.WORKDAY:
        return ""
    if status.kind is DayKind.MAKEUP_WORKDAY:
        return _("make-up working day")
    if status.decision:
        return _("working day under decision %(decision)s, %(reason)s") % {
            "decision": status.decision,
            "reason": status.name,
        }
    return _("working day, %(reason)s") % {"reason": status.name}


def _status_name(status: DayStatus) -> str:
    english = (translation.get_language() or "").startswith("en")
    return status.name_en if english and status.name_en else status.name


def _when(at: datetime | None) -> dict[str, str]:
    moment = _given(at)
    return {"day": _day(moment.date()), "time": _clock(moment.timetz())}


def _given(value: T | None) -> T:
    """A step field its kind always sets (START/DUE have `at`, SKIPPED a status, …)."""
    if value is None:
        raise ValueError("Malformed explanation step")
    return value


def _day(day: date) -> str:
    return f"{weekday_name(day)} {day:%d/%m/%Y}"


def _clock(moment: time) -> str:
    return moment.strftime("%H:%M:%S" if moment.second or moment.microsecond else "%H:%M")


def _intervals(step: Step) -> str:
    return ", ".join(f"{_clock(a)}–{_clock(b)}" for a, b in step.intervals)


def _hours(hours: Decimal) -> str:
    # Plain digits (no exponent, no trailing zeros), with the language's decimal separator.
    plain = hours.quantize(Decimal(1)) if hours == hours.to_integral_value() else hours.normalize()
    return number_format(plain, use_l10n=True)
