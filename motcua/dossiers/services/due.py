"""Due times of dossiers and steps, on the working calendar (SPEC §4.2).

The calendar does the arithmetic; this module decides *what* to count: the version's processing
time (its online time for online dossiers), the same-day rule of immediate-result procedures and
the after-15:00 rule of procedures whose own law has it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any, Final

from motcua.catalog.models import ProcedureVersion
from motcua.core.clock import VIETNAM
from motcua.dossiers.audit import iso_utc
from motcua.dossiers.models import Channel
from motcua.workcalendar import services as calendar
from motcua.workcalendar.arithmetic import Due, WorkCalendar
from motcua.workcalendar.domain import CalendarInputError

# The calendar of the current `calendar_pinned` block.
_pinned: ContextVar[WorkCalendar | None] = ContextVar("pinned_calendar", default=None)


@contextmanager
def calendar_pinned() -> Iterator[None]:
    """Use one calendar for every due time computed inside (one action): the calendar service checks
    the admin's overrides with a query on each call; an action needs them checked once."""
    token = _pinned.set(calendar.get_calendar())
    try:
        yield
    finally:
        _pinned.reset(token)


def compute_due(*, start: datetime, amount: Decimal | int | float, unit: str) -> Due:
    pinned = _pinned.get()
    if pinned is not None:
        try:
            return pinned.compute(start=start, amount=amount, unit=unit)
        except CalendarInputError:
            pass  # the service raises the translated refusal
    return calendar.compute_due(start=start, amount=amount, unit=unit)


def working_hours_between(*, start: datetime, end: datetime) -> Decimal:
    pinned = _pinned.get()
    if pinned is not None:
        try:
            return pinned.working_hours_between(start, end)
        except CalendarInputError:
            pass
    return calendar.working_hours_between(start=start, end=end)


def next_working_day_start(instant: datetime) -> datetime:
    pinned = _pinned.get()
    if pinned is not None:
        try:
            return pinned.next_working_day_start(instant, field="instant")
        except CalendarInputError:
            pass
    return calendar.next_working_day_start(instant)


AFTER_15H = time(15, 0)


@dataclass(frozen=True)
class DueResult:
    due_at: datetime | None
    explanation: list[dict[str, Any]] = field(default_factory=list)


def processing_time(version: ProcedureVersion, channel: int) -> tuple[Decimal | None, str]:
    """The amount and unit that apply: the online time for online dossiers when the version has one."""
    if channel == Channel.ONLINE and version.online_processing_time is not None:
        return version.online_processing_time, version.online_processing_time_unit or version.processing_time_unit
    return version.processing_time, version.processing_time_unit


def processing_due(*, version: ProcedureVersion, channel: int, start: datetime) -> DueResult:
    """When a dossier accepted (or completed by a supplement) at `start` is due, with its explanation."""
    amount, unit = processing_time(version, channel)
    basis: dict[str, Any] = {"kind": "basis", "amount": str(amount) if amount is not None else None, "unit": unit}
    if version.next_day_after_15h and start.astimezone(VIETNAM).time() >= AFTER_15H:
        start = next_working_day_start(start)
        basis["after_15h"] = True  # the procedure's own law: count from the next working day
    if version.immediate_result:
        basis["immediate_result"] = True
        return _same_working_day(start, basis)
    if amount is None or not unit:
        basis["missing_processing_time"] = True
        return DueResult(None, [basis])
    due = compute_due(start=start, amount=amount, unit=unit)
    return DueResult(due.due_at, [basis, *explanation_json(due.explanation)])


def _same_working_day(start: datetime, basis: dict[str, Any]) -> DueResult:
    """The close of the working day on which `start` falls (or of the next one, outside office time)."""
    opening = compute_due(start=start, amount=0, unit="working_hours").due_at
    day_start = next_working_day_start(opening - timedelta(days=1))
    due = compute_due(start=day_start, amount=1, unit="working_days")
    return DueResult(due.due_at, [basis, *explanation_json(due.explanation)])


def working_hours_due(*, start: datetime, hours: Decimal) -> datetime:
    """`hours` working hours after `start` (steps, resumed clocks)."""
    return compute_due(start=start, amount=hours, unit="working_hours").due_at


def explanation_json(steps: Any) -> list[dict[str, Any]]:
    """The calendar's explanation steps as JSON (rendering them as text is the page's job)."""
    items = []
    for step in steps:
        item: dict[str, Any] = {"kind": str(step.kind), "day": step.day.isoformat()}
        if step.last_day and step.last_day != step.day:
            item["last_day"] = step.last_day.isoformat()
        if step.days:
            item["days"] = step.days
        if step.hours is not None:
            item["hours"] = f"{step.hours.normalize():f}"
        if step.at is not None:
            item["at"] = iso_utc(step.at)
        if step.reason is not None:
            item["reason"] = str(step.reason)
        if step.status is not None and step.status.kind != "workday":
            item["day_kind"] = str(step.status.kind)
            item["day_name"] = step.status.name
        items.append(item)
    return items


class Urgency(StrEnum):
    """How an open step stands against its due time (the inbox colours)."""

    EARLY = "early"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"


# A step is "due soon" within half a working day of its due time.
DUE_SOON_HOURS: Final = Decimal(4)


def urgency(due_at: datetime | None, now: datetime) -> Urgency:
    if due_at is None:
        return Urgency.EARLY
    if now > due_at:
        return Urgency.OVERDUE
    if working_hours_between(start=now, end=due_at) <= DUE_SOON_HOURS:
        return Urgency.DUE_SOON
    return Urgency.EARLY
