"""Reads of the counter queue: the board, a ticket's place, the officer's counters, statistics, advice."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from motcua.accounts.roles import Role
from motcua.core import clock
from motcua.core.errors import NotFound
from motcua.organizations.models import Counter, Unit
from motcua.organizations.selectors import active_memberships, unit_by_code, unit_ids_for_user
from motcua.queueing import rules
from motcua.queueing.models import CounterSession, ServiceArea, Ticket, TicketStatus

BOARD_SIZE = 8


def unit_with_queue(code: str) -> Unit | None:
    """The unit with this code if it has at least one active service area."""
    unit = unit_by_code(code)
    if unit is None or not ServiceArea.objects.filter(unit=unit, is_active=True).exists():
        return None
    return unit


def queue_unit_get(code: str) -> Unit:
    """Like `unit_with_queue`, but a missing queue is a NotFound with a message for the caller."""
    unit = unit_with_queue(code)
    if unit is None:
        raise _no_queue(code)
    return unit


def queue_unit_for_staff(user: Any, code: str) -> Unit:
    """The queue unit if it is in the user's scope; out of scope looks exactly like missing."""
    unit = queue_unit_get(code)
    ids = unit_ids_for_user(user)
    if ids is not None and unit.pk not in ids:
        raise _no_queue(code)
    return unit


def _no_queue(code: str) -> NotFound:
    return NotFound(_("No counter queue at unit “%(code)s”.") % {"code": code[:40]}, field="unit")


def area_get(unit: Unit, letter: str) -> ServiceArea:
    area = ServiceArea.objects.filter(unit=unit, letter=letter.strip().upper(), is_active=True).first()
    if area is None:
        raise NotFound(_("No open service area “%(area)s” here.") % {"area": letter[:5]}, field="area")
    return area


def counter_for_officer_get(officer: Any, counter_id: int) -> Counter:
    counter = counters_for_officer(officer).filter(pk=counter_id).first()
    if counter is None:
        raise NotFound(_("No such counter in your units."), field="counter")
    return counter


def kiosk_areas(unit: Unit) -> QuerySet[ServiceArea]:
    return ServiceArea.objects.filter(unit=unit, is_active=True)


def people_ahead(ticket: Ticket) -> int:
    """Waiting tickets of the same area that will be called before this one."""
    if ticket.status != TicketStatus.WAITING:
        return 0
    before = Q(issued_at__lt=ticket.issued_at) | Q(issued_at=ticket.issued_at, pk__lt=ticket.pk)
    if ticket.priority_reason:
        before &= ~Q(priority_reason="")
    else:
        before |= ~Q(priority_reason="")
    return Ticket.objects.filter(area=ticket.area, day=ticket.day, status=TicketStatus.WAITING).filter(before).count()


@dataclass(frozen=True)
class Board:
    unit: Unit
    called: list[Ticket]
    waiting: list[dict[str, Any]]  # per area: letter, name, count


def board(unit: Unit) -> Board:
    """The numbers called today, newest announcement first, and how many wait in each area."""
    today = clock.local_today()
    called = list(
        Ticket.objects.filter(area__unit=unit, day=today, announced_at__isnull=False)
        .select_related("counter", "area")
        .order_by("-announced_at", "-pk")[:BOARD_SIZE]
    )
    waiting = list(
        kiosk_areas(unit)
        .annotate(count=Count("tickets", filter=Q(tickets__day=today, tickets__status=TicketStatus.WAITING)))
        .values("letter", "name", "count")
    )
    return Board(unit=unit, called=called, waiting=waiting)


def counters_for_officer(officer: Any) -> QuerySet[Counter]:
    """Active counters of the units where the user is a counter officer."""
    units = active_memberships(officer, Role.COUNTER_OFFICER).values_list("unit_id", flat=True)
    return Counter.objects.filter(unit_id__in=list(units), is_active=True).select_related("unit")


def open_session(counter: Counter) -> CounterSession | None:
    return CounterSession.objects.filter(counter=counter, closed_at__isnull=True).select_related("officer").first()


def current_ticket(counter: Counter) -> Ticket | None:
    return (
        Ticket.objects.filter(counter=counter, status__in=[TicketStatus.CALLED, TicketStatus.SERVING])
        .select_related("area")
        .first()
    )


