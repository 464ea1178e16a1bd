"""Writes of the counter queue (SPEC §3.9): one transaction per action; a refusal changes nothing.

Ticket numbers are taken like dossier numbers (`motcua.dossiers.services.codes`): an atomic upsert
of the per-area per-day counter inside the issuing transaction, so a rollback gives the number back
(gap-free) and two kiosks never print the same one. Calling the next ticket locks the candidate
rows (`SKIP LOCKED` on PostgreSQL; SQLite's IMMEDIATE transactions serialize writers) and moves the
ticket with a conditional update, so two counters never call the same citizen.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db import IntegrityError, connection, transaction
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.accounts.roles import Role
from motcua.core import clock
from motcua.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from motcua.dossiers.selectors import dossier_get_for
from motcua.organizations.models import Counter
from motcua.organizations.selectors import active_memberships
from motcua.queueing.models import (
    ACTIVE_STATUSES,
    CounterSession,
    PriorityReason,
    ServiceArea,
    Ticket,
    TicketSequence,
    TicketStatus,
)
from motcua.queueing.rules import format_ticket

_UPSERT = (
    "INSERT INTO {table} (area_id, day, last_number) VALUES (%s, %s, 1) "
    "ON CONFLICT (area_id, day) DO UPDATE SET last_number = {table}.last_number + 1 "
    "RETURNING last_number"
)


def ticket_number_next(*, area: ServiceArea, day: date) -> int:
    """The next number of `area` on `day`; call inside the issuing transaction."""
    if not connection.in_atomic_block:
        raise RuntimeError("ticket numbers are taken inside the issuing transaction")
    table = connection.ops.quote_name(TicketSequence._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT.format(table=table), [area.pk, connection.ops.adapt_datefield_value(day)])
        row = cursor.fetchone()
    return int(row[0])


@transaction.atomic
def ticket_issue(*, area: ServiceArea, priority_reason: str = "") -> Ticket:
    """Print the next number of `area` (the kiosk); a priority reason puts it ahead of ordinary tickets."""
    if priority_reason and priority_reason not in PriorityReason.values:
        raise InvalidInput(_("Unknown priority reason."), field="priority_reason")
    if not area.is_active:
        raise InvalidInput(_("This service area is closed."), field="area")
    now = clock.now()
    day = clock.local_today()
    number = ticket_number_next(area=area, day=day)
    return Ticket.objects.create(
        area=area,
        day=day,
        number=number,
        code=format_ticket(area.letter, number),
        priority_reason=priority_reason,
        issued_at=now,
    )


# --- sessions ---------------------------------------------------------------------------------


@transaction.atomic
def session_open(*, officer: User, counter: Counter) -> CounterSession:
    """Seat `officer` at `counter` of his unit; he leaves any other counter he was seated at."""
    if not counter.is_active:
        raise InvalidInput(_("This counter is not in service."), field="counter")
    if not active_memberships(officer, Role.COUNTER_OFFICER).filter(unit_id=counter.unit_id).exists():
        raise PermissionDenied(_("Only a counter officer of this unit can sit at its counters."))
    now = clock.now()
    current = CounterSession.objects.select_for_update().filter(counter=counter, closed_at__isnull=True).first()
    if current is not None:
        if current.officer_id == officer.pk:
            return current
        raise Conflict(_("Another officer is seated at this counter."), code="counter_occupied")
    CounterSession.objects.filter(officer=officer, closed_at__isnull=True).update(closed_at=now)
    try:
        with transaction.atomic():
            return CounterSession.objects.create(counter=counter, officer=officer, opened_at=now)
    except IntegrityError:  # another officer sat down at the same instant
        raise Conflict(_("Another officer is seated at this counter."), code="counter_occupied") from None


@transaction.atomic
def session_close(*, officer: User, counter: Counter) -> CounterSession:
    """The officer leaves the counter; a citizen still in front of it must be finished or transferred first."""
    session = _seat(officer, counter)
    if Ticket.objects.filter(counter=counter, status__in=ACTIVE_STATUSES).exists():
        raise Conflict(_("Finish, skip or transfer the current ticket before closing the counter."))
    session.closed_at = clock.now()
    session.save(update_fields=["closed_at"])
    return session


def _seat(officer: User, counter: Counter) -> CounterSession:
    session = (
        CounterSession.objects.select_for_update()
        .filter(counter=counter, officer=officer, closed_at__isnull=True)
        .first()
    )
    if session is None:
        raise PermissionDenied(_("You are not seated at this counter: open it first."), code="not_seated")
    return session


# --- calling ----------------------------------------------------------------------------------


def areas_served_by(counter: Counter) -> QuerySet[ServiceArea]:
    """Active areas of the counter's unit that list this counter, or list no counter at all."""
    return ServiceArea.objects.filter(unit_id=counter.unit_id, is_active=True).filter(
        Q(counters__isnull=True) | Q(counters=counter)
    )


def waiting_for(counter: Counter, *, day: date | None = None) -> QuerySet[Ticket]:
    """Today's waiting tickets this counter may call, in calling order (priority first, then FIFO)."""
    area_ids = set(areas_served_by(counter).values_list("pk", flat=True))
    return (
        Ticket.objects.filter(status=TicketStatus.WAITING, day=day or clock.local_today(), area_id__in=area_ids)
        .filter(Q(target_counter__isnull=True) | Q(target_counter=counter))
        .annotate(ordinary=Case(When(priority_reason="", then=Value(1)), default=Value(0), output_field=IntegerField()))
        .order_by("ordinary", "issued_at", "pk")
    )


