"""A dossier's stored due-time explanation (`Dossier.due_explanation`) in words, for the dossier page.

The calendar's own sentences (`workcalendar.explain`) are reused for every step they can render
from the stored JSON; the stored steps lose the office-time intervals of a single counted day, and
the dossier services add a few items of their own (the basis, a resumed clock, an import).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from motcua.core.clock import VIETNAM
from motcua.workcalendar.domain import DayKind, DayStatus, MoveReason, Step, StepKind
from motcua.workcalendar.explain import render_step, weekday_name


def due_lines(items: list[dict[str, Any]]) -> list[str]:
    """One sentence per stored item; an item this page does not understand is left out."""
    lines = []
    for item in items:
        try:
            line = _line(item)
        except (KeyError, TypeError, ValueError, InvalidOperation):
            line = ""
        if line:
            lines.append(line)
    return lines


def _line(item: dict[str, Any]) -> str:
    kind = item.get("kind")
    if kind == "basis":
        return _basis(item)
    if kind == "resume":
        return _("The clock resumed after the payment with %(hours)s working hours left.") % {
            "hours": _hours(item["hours"])
        }
    if kind == "imported":
        return _("Due time imported from the previous system.")
    step = _step(item)
    if step.kind == StepKind.COUNTED and step.days <= 1:
        # The stored step has no office-time intervals, which the calendar's sentence would list.
        return _("Counted %(day)s: %(hours)s working hours.") % {"day": _day(step.day), "hours": _hours(step.hours)}
    return render_step(step)


_UNITS = {
    "working_days": lambda: _("working days"),
    "working_hours": lambda: _("working hours"),
    "days": lambda: _("calendar days"),
}


def _basis(item: dict[str, Any]) -> str:
    if item.get("missing_processing_time"):
        return _("The procedure has no processing time: the dossier has no due time.")
    parts = []
    if item.get("immediate_result"):
        parts.append(_("Immediate-result procedure: due by the close of the same working day."))
    elif item.get("amount") is not None:
        unit = _UNITS.get(item.get("unit") or "", lambda: str(item.get("unit") or ""))()
        parts.append(_("Processing time: %(amount)s %(unit)s.") % {"amount": _hours(item["amount"]), "unit": unit})
    if item.get("after_15h"):
        parts.append(_("Accepted after 15:00: under the procedure's own rule counting starts the next working day."))
    return " ".join(parts)


def _step(item: dict[str, Any]) -> Step:
    status = None
    if item.get("day_kind"):
        status = DayStatus(DayKind(item["day_kind"]), name=item.get("day_name") or "")
    elif item["kind"] == StepKind.SKIPPED:
        status = DayStatus(DayKind.WEEKEND)
    return Step(
        kind=StepKind(item["kind"]),
        day=date.fromisoformat(item["day"]),
        status=status,
        last_day=date.fromisoformat(item["last_day"]) if item.get("last_day") else None,
        days=int(item.get("days") or 0),
        hours=Decimal(item["hours"]) if item.get("hours") is not None else None,
        at=_local(item["at"]) if item.get("at") else None,
        reason=MoveReason(item["reason"]) if item.get("reason") else None,
    )


def _local(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(VIETNAM)


def _day(day: date) -> str:
    return f"{weekday_name(day)} {day:%d/%m/%Y}"


def _hours(value: Any) -> str:
    hours = Decimal(str(value or 0))
    plain = hours.quantize(Decimal(1)) if hours == hours.to_integral_value() else hours.normalize()
    return number_format(plain, use_l10n=True)