def recent_at_counter(counter: Counter, limit: int = 10) -> list[Ticket]:
    today = clock.local_today()
    return list(
        Ticket.objects.filter(counter=counter, day=today)
        .exclude(status__in=[TicketStatus.CALLED, TicketStatus.SERVING])
        .select_related("area", "dossier")
        .order_by("-called_at")[:limit]
    )


# --- statistics -------------------------------------------------------------------------------


def latest_queue_day(unit: Unit) -> date:
    """The last day up to today with tickets at `unit` (today when there are none): the page's default."""
    today = clock.local_today()
    last = Ticket.objects.filter(area__unit=unit, day__lte=today).order_by("-day").values_list("day", flat=True)
    return last.first() or today


def _times(ticket: Ticket) -> rules.TicketTimes:
    def local(value: datetime | None) -> datetime | None:
        return value.astimezone(clock.VIETNAM) if value else None

    return rules.TicketTimes(
        issued_at=ticket.issued_at.astimezone(clock.VIETNAM),
        called_at=local(ticket.called_at),
        served_at=local(ticket.served_at),
        finished_at=local(ticket.finished_at),
    )


def _originals(unit: Unit) -> QuerySet[Ticket]:
    # A transferred copy keeps the original's issue time: counting it again would double the wait.
    return Ticket.objects.filter(area__unit=unit, transferred_from__isnull=True)


@dataclass(frozen=True)
class DayStats:
    unit: Unit
    day: date
    per_counter: list[rules.Summary]
    per_hour: list[rules.Summary]
    per_day: list[rules.Summary]


def day_stats(unit: Unit, day: date, *, days_back: int = 14) -> DayStats:
    """Waiting and service time of `day` per counter and per hour, and of the days before, per day."""
    tickets = list(_originals(unit).filter(day=day).select_related("counter"))
    by_counter: dict[str, list[rules.TicketTimes]] = defaultdict(list)
    by_hour: dict[int, list[rules.TicketTimes]] = defaultdict(list)
    for ticket in tickets:
        times = _times(ticket)
        by_hour[times.issued_at.hour].append(times)
        if ticket.counter is not None:
            by_counter[ticket.counter.name].append(times)
    hours = sorted(set(rules.OFFICE_HOURS) | set(by_hour))
    since = day - timedelta(days=days_back - 1)
    by_day: dict[date, list[rules.TicketTimes]] = defaultdict(list)
    for ticket in _originals(unit).filter(day__gte=since, day__lte=day):
        by_day[ticket.day].append(_times(ticket))
    return DayStats(
        unit=unit,
        day=day,
        per_counter=[rules.summarize(name, by_counter[name]) for name in sorted(by_counter)],
        per_hour=[rules.summarize(f"{hour:02d}:00", by_hour[hour]) for hour in hours],
        per_day=[rules.summarize(d.strftime("%d/%m/%Y"), by_day[d]) for d in sorted(by_day)],
    )


def advice(unit: Unit, *, weekday: int, until: date, weeks: int = 4) -> tuple[list[rules.HourAdvice], list[date]]:
    """The advisor over the last `weeks` days of that `weekday` (0 = Monday) up to `until` that had tickets."""
    start = until - timedelta(weeks=weeks)
    candidates = [start + timedelta(days=n) for n in range((until - start).days + 1)]
    wanted = [d for d in candidates if d.weekday() == weekday]
    days = sorted(set(_originals(unit).filter(day__in=wanted).values_list("day", flat=True)))
    tickets = [_times(t) for t in _originals(unit).filter(day__in=days)]
    midnights = [datetime.combine(d, time(), tzinfo=clock.VIETNAM) for d in days]
    sessions = []
    if days:
        first, last = midnights[0], midnights[-1] + timedelta(days=1)
        rows = CounterSession.objects.filter(counter__unit=unit, opened_at__lt=last).filter(
            Q(closed_at__isnull=True) | Q(closed_at__gt=first)
        )
        sessions = [
            rules.Interval(
                start=s.opened_at.astimezone(clock.VIETNAM),
                end=s.closed_at.astimezone(clock.VIETNAM) if s.closed_at else None,
            )
            for s in rows
        ]
    return rules.advise_hours(tickets, sessions, midnights, now=clock.local_now()), days