def _current(counter: Counter, *statuses: str) -> Ticket:
    ticket = Ticket.objects.select_for_update().filter(counter=counter, status__in=statuses or ACTIVE_STATUSES).first()
    if ticket is None:
        raise Conflict(_("There is no ticket at this counter for that action."), code="no_current_ticket")
    return ticket


@transaction.atomic
def ticket_call_next(*, officer: User, counter: Counter) -> Ticket:
    """Call the next citizen to `counter`: only the officer seated there, only with nobody in front of him."""
    _seat(officer, counter)
    if Ticket.objects.filter(counter=counter, status__in=ACTIVE_STATUSES).exists():
        raise Conflict(_("Finish, skip or transfer the current ticket first."), code="counter_busy")
    now = clock.now()
    for _attempt in range(5):
        candidate = waiting_for(counter).select_for_update(skip_locked=True, of=("self",)).first()
        if candidate is None:
            raise Conflict(_("Nobody is waiting."), code="queue_empty")
        taken = Ticket.objects.filter(pk=candidate.pk, status=TicketStatus.WAITING).update(
            status=TicketStatus.CALLED, called_at=now, announced_at=now, counter=counter, officer=officer
        )
        if taken:
            return Ticket.objects.get(pk=candidate.pk)
    raise Conflict(_("The queue is busy; please try again."), code="queue_busy")


@transaction.atomic
def ticket_recall(*, officer: User, counter: Counter) -> Ticket:
    """Announce the called number again (the citizen has not come yet)."""
    _seat(officer, counter)
    ticket = _current(counter, TicketStatus.CALLED)
    ticket.recalls += 1
    ticket.announced_at = clock.now()
    ticket.save(update_fields=["recalls", "announced_at"])
    return ticket


@transaction.atomic
def ticket_skip(*, officer: User, counter: Counter) -> Ticket:
    """The called citizen did not come: the ticket is set aside and the counter is free."""
    _seat(officer, counter)
    ticket = _current(counter, TicketStatus.CALLED)
    ticket.status = TicketStatus.SKIPPED
    ticket.finished_at = clock.now()
    ticket.save(update_fields=["status", "finished_at"])
    return ticket


@transaction.atomic
def ticket_start(*, officer: User, counter: Counter) -> Ticket:
    """The citizen sits down: service time starts."""
    _seat(officer, counter)
    ticket = _current(counter, TicketStatus.CALLED)
    ticket.status = TicketStatus.SERVING
    ticket.served_at = clock.now()
    ticket.officer = officer
    ticket.save(update_fields=["status", "served_at", "officer"])
    return ticket


@transaction.atomic
def ticket_finish(*, officer: User, counter: Counter) -> Ticket:
    """The citizen leaves; a ticket finished straight from "called" counts its service from the call."""
    _seat(officer, counter)
    ticket = _current(counter)
    now = clock.now()
    ticket.served_at = ticket.served_at or ticket.called_at
    ticket.status = TicketStatus.DONE
    ticket.finished_at = now
    ticket.save(update_fields=["status", "served_at", "finished_at"])
    return ticket


@transaction.atomic
def ticket_transfer(
    *, officer: User, counter: Counter, area: ServiceArea | None = None, target_counter: Counter | None = None
) -> Ticket:
    """Send the citizen to another area and/or counter of the unit: he keeps his number and his place."""
    _seat(officer, counter)
    ticket = _current(counter)
    target_area = area or ticket.area
    if target_area.unit_id != counter.unit_id or not target_area.is_active:
        raise InvalidInput(_("Choose an open service area of this unit."), field="area")
    if target_counter is not None and (target_counter.unit_id != counter.unit_id or not target_counter.is_active):
        raise InvalidInput(_("Choose a counter of this unit that is in service."), field="counter")
    if target_counter == counter or (target_counter is None and target_area == ticket.area):
        raise InvalidInput(_("Choose another area or another counter."), field="area")
    now = clock.now()
    ticket.status = TicketStatus.TRANSFERRED
    ticket.finished_at = now
    ticket.save(update_fields=["status", "finished_at"])
    # Keeps the original issue time: the transferred citizen does not start again at the back.
    return Ticket.objects.create(
        area=target_area,
        day=ticket.day,
        number=ticket.number,
        code=ticket.code,
        priority_reason=ticket.priority_reason,
        issued_at=ticket.issued_at,
        transferred_from=ticket,
        target_counter=target_counter,
    )


@transaction.atomic
def ticket_link_dossier(*, officer: User, counter: Counter, ticket: Ticket, dossier_code: str) -> Ticket:
    """Record which dossier the citizen of `ticket` filed at this counter."""
    _seat(officer, counter)
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.counter_id != counter.pk or ticket.status not in (*ACTIVE_STATUSES, TicketStatus.DONE):
        raise InvalidInput(_("Only a ticket served at this counter can be linked."), field="ticket")
    try:
        dossier = dossier_get_for(user=officer, code=dossier_code)
    except NotFound:
        raise InvalidInput(_("No dossier with this code in your units."), field="dossier") from None
    ticket.dossier = dossier
    ticket.save(update_fields=["dossier"])
    return ticket


def local_time(instant: datetime | None) -> datetime | None:
    return instant.astimezone(clock.VIETNAM) if instant else None
