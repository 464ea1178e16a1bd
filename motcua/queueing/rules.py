"""The counter queue's rules (SPEC §3.9), pure: ticket numbers, calling order, hourly statistics, advice.

No Django models here: the services and selectors hand in plain values, so every figure of the
statistics page and of the staffing advisor can be checked by hand in a test.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from statistics import fmean
from typing import Final

from motcua.metrics.erlang import DEFAULT_TARGET_WAIT_MINUTES, counters_needed

MIN_DIGITS: Final = 3  # "A012": three digits cover a day at the busiest centre; past 999 a digit grows
OFFICE_HOURS: Final = tuple(range(7, 18))  # the hours a counter may be open (07:00–17:59)


def format_ticket(letter: str, number: int) -> str:
    """`A012`: the area's letter and the day's number."""
    if number < 1:
        raise ValueError("ticket numbers start at 1")
    if len(letter) != 1 or not letter.isalpha() or not letter.isupper():
        raise ValueError("an area letter is one capital letter")
    return f"{letter}{number:0{MIN_DIGITS}d}"


@dataclass(frozen=True)
class Waiting:
    """A waiting ticket as the calling order sees it."""

    id: int
    priority: bool
    issued_at: datetime


def call_order_key(ticket: Waiting) -> tuple[bool, datetime, int]:
    """Priority tickets first (the elderly, disabled, pregnant, small children), then first come first served."""
    return (not ticket.priority, ticket.issued_at, ticket.id)


def next_to_call(waiting: Iterable[Waiting]) -> Waiting | None:
    return min(waiting, key=call_order_key, default=None)


def people_ahead(ticket: Waiting, waiting: Iterable[Waiting]) -> int:
    """How many waiting tickets will be called before `ticket` (later priority arrivals may still pass)."""
    mine = call_order_key(ticket)
    return sum(1 for other in waiting if other.id != ticket.id and call_order_key(other) < mine)


def minutes(start: datetime | None, end: datetime | None) -> float | None:
    if start is None or end is None:
        return None
    return max(0.0, (end - start).total_seconds() / 60)


def mean_or_none(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return round(fmean(present), 1) if present else None


@dataclass(frozen=True)
class TicketTimes:
    """A ticket's time stamps in local time: issued → called (wait) and served → finished (service)."""

    issued_at: datetime
    called_at: datetime | None = None
    served_at: datetime | None = None
    finished_at: datetime | None = None

    @property
    def wait(self) -> float | None:
        return minutes(self.issued_at, self.called_at)

    @property
    def service(self) -> float | None:
        return minutes(self.served_at, self.finished_at)


@dataclass(frozen=True)
class Summary:
    """Count and mean wait / service time (minutes, 1 decimal; None without data) of a group of tickets."""

    label: str
    tickets: int
    mean_wait: float | None
    mean_service: float | None


def summarize(label: str, tickets: Sequence[TicketTimes]) -> Summary:
    return Summary(
        label=label,
        tickets=len(tickets),
        mean_wait=mean_or_none(t.wait for t in tickets),
        mean_service=mean_or_none(t.service for t in tickets),
    )


@dataclass(frozen=True)
class Interval:
    """A counter session (an officer seated at a counter) in local time; `end` None = still open."""

    start: datetime
    end: datetime | None


@dataclass(frozen=True)
class HourAdvice:
    """One office hour of the chosen day type: what was observed and how many counters Erlang C asks for."""

    hour: int
    arrival_rate: float  # λ, tickets per hour (mean over the observed days)
    mean_service: float | None  # minutes
    observed_wait: float | None  # minutes
    counters_open: float  # mean counters open during the hour
    recommended: int | None  # None when no service time was observed
    meets_target: bool | None  # observed wait ≤ target, None without waits


def open_hours(sessions: Iterable[Interval], day_start: datetime, hour: int, *, now: datetime) -> float:
    """Counter-hours open during `hour` of the day that starts at `day_start` (local midnight)."""
    begin = day_start.replace(hour=hour)
    end = day_start.replace(hour=hour, minute=59, second=59, microsecond=999999)
    total = 0.0
    for session in sessions:
        stop = session.end or now
        overlap = (min(stop, end) - max(session.start, begin)).total_seconds()
        if overlap > 0:
            total += overlap
    return total / 3600


def advise_hours(
    tickets: Sequence[TicketTimes],
    sessions: Sequence[Interval],
    days: Sequence[datetime],
    *,
    now: datetime,
    target_wait: float = DEFAULT_TARGET_WAIT_MINUTES,
    hours: Sequence[int] = OFFICE_HOURS,
) -> list[HourAdvice]:
    """Per office hour over `days` (local midnights of the observed days): λ, s, observed wait, advice.

    λ = tickets issued in the hour ÷ number of days; s = mean service time of tickets issued in the
    hour; counters open = counter-hours of sessions in the hour ÷ number of days; the advice is the
    fewest counters whose Erlang C mean wait is ≤ `target_wait`.
    """
    count = len(days)
    rows = []
    for hour in hours:
        in_hour = [t for t in tickets if t.issued_at.hour == hour]
        rate = len(in_hour) / count if count else 0.0
        service = mean_or_none(t.service for t in in_hour)
        wait = mean_or_none(t.wait for t in in_hour)
        opened = sum(open_hours(sessions, day, hour, now=now) for day in days) / count if count else 0.0
        recommended = None
        if rate == 0:
            recommended = 0
        elif service:
            recommended = counters_needed(rate, service, target_wait)
        rows.append(
            HourAdvice(
                hour=hour,
                arrival_rate=round(rate, 2),
                mean_service=service,
                observed_wait=wait,
                counters_open=round(opened, 1),
                recommended=recommended,
                meets_target=None if wait is None else wait <= target_wait,
            )
        )
    return rows


def bar_width(value: float | None, largest: float | None, *, full: int = 200) -> int:
    """Pixels of an SVG bar: proportional to `largest`, at least 1 for a non-zero value."""
    if not value or not largest or not math.isfinite(value):
        return 0
    return max(1, round(full * value / largest))
